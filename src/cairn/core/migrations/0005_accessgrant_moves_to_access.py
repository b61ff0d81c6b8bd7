# Access grants now belong to the access app (access/0001 takes the model over, table and all).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_default_timescale_rules"),
        ("access", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name="AccessGrant"),
        ]),
    ]
