from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who may see and do what: the access policy and the grants it reads.

    It sits above people and workforce (it knows children, staff, teams and allocations) and
    below every stage of the journey, none of which it knows.
    """

    name = "cairn.access"
    label = "access"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Access to records"
