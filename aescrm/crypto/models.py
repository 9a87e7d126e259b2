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
