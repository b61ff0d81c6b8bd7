from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "cairn.legal"
    label = "legal"
    default_auto_field = "django.db.models.BigAutoField"
