"""Which census year a section 47 enquiry belongs to: the year of its initial conference."""

from datetime import date

import pytest

import support
from cairn.frontdoor.models import Referral
from cairn.protection.models import (
    ChildProtectionConference,
    Section47Enquiry,
    StrategyDiscussion,
)
from cairn.returns import cin

pytestmark = pytest.mark.django_db


def details(year: int) -> str:
    """The child's <CINdetails> block in the census for `year`, as written."""
    text = cin.to_bytes(cin.build(year)).decode()
    start = text.index("      <CINdetails>")
    return text[start:text.index("</CINdetails>", start) + len("</CINdetails>")]


def test_an_enquiry_whose_conference_was_last_year_is_not_in_this_years_census(social_worker):
    """Strategy discussion and enquiry on Monday 17 March 2025, conference on 27 March, the
    enquiry written up as completed on 4 April: the 2024-25 census carries the conference; the
    2025-26 census, whose referral is still open, leaves the enquiry out (rule 8715: the
    conference date must fall within the census year)."""
    kid = support.make_child("Child", "8715", la_child_id="8715", birth_date=date(2014, 8, 2),
                             sex="F", ethnicity="WBRI", upn_unknown="UN1")
    ref = Referral.objects.create(child=kid, received_on=date(2025, 3, 13), source="5A",
                                  primary_need="N1", recorded_by=social_worker)
    sd = StrategyDiscussion.objects.create(child=kid, referral=ref, held_on=date(2025, 3, 17),
                                           agencies_present="Police", decision="s47",
                                           s47_agreed=True, recorded_by=social_worker)
    s47 = Section47Enquiry.objects.create(child=kid, strategy_discussion=sd,
                                          started_on=date(2025, 3, 17),
                                          completed_on=date(2025, 4, 4), outcome="icpc",
                                          recorded_by=social_worker)
    ChildProtectionConference.objects.create(child=kid, kind="initial", section47=s47,
                                             held_on=date(2025, 3, 27), recorded_by=social_worker)

    assert details(2025) == (
        "      <CINdetails>\n"
        "        <CINreferralDate>2025-03-13</CINreferralDate>\n"
        "        <ReferralSource>5A</ReferralSource>\n"
        "        <PrimaryNeedCode>N1</PrimaryNeedCode>\n"
        "        <Section47>\n"
        "          <S47ActualStartDate>2025-03-17</S47ActualStartDate>\n"
        "          <InitialCPCtarget>2025-04-07</InitialCPCtarget>\n"
        "          <DateOfInitialCPC>2025-03-27</DateOfInitialCPC>\n"
        "          <ICPCnotRequired>false</ICPCnotRequired>\n"
        "        </Section47>\n"
        "        <ReferralNFA>false</ReferralNFA>\n"
        "      </CINdetails>")
    assert details(2026) == (
        "      <CINdetails>\n"
        "        <CINreferralDate>2025-03-13</CINreferralDate>\n"
        "        <ReferralSource>5A</ReferralSource>\n"
        "        <PrimaryNeedCode>N1</PrimaryNeedCode>\n"
        "        <ReferralNFA>false</ReferralNFA>\n"
        "      </CINdetails>")
