from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "cairn.insight"
    label = "insight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Performance reports' section of My work (core.stages), beside record.py's.
        from . import record_reports  # noqa: F401
