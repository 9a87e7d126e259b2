from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("templating", "0001_initial")]

    operations = [enable_tenant_rls("templating_messagetemplate")]
