"""The SSDA903 DoLo table (deprivation of liberty orders, from 2026-27): written from the orders
recorded, loaded back by `cairn import ssda903`, and validated for 2026-27 with the validator's
own defects named."""

import json
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from test_import import empty_the_record, refused, same_tree, write_903

import support
from cairn.care.models import DeprivationOfLibertyOrder, LookedAfterEpisode, MissingEpisode
from cairn.returns import importers, ssda903, validators

pytestmark = pytest.mark.django_db
COURT = "High Court, Family Division"


@pytest.fixture
def deprived(social_worker):
    """A boy in a children's home since February 2024 with three orders: one that ended before
    the 2026-27 year, one open on 1 April 2026 that ended in May, one from June that ends after
    31 March 2027."""
    child = support.make_child("Kit", "Ash", la_child_id="2001", birth_date=date(2012, 2, 14),
                               sex="M", ethnicity="WBRI", upn_unknown="UN1")
    LookedAfterEpisode.objects.create(
        child=child, started_on=date(2024, 2, 1), reason_new_episode="S", legal_status="C2",
        category_of_need="N1", placement_type="K2", placement_provider="PR4",
        home_postcode="TW1 1AA", placement_postcode="TW1 1AF", urn="SC123456",
        recorded_by=social_worker)
    for started, ended in ((date(2025, 5, 1), date(2026, 3, 1)),
                           (date(2026, 3, 10), date(2026, 5, 15)),
                           (date(2026, 6, 1), date(2027, 4, 30))):
        DeprivationOfLibertyOrder.objects.create(child=child, started_on=started,
                                                 ended_on=ended, authorised_by=COURT,
                                                 recorded_by=social_worker)
    return child


def test_dolo_table_for_2026_27_from_the_orders_in_force_in_the_year(deprived, tmp_path):
    manifest = ssda903.write(ssda903.build(2027), 2027, tmp_path)
    assert (tmp_path / "dolo.csv").read_text() == (
        "CHILD,DOB,DOLO_START,DOLO_END\n"
        "2001,14/02/2012,10/03/2026,15/05/2026\n"
        "2001,14/02/2012,01/06/2026,\n")  # ends after 31 March 2027: open in this return
    assert manifest["tables"]["DoLo"] == {"file": "dolo.csv", "rows": 2}
    # The year before has no DoLo table at all; that year's orders show only in 2025-26's.
    ssda903.write(ssda903.build(2026), 2026, tmp_path / "2026")
    assert not (tmp_path / "2026" / "dolo.csv").exists()


def test_dolo_rows_are_loaded_and_written_back_the_same(deprived, tmp_path):
    first = ssda903.write(ssda903.build(2027), 2027, tmp_path / "first") and tmp_path / "first"
    empty_the_record()
    call_command("import", "ssda903", str(first))
    orders = list(DeprivationOfLibertyOrder.objects.order_by("started_on")
                  .values_list("started_on", "ended_on", "authorised_by"))
    assert orders == [(date(2026, 3, 10), date(2026, 5, 15), importers.DOLO_AUTHORISED_BY),
                      (date(2026, 6, 1), None, importers.DOLO_AUTHORISED_BY)]
    ssda903.write(ssda903.build(2027), 2027, tmp_path / "second")
    assert same_tree(first, tmp_path / "second") == []


def test_a_bad_dolo_table_is_refused_whole_with_every_problem(tmp_path):
    out = write_903(
        tmp_path, year=2027,
        Header="2001,M,14/02/2012,WBRI,UN1,,\n",
        DoLo=("2001,14/02/2012,2026-06-01,\n"            # an ISO date
              "2001,14/02/2012,01/06/2026,01/06/2026\n"  # ends the day it starts (702)
              "9999,14/02/2012,01/06/2026,\n"))          # not in Header
    assert refused("ssda903", str(out)) == [
        "dolo.csv row 1 (line 2), DOLO_START: '2026-06-01' is not a date (dd/mm/yyyy)",
        "dolo.csv row 2 (line 3), DOLO_END: is not after DOLO_START",
        "dolo.csv row 3 (line 4), CHILD: child '9999' is not in Header",
    ]
    assert not DeprivationOfLibertyOrder.objects.exists()


def test_previous_year_without_dolo_is_given_an_empty_dolo_last(deprived, tmp_path,
                                                                validators_venv):
    """Rule 706 reads DoLo_last; 2025-26 returns had no DoLo table, so nothing was reported."""
    prev = ssda903.write(ssda903.build(2026), 2026, tmp_path / "2026") and tmp_path / "2026"
    result = validators.validate("ssda903", year=2027, prev_year_dir=prev, store=False)
    assert "706" not in result.crashed and result.crashed == []
    assert not any(f["rule"].startswith("70") or f["rule"] == "710" for f in result.failures)
    assert not (prev / "dolo.csv").exists()  # the previous year's folder is left as it was


PROBE = """
import json, sys
import pandas as pd
from lac_validator.rules.ruleset_utils import get_year_ruleset
registry = get_year_ruleset("2027")
episodes = pd.DataFrame([{"CHILD": "1", "DECOM": "01/04/2026", "RNE": "S", "LS": "C2",
                          "CIN": "N1", "PLACE": "K2", "PLACE_PROVIDER": "PR4", "DEC": None}])
dolo = pd.DataFrame([{"CHILD": "1", "DOB": "14/02/2012", "DOLO_START": "01/05/2026",
                      "DOLO_END": "01/09/2026"}])
out = {}
for code in ("709", "710"):
    for column in ("PLACE", "PLACEMENT"):
        try:
            registry[code].func({"Episodes": episodes.rename(columns={"PLACE": column}),
                                 "DoLo": dolo.copy()})
            out[code + " " + column] = "ran"
        except KeyError as error:
            out[code + " " + column] = "KeyError " + str(error)
json.dump(out, sys.stdout)
"""


def test_903_rules_709_and_710_crash_on_valid_input_in_2026_27(validators_venv, tmp_path):
    """csc-validator-be-903 0.1.17: rules 709 and 710 read a column PLACEMENT that the
    validator's Episodes table calls PLACE, so they raise KeyError on every input; given the
    column they look for, they run. They are the known defects for 2026-27 only."""
    done = subprocess.run([str(validators_venv), "-c", PROBE], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == {
        "709 PLACE": "KeyError 'PLACEMENT'", "709 PLACEMENT": "ran",
        "710 PLACE": "KeyError 'PLACEMENT'", "710 PLACEMENT": "ran"}
    assert validators.known_crashing_903(2027) == {"231", "233", "709", "710"}
    assert validators.known_crashing_903(2026) == {"231", "233"}


def test_709_and_710_crash_on_a_valid_return_and_only_they_are_left_out(deprived, tmp_path,
                                                                         validators_venv):
    out = ssda903.write(ssda903.build(2027), 2027, tmp_path / "y") and tmp_path / "y"
    raw = validators._run("run_903.py", str(out), "--year", "2027", "--la",
                         settings.CAIRN_AUTHORITY["ons_code"])
    assert {"709", "710"} <= set(raw["crashed"])
    prev = ssda903.write(ssda903.build(2026), 2026, tmp_path / "2026") and tmp_path / "2026"
    assert validators.run_ssda903(out, 2027, prev).crashed == []


def test_empty_dolo_last_has_the_validators_headings(tmp_path):
    prev = Path(tmp_path / "prev")
    write_903(prev, year=2026)
    with validators.previous_year(prev, 2027) as given:
        assert (given / "dolo.csv").read_text() == "CHILD,DOB,DOLO_START,DOLO_END\n"
        assert sorted(p.name for p in given.glob("*.csv")) == sorted(
            [f for f, _ in ssda903.TABLES.values()] + ["dolo.csv"])
    with validators.previous_year(prev, 2026) as given:
        assert given == prev


def test_575_577_707_run_alone_as_365_writes_31_march_into_open_episodes(deprived, tmp_path,
                                                                   validators_venv):
    """In the full run of csc-validator-be-903 0.1.17 for 2027, rule 365 fills every open
    episode's DEC in place, so rules 575 and 577 fire on an open missing period and 707 on an
    open order of a child still in care; run
    on untouched tables, 707 finds nothing, and it still fires on an order left open after
    care ended."""
    MissingEpisode.objects.create(  # and 575, 577 on a missing period open at the same time
        child=deprived, kind="M", started_at=datetime(2026, 11, 1, 20, tzinfo=timezone.utc),
        recorded_by=deprived.episodes.get().recorded_by)
    out = ssda903.write(ssda903.build(2027), 2027, tmp_path / "y") and tmp_path / "y"
    la = settings.CAIRN_AUTHORITY["ons_code"]
    together = validators._run("run_903.py", str(out), "--year", "2027", "--la", la)
    assert {("707", 1), ("575", 0), ("577", 0)} <= {(f["rule"], f["row"])
                                                     for f in together["failures"]}
    assert not {"575", "577", "707"} & validators.run_ssda903(out, 2027).rules
    episode = deprived.episodes.get()
    episode.ended_on, episode.reason_ceased = date(2026, 9, 1), "E4A"
    episode.save()
    out = ssda903.write(ssda903.build(2027), 2027, tmp_path / "z") and tmp_path / "z"
    assert ("707", "2001") in {(f["rule"], f["child"])
                               for f in validators.run_ssda903(out, 2027).failures}


def test_a_check_without_last_years_return_builds_it_from_the_facts(deprived, validators_venv):
    """The Returns page gives no previous year: rule 706 must still run, not be skipped."""
    result = validators.validate("ssda903", year=2027, store=False)
    assert result.crashed == []
