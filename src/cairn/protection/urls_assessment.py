"""Referral, single assessment and child in need plan pages."""

urlpatterns: list = []
