from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
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
        from . import changes, checks, open_dues, signin

        # Every write to the record moves one mark that figures are kept against.
        connection_created.connect(changes.watch, dispatch_uid="cairn.core.changes.watch")
        pre_migrate.connect(changes.migrating, dispatch_uid="cairn.core.changes.migrating")
        post_migrate.connect(changes.migrated, dispatch_uid="cairn.core.changes.migrated")

        post_migrate.connect(checks.refuse_after_migrate, sender=self,
                             dispatch_uid="cairn.core.rules_name_known_facts")
        # Each child's open items kept beside the facts (core.open_dues), built after migrating.
        open_dues.connect()
        post_migrate.connect(open_dues.after_migrate, sender=self,
                             dispatch_uid="cairn.core.open_dues.after_migrate")
        # Every sign-in, failed or not, in the audit trail (after axes has counted it).
        user_logged_in.connect(signin.audit_signed_in, dispatch_uid="cairn.core.signed_in")
        user_login_failed.connect(signin.audit_sign_in_failed,
                                  dispatch_uid="cairn.core.sign_in_failed")
