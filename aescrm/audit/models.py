from __future__ import annotations

from django.db import models

from aescrm.core.tenancy import TenantManager


class ActorType(models.TextChoices):
    USER = "user", "User"
    API_KEY = "api_key", "API key"
    SYSTEM = "system", "System"
    ANONYMOUS = "anonymous", "Anonymous"


# What an entry says, by column: hashed into the chain, guarded by the
# append-only triggers, written by ``audit_record``.
CONTENT_FIELDS = (
    "clinic_id",
    "occurred_at",
    "actor_type",
    "actor_id",
    "actor_label",
    "ip",
    "user_agent",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "detail",
)


class AuditEntry(models.Model):
    """One append-only audit record.

    Entries are written unsealed (one INSERT, no lock, so auditing does not
    slow reads) and sealed into their chain in order by ``aescrm.audit.chain``:
    ``seq``, ``prev_hash`` and ``entry_hash`` are then set once. A database
    trigger refuses every other UPDATE and every DELETE.
    ``clinic`` is empty for platform events (sign-ins, platform actions).
    """

    id = models.BigAutoField(primary_key=True)
    clinic = models.ForeignKey(
        "accounts.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    actor_type = models.CharField(max_length=12, choices=ActorType.choices)
    actor_id = models.CharField(max_length=64, blank=True)
    actor_label = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    seq = models.BigIntegerField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True)

    objects = TenantManager()
    all_chains = models.Manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "seq"], name="audit_unique_clinic_seq"),
        ]
        indexes = [
            models.Index(fields=["clinic", "occurred_at"], name="audit_clinic_time"),
            models.Index(
                fields=["entry_hash"], name="audit_unsealed", condition=models.Q(entry_hash="")
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditChain(models.Model):
    """The head of one hash chain: a clinic's, or the platform's (empty key)."""

    chain_key = models.CharField(max_length=36, primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"chain {self.chain_key or 'platform'} at {self.last_seq}"
