from django.db import migrations

from aescrm.core.migration_ops import enable_tenant_rls


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        enable_tenant_rls("scheduling_schedulesettings"),
        enable_tenant_rls("scheduling_practitionerbreak"),
        enable_tenant_rls("scheduling_timeoff"),
        enable_tenant_rls("scheduling_clinicclosure"),
        enable_tenant_rls("scheduling_bankholidayopening"),
        enable_tenant_rls("scheduling_bookingoverride"),
    ]
