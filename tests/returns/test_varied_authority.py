"""Another supplier's returns for another authority (tests/returns/varied/), imported and made
again: what Cairn was given comes back as it was, under the authority that gave it.

The files hold what Cairn's own exports once lost: a relevant care leaver who left care at 16
in the year and turns 17 in it (in Episodes and in OC3), a child in care since before the
file's first episode whose social worker began before it, a section 47 enquiry that needed no
conference (its InitialCPCtarget kept) and a child protection plan not yet reviewed (no empty
<Reviews/>). Each file passes the sector's validators as given (checked when they were written).
"""

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import support
from cairn.core.models import AuditEvent
from cairn.people.models import Child
from cairn.returns import cin, importers, ssda903, validators
from cairn.returns.models import AuthorityIdentity
from cairn.returns.selectors import authority

pytestmark = pytest.mark.django_db

VARIED = Path(__file__).parent / "varied"
RICHMOND = ["--la-number", "318", "--ons-code", "E09000027"]


def imported(*args) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> list[str]:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("import", *args, stderr=err)
    assert not Child.objects.exists() and not AuthorityIdentity.objects.exists()
    return err.getvalue().splitlines()


def test_the_903_comes_back_as_given_under_its_own_authority(tmp_path, validators_venv):
    said = imported("ssda903", str(VARIED / "903"), "--year", "2026", *RICHMOND)
    assert ("Returns are made for Local authority 318: LA number 318, ONS code E09000027 "
            "(taken from the return imported)") in said
    out = tmp_path / "again"
    manifest = ssda903.write(ssda903.build(2026), 2026, out)
    for given in sorted((VARIED / "903").glob("*.csv")):
        assert (out / given.name).read_text() == given.read_text(), given.name
    # OC3 keeps the leaver who left care at 16 in June and turned 17 in December ...
    assert "V2001,10/12/2008,YES,F2,D1" in (out / "oc3.csv").read_text()
    # ... and a social worker who began before the first episode in the file keeps the day.
    assert "V2002,05/05/2012,SW318A2,01/06/2023,,FCONTA" in (out / "sw_episodes.csv").read_text()
    assert (manifest["la_number"], manifest["ons_code"]) == ("318", "E09000027")
    event = AuditEvent.objects.get(object_type="returns.import")
    assert event.after["authority_adopted"] == {"la_number": "318", "ons_code": "E09000027"}
    # The validator is told the adopted authority (its placement-in-area rules read it) and
    # finds nothing wrong with what is made again.
    result = validators.validate("ssda903", year=2026, store=False)
    assert result.crashed == []
    # Only the two rules that say they "may generate false positives if a child had episodes
    # prior to last year's collection", for the former relevant young person whose care ended
    # before any year the validator is given (as tests/returns/test_synthetic.py allows).
    assert {(f["rule"], f.get("child")) for f in result.failures} <= {
        ("1001", "V2003"), ("1002", "V2003")}


def _tree(el: ET.Element):
    return (el.tag, (el.text or "").strip(), [_tree(c) for c in el])


def test_the_census_comes_back_as_given_under_its_own_authority(validators_venv):
    imported("cin", str(VARIED / "cin.xml"), "--ons-code", "E09000027")
    given = ET.parse(VARIED / "cin.xml").getroot()
    again = cin.build(2026)
    assert _tree(again.find("Children")) == _tree(given.find("Children"))
    assert again.findtext("Header/Source/LEA") == "318"
    text = cin.to_bytes(again).decode()
    assert "<InitialCPCtarget>2025-06-25</InitialCPCtarget>" in text  # no conference needed
    assert "<Reviews" not in text
    assert authority()["ons_code"] == "E09000027"
    result = validators.validate("cin", year=2026, store=False)
    assert [f for f in result.errors] == []


def test_another_authoritys_return_is_refused_where_cairn_is_set_up_for_its_own(settings):
    settings.CAIRN_AUTHORITY = {**settings.CAIRN_AUTHORITY, "configured": True}
    assert refused("ssda903", str(VARIED / "903"), "--year", "2026", *RICHMOND) == [
        "903 file: this return is another authority's (LA number 318 and ONS code E09000027), but "
        "Cairn makes returns for Cairnshire (LA number 931, ONS code E10000025; its "
        "administrator set CAIRN_LA_NUMBER and CAIRN_ONS_CODE): nothing can be loaded from "
        "another authority's return"]
    assert refused("cin", str(VARIED / "cin.xml"), "--ons-code", "E09000027") == [
        "cin.xml file: this return is another authority's (LA number 318 and ONS code E09000027), "
        "but Cairn makes returns for Cairnshire (LA number 931, ONS code E10000025; its "
        "administrator set CAIRN_LA_NUMBER and CAIRN_ONS_CODE): nothing can be loaded from "
        "another authority's return"]


def test_half_an_authority_or_a_malformed_one_is_refused():
    assert refused("cin", str(VARIED / "cin.xml")) == [
        "cin.xml file, ONS code: the return names LA number 318 but not its authority's ONS "
        "code: give it (--ons-code)"]
    assert refused("ssda903", str(VARIED / "903"), "--year", "2026", "--la-number", "31",
                   "--ons-code", "W06000001") == [
        "903 file, LA number: '31' is not an LA number (three digits, as the DfE numbers "
        "authorities)",
        "903 file, ONS code: 'W06000001' is not an English authority's ONS code (E and eight "
        "digits)"]


def test_a_return_of_cairns_own_authority_changes_nothing(tmp_path):
    out = tmp_path / "903"
    for name, (filename, headings) in ssda903.tables_for(2026).items():
        out.mkdir(exist_ok=True)
        (out / filename).write_text(",".join(headings) + "\n")
    (out / "manifest.json").write_text('{"year": 2026, "la_number": "931", '
                                       '"ons_code": "E10000025"}')
    importers.load_ssda903(out)
    assert not AuthorityIdentity.objects.exists()
    assert authority()["name"] == "Cairnshire"


def test_the_returns_page_says_which_authority_the_returns_are_made_for(performance_analyst):
    client = support.client_for(performance_analyst)
    page = client.get(reverse("returns")).content.decode()
    assert "Returns are made for Cairnshire: LA number 931, ONS code E10000025." in page
    imported("cin", str(VARIED / "cin.xml"), "--ons-code", "E09000027")
    page = client.get(reverse("returns")).content.decode()
    assert ("Returns are made for Local authority 318: LA number 318, ONS code E09000027, as "
            "the imported return cin.xml named them.") in page
