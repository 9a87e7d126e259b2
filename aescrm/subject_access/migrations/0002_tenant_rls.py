from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("subject_access", "0001_initial")]

    operations = [enable_tenant_rls("subject_access_subjectaccessexport")]
