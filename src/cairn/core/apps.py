from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "cairn.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Cairn machinery"

    def ready(self):
        # Each app's facts.py registers the dated facts timescales and chronologies read; its
        # record.py what it adds to a child's record (core.stages).
        autodiscover_modules("facts")
        autodiscover_modules("record")
        from . import checks

        post_migrate.connect(checks.refuse_after_migrate, sender=self,
                             dispatch_uid="cairn.core.rules_name_known_facts")
