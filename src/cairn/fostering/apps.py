from django.apps import AppConfig


class FosteringConfig(AppConfig):
    name = "cairn.fostering"
    label = "fostering"
    default_auto_field = "django.db.models.BigAutoField"
