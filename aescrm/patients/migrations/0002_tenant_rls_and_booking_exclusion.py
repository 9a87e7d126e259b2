from django.db import migrations

from aescrm.core.migration_ops import PostgresOnlySQL, enable_tenant_rls

TENANT_TABLES = [
    "patients_patient",
    "patients_consentevent",
    "patients_patientnote",
    "patients_patientsearchtoken",
    "patients_treatment",
    "patients_practitioner",
    "patients_workinghours",
    "patients_enquiry",
    "patients_appointment",
]


class Migration(migrations.Migration):
    dependencies = [("patients", "0001_initial")]

    operations = [
        *[enable_tenant_rls(table) for table in TENANT_TABLES],
        # A practitioner cannot hold two overlapping live appointments, even
        # when two requests race (the service's row lock is the first line).
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                """ALTER TABLE patients_appointment ADD CONSTRAINT appointment_no_double_booking
                   EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
                   WHERE (status IN ('booked', 'confirmed', 'attended'))""",
            ],
            reverse_sql=["ALTER TABLE patients_appointment DROP CONSTRAINT appointment_no_double_booking"],
        ),
    ]
