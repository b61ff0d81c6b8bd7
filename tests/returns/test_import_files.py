"""`cairn import` given files that are wrong as files (cut short, wrong encoding, not CSV or
XML at all, a broken zip): each is refused with the file, row and column, never a traceback;
and a large return is read a row at a time."""

import codecs
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cairn.core.models import AuditEvent
from cairn.people.models import Child, Person
from cairn.returns import importers, ssda903

pytestmark = pytest.mark.django_db

YEAR = 2026
HEADER = "1001,F,14/02/2016,WBRI,UN5,0,\n1002,M,03/03/2015,WBRI,UN5,0,\n"
EPISODE = "{},01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,TW1 1AF,XXXXXXX\n"


def write_903(out: Path, **tables: bytes | str) -> Path:
    """A 2025-26 return: each table's headings and no rows, unless given (as the file's whole
    bytes, or as text of rows after the headings); None leaves the file out."""
    out.mkdir(parents=True, exist_ok=True)
    for name, (filename, headings) in ssda903.tables_for(YEAR).items():
        given = tables.get(name, "")
        if given is None:
            continue
        body = given if isinstance(given, bytes) else (
            ",".join(headings) + "\n" + given).encode()
        (out / filename).write_bytes(body)
    (out / "manifest.json").write_text('{"year": %d}' % YEAR)
    return out


def refused(*args) -> list[str]:
    """The problems `cairn import` prints, one a line, having loaded nothing."""
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("import", *args, stderr=err)
    text = err.getvalue()
    assert "Traceback" not in text and str(Path(args[1]).parent) not in text
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(object_type="returns.import").exists()
    return text.splitlines()


def test_a_csv_cut_off_mid_row_names_the_row_and_the_first_missing_column(tmp_path):
    out = write_903(tmp_path, Header=HEADER + "1003,F,14/0")
    assert refused("ssda903", str(out)) == [
        "header.csv row 3 (line 4), ETHNIC: the file ends part-way through this row, after 3 of its 7 "
        "columns: it may have been cut short"]


def test_a_problem_names_the_files_line_as_well_as_the_data_row(tmp_path):
    # A blank line and a value over two lines (an address pasted with its line break) put the
    # file's line apart from the data row: an editor finds the line, a spreadsheet the row.
    out = write_903(tmp_path, Header=HEADER + "\n1003,F,14/02/2016,WBRI,UN5,0,\n",
                    Episodes=EPISODE.format(1001).replace("TW1 1AA", '"Flat 2\nTW1 1AA"')
                    + EPISODE.format(1002).replace("U4", "ZZ"))
    assert refused("ssda903", str(out)) == [
        "episodes.csv row 2 (line 4), PLACE: 'ZZ' is not a valid code"]
    out = write_903(tmp_path, Header=HEADER + "\n\n1003,F,2016-02-14,WBRI,UN5,0,\n")
    assert refused("ssda903", str(out)) == [
        "header.csv row 3 (line 6), DOB: '2016-02-14' is not a date (dd/mm/yyyy)"]


def test_a_csv_cut_off_inside_a_quoted_value(tmp_path):
    out = write_903(tmp_path, Header=HEADER, Episodes=EPISODE.format(1001)
                    + '1002,01/02/2024,S,C2,N1,U4,PR1,,,,"TW1 1')
    assert refused("ssda903", str(out)) == [
        "episodes.csv row 2 (line 3): the file ends inside a quoted value: it may have been "
        "cut short"]


def test_rows_with_too_few_or_too_many_values_are_each_named(tmp_path):
    out = write_903(tmp_path, Header=("1001,F,14/02/2016,WBRI,UN5,0,,extra\n"
                                      "1002,M,03/03/2015,WBRI,UN5,0\n"
                                      "1003,M,03/03/2015,WBRI,UN5,0,\n"))
    assert refused("ssda903", str(out)) == [
        "header.csv row 1 (line 2), column 8: the row has 8 values where there are 7 columns",
        "header.csv row 2 (line 3), MC_DOB: the row has 6 values where there are 7 columns"]


def test_bytes_that_are_not_utf8_name_the_file_row_and_column(tmp_path):
    headings = ",".join(ssda903.TABLES["Header"][1]).encode()
    out = write_903(tmp_path, Header=headings + b"\n1001,F,14/02/2016,WBRI,UN5,0,\n"
                    b"1002,M,03/03/2015,W\xe9RI,UN5,0,\n",  # Latin-1, as older systems save
                    Reviews=b"CHILD,D\xc9B,REVIEW,REVIEW_CODE\n")
    assert refused("ssda903", str(out)) == [
        "reviews.csv file: the heading line has bytes that are not UTF-8 text: save the file "
        "as UTF-8 (CSV UTF-8 in Excel) (at byte 8)",
        "header.csv row 2 (line 3), ETHNIC: has bytes that are not UTF-8 text: save the file as UTF-8 "
        "(CSV UTF-8 in Excel)"]


def test_utf8_with_a_byte_order_mark_is_read(tmp_path):
    headings = ",".join(ssda903.TABLES["Header"][1])
    out = write_903(tmp_path, Header=codecs.BOM_UTF8 + (headings + "\n" + HEADER).encode(),
                    Episodes=EPISODE.format(1001))
    call_command("import", "ssda903", str(out), stdout=io.StringIO())
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["1001", "1002"]


def test_missing_and_repeated_headings_and_a_missing_file(tmp_path):
    out = write_903(tmp_path, Header=b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MOTHER\n",
                    Reviews=b"CHILD,DOB,REVIEW\n", Missing=None)
    assert refused("ssda903", str(out)) == [
        "header.csv file: wrong headings (missing MC_DOB; MOTHER more than once): expected "
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        "reviews.csv file: wrong headings (missing REVIEW_CODE): expected "
        "CHILD,DOB,REVIEW,REVIEW_CODE",
        "missing.csv file: the file is missing (every table is written, even when empty)"]


def test_an_empty_file_and_binary_junk(tmp_path):
    junk = bytes(range(256)) * 64  # no line ends before a NUL: not text
    out = write_903(tmp_path, Header=HEADER, Reviews=b"", Episodes=junk,
                    Missing=b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert refused("ssda903", str(out)) == [
        "episodes.csv file: is not a CSV text file (its first line is not a heading line)",
        "reviews.csv file: the file is empty: it needs at least its heading line (expected "
        "CHILD,DOB,REVIEW,REVIEW_CODE)",
        "missing.csv file: the heading line has bytes that are not UTF-8 text: save the file "
        "as UTF-8 (CSV UTF-8 in Excel) (at byte 1)"]


def test_a_zip_that_is_not_a_zip_or_is_cut_short(tmp_path):
    (tmp_path / "junk.zip").write_bytes(b"PK\x03\x04" + bytes(100))
    assert refused("ssda903", str(tmp_path / "junk.zip")) == [
        "junk.zip file: is not a readable zip file of the return's tables (the zip file is "
        "damaged)"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("header.csv", HEADER * 200)
    (tmp_path / "cut.zip").write_bytes(buffer.getvalue()[:len(buffer.getvalue()) // 2])
    assert refused("ssda903", str(tmp_path / "cut.zip"))[0].startswith(
        "cut.zip file: is not a readable zip file")


def test_a_zip_of_the_tables_loads_as_the_folder_does(tmp_path):
    out = write_903(tmp_path / "tables", Header=HEADER, Episodes=EPISODE.format(1002))
    with zipfile.ZipFile(tmp_path / "ssda903-2026.zip", "w") as z:
        for path in sorted(out.iterdir()):
            z.write(path, f"ssda903-2026/{path.name}")
    call_command("import", "ssda903", str(tmp_path / "ssda903-2026.zip"), stdout=io.StringIO())
    assert Child.objects.count() == 2


def test_a_table_cut_short_inside_a_zip_names_the_zip_and_the_table(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("manifest.json", '{"year": 2026}')
        for name, (filename, headings) in ssda903.tables_for(YEAR).items():
            rows = "1001,F,1" if name == "Header" else ""  # cut short
            z.writestr(filename, ",".join(headings) + "\n" + rows)
    assert refused("ssda903", str(bad)) == [
        "bad.zip/header.csv row 1 (line 2), ETHNIC: the file ends part-way through this row, after 3 of "
        "its 7 columns: it may have been cut short"]


def test_every_rejected_row_is_listed_and_what_was_saved_is_undone(tmp_path, monkeypatch):
    # Batches of two, so that children are saved before the problems further on are found.
    monkeypatch.setattr(importers, "BATCH", 2)
    header = "".join(f"{1000 + n},F,14/02/2016,WBRI,UN5,0,\n" for n in range(1, 7))
    out = write_903(tmp_path, Header=header,
                    Episodes=EPISODE.format(1001) + EPISODE.format(1002)
                    + "1003,01/02/2024,S,C2\n" + EPISODE.format(1004).replace("C2", "ZZ")
                    + EPISODE.format(1005),
                    Reviews="1006,14/02/2016,20/05/2025,PN1\n1006,14/02/2016,2025-05-20,PN1\n")
    assert refused("ssda903", str(out)) == [
        "episodes.csv row 3 (line 4), CIN: the row has 4 values where there are 13 columns",
        "episodes.csv row 4 (line 5), LS: 'ZZ' is not a valid code",
        "reviews.csv row 2 (line 3), REVIEW: '2025-05-20' is not a date (dd/mm/yyyy)"]


def census(children: str) -> str:
    return ("<Message><Header><CollectionDetails><Year>2026</Year></CollectionDetails>"
            f"</Header><Children>{children}</Children></Message>")


CHILD = ("<Child><ChildIdentifiers><LAchildID>{}</LAchildID><UPNunknown>UN5</UPNunknown>"
         "<PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>"
         "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics></Child>")


def test_a_census_that_is_not_well_formed_names_the_line_and_column(tmp_path):
    path = tmp_path / "cin.xml"
    text = census(CHILD.format("A1") + CHILD.format("A2")).replace("</Sex>", "</Sex>\n", 2)
    path.write_text(text.replace("<Sex>F</Sex>\n</ChildIdentifiers>", "<Sex>F\n"
                                 "</ChildIdentifiers>", 1)[:-40])
    lines = refused("cin", str(path))
    assert lines == ["cin.xml file: is not well-formed XML at line 2, column 3: mismatched tag"]


def test_a_census_cut_short_empty_or_binary(tmp_path):
    path = tmp_path / "cin.xml"
    whole = census(CHILD.format("A1") + CHILD.format("A2"))
    path.write_text(whole[:len(whole) // 2])
    assert refused("cin", str(path))[0].startswith(
        "cin.xml file: is not well-formed XML at line 1, column ")
    path.write_bytes(b"")
    assert refused("cin", str(path)) == ["cin.xml file: the file is empty"]
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert refused("cin", str(path)) == [
        "cin.xml file: is not well-formed XML at line 1, column 1: not well-formed (invalid "
        "token)"]
    path.write_text("<Report><Children/></Report>")
    assert refused("cin", str(path)) == [
        "cin.xml file: is not a CIN census: it starts with <Report>, not <Message>"]


def test_a_census_with_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "cin.xml"
    path.write_bytes(census(CHILD.format("A1") + CHILD.format("A\xe92")).encode("latin-1"))
    (line,) = refused("cin", str(path))
    assert line.startswith("cin.xml file: is not well-formed XML at line 1, column ")
    assert line.endswith("not well-formed (invalid token)")


def test_a_census_is_loaded_in_batches_and_undone_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "CIN_BATCH", 2)
    path = tmp_path / "cin.xml"
    kids = "".join(CHILD.format(f"A{n}") for n in range(1, 6))
    path.write_text(census(kids + CHILD.format("A1")))
    assert refused("cin", str(path)) == [
        "cin.xml child 6 (LAchildID A1), LAchildID: is in the census twice (first as "
        "child 1)"]
    path.write_text(census(kids))
    call_command("import", "cin", str(path), stdout=io.StringIO())
    assert Child.objects.count() == 5


# --- Memory ---------------------------------------------------------------------------------


def large_903(out: Path, children: int) -> int:
    """A return with `children` children, each with the rows a looked-after child has (two
    episodes, two reviews, a missing period, two social workers); its size in bytes."""
    rows = {name: [] for name in ssda903.TABLES}
    for n in range(children):
        c = str(100000 + n)
        rows["Header"].append(f"{c},{'MF'[n % 2]},14/02/2012,WBRI,UN5,0,\n")
        rows["Episodes"].append(f"{c},01/02/2023,S,C2,N1,U4,PR1,31/01/2024,E11,,TW1 1AA,"
                                f"TW1 1AF,XXXXXXX\n{c},01/02/2024,S,C2,N1,U4,PR1,,,,TW1 1AA,"
                                "TW1 1AF,XXXXXXX\n")
        rows["Reviews"].append(f"{c},14/02/2012,20/05/2025,PN1\n{c},14/02/2012,20/11/2025,PN1\n")
        rows["Missing"].append(f"{c},14/02/2012,M,01/05/2025,03/05/2025\n")
        rows["SWEpisodes"].append(f"{c},14/02/2012,SW{n % 40},01/02/2023,01/06/2024,FCONTA\n"
                                  f"{c},14/02/2012,SW{(n + 1) % 40},01/06/2024,,LEFTRL\n")
    write_903(out, **{name: "".join(text) for name, text in rows.items()})
    return sum(p.stat().st_size for p in out.iterdir())


def test_a_large_return_is_read_a_row_at_a_time(tmp_path):
    out = tmp_path / "big"
    size = large_903(out, 5000)
    assert size > 1_800_000
    # A wrong code in the first row and in the very last: the first stops the saving (so this
    # test measures the reading and checking, quickly; bench/import_903.py measures the saving
    # too), the last shows that every row was still read and checked.
    header = (out / "header.csv").read_bytes().replace(b",WBRI,", b",XXXX,", 1)
    (out / "header.csv").write_bytes(header)
    sw = (out / "sw_episodes.csv").read_bytes()
    (out / "sw_episodes.csv").write_bytes(sw[:-len(b"LEFTRL\n")] + b"NOPE\n")
    tracemalloc.start()
    try:
        with pytest.raises(importers.ImportRefused) as refusal:
            importers.load_ssda903(out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in refusal.value.problems] == [
        "header.csv row 1 (line 2), ETHNIC: 'XXXX' is not a valid code",
        "sw_episodes.csv row 10000 (line 10001), SW_REASON: 'NOPE' is not a valid code"]
    # Read whole into rows (as before), the peak was over ten times the file's size.
    assert peak < 4 * size, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB return"


def test_a_large_census_is_read_a_child_at_a_time(tmp_path):
    referral = ("<CINdetails><CINreferralDate>2025-06-02</CINreferralDate>"
                "<ReferralSource>5A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>"
                "<Assessments><AssessmentActualStartDate>2025-06-10</AssessmentActualStartDate>"
                "<AssessmentAuthorisationDate>2025-06-20</AssessmentAuthorisationDate>"
                "<FactorsIdentifiedAtAssessment><AssessmentFactors>2A</AssessmentFactors>"
                "</FactorsIdentifiedAtAssessment></Assessments>"
                "<ReferralNFA>false</ReferralNFA></CINdetails>")
    kids = [CHILD.format(f"B{n}").replace("</Child>", referral + "</Child>")
            for n in range(5000)]
    kids[0] = kids[0].replace("<Sex>F</Sex>", "<Sex>Q</Sex>")  # stops the saving
    path = tmp_path / "cin.xml"
    path.write_text(census("\n".join(kids)))
    size = path.stat().st_size
    assert size > 2_000_000
    tracemalloc.start()
    try:
        with pytest.raises(importers.ImportRefused) as refusal:
            importers.load_cin(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [str(p) for p in refusal.value.problems] == [
        "cin.xml child 1 (LAchildID B0), Sex: 'Q' is not a valid code"]
    # Parsed whole (as before), the elements alone were several times the file's size.
    assert peak < 2 * size, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB census"
