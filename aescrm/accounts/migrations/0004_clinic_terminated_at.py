from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_clinic_thank_you_url"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="terminated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="clinic",
            name="keys_destroyed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
