"""New enquiries join the pipeline: round-robin assignment when the clinic has it on."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _on_enquiry_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    from aescrm.pipeline.services import round_robin_assign

    round_robin_assign(instance)


def connect() -> None:
    from aescrm.patients.models import Enquiry

    post_save.connect(_on_enquiry_saved, sender=Enquiry, dispatch_uid="pipeline-round-robin")
