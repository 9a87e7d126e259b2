from django.db import migrations

from aescrm.audit.guard import install_triggers, remove_triggers
from aescrm.core.migration_ops import TENANT_PREDICATE, PostgresOnlySQL

TABLE = "audit_auditentry"


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(install_triggers, remove_triggers),
        # Anyone may append; a clinic reads only its own entries; only the
        # sealing job (which runs unscoped) may update, and the trigger
        # limits that to setting the seal once. No DELETE policy exists.
        PostgresOnlySQL(
            sql=[
                f'ALTER TABLE "{TABLE}" ENABLE ROW LEVEL SECURITY',
                f'ALTER TABLE "{TABLE}" FORCE ROW LEVEL SECURITY',
                f'CREATE POLICY audit_append ON "{TABLE}" FOR INSERT WITH CHECK (true)',
                f'CREATE POLICY audit_read ON "{TABLE}" FOR SELECT USING {TENANT_PREDICATE}',
                f"""CREATE POLICY audit_seal ON "{TABLE}" FOR UPDATE
                    USING (current_setting('app.rls_bypass', true) = 'on')""",
                f"""CREATE POLICY audit_maintenance ON "{TABLE}" FOR DELETE
                    USING (current_setting('aescrm.audit_maintenance', true) = 'on')""",
            ],
            reverse_sql=[
                f'DROP POLICY IF EXISTS audit_append ON "{TABLE}"',
                f'DROP POLICY IF EXISTS audit_read ON "{TABLE}"',
                f'DROP POLICY IF EXISTS audit_seal ON "{TABLE}"',
                f'DROP POLICY IF EXISTS audit_maintenance ON "{TABLE}"',
                f'ALTER TABLE "{TABLE}" NO FORCE ROW LEVEL SECURITY',
                f'ALTER TABLE "{TABLE}" DISABLE ROW LEVEL SECURITY',
            ],
        ),
    ]
