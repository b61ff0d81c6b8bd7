from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "cairn.permanence"
    label = "permanence"
    default_auto_field = "django.db.models.BigAutoField"
