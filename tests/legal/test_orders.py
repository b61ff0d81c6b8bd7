"""Orders as facts of care proceedings: the interim order made at a hearing, the final order when
the proceedings conclude, and the one extension of an emergency protection order."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.casework import selectors as casework_selectors
from cairn.core import facts
from cairn.core import services as core_services
from cairn.core.errors import RecordError
from cairn.core.models import AuditEvent
from cairn.legal import services
from cairn.legal.models import CareProceedings, Hearing, LegalOrder, OrderKind
from support import form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ISSUED = TODAY - timedelta(weeks=10)
ICO, ISO, EPO = OrderKind.INTERIM_CARE, OrderKind.INTERIM_SUPERVISION, \
    OrderKind.EMERGENCY_PROTECTION


@pytest.fixture
def proceedings(child, social_worker):
    return services.care_proceedings_issue(
        child=child, issued_on=ISSUED, court="Family Court at Leeds",
        application=CareProceedings.Application.CARE_ORDER, by=social_worker)


def interim_hearing(proceedings, by, *, held_on=ISSUED + timedelta(days=2), order=ICO, **extra):
    return services.hearing_record(proceedings=proceedings, held_on=held_on,
                                   kind=Hearing.Kind.INTERIM, order_made=order, by=by, **extra)


# An interim order made at a hearing ------------------------------------------------------------

def test_the_order_made_at_a_hearing_is_recorded_with_it(proceedings, social_worker):
    hearing = interim_hearing(proceedings, social_worker,
                              order_ends_on=ISSUED + timedelta(weeks=4))
    order = LegalOrder.objects.get()
    assert (order.kind, order.made_on, order.ended_on, order.hearing, order.proceedings,
            order.court) == (ICO, hearing.held_on, ISSUED + timedelta(weeks=4), hearing,
                             proceedings, "Family Court at Leeds")
    assert list(AuditEvent.objects.filter(action__in=["hearing.recorded", "legal_order.made"])
                .order_by("pk").values_list("action", flat=True)) == [
        "hearing.recorded", "legal_order.made"]


def test_the_hearing_and_its_order_are_one_transaction(proceedings, social_worker, monkeypatch):
    real = services.legal_order_record

    def order_then_fail(**kwargs):
        real(**kwargs)
        raise RecordError("The order could not be recorded", field="order_made")

    monkeypatch.setattr(services, "legal_order_record", order_then_fail)
    with pytest.raises(RecordError, match="could not be recorded"):
        interim_hearing(proceedings, social_worker)
    assert not Hearing.objects.exists()
    assert not LegalOrder.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["hearing.recorded", "legal_order.made"]
                                         ).exists()


def test_a_hearing_without_an_order_records_none(proceedings, social_worker):
    services.hearing_record(proceedings=proceedings, held_on=ISSUED, kind=Hearing.Kind.CMH,
                            by=social_worker)
    assert Hearing.objects.count() == 1
    assert not LegalOrder.objects.exists()


@pytest.mark.parametrize(("extra", "field", "message"), [
    (dict(order="CO"), "order_made", "Choose an interim care order or an interim supervision"),
    (dict(order="", order_ends_on=TODAY), "order_ends_on",
     "Select the order the court made, or leave the date it runs to empty"),
    (dict(held_on=TODAY + timedelta(days=3)), "order_made",
     "An order can be recorded once the hearing has been held"),
    (dict(order_ends_on=ISSUED + timedelta(days=1)), "order_ends_on",
     "The order cannot run to a date before the hearing that made it"),
])
def test_an_order_at_a_hearing_is_checked_before_anything_is_saved(
        proceedings, social_worker, extra, field, message):
    with pytest.raises(RecordError, match=message) as error:
        interim_hearing(proceedings, social_worker, **extra)
    assert error.value.field == field
    assert not Hearing.objects.exists() and not LegalOrder.objects.exists()


def test_a_later_interim_order_replaces_the_one_in_force(proceedings, social_worker):
    first = interim_hearing(proceedings, social_worker).orders.get()
    later = ISSUED + timedelta(weeks=3)
    interim_hearing(proceedings, social_worker, held_on=later, order=ISO)
    first.refresh_from_db()
    assert first.ended_on == later
    assert LegalOrder.objects.in_force_on(later + timedelta(days=1)).get().kind == ISO
    assert AuditEvent.objects.get(action="legal_order.ended").before["ended_on"] is None


def test_the_banner_shows_the_interim_order_in_force(child, proceedings, social_worker):
    held = interim_hearing(proceedings, social_worker).held_on
    plans = casework_selectors.child_summary(child)["plans"]
    assert f"Interim care order from {held.day} {held:%b %Y} (Family Court at Leeds)" in plans


# The final order ---------------------------------------------------------------------------

def test_the_final_order_is_recorded_and_ends_the_interim_order(child, proceedings,
                                                                social_worker):
    ico = interim_hearing(proceedings, social_worker).orders.get()
    concluded = TODAY - timedelta(days=1)
    services.care_proceedings_conclude(proceedings=proceedings, concluded_on=concluded,
                                       final_order=OrderKind.CARE, by=social_worker)
    ico.refresh_from_db()
    assert ico.ended_on == concluded
    care_order = LegalOrder.objects.get(kind=OrderKind.CARE)
    assert (care_order.made_on, care_order.ended_on, care_order.proceedings) == (
        concluded, None, proceedings)
    assert [o.kind for o in LegalOrder.objects.in_force_on(TODAY)] == [OrderKind.CARE]
    plans = casework_selectors.child_summary(child)["plans"]
    assert any(p.startswith("Care order from") for p in plans)
    assert not any(p.startswith("Interim care order") for p in plans)


def test_a_final_order_already_recorded_is_not_recorded_twice(proceedings, social_worker):
    interim_hearing(proceedings, social_worker)
    concluded = TODAY - timedelta(days=1)
    services.legal_order_record(child=proceedings.child, kind=OrderKind.CARE, made_on=concluded,
                                proceedings=proceedings, by=social_worker)
    services.care_proceedings_conclude(proceedings=proceedings, concluded_on=concluded,
                                       final_order=OrderKind.CARE, by=social_worker)
    assert LegalOrder.objects.filter(kind=OrderKind.CARE).count() == 1
    assert LegalOrder.objects.get(kind=ICO).ended_on == concluded


def test_no_order_ends_the_interim_order_and_records_no_order(proceedings, social_worker):
    interim_hearing(proceedings, social_worker)
    services.care_proceedings_conclude(proceedings=proceedings, concluded_on=TODAY,
                                       final_order=OrderKind.NO_ORDER, by=social_worker)
    assert LegalOrder.objects.get().ended_on == TODAY


def test_an_interim_order_is_not_a_final_order(proceedings, social_worker):
    with pytest.raises(RecordError, match="Choose the order that disposed") as error:
        services.care_proceedings_conclude(proceedings=proceedings, concluded_on=TODAY,
                                           final_order=ICO, by=social_worker)
    assert error.value.field == "final_order"
    proceedings.refresh_from_db()
    assert proceedings.concluded_on is None and not LegalOrder.objects.exists()


# Extending an emergency protection order ---------------------------------------------------

MADE = TODAY - timedelta(days=3)


@pytest.fixture
def epo(child, social_worker):
    return services.legal_order_record(child=child, by=social_worker, kind=EPO, made_on=MADE,
                                       ended_on=MADE + timedelta(days=8),
                                       court="Family Court at Bristol")


def extend(order, by, *, extended_on=TODAY, days=7, **extra):
    return services.legal_order_extend(order=order, extended_on=extended_on,
                                       extended_to=order.ended_on + timedelta(days=days), by=by,
                                       **extra)


def test_an_emergency_protection_order_is_extended_once(child, epo, social_worker):
    extend(epo, social_worker, expected_version=epo.version)
    epo.refresh_from_db()
    assert (epo.extended_on, epo.extended_to, epo.version) == (
        TODAY, MADE + timedelta(days=15), 2)
    event = AuditEvent.objects.get(action="legal_order.extended")
    assert event.before["extended_to"] is None
    assert event.after["extended_to"] == str(MADE + timedelta(days=15))
    entries = [o for o in facts.chronology(child.pk) if o.fact == "legal_order.extended"]
    assert [(o.on, o.label) for o in entries] == [(TODAY, "Emergency protection order extended")]


def test_a_second_extension_is_refused(epo, social_worker):
    extend(epo, social_worker, days=2)
    with pytest.raises(RecordError, match="already extended to .*: an emergency protection "
                                          "order can be extended only once") as error:
        extend(epo, social_worker, days=5)
    assert error.value.field == "extended_to"
    epo.refresh_from_db()
    assert epo.extended_to == MADE + timedelta(days=10)
    assert AuditEvent.objects.filter(action="legal_order.extended").count() == 1


def test_an_extension_over_7_days_is_refused(epo, social_worker):
    last = epo.ended_on + timedelta(days=7)
    with pytest.raises(RecordError, match=f"can be extended once, by up to 7 days: the "
                                          f"extension must end by {last:%-d %B %Y}") as error:
        extend(epo, social_worker, days=8)
    assert error.value.field == "extended_to"
    with pytest.raises(RecordError, match="must end after the date the order first ended"):
        extend(epo, social_worker, days=0)
    epo.refresh_from_db()
    assert epo.extended_to is None and epo.version == 1
    assert not AuditEvent.objects.filter(action="legal_order.extended").exists()


def test_the_extension_is_granted_while_the_order_is_in_force(epo, social_worker):
    with pytest.raises(RecordError, match="cannot extend the order before it was made"):
        extend(epo, social_worker, extended_on=MADE - timedelta(days=1))
    with pytest.raises(RecordError, match="cannot be in the future") as error:
        extend(epo, social_worker, extended_on=TODAY + timedelta(days=1))
    assert error.value.field == "extended_on"


def test_a_stale_extension_is_a_conflict(epo, social_worker, second_manager):
    opened_at = epo.version
    core_services.update(obj=epo, by=second_manager, expected_version=opened_at,
                         changes={"court": "Family Court at Swindon"})
    with pytest.raises(RecordError, match="changed this emergency protection order while you "
                                          "were editing it"):
        extend(epo, social_worker, expected_version=opened_at)
    stored = LegalOrder.objects.get()
    assert stored.extended_to is None and stored.court == "Family Court at Swindon"
    assert epo.extended_to is None  # the caller's copy stays as it was stored


def test_only_an_emergency_protection_order_is_extended(child, social_worker):
    pp = services.legal_order_record(
        child=child, by=social_worker, kind=OrderKind.POLICE_PROTECTION, made_on=TODAY,
        ended_on=TODAY, police_force="Avon and Somerset Police",
        removed_at=timezone.now())  # not minutes ago: that is yesterday just after midnight
    with pytest.raises(RecordError, match="Only an emergency protection order can be extended"):
        services.legal_order_extend(order=pp, extended_on=TODAY, extended_to=TODAY +
                                    timedelta(days=1), by=social_worker)


# The pages ---------------------------------------------------------------------------------

def client(staff) -> Client:
    c = Client()
    c.force_login(staff)
    return c


def test_the_hearing_page_records_the_interim_order(child, proceedings, social_worker):
    url = reverse("hearing_add", args=[child.pk, proceedings.pk])
    sw = client(social_worker)
    assert sw.get(url).context["form"]["order_made"].value() == "none"
    held = ISSUED + timedelta(days=1)
    response = sw.post(url, form_data(held_on=held, kind="ICO", order_made="none",
                                      order_ends_on=TODAY))
    assert response.context["form"].errors["order_ends_on"] == [
        "Select the order the court made, or leave the date it runs to empty"]
    response = sw.post(url, form_data(held_on=held, kind="ICO", order_made="ICO",
                                      order_ends_on=held - timedelta(days=1)))
    assert response.context["form"].errors["order_ends_on"] == [
        f"The order cannot run to a date before the hearing that made it ({held:%-d %B %Y})"]
    assert response.context["form"]["order_made"].value() == "ICO"
    assert not Hearing.objects.exists()
    response = sw.post(url, form_data(held_on=held, kind="ICO", order_made="ICO"))
    assert response.status_code == 302
    order = LegalOrder.objects.get()
    assert (order.kind, order.made_on, order.ended_on) == (ICO, held, None)
    page = sw.get(reverse("legal_record", args=[child.pk])).content.decode()
    assert f"Interim care order from {held:%-d %b %Y}" in page


def test_the_final_order_page_offers_only_final_orders(child, proceedings, social_worker):
    form = client(social_worker).get(
        reverse("proceedings_conclude", args=[child.pk, proceedings.pk])).context["form"]
    offered = {code for code, _ in form.fields["final_order"].choices if code}
    assert offered == {"CO", "SO", "PO", "SGO", "CAO", "NONE"}


def extend_url(child, order) -> str:
    return reverse("emergency_order_extend", args=[child.pk, order.pk])


def test_the_extend_page_extends_and_the_record_stops_offering_it(child, epo, social_worker):
    sw = client(social_worker)
    record = reverse("legal_record", args=[child.pk])
    link = f'href="{extend_url(child, epo)}"'
    assert link in sw.get(record).content.decode()
    response = sw.post(extend_url(child, epo), form_data(
        version=epo.version, extended_on=TODAY, extended_to=epo.ended_on + timedelta(days=9)))
    assert response.context["form"].errors["extended_to"] == [
        f"An emergency protection order can be extended once, by up to 7 days: the extension "
        f"must end by {epo.ended_on + timedelta(days=7):%-d %B %Y}"]
    page = response.content.decode()
    assert "<title>Error:" in page and "govuk-error-summary" in page
    response = sw.post(extend_url(child, epo), form_data(
        version=epo.version, extended_on=TODAY, extended_to=epo.ended_on + timedelta(days=7)))
    assert response.status_code == 302
    assert LegalOrder.objects.get().extended_to == epo.ended_on + timedelta(days=7)
    assert link not in sw.get(record).content.decode()
    response = sw.post(extend_url(child, epo), form_data(
        version=epo.version + 1, extended_on=TODAY, extended_to=epo.ended_on + timedelta(days=1)))
    assert "can be extended only once" in response.context["form"].errors["extended_to"][0]


def test_the_extend_page_conflict_keeps_what_was_typed(child, epo, social_worker,
                                                       second_manager):
    opened_at = epo.version
    core_services.update(obj=epo, by=second_manager, expected_version=opened_at,
                         changes={"court": "Family Court at Swindon"})
    new_end = epo.ended_on + timedelta(days=3)
    response = client(social_worker).post(extend_url(child, epo), form_data(
        version=opened_at, extended_on=TODAY, extended_to=new_end))
    assert response.status_code == 200
    form = response.context["form"]
    assert "changed this emergency protection order while you were editing it" in str(
        form.errors)
    assert form["extended_to"].value()[0] == str(new_end.day)
    assert form["version"].value() == str(opened_at + 1)
    assert LegalOrder.objects.get().extended_to is None


def test_the_extend_page_is_only_for_emergency_protection_orders_the_worker_may_see(
        child, epo, social_worker, stranger):
    assert client(stranger).get(extend_url(child, epo)).status_code == 404
    response = client(stranger).post(extend_url(child, epo), form_data(
        version=epo.version, extended_on=TODAY, extended_to=epo.ended_on + timedelta(days=1)))
    assert response.status_code == 404
    assert LegalOrder.objects.get().extended_to is None
    pp = services.legal_order_record(
        child=child, by=social_worker, kind=OrderKind.POLICE_PROTECTION, made_on=TODAY,
        ended_on=TODAY, police_force="Avon and Somerset Police",
        removed_at=timezone.now())  # not minutes ago: that is yesterday just after midnight
    assert client(social_worker).get(extend_url(child, pp)).status_code == 404
