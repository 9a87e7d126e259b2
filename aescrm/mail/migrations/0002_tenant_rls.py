from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("mail", "0001_initial")]

    operations = [
        enable_tenant_rls("mail_mailsettings"),
        enable_tenant_rls("mail_emaildetail"),
        enable_tenant_rls("mail_replyaddress"),
        enable_tenant_rls("mail_suppression"),
        enable_tenant_rls("mail_webhookreceipt"),
    ]
