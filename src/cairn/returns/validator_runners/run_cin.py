"""Run csc-validator-be-cin over one CIN census XML file; print one JSON object.

Usage: run_cin.py --year 2026 FILE.xml
The census period comes from the file's own ReferenceDate. Output as run_903.py, with each
failure's "type" ERROR or QUERY (rule codes ending in Q).
"""
import argparse
import contextlib
import io
import json
import sys
import warnings
import xml.etree.ElementTree as ET


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("xml")
    ap.add_argument("--year", required=True)
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    from cin_validator import cin_validator
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    raw = cin_validator.convert_data(ET.parse(args.xml).getroot())
    data = cin_validator.process_data(raw)
    registry = get_year_ruleset(args.year)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # a crashing rule is only print()ed
        v = cin_validator.CinValidator(data, registry, selected_rules=None)
    crashed = [line.split()[3].strip(":") for line in printed.getvalue().splitlines()
               if line.startswith("Error with rule")]
    failures = []

    def kind(code):
        return registry[str(code)].rule_type.name

    issues = v.full_issue_df
    if len(issues):
        grouped = (issues.groupby(["rule_code", "child_id", "tables_affected", "row_id"],
                                  sort=False)["columns_affected"]
                   .agg(lambda c: ",".join(dict.fromkeys(map(str, c)))).reset_index())
        messages = dict(issues[["rule_code", "rule_description"]].drop_duplicates().values)
        for r in grouped.itertuples(index=False):
            failures.append({"child": str(r.child_id), "table": str(r.tables_affected),
                             "columns": r.columns_affected, "row": int(r.row_id),
                             "rule": str(r.rule_code), "message": str(messages[r.rule_code]),
                             "type": kind(r.rule_code)})
    la_level = v.multichild_issues
    if len(la_level):
        for r in la_level.drop_duplicates(subset=["rule_code"]).to_dict("records"):
            failures.append({"child": None, "table": str(r.get("tables_affected", "")),
                             "columns": str(r.get("columns_affected", "")), "row": None,
                             "rule": str(r["rule_code"]),
                             "message": str(r.get("rule_description", "")),
                             "type": kind(r["rule_code"])})
    json.dump({"failures": failures, "crashed": crashed,
               "tables": {k: len(df) for k, df in raw.items()}}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
