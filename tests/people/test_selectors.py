from datetime import timedelta

import pytest
from django.utils import timezone

import support
from cairn.casework.selectors import caseload, caseload_queries
from cairn.people.models import Alert

pytestmark = pytest.mark.django_db


def _caseload_of(worker, n):
    kids = [support.make_child("Kid", f"Number{i:02d}") for i in range(n)]
    for kid in kids:
        support.allocate(kid, worker)
        Alert.objects.create(child=kid, text="Check before visiting")
    return kids


def _touch(allocations):
    return [(a.child.full_name, a.child.la_child_id, a.team.name, len(a.child.open_alerts),
             a.plans) for a in allocations]


def test_caseload_query_count_does_not_grow_with_the_caseload(social_worker,
                                                              django_assert_max_num_queries):
    _caseload_of(social_worker, 2)
    with django_assert_max_num_queries(12) as small:
        _touch(list(caseload(worker=social_worker, viewer=social_worker)))
    _caseload_of(social_worker, 18)
    with django_assert_max_num_queries(len(small.captured_queries)) as big:
        rows = _touch(list(caseload(worker=social_worker, viewer=social_worker)))
    assert len(rows) == 20
    assert len(big.captured_queries) == len(small.captured_queries)


def test_caseload_of_20_children_in_a_fixed_number_of_queries(social_worker,
                                                               django_assert_num_queries):
    _caseload_of(social_worker, 20)


    with django_assert_num_queries(caseload_queries()):
        rows = _touch(list(caseload(worker=social_worker, viewer=social_worker)))
    assert len(rows) == 20


def test_caseload_leaves_out_ended_allocations_and_what_the_viewer_may_not_see(
        social_worker, stranger):
    kept, ended = support.make_child("Kept", "Child"), support.make_child("Ended", "Child")
    support.allocate(kept, social_worker)
    support.allocate(ended, social_worker, ended_on=timezone.localdate() - timedelta(days=1))
    assert [a.child for a in caseload(worker=social_worker, viewer=social_worker)] == [kept]
    assert list(caseload(worker=social_worker, viewer=stranger)) == []


def test_home_page_lists_my_caseload(worker_client, child):
    html = worker_client.get("/").content.decode()
    assert "My work" in html and child.full_name in html and child.la_child_id in html


def test_legal_status_and_open_plans_show_in_caseload_and_banner(worker_client, social_worker,
                                                                  child):
    from datetime import date

    from cairn.care.models import LookedAfterEpisode
    from cairn.frontdoor.models import Referral
    from cairn.legal.models import CareProceedings
    from cairn.protection.models import ChildProtectionPlan, CINPlan

    referral = Referral.objects.create(child=child, received_on=date(2025, 9, 1), source="1A")
    CINPlan.objects.create(child=child, referral=referral, started_on=date(2025, 10, 1))
    ChildProtectionPlan.objects.create(child=child, referral=referral,
                                       started_on=date(2025, 11, 3),
                                       initial_category_of_abuse="NEG")
    LookedAfterEpisode.objects.create(child=child, started_on=date(2026, 1, 5),
                                      reason_new_episode="S", legal_status="C1",
                                      category_of_need="N1", placement_type="U1")
    CareProceedings.objects.create(child=child, issued_on=date(2026, 1, 2), court="Cairnshire FC",
                                   application="care")
    [allocation] = caseload(worker=social_worker, viewer=social_worker)
    expected = ["Interim care order (C1)", "Child protection plan since 3 Nov 2025",
                "Child in need plan since 1 Oct 2025", "Open referral since 1 Sep 2025",
                "Care proceedings issued 2 Jan 2026 (care order)"]
    for text in expected:
        assert any(text in plan for plan in allocation.plans)
    banner = worker_client.get(f"/children/{child.pk}/").content.decode()
    home = worker_client.get("/").content.decode()
    for text in expected:
        assert text in banner and text in home
