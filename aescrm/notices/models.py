"""A clinic's own wording for one section of its generated privacy or AI notice.

The notices themselves are generated from the clinic's live configuration
(``aescrm.notices.content``); a row here replaces one section's generated
text until the clinic resets it. The text is the clinic's published wording,
not personal data, so it is kept in plain text like assistant knowledge.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from aescrm.core.tenancy import TenantModel


class Notice(models.TextChoices):
    PRIVACY = "privacy", "Privacy notice"
    AI = "ai", "AI disclosure"


class NoticeOverride(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.CharField(max_length=10, choices=Notice.choices)
    section = models.CharField(max_length=40)
    text = models.TextField(max_length=10_000)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        ordering = ["notice", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "notice", "section"], name="notice_override_one_per_section"
            ),
            models.CheckConstraint(
                condition=models.Q(notice__in=["privacy", "ai"]), name="notice_override_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice}/{self.section}"
