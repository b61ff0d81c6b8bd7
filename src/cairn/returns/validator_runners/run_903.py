"""Run csc-validator-be-903 over a folder of SSDA903 CSV tables; print one JSON object.

Usage: run_903.py --year 2026 --la E10000025 [--prev DIR] [--alone CODE ...] DIR
Output: {"failures": [{child, table, columns, row, rule, message}], "crashed": [codes],
"tables": {name: rows}}. Runs in the validators' own environment, apart from Cairn.
"""
import argparse
import contextlib
import io
import json
import logging
import sys
import warnings
from pathlib import Path


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--year", required=True)
    ap.add_argument("--la", required=True)
    ap.add_argument("--prev")
    ap.add_argument("--alone", action="append", default=[])
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    with contextlib.redirect_stdout(io.StringIO()):
        from lac_validator import lac_validator
        from lac_validator.report import Report
        from lac_validator.rules.ruleset_utils import get_year_ruleset
        from lac_validator.utils import process_uploaded_files
    logging.disable(logging.CRITICAL)  # every crashing rule logs a traceback

    files = {"This year": sorted(str(f) for f in Path(args.path).glob("*.csv"))}
    if args.prev:
        files["Prev year"] = sorted(str(f) for f in Path(args.prev).glob("*.csv"))
    registry = get_year_ruleset(args.year)
    # Rules in --alone run on a datastore of their own: the validator hands each rule a
    # shallow copy, and a rule that writes into a column in place (2022-23 rule 365 fills
    # every open episode's DEC with 31 March) changes what the rules after it read.
    alone = [c for c in args.alone if c in registry]
    rest = [c for c in registry if c not in alone]
    failures, crashed, tables = [], [], {}
    for selected in (rest, alone):
        if not selected:
            continue
        v, found = run(lac_validator, Report, registry, process_uploaded_files(files), args,
                       selected)
        failures += found
        crashed += map(str, v.fails)
        tables = tables or {k: len(df) for k, df in v.dfs.items()}
    json.dump({"failures": failures, "crashed": sorted(crashed), "tables": tables}, sys.stdout)
    return 0


def run(lac_validator, Report, registry, uploaded, args, selected):
    with contextlib.redirect_stdout(io.StringIO()):  # several rules print() debug output
        v = lac_validator.LacValidator(
            metadata={"collectionYear": args.year, "localAuthority": args.la},
            files=uploaded, registry=registry, selected_rules=selected)
        report = Report(v.ds_results, registry)
    failures = []
    if any(c.startswith("ERR_") for c in report.report.columns):
        issues = lac_validator.create_issue_df(report.report, report.error_report)
        grouped = (issues.groupby(["rule_code", "tables_affected", "row_id", "child_id"],
                                  sort=False)["columns_affected"]
                   .agg(lambda c: ",".join(dict.fromkeys(map(str, c)))).reset_index())
        messages = dict(issues[["rule_code", "rule_description"]].drop_duplicates().values)
        for r in grouped.itertuples(index=False):
            failures.append({"child": None if r.child_id != r.child_id else str(r.child_id),
                             "table": str(r.tables_affected), "columns": r.columns_affected,
                             "row": int(r.row_id), "rule": str(r.rule_code),
                             "message": str(messages.get(r.rule_code, "")), "type": "ERROR"})
    return v, failures


if __name__ == "__main__":
    sys.exit(main())
