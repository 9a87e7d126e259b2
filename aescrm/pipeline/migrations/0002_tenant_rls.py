from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0001_initial")]

    operations = [
        enable_tenant_rls("pipeline_pipelinesettings"),
        enable_tenant_rls("pipeline_leadalert"),
        enable_tenant_rls("pipeline_stafftask"),
        enable_tenant_rls("pipeline_scoringmodel"),
    ]
