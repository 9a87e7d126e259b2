from __future__ import annotations

from django.db import models


class ClinicKey(models.Model):
    """A clinic's data key or blind-index key, stored only wrapped by the master key."""

    class Purpose(models.TextChoices):
        DATA = "data", "Data encryption (AES-256-GCM)"
        INDEX = "index", "Blind index (HMAC-SHA-256)"

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="keys")
    purpose = models.CharField(max_length=8, choices=Purpose.choices)
    version = models.PositiveIntegerField()
    wrapped_key = models.BinaryField()
    master_key_id = models.CharField(max_length=16)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rewrapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "purpose", "version"], name="clinickey_unique_version"
            ),
            models.UniqueConstraint(
                fields=["clinic", "purpose"],
                condition=models.Q(active=True),
                name="clinickey_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} key v{self.version} of clinic {self.clinic_id}"


class KeyDestruction(models.Model):
    """An erasure's promise to destroy a patient's key once its transaction has committed.

    The key lives in another database, so it is destroyed after the erasure
    commits (a rolled-back erasure must not leave unreadable rows). This row,
    written inside the erasure, makes the promise survive a crash: the worker
    finishes any left undone (aescrm/crypto/tasks.py).
    """

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.CASCADE, related_name="+")
    patient_id = models.UUIDField()
    requested_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["destroyed_at"], name="keydestruction_pending")]

    def __str__(self) -> str:
        return f"destroy key of patient {self.patient_id}"
