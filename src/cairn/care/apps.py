from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "cairn.care"
    label = "care"
    default_auto_field = "django.db.models.BigAutoField"
