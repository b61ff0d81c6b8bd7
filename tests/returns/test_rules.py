"""DfE rule families, each broken by a fact, with the failure the real validator must give; and
the cohorts (OC2, OC3) that follow the definitions, which the same validators accept."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

import support
from cairn.care.models import LookedAfterEpisode
from cairn.frontdoor.models import Referral
from cairn.leaving_care.models import LeavingCareEligibility, PersonalAdviserContact
from cairn.protection.models import (
    Assessment,
    ChildProtectionConference,
    Section47Enquiry,
    StrategyDiscussion,
)
from cairn.returns import ssda903, validators

pytestmark = pytest.mark.django_db


def episode(child, by, started, ended=None, **fields):
    values = dict(reason_new_episode="S", legal_status="C2", category_of_need="N1",
                  placement_type="U4", placement_provider="PR1", home_postcode="TW1 1AA",
                  placement_postcode="TW1 1AF", urn="XXXXXXX")
    values.update(fields)
    return LookedAfterEpisode.objects.create(child=child, started_on=started, ended_on=ended,
                                             recorded_by=by, **values)


def child(n, born, sex="F", **fields):
    return support.make_child("Child", str(n), la_child_id=str(n), birth_date=born, sex=sex,
                              ethnicity="WBRI", upn_unknown="UN1", **fields)


def by_child(result):
    out = {}
    for f in result.failures:
        out.setdefault(f.get("child") or "", set()).add(f["rule"])
    return out


def test_903_episode_overlap_and_bad_placement_code(social_worker, validators_venv):
    overlap = child(2001, date(2012, 5, 1))
    episode(overlap, social_worker, date(2025, 5, 1), date(2025, 9, 1), reason_ceased="X1")
    episode(overlap, social_worker, date(2025, 8, 1), reason_new_episode="P")
    bad_place = child(2002, date(2012, 5, 1))
    episode(bad_place, social_worker, date(2025, 5, 1), placement_type="Z9")
    fired = by_child(validators.validate("ssda903", year=2026, store=False))
    assert "501" in fired["2001"]  # a new episode starts before the previous one ended
    assert "146" in fired["2002"]  # placement type code not valid
    assert "501" not in fired["2002"] and "146" not in fired["2001"]


def cin_case(n, by, referred_on):
    kid = child(n, date(2014, 3, 3))
    ref = Referral.objects.create(child=kid, received_on=referred_on, source="5A",
                                  primary_need="N1", recorded_by=by)
    return kid, ref


def test_cin_assessment_before_referral_and_icpc_before_s47(social_worker, validators_venv):
    early, ref = cin_case(3001, social_worker, date(2025, 6, 2))
    Assessment.objects.create(child=early, referral=ref, started_on=date(2025, 5, 20),
                              submitted_on=date(2025, 6, 20), authorised_on=date(2025, 6, 23),
                              recorded_by=social_worker)
    icpc_first, ref = cin_case(3002, social_worker, date(2025, 6, 2))
    sd = StrategyDiscussion.objects.create(child=icpc_first, referral=ref, held_on=date(2025, 6, 3),
                                           agencies_present="Police", decision="s47",
                                           recorded_by=social_worker)
    s47 = Section47Enquiry.objects.create(child=icpc_first, strategy_discussion=sd,
                                          started_on=date(2025, 6, 20), recorded_by=social_worker)
    # Monday 16 June 2025: before the enquiry it should follow.
    ChildProtectionConference.objects.create(child=icpc_first, kind="initial",
                                             held_on=date(2025, 6, 16), section47=s47,
                                             recorded_by=social_worker)
    fired = by_child(validators.validate("cin", year=2026, store=False))
    assert "1103" in fired["3001"]  # assessment start before the referral date
    assert "8615" in fired["3002"]  # s47 start later than the initial conference
    assert "1103" not in fired.get("3002", set())


def test_an_assessment_authorised_before_it_started_never_reaches_the_census(social_worker):
    kid, ref = cin_case(3003, social_worker, date(2025, 6, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(child=kid, referral=ref, started_on=date(2025, 6, 10),
                                  submitted_on=date(2025, 6, 10),
                                  authorised_on=date(2025, 6, 1), recorded_by=social_worker)


def test_annex_a_cell_problem(social_worker, validators_venv):
    """An ethnicity outside the DfE list leaves List 8's Ethnicity cell without a coded label,
    which liiatools reports as a required cell left blank."""
    bad = child(4001, date(2012, 5, 1))
    bad.ethnicity = "ZZZZ"
    bad.save()
    episode(bad, social_worker, date(2025, 5, 1))
    result = validators.validate("annex-a", year=2026, as_of=date(2026, 3, 31), store=False)
    assert [(f["rule"], f["table"], f["columns"], f["child"]) for f in result.failures] == [
        ("blank", "List 8", "Ethnicity", "4001")]


OC_RULES = {"185", "190", "191", "198", "1007", "1012", "1000", "INT33", "INT34"}


def test_oc2_and_oc3_cohorts_follow_the_definitions(social_worker, validators_venv):
    # Looked after since February 2024: continuously for 12 months at 31 March 2026.
    long_term = child(5001, date(2016, 2, 14))
    episode(long_term, social_worker, date(2024, 2, 1))
    # Came into care in June 2025: not in OC2.
    new = child(5002, date(2016, 2, 14))
    episode(new, social_worker, date(2025, 6, 1))
    # Left care at 18 in September 2024; 19th birthday on 10 September 2025: in OC3.
    leaver = child(6001, date(2006, 9, 10))
    episode(leaver, social_worker, date(2020, 1, 6), date(2024, 9, 10), reason_ceased="E8")
    # Still looked after on the 17th birthday (rule 1007): not in OC3.
    in_care = child(6002, date(2008, 11, 2))
    episode(in_care, social_worker, date(2023, 1, 9))
    for kid in (leaver, in_care):
        LeavingCareEligibility.objects.create(
            child=kid, category="former_relevant" if kid is leaver else "relevant",
            started_on=date(2024, 9, 10) if kid is leaver else date(2024, 11, 2),
            recorded_by=social_worker)
    PersonalAdviserContact.objects.create(child=leaver, contacted_on=date(2025, 9, 1),
                                          in_touch="YES", recorded_by=social_worker)
    tables = ssda903.build(2026)
    assert [r["CHILD"] for r in tables["OC2"]] == ["5001", "6002"]
    assert tables["OC3"] == [{"CHILD": "6001", "DOB": "10/09/2006", "IN_TOUCH": "YES",
                              "ACTIV": "0", "ACCOM": "0"}]
    fired = validators.validate("ssda903", year=2026, store=False)
    assert not fired.rules & OC_RULES, [f for f in fired.failures if f["rule"] in OC_RULES]


def test_oc2_rule_196_on_an_sdq_reason_outside_the_list(social_worker, validators_venv):
    from cairn.care.models import StrengthsDifficultiesScore

    kid = child(5003, date(2016, 2, 14))
    episode(kid, social_worker, date(2024, 2, 1))
    StrengthsDifficultiesScore.objects.create(child=kid, assessed_on=date(2025, 10, 1),
                                              reason="SDQ9", recorded_by=social_worker)
    fired = by_child(validators.validate("ssda903", year=2026, store=False))
    assert "196" in fired["5003"]


def test_oc2_rule_197b_a_17th_birthday_on_the_first_day_of_the_year(social_worker,
                                                                       validators_venv):
    # Seventeen on 1 April 2025, the first day of the 2025-26 year, with no SDQ recorded:
    # the reason for no score must still be given.
    kid = child(5004, date(2008, 4, 1))
    episode(kid, social_worker, date(2023, 6, 1))
    row = next(r for r in ssda903.build(2026)["OC2"] if r["CHILD"] == "5004")
    assert (row["SDQ_SCORE"], row["SDQ_REASON"]) == ("", "SDQ4")
    fired = by_child(validators.validate("ssda903", year=2026, store=False))
    assert "197B" not in fired.get("5004", set())


DOLO_RULES = {"700", "701", "702", "703", "704", "705", "706", "707", "708", "709", "710"}


def test_903_dolo_rule_705_fires_702_cannot_be_stored_and_valid_orders_fire_none(
        social_worker, validators_venv, tmp_path):
    from cairn.care.models import DeprivationOfLibertyOrder

    def order(kid, started, ended=None):
        DeprivationOfLibertyOrder.objects.create(
            child=kid, started_on=started, ended_on=ended, authorised_by="High Court",
            recorded_by=social_worker)

    # Each in a children's home since 2024, as a child deprived of liberty is expected to be.
    kids = [child(n, date(2012, 5, 1), sex="M") for n in (7001, 7002, 7003)]
    for kid in kids:
        episode(kid, social_worker, date(2024, 2, 1), placement_type="K2",
                placement_provider="PR4", urn="SC123456")
    # Rule 702, an order ending the day it starts, is kept by the database (core.periods).
    with pytest.raises(IntegrityError), transaction.atomic():
        order(kids[0], date(2026, 5, 1), date(2026, 5, 1))
    order(kids[1], date(2026, 4, 10), date(2026, 9, 1))  # the next starts before it ends: 705
    order(kids[1], date(2026, 8, 1), date(2026, 10, 1))
    order(kids[2], date(2025, 11, 3), date(2026, 6, 30))  # valid: one ends, the next starts
    order(kids[2], date(2026, 6, 30))
    prev = tmp_path / "2026"
    ssda903.write(ssda903.build(2026), 2026, prev)
    result = validators.validate("ssda903", year=2027, prev_year_dir=prev, store=False)
    assert result.crashed == []
    fired = {k: v & DOLO_RULES for k, v in by_child(result).items()}
    assert not fired.get("7001")
    assert fired.get("7002") == {"705"}
    assert not fired.get("7003")


def test_sw12_a_social_worker_who_stays_on_into_care_is_reported_from_its_first_day(
        social_worker, validators_venv):
    # The same social worker from a child protection plan in 2024 into care in June 2025.
    kid = child(7001, date(2015, 7, 7))
    support.allocate(kid, social_worker, started_on=date(2024, 11, 4))
    episode(kid, social_worker, date(2025, 6, 2))
    row = next(r for r in ssda903.build(2026)["SWEpisodes"] if r["CHILD"] == "7001")
    assert (row["SW_DECOM"], row["SW_DEC"], row["SW_REASON"]) == ("02/06/2025", "", "FCONTA")
    fired = by_child(validators.validate("ssda903", year=2026, store=False))
    assert not {"SW12STG2", "SW17STG2"} & fired.get("7001", set())


def known(result):
    out = {}
    for f in result.known:
        out.setdefault(f.get("child") or "", set()).add(f["rule"])
    return out


def test_903_validator_defects_cairn_meets_are_known_not_counted(social_worker, validators_venv):
    # 2024-25: the validator's code list spells K3 "k3", so registered supported
    # accommodation fails rule 146; a code that is really wrong still counts.
    k3 = child(2101, date(2007, 6, 1))
    episode(k3, social_worker, date(2024, 9, 1), placement_type="K3")
    wrong = child(2102, date(2012, 5, 1))
    episode(wrong, social_worker, date(2024, 9, 1), placement_type="Z9")
    result = validators.validate("ssda903", year=2025, store=False)
    assert "146" in known(result)["2101"] and "146" not in by_child(result).get("2101", set())
    assert "146" in by_child(result)["2102"] and "2102" not in known(result)
    assert all(f["defect"] for f in result.known)
    # 2025-26: a short break has no placement details (rule 214), which rule 218 counts as a
    # missing URN: known; a placement that is not a short break with no URN still counts.
    short_break = child(2103, date(2012, 5, 1))
    episode(short_break, social_worker, date(2025, 10, 1), date(2025, 10, 3), legal_status="V3",
            placement_type="K2", placement_postcode="", urn="", reason_ceased="E8")
    no_urn = child(2104, date(2012, 5, 1))
    episode(no_urn, social_worker, date(2025, 10, 1), placement_type="K2", urn="")
    result = validators.validate("ssda903", year=2026, store=False)
    assert "218" in known(result)["2103"] and "218" not in by_child(result).get("2103", set())
    assert "218" in by_child(result)["2104"] and "218" not in known(result).get("2104", set())
