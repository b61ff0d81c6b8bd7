"""The admin site is for configuration: no child's record can be read through it."""

import pytest
from django.contrib import admin

from cairn.core.models import TimescaleRule

pytestmark = pytest.mark.django_db


def test_no_case_record_is_in_the_admin_site():
    for model in admin.site._registry:
        fields = {f.name for f in model._meta.get_fields()}
        assert model._meta.label not in {"people.Person", "people.Child", "core.AuditEvent"}
        assert "child" not in fields or model._meta.label == "access.AccessGrant", model


def test_an_administrator_may_change_a_local_rule_but_not_a_national_one(administrator, log_in):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client = log_in(administrator)
    local = TimescaleRule.objects.get(code="contact-decision")
    national = TimescaleRule.objects.get(code="icpc")
    page = client.get(f"/admin/core/timescalerule/{local.pk}/change/").content.decode()
    assert 'name="first_limit"' in page
    page = client.get(f"/admin/core/timescalerule/{national.pk}/change/").content.decode()
    assert 'name="first_limit"' not in page
