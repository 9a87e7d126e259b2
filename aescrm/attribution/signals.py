"""Extension point: other apps react to a recorded conversion (e.g. queue uploads).

Sent after the recording transaction commits, with ``event_id`` and
``clinic_id``; receivers must not assume a clinic scope is active.
"""

from django.dispatch import Signal

conversion_recorded = Signal()
