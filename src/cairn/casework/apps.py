from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The pages of casework every stage shares: My work, search, a child's record (summary,
    chronology, timescales, relationships, case notes), the frame every recording page sits in,
    and correcting the record. What each stage adds to them it declares (core.stages)."""

    name = "cairn.casework"
    label = "casework"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Casework"
