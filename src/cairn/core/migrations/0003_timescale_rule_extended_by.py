from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='timescalerule',
            name='extended_by',
            field=models.CharField(blank=True, help_text='Fact that extends the first limit by its amount, in the first unit (an extension of care proceedings granted by the court)', max_length=60),
        ),
    ]
