# Access grants move from core to access. The table stays where it is (core_accessgrant): only
# Django's idea of which app owns the model changes, so no row is touched.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("core", "0004_default_timescale_rules"),
        ("people", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name="AccessGrant",
                fields=[
                    ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                               serialize=False, verbose_name="ID")),
                    ("granted_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ("until", models.DateField(blank=True, null=True)),
                    ("reason", models.TextField()),
                    ("revoked_at", models.DateTimeField(blank=True, null=True)),
                    ("child", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                related_name="access_grants",
                                                to="people.child")),
                    ("granted_by", models.ForeignKey(
                        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                        related_name="+", to=settings.AUTH_USER_MODEL)),
                    ("staff", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                related_name="grants",
                                                to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    "db_table": "core_accessgrant",
                    "indexes": [models.Index(fields=["staff", "child"],
                                             name="grant_staff_child")],
                },
            ),
        ]),
    ]
