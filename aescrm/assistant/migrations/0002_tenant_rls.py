from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [
        enable_tenant_rls("assistant_assistantsettings"),
        enable_tenant_rls("assistant_knowledgeitem"),
        enable_tenant_rls("assistant_chatsession"),
        enable_tenant_rls("assistant_chatturn"),
    ]
