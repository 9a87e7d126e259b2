from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("automation", "0001_initial")]

    operations = [
        enable_tenant_rls("automation_automationsettings"),
        enable_tenant_rls("automation_rule"),
        enable_tenant_rls("automation_ruleversion"),
        enable_tenant_rls("automation_run"),
        enable_tenant_rls("automation_runlog"),
        enable_tenant_rls("automation_staffnotification"),
    ]
