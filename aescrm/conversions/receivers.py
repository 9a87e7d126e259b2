"""React to ``attribution.signals.conversion_recorded``: make the upload rows."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from aescrm.conversions.services import uploads_for_event
from aescrm.core.tenancy import clinic_scope

logger = logging.getLogger(__name__)


def on_conversion_recorded(
    sender: Any, *, event_id: uuid.UUID, clinic_id: uuid.UUID, **kwargs: Any
) -> None:
    # Runs after the recording transaction committed: a failure here must not
    # turn the clinic's saved enquiry or booking into an error. The periodic
    # task cannot recreate a missing row, so it is logged loudly.
    try:
        with clinic_scope(clinic_id):
            uploads_for_event(event_id)
    except Exception:
        logger.exception("could not queue ad platform uploads for conversion %s", event_id)
