from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("conversions", "0001_initial")]

    operations = [
        enable_tenant_rls("conversions_adplatformsettings"),
        enable_tenant_rls("conversions_conversionupload"),
    ]
