from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("attribution", "0001_initial")]

    operations = [
        enable_tenant_rls("attribution_touch"),
        enable_tenant_rls("attribution_conversionevent"),
    ]
