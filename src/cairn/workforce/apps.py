from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "cairn.workforce"
    label = "workforce"
    default_auto_field = "django.db.models.BigAutoField"
