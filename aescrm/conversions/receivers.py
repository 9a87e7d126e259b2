"""React to ``attribution.signals.conversion_recorded``: make the upload rows."""

from __future__ import annotations

import uuid
from typing import Any

from aescrm.attribution.models import ConversionEvent
from aescrm.conversions.services import uploads_for_event
from aescrm.core.tenancy import clinic_scope


def on_conversion_recorded(
    sender: Any,
    *,
    event_id: uuid.UUID,
    clinic_id: uuid.UUID,
    event: ConversionEvent | None = None,
    **kwargs: Any,
) -> None:
    # Inside the recording transaction: the upload rows commit with the event
    # or not at all, so no conversion is ever left without them.
    with clinic_scope(clinic_id):
        uploads_for_event(event_id, event=event)
