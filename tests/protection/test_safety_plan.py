"""The safety plan (F37): who agreed it and when, the child's words, what happens if it breaks
down; shown on the child's summary while in force, printable, ended or replaced."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.protection import services
from cairn.protection.models import SafetyPlan
from support import client_for, form_data

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def errors(response) -> str:
    return " ".join(str(e) for field in response.context["form"].errors.values()
                    for e in field)


def summary(client, child) -> str:
    return client.get(reverse("child", args=[child.pk])).content.decode()


PLAN = dict(safety_goal="Alex is fed, warm and not hurt",
            arrangements="Gran stays every night until the enquiry ends",
            network="Gran (07700 900123), Aunt Sue", agreed_by="Mother, Gran and Aunt Sue",
            childs_words="\u201cI like it when Gran is here\u201d",
            if_breaks_down="Gran calls the duty team; Alex stays with Aunt Sue")


def test_the_plan_is_recorded_shown_on_the_summary_while_in_force_and_printed(
        child, social_worker):
    client = client_for(social_worker)
    url = reverse("safety_plan_add", args=[child.pk])
    response = client.post(url, form_data(made_on=days_ago(2), safety_goal="Safe"))
    text = errors(response)
    for message in ("Enter who agreed the safety plan",
                    "Enter what the child said, in their own words",
                    "Enter what happens if the safety plan breaks down"):
        assert message in text
    assert not SafetyPlan.objects.exists()
    response = client.post(url, form_data(made_on=days_ago(2), **PLAN))
    assert response.status_code == 302, errors(response)
    plan = SafetyPlan.objects.get()
    assert (plan.agreed_by, plan.made_on) == ("Mother, Gran and Aunt Sue", days_ago(2))
    page = summary(client, child)
    assert "Safety plan in force" in page
    assert f"Agreed on {days_ago(2):%-d %B %Y} by Mother, Gran and Aunt Sue" in page
    assert "I like it when Gran is here" in page
    assert "Gran calls the duty team; Alex stays with Aunt Sue" in page
    print_url = reverse("safety_plan_print", args=[child.pk, plan.pk])
    assert f'href="{print_url}"' in page
    printed = client.get(print_url)
    text = printed.content.decode()
    assert f"Safety plan for {child.full_name}" in text and "In force" in text
    for value in PLAN.values():
        assert value.replace("\u201c", "").replace("\u201d", "")[:20] in text
    assert "data-print-page" in text and "cairn-print-page" in text
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED, page=print_url).exists()


def test_an_ended_plan_leaves_the_summary_and_a_new_plan_replaces_the_old(child,
                                                                          social_worker):
    client = client_for(social_worker)
    first = services.safety_plan_record(child=child, made_on=days_ago(20), by=social_worker,
                                        **PLAN)
    second = services.safety_plan_record(child=child, made_on=days_ago(10), by=social_worker,
                                         **(PLAN | {"safety_goal": "Contact is supervised"}))
    first.refresh_from_db()
    assert first.ended_on == days_ago(10)
    assert first.end_reason == f"Replaced by the safety plan agreed on {days_ago(10):%-d %B %Y}"
    page = summary(client, child)
    assert page.count("Safety plan in force") == 1 and "Contact is supervised" in page
    with pytest.raises(RecordError) as error:  # older than the plan in force
        services.safety_plan_record(child=child, made_on=days_ago(15), by=social_worker, **PLAN)
    assert error.value.field == "made_on"
    end_url = reverse("safety_plan_end", args=[child.pk, second.pk])
    record = client.get(reverse("protection_record", args=[child.pk])).content.decode()
    assert f'href="{end_url}"' in record and "In force" in record
    response = client.post(end_url, form_data(version=second.version, ended_on=days_ago(1)))
    assert "Enter why the safety plan is ending" in errors(response)
    response = client.post(end_url, form_data(
        version=second.version, ended_on=days_ago(1),
        reason="The child protection plan now keeps Alex safe"))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.ended_on == days_ago(1)
    assert "Safety plan in force" not in summary(client, child)
    printed = client.get(reverse("safety_plan_print", args=[child.pk, second.pk])).content
    assert b"The child protection plan now keeps Alex safe" in printed


def test_a_stranger_cannot_print_or_end_a_plan(child, social_worker, stranger):
    plan = services.safety_plan_record(child=child, made_on=days_ago(3), by=social_worker,
                                       **PLAN)
    client = client_for(stranger)
    assert client.get(reverse("safety_plan_print", args=[child.pk, plan.pk])).status_code == 404
    response = client.post(reverse("safety_plan_end", args=[child.pk, plan.pk]),
                           form_data(version=plan.version, ended_on=days_ago(1), reason="x"))
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.ended_on is None
