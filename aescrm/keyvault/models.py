"""Per-patient data keys, kept in their own database (docs/decisions/0022).

The main database holds ciphertexts; this one holds the keys that open one
person's ciphertexts, wrapped by the clinic's data key. Erasure destroys the
key here, so a copy of the main database taken before the erasure — a backup —
can no longer be decrypted for that person.
"""

from __future__ import annotations

from django.db import models

VAULT_DB = "keyvault"


class PatientKey(models.Model):
    # Plain ids, not foreign keys: the clinic and patient rows live in the other database.
    clinic_id = models.UUIDField()
    patient_id = models.UUIDField()
    # The raw key under the clinic's data key (version below); empty once destroyed.
    wrapped_key = models.BinaryField(null=True)
    clinic_key_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when erasure destroyed the key; the row stays as a tombstone so nothing
    # encrypts under that patient again.
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic_id", "patient_id"], name="patientkey_unique"),
            models.CheckConstraint(
                condition=models.Q(destroyed_at__isnull=True, wrapped_key__isnull=False)
                | models.Q(destroyed_at__isnull=False, wrapped_key__isnull=True),
                name="patientkey_destroyed_has_no_key",
            ),
        ]

    def __str__(self) -> str:
        state = "destroyed" if self.destroyed_at else "live"
        return f"patient key {self.patient_id} ({state})"
