from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial")]

    operations = [
        enable_tenant_rls("inbox_cannedreply"),
        enable_tenant_rls("inbox_conversationnote"),
        enable_tenant_rls("inbox_bulksend"),
        enable_tenant_rls("inbox_bulkrecipient"),
    ]
