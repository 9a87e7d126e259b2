"""Extension point: other apps react to a recorded conversion (e.g. queue uploads).

Sent inside the recording transaction, in the event's clinic scope, with
``event`` (the saved ``ConversionEvent``), ``event_id`` and ``clinic_id``:
what a receiver writes commits or rolls back with the event, so no event is
left without the rows that follow from it. Slow work belongs on the queue
(``transaction.on_commit``).
"""

from django.dispatch import Signal

conversion_recorded = Signal()
