from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The database cache (used when REDIS_URL is not set) needs its table;
    # the command does nothing for other cache backends.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
