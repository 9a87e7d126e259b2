from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]

    operations = [
        enable_tenant_rls("messaging_messagingsettings"),
        enable_tenant_rls("messaging_conversation"),
        enable_tenant_rls("messaging_message"),
    ]
