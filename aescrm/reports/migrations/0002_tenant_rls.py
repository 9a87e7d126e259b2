from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        enable_tenant_rls("reports_adspendimport"),
        enable_tenant_rls("reports_adspend"),
    ]
