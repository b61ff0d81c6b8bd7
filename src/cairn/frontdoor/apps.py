from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "cairn.frontdoor"
    label = "frontdoor"
    default_auto_field = "django.db.models.BigAutoField"
