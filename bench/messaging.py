"""Messaging benchmarks for `make bench`: a million stored texts, the inbound SMS webhook,
and the sender's rate against the fake Twilio.

Steps (each a subcommand; DATABASE_URL, AESCRM_MASTER_KEY and SECRET_KEY come
from the environment, as for bench.generate):

  generate  After bench.generate: connects the benchmark clinic to a Twilio
            account (the fake's credentials) and stores N messages (default
            1,000,000) in SMS conversations with its patients, through the
            model layer (``bulk_create``: bodies and both numbers AES-256-GCM
            encrypted for their own row, exactly as ``message_queue`` and
            ``record_inbound`` write them), spread over the past year, inside
            ``clinic_scope`` (row-level security checks every row on PostgreSQL).
  sender    Queues M messages (default 10,000) to M patients, starts the fake
            Twilio on 127.0.0.1 in this process, runs ``aescrm send_messages
            --once`` as its own process against it, and times it; then checks
            that Twilio took each message exactly once and every row holds its sid.
  report    Writes the Markdown section of docs/benchmarks.md for one engine
            from bench.run's results (the two signed-webhook scenarios), the
            generate step's figures and the sender's.

bench.run drives the webhook scenarios (``write_signed_requests`` below makes
the signed request bodies that wrk replays, one new MessageSid each).

Usage: python -m bench.messaging generate --dataset D.json --messages 1000000 --out M.json
       python -m bench.messaging sender --messaging M.json --queued 10000 --out S.json
       python -m bench.messaging report --results R.json --messaging M.json --sender S.json \
           --markdown OUT.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aescrm.testing.fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, NUMBER

ROOT = Path(__file__).resolve().parent.parent
INBOUND_PATH = "/webhooks/twilio/sms"
BARE_PATH = "/bench/twilio-bare"
SID_PREFIX = "SMbench"
BATCH = 5000
SAMPLE_PHONES = 2000

FROM_PATIENT = [
    "Hi, can I move my appointment to Thursday?",
    "Yes please, 10am works for me",
    "Thanks, see you then!",
    "Do you have anything on Saturday morning?",
    "Running 5 minutes late, sorry",
    "How much is teeth whitening?",
    "Is there parking near the clinic?",
    "Could you send me the aftercare instructions again please",
]
TO_PATIENT = [
    "Hi {first}, a reminder of your appointment tomorrow at 10:00. Reply C to confirm.",
    "Thanks {first}, you are booked in for Thursday at 10:00.",
    "Hi {first}, your six-month check-up is due. Reply or call us to book.",
    "Hi {first}, we have a cancellation tomorrow at 14:30 if you would like it.",
    "Thanks {first}, we have received your message and will reply shortly.",
]


# --- signed requests for wrk (no Django needed) -------------------------------------------


def signed_params(sid: str, sender: str, body: str, number: str = NUMBER) -> dict[str, str]:
    """The form Twilio posts for an inbound SMS."""
    return {
        "ToCountry": "GB",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": number,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def write_signed_requests(
    path: Path,
    *,
    url: str,
    phones: list[str],
    count: int,
    tag: str,
    auth_token: str = AUTH_TOKEN,
    number: str = NUMBER,
) -> None:
    """``count`` lines "signature<TAB>form body" for bench/wrk.lua, each a new MessageSid.

    Signed with Twilio's algorithm (``twilio``'s RequestValidator) for ``url``,
    the public URL the server checks against (its PUBLIC_BASE_URL + path).
    """
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(auth_token)
    rng = random.Random(f"{tag}-{count}")
    with path.open("w") as out:
        for n in range(count):
            # 34 characters, like Twilio's: "SM" and 32 more.
            sid = f"{SID_PREFIX}{tag}{n:0{34 - len(SID_PREFIX) - len(tag)}d}"
            params = signed_params(sid, rng.choice(phones), rng.choice(FROM_PATIENT), number)
            out.write(f"{validator.compute_signature(url, params)}\t{urlencode(params)}\n")


# --- Django set-up ----------------------------------------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aescrm.settings")
    import django

    django.setup()


class _Row:
    """Enough of a model instance for ``associated_data``: table, clinic and primary key."""

    def __init__(self, model: Any, clinic_id: uuid.UUID, pk: uuid.UUID) -> None:
        self._meta, self.clinic_id, self.pk = model._meta, clinic_id, pk


def insert_rows(model: Any, clinic_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """Insert rows of ``model`` in multi-row INSERTs, as the ORM would store them.

    Every concrete field of the model is a column (a field a row does not name
    gets its default, as in ``Model()``), encrypted fields are encrypted for
    their own row (``keys.encrypt`` with ``associated_data``, as ``pre_save``
    does), and values go through the engine's conversions (UUIDs and times on
    SQLite). Fast enough for a million rows; ``bulk_create`` takes ten times as long.
    """
    from django.db import connection, models

    from aescrm.crypto import keys
    from aescrm.crypto.fields import EncryptedTextField, associated_data

    fields = [f for f in model._meta.concrete_fields]
    sqlite = connection.vendor == "sqlite"

    def converter(field: Any) -> Any:
        target = field.target_field if field.is_relation else field
        if sqlite and isinstance(target, models.UUIDField):
            return lambda v: None if v is None else v.hex
        if sqlite and isinstance(target, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        return None

    # Per column: (attribute, encrypt?, conversion, default or the column for the AAD).
    plan: list[tuple[str, bool, Any, Any]] = []
    for field in fields:
        if isinstance(field, EncryptedTextField):
            plan.append((field.attname, True, None, field.column))
        else:
            default = field.get_db_prep_save(field.get_default(), connection)
            plan.append((field.attname, False, converter(field), default))
    per_statement = 500
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                row.setdefault("id", uuid.uuid4())
                row["clinic_id"] = clinic_id
                for name, encrypt, how, extra in plan:
                    if encrypt:
                        text = row.get(name)
                        params.append(
                            keys.encrypt(
                                clinic_id,
                                associated_data(_Row(model, clinic_id, row["id"]), extra),  # type: ignore[arg-type]
                                text,
                            )
                            if text
                            else None
                        )
                    elif name in row:
                        value = row[name]
                        params.append(how(value) if how and value is not None else value)
                    else:
                        params.append(extra)
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({columns}) VALUES "
                + ", ".join([one] * len(chunk)),
                params,
            )


def connect_clinic(clinic_id: uuid.UUID) -> None:
    """The clinic's Twilio settings, as the owner saves them; no quiet hours (runs any time)."""
    from aescrm.accounts.caller import Caller
    from aescrm.messaging import services

    services.settings_set(
        caller=Caller(clinic_id=clinic_id, role="owner"),
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        sending_number=NUMBER,
        quiet_start=dt.time(12),
        quiet_end=dt.time(12),
    )


def _patients(limit: int | None = None) -> list[tuple[uuid.UUID, str, str]]:
    """(id, first name, E.164 phone) of the clinic's patients with a phone, oldest first."""
    from aescrm.patients.models import Patient

    found = Patient.objects.filter(phone__isnull=False).order_by("created_at", "id")
    if limit:
        found = found[:limit]
    return [
        (p.pk, str(p.first_name or "there"), str(p.phone))
        for p in found.only("id", "first_name", "phone", "clinic_id")
    ]


def store_messages(clinic_id: uuid.UUID, n: int, *, seed: int = 2026) -> dict[str, Any]:
    """``n`` messages in SMS conversations with the clinic's patients (about 20 each)."""
    from django.db import transaction

    from aescrm.messaging.models import Conversation, Message, Status
    from aescrm.messaging.segments import sms_segments

    rng = random.Random(seed)
    patients = _patients(max(1, n // 20))
    if not patients:
        raise SystemExit("bench: the clinic has no patients with a phone (run bench.generate)")
    now = dt.datetime.now(dt.UTC)
    year = dt.timedelta(days=365)
    started = time.monotonic()
    parts = {text: sms_segments(text) for text in FROM_PATIENT}
    conversation_ids = [uuid.uuid4() for _ in patients]
    last_at: dict[uuid.UUID, dt.datetime] = {}
    for start in range(0, n, BATCH):
        batch = []
        for i in range(start, min(n, start + BATCH)):
            k = i % len(patients)
            pid, first, phone = patients[k]
            at = now - year + year * (i / n)
            outbound = i % 5 < 3
            if outbound:
                text = rng.choice(TO_PATIENT).format(first=first)
                seg = parts.get(text) or sms_segments(text)
            else:
                text = rng.choice(FROM_PATIENT)
                seg = parts[text]
            batch.append(
                {
                    "conversation_id": conversation_ids[k],
                    "patient_id": pid,
                    "channel": "sms",
                    "direction": "outbound" if outbound else "inbound",
                    "kind": "service",
                    "body": text,
                    "to_address": phone if outbound else NUMBER,
                    "from_address": NUMBER if outbound else phone,
                    "status": Status.DELIVERED if outbound else Status.READ,
                    "provider": "twilio",
                    "provider_id": f"SM{uuid.uuid4().hex}",  # as random as Twilio's
                    "segments": seg.parts,
                    "encoding": seg.encoding,
                    "cost_pence": seg.parts * 4 if outbound else 0,
                    "attempts": 1 if outbound else 0,
                    "attempt_key": f"{i:032x}" if outbound else "",
                    "attempt_started_at": at if outbound else None,
                    "sent_at": at if outbound else None,
                    "delivered_at": at + dt.timedelta(seconds=5) if outbound else None,
                    "read_at": None if outbound else at + dt.timedelta(minutes=20),
                    "created_at": at,
                    "updated_at": at,
                }
            )
            last_at[conversation_ids[k]] = at
        with transaction.atomic():
            if start == 0:
                insert_rows(
                    Conversation,
                    clinic_id,
                    [
                        {
                            "id": cid,
                            "patient_id": pid,
                            "channel": "sms",
                            "created_at": now - year,
                            "last_message_at": None,
                        }
                        for cid, (pid, _, _) in zip(conversation_ids, patients, strict=True)
                    ],
                )
            insert_rows(Message, clinic_id, batch)
        done = start + len(batch)
        if done % 100_000 < BATCH or done == n:
            print(f"  {done:,} messages", file=sys.stderr, flush=True)
    _analyse()  # before the update: without statistics its subquery scans every message
    with transaction.atomic():
        # The conversation list sorts by the last message: one statement, not 50,000.
        Conversation.objects.update(
            last_message_at=models_max_subquery(Message, "conversation_id", "created_at")
        )
    _analyse()
    return {
        "messages": n,
        "conversations": len(patients),
        "generate_seconds": round(time.monotonic() - started, 1),
        "phones": [
            phone for _, _, phone in rng.sample(patients, min(SAMPLE_PHONES, len(patients)))
        ],
    }


def models_max_subquery(model: Any, fk: str, column: str) -> Any:
    """The latest ``column`` of ``model``'s rows pointing at the outer row."""
    from django.db.models import OuterRef, Subquery

    latest = model.objects.filter(**{fk: OuterRef("pk")}).order_by(f"-{column}").values(column)[:1]
    return Subquery(latest)


def check_stored_encrypted(clinic_id: uuid.UUID) -> None:
    """One stored row: ciphertext in the table, and it decrypts for its own row."""
    from django.db import connection

    from aescrm.crypto import keys
    from aescrm.crypto.fields import associated_data
    from aescrm.messaging.models import Message

    message = Message.objects.order_by("created_at").first()
    assert message is not None
    pid = message.pk if connection.vendor == "postgresql" else message.pk.hex
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message WHERE id = %s", [pid])
        (blob,) = cursor.fetchone()
    text = str(message.body)
    assert text.encode() not in bytes(blob), "the body is stored in plaintext"
    assert keys.decrypt(clinic_id, associated_data(message, "body"), bytes(blob)) == text


def queue_for_sender(clinic_id: uuid.UUID, n: int) -> list[uuid.UUID]:
    """``n`` due service texts to ``n`` patients, as ``message_queue`` writes them."""
    from django.db import transaction

    from aescrm.messaging.models import Conversation, Direction, Message, Status
    from aescrm.messaging.segments import sms_segments

    patients = _patients(n)
    if len(patients) < n:
        raise SystemExit(f"bench: {n} texts need {n} patients with a phone, found {len(patients)}")
    conversations = {
        c.patient_id: c
        for c in Conversation.objects.filter(
            channel="sms", patient_id__in=[pid for pid, _, _ in patients]
        )
    }
    missing = [
        Conversation(patient_id=pid, channel="sms")
        for pid, _, _ in patients
        if pid not in conversations
    ]
    Conversation.objects.bulk_create(missing, batch_size=1000)
    conversations.update({c.patient_id: c for c in missing})
    now = dt.datetime.now(dt.UTC)
    ids = []
    for start in range(0, n, BATCH):
        batch = []
        for pid, first, phone in patients[start : start + BATCH]:
            conversation = conversations[pid]
            text = f"Hi {first}, a reminder of your appointment tomorrow at 10:00."
            seg = sms_segments(text)
            batch.append(
                Message(
                    conversation=conversation,
                    patient_id=pid,
                    channel="sms",
                    direction=Direction.OUTBOUND,
                    kind="service",
                    body=text,
                    to_address=phone,
                    from_address=NUMBER,
                    status=Status.QUEUED,
                    segments=seg.parts,
                    encoding=seg.encoding,
                    cost_pence=seg.parts * 4,
                    next_attempt_at=now,
                )
            )
        with transaction.atomic():
            Message.objects.bulk_create(batch, batch_size=1000)
        ids += [m.pk for m in batch]
    return ids


def run_sender(clinic_id: uuid.UUID, n: int, workdir: Path) -> dict[str, Any]:
    """Queue ``n`` texts, send them with `aescrm send_messages --once`, time and check it."""
    import threading

    from aescrm.core.tenancy import clinic_scope
    from aescrm.messaging.models import Message, Status
    from aescrm.testing.fakes.base import Recorded
    from aescrm.testing.fakes.twilio import FakeTwilio

    class TimedTwilio(FakeTwilio):
        def __init__(self) -> None:
            super().__init__()
            self.posted: list[float] = []
            self.times_lock = threading.Lock()

        def handle(self, request: Recorded) -> Any:
            answer = super().handle(request)
            if request.method == "POST":
                with self.times_lock:
                    self.posted.append(time.monotonic())
            return answer

    with clinic_scope(clinic_id):
        ids = queue_for_sender(clinic_id, n)
    fake = TimedTwilio()
    fake.start()
    log = workdir / "sender.log"
    env = dict(
        os.environ,
        MESSAGING_MODE="live",
        TWILIO_API_BASE=fake.api_base,
        PUBLIC_BASE_URL="http://127.0.0.1:8000",
        LOG_LEVEL="WARNING",
        # The sender's own speed: the per-number pacing (60 segments a minute by
        # default, aescrm.messaging.throttle) would otherwise be what is measured.
        MESSAGING_SEGMENTS_PER_MINUTE="0",
        MESSAGING_MAX_PER_RECIPIENT_PER_HOUR="0",
    )
    env.pop("AESCRM_TESTING", None)
    try:
        started = time.monotonic()
        with log.open("w") as out:
            done = subprocess.run(
                [sys.executable, "-m", "aescrm.cli", "send_messages", "--once"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=3600,
                check=False,
            )
        wall = time.monotonic() - started
    finally:
        fake.stop()
    if done.returncode != 0:
        raise SystemExit(f"bench: send_messages exited {done.returncode}; see {log}")
    taken = fake.taken()
    with clinic_scope(clinic_id):
        rows = list(Message.objects.filter(pk__in=ids).values_list("status", "provider_id"))
    sids = [sid for _, sid in rows]
    exactly_once = (
        len(taken) == n
        and len({m["to"] for m in taken}) == n
        and all(status == Status.SENT for status, _ in rows)
        and len(set(sids)) == n
        and set(sids) == {m["sid"] for m in taken}
    )
    posted = sorted(fake.posted)
    span = posted[-1] - posted[0] if len(posted) > 1 else 0.0
    return {
        "queued": n,
        "taken_by_twilio": len(taken),
        "rows_sent": sum(1 for status, _ in rows if status == Status.SENT),
        "exactly_once": exactly_once,
        "wall_seconds": round(wall, 1),
        "sending_seconds": round(span, 1),
        "rate_per_second": round((len(posted) - 1) / span, 1) if span else 0.0,
        "end_to_end_per_second": round(n / wall, 1) if wall else 0.0,
    }


def _analyse() -> None:
    """Fresh planner statistics for the tables just filled, as production keeps them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE messaging_message")
            cursor.execute("ANALYZE messaging_conversation")
    else:
        from aescrm.core.maintenance import refresh_planner_statistics

        refresh_planner_statistics()


def count_stored(clinic_id: uuid.UUID, tag: str) -> int:
    from aescrm.core.tenancy import clinic_scope
    from aescrm.messaging.models import Message

    with clinic_scope(clinic_id):
        return Message.objects.filter(provider_id__startswith=f"{SID_PREFIX}{tag}").count()


# --- report ------------------------------------------------------------------------------------


def markdown(results: dict[str, Any], data: dict[str, Any], sender: dict[str, Any]) -> str:
    engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
        results["engine"], results["engine"]
    )
    r = results["results"]
    lines = [
        f"## Messaging on {engine}",
        "",
        f"{data['messages']:,} texts stored in {data['conversations']:,} SMS conversations "
        f"of the benchmark clinic (bodies and both numbers encrypted for their own row, over "
        f"the past year), generated in {data['generate_seconds']} s. Same server A and wrk "
        "settings as above; every request is a POST signed with Twilio's algorithm "
        "(X-Twilio-Signature over the public URL and the form) for the clinic's number.",
        "",
        "| scenario | req/s | p50 ms | p99 ms | ratio to signed bare | errors | other load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    if "sms_bare" in r and "sms_inbound" in r:
        base = r["sms_bare"]["rps"]
        for key in ("sms_bare", "sms_inbound"):
            x = r[key]
            lines.append(
                f"| `{x['label']}` | {x['rps']:.0f} | {x['p50_us'] / 1000:.1f} "
                f"| {x['p99_us'] / 1000:.1f} | {x['rps'] / base if base else 0:.2f} "
                f"| {x['errors']} | {x.get('background_cpu', -1):.0f}% |"
            )
        inbound = r["sms_inbound"]
        stored = data.get("stored_measured")
        lines += [
            "",
            "- `/bench/twilio-bare` (mounted only with `AESCRM_BENCH_ENDPOINTS=true`) finds "
            "the clinic by the `To` number, decrypts its auth token and checks the signature, "
            "then answers empty TwiML: the webhook's first step alone.",
            "- `/webhooks/twilio/sms`: the same check, then the replay check on the "
            "MessageSid, the thread lookup (the sender's phone blind index, the patient's "
            "SMS conversation), the message stored encrypted with its audit entry, and the "
            "empty TwiML answer. Every request carries a new MessageSid (pre-signed by "
            "`bench/messaging.py`, replayed in order by `bench/wrk.lua`), from one of "
            f"{len(data['phones']):,} patients' numbers.",
        ]
        if stored is not None:
            short = stored < inbound["requests"] - inbound["errors"]
            lines.append(
                f"- Stored by the measured run: {stored:,} new inbound texts for "
                f"{inbound['requests']:,} answered requests (a few more may be answered "
                "after wrk stopped counting)"
                + (": **fewer stored than answered**." if short else ".")
            )
        if inbound.get("wrapped"):
            lines.append(
                "- **The pre-signed requests ran out and some were sent again** (replays are "
                "cheaper): raise `BENCH_SMS_REQUESTS`."
            )
    else:
        lines.append("| (not run) | | | | | | |")
    lines += [
        "",
        f"Sender: {sender['queued']:,} due texts to {sender['queued']:,} patients, sent by "
        "`aescrm send_messages --once` (one process, as a deployment runs it) against the "
        "fake Twilio on 127.0.0.1 (a Python HTTP server in the benchmark's process, "
        "answering at once; real Twilio answers in 100–300 ms, so a real sender spends most "
        "of its time waiting and more senders in parallel help). Sending limits are off "
        "for this run (`MESSAGING_SEGMENTS_PER_MINUTE=0`): in service a clinic's number is "
        "paced at 60 segments a minute, far below this rate:",
        "",
        "| texts | sending time s | texts/s while sending | start to exit s "
        "| texts/s incl. start-up | Twilio took | each exactly once |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {sender['queued']:,} | {sender['sending_seconds']} | {sender['rate_per_second']:.0f} "
        f"| {sender['wall_seconds']} | {sender['end_to_end_per_second']:.0f} "
        f"| {sender['taken_by_twilio']:,} | {'yes' if sender['exactly_once'] else '**no**'} |",
        "",
        "Per text the sender claims (in batches of 100), re-reads the patient for the policy "
        "check, marks the attempt (`sending`, attempt key, committed), calls Twilio, and "
        "records the sid with its audit entry in one transaction.",
    ]
    return "\n".join(lines) + "\n"


# --- command line ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    gen = steps.add_parser("generate")
    gen.add_argument("--dataset", type=Path, required=True)
    gen.add_argument("--messages", type=int, default=1_000_000)
    gen.add_argument("--out", type=Path, required=True)
    snd = steps.add_parser("sender")
    snd.add_argument("--messaging", type=Path, required=True)
    snd.add_argument("--queued", type=int, default=10_000)
    snd.add_argument("--out", type=Path, required=True)
    rep = steps.add_parser("report")
    rep.add_argument("--results", type=Path, required=True)
    rep.add_argument("--messaging", type=Path, required=True)
    rep.add_argument("--sender", type=Path, required=True)
    rep.add_argument("--markdown", type=Path, required=True)
    args = parser.parse_args()

    if args.step == "generate":
        if not 1 <= args.messages <= 5_000_000:
            sys.exit("--messages must be between 1 and 5,000,000")
        _setup()
        from aescrm.core.tenancy import clinic_scope

        dataset = json.loads(args.dataset.read_text())
        clinic_id = uuid.UUID(dataset["clinic_id"])
        with clinic_scope(clinic_id):
            connect_clinic(clinic_id)
            data = store_messages(clinic_id, args.messages)
            check_stored_encrypted(clinic_id)
        data.update(clinic_id=str(clinic_id), number=NUMBER, auth_token=AUTH_TOKEN)
        args.out.write_text(json.dumps(data, indent=1))
        print(
            f"stored {data['messages']:,} messages in {data['conversations']:,} conversations "
            f"in {data['generate_seconds']} s"
        )
    elif args.step == "sender":
        if not 1 <= args.queued <= 100_000:
            sys.exit("--queued must be between 1 and 100,000")
        _setup()
        data = json.loads(args.messaging.read_text())
        result = run_sender(uuid.UUID(data["clinic_id"]), args.queued, args.out.parent)
        args.out.write_text(json.dumps(result, indent=1))
        print(
            f"sender: {result['queued']:,} texts in {result['sending_seconds']} s "
            f"({result['rate_per_second']:.0f}/s), exactly once: {result['exactly_once']}"
        )
        return 0 if result["exactly_once"] else 1
    else:
        _setup()
        results = json.loads(args.results.read_text())
        data = json.loads(args.messaging.read_text())
        if "sms_inbound" in results["results"]:
            data["stored_measured"] = count_stored(uuid.UUID(data["clinic_id"]), "m")
        sender = json.loads(args.sender.read_text())
        args.markdown.write_text(markdown(results, data, sender))
    return 0


if __name__ == "__main__":
    sys.exit(main())
