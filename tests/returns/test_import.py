"""`cairn import`: an authority's last returns into an empty record, all or nothing."""

import filecmp
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import support
from cairn.core.models import AuditEvent, TimescaleRule
from cairn.people.models import Child, Person
from cairn.returns import cin, importers, ssda903

pytestmark = pytest.mark.django_db

HEADER_TIME = re.compile(rb"<DateTime>[^<]*</DateTime>")


def empty_the_record():
    """A fresh database for the import: every table emptied, the timescale rules kept (the CIN
    census's ICPC target comes from them and a new installation has them from its migrations)."""
    rules = list(TimescaleRule.objects.all())
    if connection.vendor == "postgresql":
        # The bulk load's foreign-key checks wait for the end of the test's transaction, and
        # PostgreSQL will not TRUNCATE a table with checks pending: run them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    TimescaleRule.objects.bulk_create(rules)


def export_903(year, out: Path) -> Path:
    ssda903.write(ssda903.build(year), year, out)
    return out


def same_tree(a: Path, b: Path) -> list[str]:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


def test_ssda903_and_cin_round_trip_on_a_small_synthetic_authority(tmp_path):
    call_command("synth", children=1500, seed=1, years=5, as_of="2026-04-30", no_progress=True)
    first = export_903(2026, tmp_path / "first")
    census = cin.to_bytes(cin.build(2026))
    (tmp_path / "cin.xml").write_bytes(census)
    assert Child.objects.exists()

    current = export_903(2027, tmp_path / "first-2027")  # 2026-27, with its DoLo table
    assert (current / "dolo.csv").exists()
    empty_the_record()
    call_command("import", "ssda903", str(first))
    second = export_903(2026, tmp_path / "second")
    assert same_tree(first, second) == []

    empty_the_record()
    call_command("import", "ssda903", str(current))
    assert same_tree(current, export_903(2027, tmp_path / "second-2027")) == []

    empty_the_record()
    call_command("import", "cin", str(tmp_path / "cin.xml"))
    again = cin.to_bytes(cin.build(2026))
    assert HEADER_TIME.sub(b"", again) == HEADER_TIME.sub(b"", census)
    event = AuditEvent.objects.get(object_type="returns.import")
    assert event.action == "Imported the CIN census for 2026"
    assert event.after["loaded"]["children"] == Child.objects.count()


def write_903(out: Path, year: int = 2026, **tables: str) -> Path:
    """An empty 903 return with the given tables' text in place of the empty ones."""
    for name, (filename, headings) in ssda903.tables_for(year).items():
        text = tables.get(name, "")
        (out / filename).parent.mkdir(parents=True, exist_ok=True)
        (out / filename).write_text(",".join(headings) + "\n" + text if name not in tables
                                    or not text.startswith("!") else text[1:])
    (out / "manifest.json").write_text('{"year": %d}' % year)
    return out


def refused(*args) -> list[str]:
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("import", *args, stderr=open("/dev/null", "w"))
    try:
        if args[0] == "ssda903":
            importers.load_ssda903(Path(args[1]))
        else:
            importers.load_cin(Path(args[1]))
    except importers.ImportRefused as error:
        return [str(p) for p in error.problems]
    raise AssertionError("not refused")


def test_a_bad_903_return_is_refused_whole_with_every_problem(tmp_path):
    out = write_903(
        tmp_path,
        Header=("1001,F,14/02/2016,WBRI,UN5,0,\n"
                "1002,F,2016-02-14,WBRI,UN5,0,\n"       # an ISO date in a dd/mm/yyyy table
                "1001,F,14/02/2016,WBRI,UN5,0,\n"),     # the same child twice
        Episodes=("1001,01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,XXXXXXX\n"
                  "1001,01/02/2025,P,ZZ,N1,U4,PR1,31/01/2025,E11,,,,\n"  # bad LS; ends first
                  "9999,01/02/2024,S,C2,N1,U4,PR1,,,,,,\n"),            # not in Header
        Reviews="!CHILD,DOB,REVIEW\n1001,14/02/2016,20/05/2025\n")  # wrong headings
    problems = refused("ssda903", str(out))
    assert problems == [
        "reviews.csv file: wrong headings (missing REVIEW_CODE): expected "
        "CHILD,DOB,REVIEW,REVIEW_CODE",
        "header.csv row 2 (line 3), DOB: '2016-02-14' is not a date (dd/mm/yyyy)",
        "header.csv row 3 (line 4), CHILD: child 1001 is in Header twice (first at row 1)",
        "episodes.csv row 2 (line 3), LS: 'ZZ' is not a valid code",
        "episodes.csv row 2 (line 3), DEC: ends before it starts (DECOM)",
        "episodes.csv row 3 (line 4), CHILD: child '9999' is not in Header",
    ]
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(object_type="returns.import").exists()


def test_a_bad_census_is_refused_whole_with_every_problem(tmp_path):
    child = """<Child><ChildIdentifiers><LAchildID>{id}</LAchildID><UPNunknown>UN5</UPNunknown>
      <PersonBirthDate>{dob}</PersonBirthDate><Sex>{sex}</Sex></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails><CINreferralDate>2025-06-02</CINreferralDate><ReferralSource>5A</ReferralSource>
      <Assessments><AssessmentActualStartDate>2025-06-10</AssessmentActualStartDate>
      <AssessmentAuthorisationDate>2025-06-01</AssessmentAuthorisationDate></Assessments>
      <ReferralNFA>false</ReferralNFA></CINdetails></Child>"""
    xml = ("<Message><Header><CollectionDetails><Year>2026</Year></CollectionDetails></Header>"
           "<Children>" + child.format(id="A1", dob="2015-01-01", sex="F")
           + child.format(id="A2", dob="01/01/2015", sex="Q")
           + child.format(id="A1", dob="2015-01-01", sex="F") + "</Children></Message>")
    (tmp_path / "cin.xml").write_text(xml)
    assert refused("cin", str(tmp_path / "cin.xml")) == [
        "cin.xml child 1 (LAchildID A1), AssessmentAuthorisationDate: is before "
        "AssessmentActualStartDate",
        "cin.xml child 2 (LAchildID A2), PersonBirthDate: '01/01/2015' is not a date "
        "(yyyy-mm-dd)",
        "cin.xml child 2 (LAchildID A2), Sex: 'Q' is not a valid code",
        "cin.xml child 2 (LAchildID A2), PersonBirthDate: a birth date or an expected birth "
        "date is required",
        "cin.xml child 2 (LAchildID A2), AssessmentAuthorisationDate: is before "
        "AssessmentActualStartDate",
        "cin.xml child 3 (LAchildID A1), LAchildID: is in the census twice (first as "
        "child 1)",
    ]
    assert not Person.objects.exists()


def test_an_import_refuses_a_record_that_has_children(tmp_path):
    support.make_child("Jo", "Bell", la_child_id="1")
    out = write_903(tmp_path)
    assert refused("ssda903", str(out)) == [
        "The record already has children: an import only loads into an empty record"]


def test_a_903_return_with_two_open_episodes_for_a_child_is_refused(tmp_path):
    # Cairn's database holds one open episode per child (core.periods), as the return's own
    # rules do: the import says so, row by row, and loads nothing.
    out = write_903(
        tmp_path,
        Header="1001,F,14/02/2016,WBRI,UN5,0,\n1002,M,03/03/2015,WBRI,UN5,0,\n",
        Episodes=("1001,01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,\n"
                  "1002,01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,\n"
                  "1001,01/06/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,\n"))
    assert refused("ssda903", str(out)) == [
        "episodes.csv row 3 (line 4), DEC: the child has another open episode (no DEC, row 1): only "
        "one can be open at a time"]
    assert not Person.objects.exists()


def test_a_census_with_two_open_plans_for_a_child_is_refused(tmp_path):
    plan = ("<CINPlanDates><CINPlanStartDate>{start}</CINPlanStartDate></CINPlanDates>")
    details = """<CINdetails><CINreferralDate>{received}</CINreferralDate>
      <ReferralSource>5A</ReferralSource>{plans}<ReferralNFA>{nfa}</ReferralNFA></CINdetails>"""
    xml = ("<Message><Header><CollectionDetails><Year>2026</Year></CollectionDetails></Header>"
           "<Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID>"
           "<UPNunknown>UN5</UPNunknown><PersonBirthDate>2015-01-01</PersonBirthDate>"
           "<Sex>F</Sex></ChildIdentifiers>"
           "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
           + details.format(received="2025-06-02", nfa="false",
                            plans=plan.format(start="2025-06-20"))
           + details.format(received="2025-07-01", nfa="true", plans="")  # NFA: not counted
           + details.format(received="2025-08-04", nfa="false",
                            plans=plan.format(start="2025-08-11"))
           + "</Child></Children></Message>")
    (tmp_path / "cin.xml").write_text(xml)
    assert refused("cin", str(tmp_path / "cin.xml")) == [
        "cin.xml child 1 (LAchildID A1), CINclosureDate: the child has another open CIN "
        "episode (no CINclosureDate): only one can be open at a time",
        "cin.xml child 1 (LAchildID A1), CINPlanEndDate: the child has another open child in "
        "need plan (no CINPlanEndDate): only one can be open at a time",
    ]
    assert not Person.objects.exists()
