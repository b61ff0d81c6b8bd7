"""Emergency protection orders and police protection recorded outside proceedings: the limits of
Children Act 1989 ss45-46 in plain English, the page, who may use it, and where it shows."""

from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.casework import selectors as casework_selectors
from cairn.core import facts
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.legal import services
from cairn.legal.models import LegalOrder, OrderKind

pytestmark = pytest.mark.django_db

EPO, PP = OrderKind.EMERGENCY_PROTECTION, OrderKind.POLICE_PROTECTION
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def epo(child, by, *, made_on=MONDAY, ended_on=MONDAY + timedelta(days=8), **extra):
    return services.legal_order_record(child=child, by=by, kind=EPO, made_on=made_on,
                                       ended_on=ended_on, court="Family Court at Bristol",
                                       **extra)


def pp(child, by, *, removed_at=None, ended_on=MONDAY + timedelta(days=3), **extra):
    return services.legal_order_record(
        child=child, by=by, kind=PP, made_on=MONDAY, ended_on=ended_on,
        police_force="Avon and Somerset Police", removed_at=removed_at or at(MONDAY, 22),
        **extra)


def refused(match: str, field: str, call, *args, **kwargs):
    with pytest.raises(RecordError, match=match) as error:
        call(*args, **kwargs)
    assert error.value.field == field
    assert not LegalOrder.objects.exists()
    assert not AuditEvent.objects.filter(action="legal_order.made").exists()


# Police protection: at most 72 hours (s46(6)) ------------------------------------------------

def test_police_protection_may_last_72_hours(child, social_worker):
    order = pp(child, social_worker, removed_at=at(MONDAY, 22),
               ended_on=MONDAY + timedelta(days=3), police_officer="PC 1234 Jones")
    assert order.police_officer == "PC 1234 Jones"
    assert AuditEvent.objects.get(action="legal_order.made").after["police_force"] == (
        "Avon and Somerset Police")


def test_police_protection_past_72_hours_is_refused(child, social_worker):
    refused("Police protection lasts at most 72 hours from when the child was taken: it must "
            "end by 5 March 2026", "ended_on",
            pp, child, social_worker, removed_at=at(MONDAY, 22),
            ended_on=MONDAY + timedelta(days=4))


def test_police_protection_needs_the_force_and_the_time_the_child_was_taken(
        child, social_worker):
    refused("Enter the police force", "police_force", services.legal_order_record,
            child=child, by=social_worker, kind=PP, made_on=MONDAY, ended_on=MONDAY,
            removed_at=at(MONDAY, 9))
    refused("Enter the date and time the child was taken into police protection", "removed_at",
            services.legal_order_record, child=child, by=social_worker, kind=PP,
            made_on=MONDAY, ended_on=MONDAY, police_force="Avon and Somerset Police")


def test_police_protection_cannot_be_extended(child, social_worker):
    refused("Police protection cannot be extended", "extended_to",
            pp, child, social_worker, extended_to=MONDAY + timedelta(days=5))


def test_a_child_cannot_be_taken_before_police_protection_started(child, social_worker):
    refused("cannot have been taken into police protection before the day it started",
            "removed_at", pp, child, social_worker, removed_at=at(MONDAY - timedelta(days=1), 23))


def test_the_removal_cannot_be_in_the_future(child, social_worker):
    today = timezone.localdate()
    refused("The time the child was removed cannot be in the future", "removed_at",
            services.legal_order_record, child=child, by=social_worker, kind=EPO,
            made_on=today, ended_on=today + timedelta(days=8), court="Family Court",
            removed_at=timezone.now() + timedelta(hours=2))


# Emergency protection orders: 8 days, one extension of up to 7 (s45) -------------------------

def test_an_emergency_protection_order_may_last_8_days(child, social_worker):
    order = epo(child, social_worker, ended_on=date(2026, 3, 10),
                removed_at=at(date(2026, 3, 3), 10, 30))
    assert order.ends_on == date(2026, 3, 10)


def test_an_emergency_protection_order_past_8_days_is_refused(child, social_worker):
    refused("An emergency protection order lasts at most 8 days: one made on 2 March 2026 must "
            "end by 10 March 2026", "ended_on", epo, child, social_worker,
            ended_on=date(2026, 3, 11))


def test_an_order_whose_eighth_day_is_a_public_holiday_may_run_to_the_next_day(
        child, social_worker):
    # 17 Dec 2025 + 8 days is Christmas Day; Boxing Day is a bank holiday; 27 Dec is a Saturday.
    made = date(2025, 12, 17)
    refused("must end by 27 December 2025", "ended_on", epo, child, social_worker,
            made_on=made, ended_on=date(2025, 12, 28))
    assert epo(child, social_worker, made_on=made, ended_on=date(2025, 12, 27)).pk


def test_one_extension_of_up_to_7_days(child, social_worker):
    refused("can be extended once, by up to 7 days: the extension must end by 17 March 2026",
            "extended_to", epo, child, social_worker, ended_on=date(2026, 3, 10),
            extended_to=date(2026, 3, 18))
    refused("The extension must end after the date the order first ended", "extended_to",
            epo, child, social_worker, ended_on=date(2026, 3, 10),
            extended_to=date(2026, 3, 10))
    order = epo(child, social_worker, ended_on=date(2026, 3, 10), extended_to=date(2026, 3, 17))
    assert LegalOrder.objects.in_force_on(date(2026, 3, 15)).get() == order


def test_an_emergency_protection_order_needs_its_court_and_end(child, social_worker):
    refused("Enter the court that made the emergency protection order", "court",
            services.legal_order_record, child=child, by=social_worker, kind=EPO,
            made_on=MONDAY, ended_on=MONDAY + timedelta(days=2))
    refused("Enter the date the order ends or ended", "ended_on",
            services.legal_order_record, child=child, by=social_worker, kind=EPO,
            made_on=MONDAY, court="Family Court")


def test_a_child_cannot_be_removed_before_the_order_or_after_it_ended(child, social_worker):
    refused("cannot have been removed before the order was made", "removed_at", epo, child,
            social_worker, removed_at=at(MONDAY - timedelta(days=1), 12))
    refused("cannot have been removed after the order ended", "removed_at", epo, child,
            social_worker, ended_on=MONDAY + timedelta(days=2),
            removed_at=at(MONDAY + timedelta(days=3), 12))


# Where it shows ------------------------------------------------------------------------------

def test_it_shows_on_the_chronology_and_in_the_banner_while_in_force(child, social_worker):
    today = timezone.localdate()
    order = services.legal_order_record(
        child=child, by=social_worker, kind=PP, made_on=today, ended_on=today,
        # Taken now: an hour ago is yesterday before 1 a.m., before the day police protection began.
        police_force="Avon and Somerset Police", removed_at=timezone.now())
    entries = [(o.label, o.detail) for o in facts.chronology(child.pk) if o.pk == order.pk]
    assert entries == [("Order made", "Police protection")]
    plans = casework_selectors.child_summary(child)["plans"]
    assert any(p.startswith("Police protection from") and "Avon and Somerset Police" in p
               for p in plans)


def test_an_order_no_longer_in_force_leaves_the_banner(child, social_worker):
    pp(child, social_worker)
    assert not any("Police protection" in p
                   for p in casework_selectors.child_summary(child)["plans"])


# The page ------------------------------------------------------------------------------------

def client(staff) -> Client:
    c = Client()
    c.force_login(staff)
    return c


def page_url(child) -> str:
    return reverse("emergency_order_record", args=[child.pk])


def posted(**values) -> dict:
    data = {}
    for name, value in values.items():
        if isinstance(value, date):
            data.update({f"{name}_0": value.day, f"{name}_1": value.month,
                         f"{name}_2": value.year})
        else:
            data[name] = value
    return data


def test_the_page_records_police_protection(child, social_worker):
    response = client(social_worker).post(page_url(child), posted(
        kind="PP", made_on=MONDAY, ended_on=MONDAY + timedelta(days=2),
        police_force="Avon and Somerset Police", police_officer="PC 1234 Jones",
        removed_on=MONDAY, removed_time="10.15pm"))
    assert response.status_code == 302
    order = LegalOrder.objects.get()
    assert timezone.localtime(order.removed_at).strftime("%Y-%m-%d %H:%M") == "2026-03-02 22:15"
    record = client(social_worker).get(reverse("legal_record", args=[child.pk]))
    assert "Avon and Somerset Police, PC 1234 Jones" in record.content.decode()


def test_the_page_puts_each_rule_on_its_field_and_keeps_what_was_typed(child, social_worker):
    response = client(social_worker).post(page_url(child), posted(
        kind="PP", made_on=MONDAY, ended_on=MONDAY + timedelta(days=5),
        police_force="Avon and Somerset Police", removed_on=MONDAY, removed_time="09:00"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ended_on"] == [
        "Police protection lasts at most 72 hours from when the child was taken: it must end by "
        "5 March 2026"]
    page = response.content.decode()
    assert page.count("govuk-error-summary") >= 1 and "<title>Error:" in page
    assert 'value="Avon and Somerset Police"' in page
    assert not LegalOrder.objects.exists()


def test_the_page_explains_a_missing_or_unreadable_time(child, social_worker):
    response = client(social_worker).post(page_url(child), posted(
        kind="PP", made_on=MONDAY, ended_on=MONDAY, police_force="Police",
        removed_on=MONDAY))
    assert response.context["form"].errors["removed_time"] == [
        "Enter the time the child was removed"]
    response = client(social_worker).post(page_url(child), posted(
        kind="PP", made_on=MONDAY, ended_on=MONDAY, police_force="Police",
        removed_on=MONDAY, removed_time="25:00"))
    assert response.context["form"].errors["removed_time"] == [
        "The time must be a real time, for example 14:30"]
    response = client(social_worker).post(page_url(child), posted(
        kind="PP", made_on=MONDAY, ended_on=MONDAY, police_force="Police"))
    assert response.context["form"].errors["removed_on"] == [
        "Enter the date and time the child was taken into police protection"]
    assert not LegalOrder.objects.exists()


def test_a_worker_without_access_gets_404_and_is_logged(child, stranger):
    assert client(stranger).get(page_url(child)).status_code == 404
    response = client(stranger).post(page_url(child), posted(
        kind="EPO", made_on=MONDAY, ended_on=MONDAY, court="Family Court"))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=stranger).count() == 2
    assert not LegalOrder.objects.exists()


def test_the_service_refuses_a_worker_without_access(child, stranger):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        epo(child, stranger)
    assert not LegalOrder.objects.exists()


def test_the_summary_and_legal_record_link_to_the_page(child, social_worker):
    for name in ("child", "legal_record"):
        page = client(social_worker).get(reverse(name, args=[child.pk])).content.decode()
        assert page_url(child) in page
