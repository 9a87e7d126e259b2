"""Per-number and per-recipient sending limits, checked by the worker before each send.

Two limits, both of which hold a message back (never drop it):

- **The clinic's sending number** takes at most ``MESSAGING_SEGMENTS_PER_MINUTE``
  SMS segments a minute. Twilio queues whatever a sender cannot pass on at its
  rate (a UK long code manages about one segment a second) and fails messages
  that wait too long (errors 21611 and 30001), so a bulk send is paced here,
  where a held message stays visible and keeps its place, instead of there.
- **One recipient** gets at most ``MESSAGING_MAX_PER_RECIPIENT_PER_HOUR``
  non-urgent messages an hour on a channel: a guard against a runaway
  automation or a double-clicked bulk send flooding a patient's phone.

Both are counted from the messages table (attempts started in the window), so
they hold across worker processes; the per-minute budget is also kept in
memory within one worker pass to avoid a query per message. Two workers
passing the same clinic at once can overshoot by one batch; Twilio's own queue
absorbs that. Zero turns a limit off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min, Sum

from aescrm.messaging.models import Channel, Direction, Message, Status

# Attempts that reached, or may have reached, the provider.
_COUNTED = (Status.SENDING, Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.READ)


def _minute_start(now: dt.datetime) -> dt.datetime:
    return now.replace(second=0, microsecond=0)


@dataclass
class NumberBudget:
    """SMS segments the clinic's number may still take in the current minute."""

    limit: int
    window_start: dt.datetime
    used: int

    @classmethod
    def for_clinic(cls, now: dt.datetime) -> NumberBudget:
        """The budget of the active clinic; its number is the clinic's one sending number."""
        budget = cls(limit=settings.MESSAGING_SEGMENTS_PER_MINUTE, window_start=now, used=0)
        budget._count(now)
        return budget

    def _count(self, now: dt.datetime) -> None:
        self.window_start = _minute_start(now)
        self.used = 0
        if self.limit:
            self.used = (
                Message.objects.filter(
                    channel=Channel.SMS,
                    direction=Direction.OUTBOUND,
                    status__in=_COUNTED,
                    attempt_started_at__gte=self.window_start,
                ).aggregate(total=Sum("segments"))["total"]
                or 0
            )

    def hold_until(self, message: Message, now: dt.datetime) -> dt.datetime | None:
        """When ``message`` may go if the budget is spent, else None (and it is spent now)."""
        if not self.limit or message.channel != Channel.SMS:
            return None
        if now >= self.window_start + dt.timedelta(minutes=1):
            self._count(now)  # a long pass has reached the next minute
        need = max(message.segments, 1)
        # A message longer than the whole budget goes alone at the start of a minute.
        if self.used and self.used + need > self.limit:
            return self.window_start + dt.timedelta(minutes=1)
        self.used += need
        return None


def recipient_hold_until(message: Message, now: dt.datetime) -> dt.datetime | None:
    """When this recipient's hourly allowance frees up, if it is used up; else None."""
    limit = settings.MESSAGING_MAX_PER_RECIPIENT_PER_HOUR
    if not limit or message.urgent:
        return None
    recent = Message.objects.filter(
        patient_id=message.patient_id,
        channel=message.channel,
        direction=Direction.OUTBOUND,
        status__in=_COUNTED,
        urgent=False,
        attempt_started_at__gt=now - dt.timedelta(hours=1),
    ).exclude(pk=message.pk)
    if recent.count() < limit:
        return None
    oldest = recent.aggregate(first=Min("attempt_started_at"))["first"]
    return oldest + dt.timedelta(hours=1) if oldest else None
