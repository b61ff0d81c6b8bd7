# Restriction as a recorded decision: who restricted a record, changed who is named on it or
# lifted it, when and why; grants say which decision named them and who ended them, and why.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0001_initial'),
        ('people', '0003_name_search_trigram'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='accessgrant',
            name='revoke_reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='accessgrant',
            name='revoked_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.CreateModel(
            name='RestrictionDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('restrict', 'Restricted the record'), ('change', 'Changed who may see the record'), ('lift', 'Lifted the restriction')], max_length=10)),
                ('restricted', models.BooleanField()),
                ('reason', models.TextField()),
                ('decided_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('child', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='restriction_decisions', to='people.child')),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-decided_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='accessgrant',
            name='decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='grants', to='access.restrictiondecision'),
        ),
        migrations.AddIndex(
            model_name='restrictiondecision',
            index=models.Index(fields=['child', 'decided_at'], name='restriction_child_at'),
        ),
        migrations.AddConstraint(
            model_name='restrictiondecision',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='restriction_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='restrictiondecision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'lift'), ('restricted', False)), models.Q(models.Q(('kind', 'lift'), _negated=True), ('restricted', True)), _connector='OR'), name='restriction_kind_matches_flag'),
        ),
    ]
