"""Benchmark the attribution report on PostgreSQL at 1,000,000 enquiries.

Creates a scratch database (``BENCH_DATABASE_URL``, default
postgres://aescrm_app:aescrm_app@127.0.0.1:5432/aescrm_report_bench, a role
without BYPASSRLS so row-level security is in force), migrates it, and fills
one clinic in bulk SQL (generate_series; nothing row by row through the ORM):
patients, enquiries (70 % answered, for speed-to-lead), first touches for
85 % of enquiries and a different last touch for 30 %, appointments (60 %
attended, 20 % no-show), their lead / booked / attended / revenue conversion
events crediting those touches, and a year of daily ad spend per campaign.

Then, for each scenario, it times the report service
(``aescrm.reports.attribution.attribution_report``) against one hand-written
SQL query computing the same table (rows and totals), checks that both give
identical figures, and reports the median of several runs of each and their
ratio (target: the service within 1.5x of the hand-written query).

Usage: python -m bench.report_bench [--enquiries 1000000] [--appointments 200000]
         [--runs 5] [--json OUT.json] [--markdown OUT.md] [--update-doc docs/benchmarks.md]
Exit status 3: PostgreSQL is not reachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://aescrm_app:aescrm_app@127.0.0.1:5432/aescrm_report_bench"
TARGET = 1.5
START_MARK = "<!-- report-bench:start -->"
END_MARK = "<!-- report-bench:end -->"

# (group_by, model, days): a year by campaign, a year by source, a month by keyword.
SCENARIOS = [
    ("campaign", "last_touch", 365),
    ("source", "first_touch", 365),
    ("keyword", "last_touch", 30),
]

LOADED_TABLES = (
    "patients_patient",
    "patients_enquiry",
    "patients_appointment",
    "attribution_touch",
    "attribution_conversionevent",
    "reports_adspend",
)
SOURCES = "ARRAY['google','google','google','facebook','instagram','bing','newsletter','']"
MEDIUMS = "ARRAY['cpc','cpc','organic','paid_social','paid_social','cpc','email','']"


def _touch_values(seed: str) -> str:
    """SQL for utm_source, utm_medium, utm_campaign, utm_term of touch number g."""
    s = f"(abs(hashtext('{seed}' || g)) % 8)"
    c = f"(abs(hashtext('{seed}c' || g)) % 6)"
    k = f"(abs(hashtext('{seed}k' || g)) % 40)"
    return (
        f"({SOURCES})[{s} + 1], ({MEDIUMS})[{s} + 1], "
        f"CASE WHEN {s} IN (2, 7) THEN '' ELSE 'campaign-' || {s} || '-' || {c} END, "
        f"CASE WHEN {s} IN (0, 1, 5) THEN 'keyword ' || {k} ELSE '' END"
    )


def _untagged_google_click(seed: str) -> str:
    """SQL for has_google_click: half the touches without a utm_source (auto-tagged clicks)."""
    return f"((abs(hashtext('{seed}' || g)) % 8) = 7 AND g % 2 = 0)"


def generate(
    clinic_id: uuid.UUID, treatment_id: Any, practitioner_id: Any, n: int, appts: int
) -> None:
    from django.db import connection

    patients = max(1, n // 4)
    ts = "(now() - ((g::bigint * 7919) % 525600) * interval '1 minute')"
    first = "md5('tf' || g)::uuid"
    last = "md5('tl' || g)::uuid"
    has_first = "(g % 20 < 17)"
    has_last = "(g % 10 < 3)"
    last_of = f"CASE WHEN {has_first} THEN CASE WHEN {has_last} THEN {last} ELSE {first} END END"
    first_of = f"CASE WHEN {has_first} THEN {first} END"
    statements = [
        f"""INSERT INTO patients_patient (id, clinic_id, stage, tags, consent_sms, consent_email,
            consent_phone, restricted, objects_to_profiling, created_at, updated_at)
            SELECT md5('p' || g)::uuid, %(c)s, 'lead', '[]'::jsonb, false, false, false, false,
            false, now(), now() FROM generate_series(1, {patients}) g""",
        f"""INSERT INTO patients_enquiry (id, clinic_id, patient_id, channel, status, stage,
            lost_reason, created_at, first_response_at)
            SELECT md5('e' || g)::uuid, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            'web_form', CASE WHEN g % 10 < 7 THEN 'contacted' ELSE 'new' END,
            CASE WHEN g % 10 < 7 THEN 'contacted' ELSE 'new' END, '', {ts},
            CASE WHEN g % 10 < 7 THEN {ts} + ((g * 37) % 2880) * interval '1 minute' END
            FROM generate_series(1, {n}) g""",
        f"""INSERT INTO attribution_touch (id, clinic_id, patient_id, enquiry_id, position,
            utm_source, utm_medium, utm_campaign, utm_term, utm_content, channel, occurred_at,
            marketing_consent, has_google_click, has_meta_click, created_at)
            SELECT {first}, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            md5('e' || g)::uuid, 'first', {_touch_values("f")}, '', 'paid_search',
            {ts} - interval '5 minutes', true, {_untagged_google_click("f")}, false, now()
            FROM generate_series(1, {n}) g WHERE {has_first}""",
        f"""INSERT INTO attribution_touch (id, clinic_id, patient_id, enquiry_id, position,
            utm_source, utm_medium, utm_campaign, utm_term, utm_content, channel, occurred_at,
            marketing_consent, has_google_click, has_meta_click, created_at)
            SELECT {last}, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            md5('e' || g)::uuid, 'last', {_touch_values("l")}, '', 'paid_social',
            {ts} - interval '1 minute', true, {_untagged_google_click("l")}, false, now()
            FROM generate_series(1, {n}) g WHERE {has_first} AND {has_last}""",
        f"""INSERT INTO attribution_conversionevent (id, clinic_id, patient_id, kind, enquiry_id,
            value_pence, occurred_at, first_touch_id, last_touch_id, created_at)
            SELECT md5('cl' || g)::uuid, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            'lead', md5('e' || g)::uuid, 0, {ts}, {first_of}, {last_of}, now()
            FROM generate_series(1, {n}) g""",
    ]
    # Appointment a belongs to enquiry g = 5a (so g stays the enquiry's number below).
    appt = f"FROM (SELECT a, a * {max(1, n // appts)} AS g FROM generate_series(1, {appts}) a) x"
    value = "(5000 + (a % 7) * 2500)"
    statements += [
        f"""INSERT INTO patients_appointment (id, clinic_id, patient_id, treatment_id,
            practitioner_id, starts_at, ends_at, status, value_pence, created_at, updated_at)
            SELECT md5('a' || a)::uuid, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            %(t)s, %(p)s, timestamptz '2020-01-01' + a * interval '30 minutes',
            timestamptz '2020-01-01' + a * interval '30 minutes' + interval '25 minutes',
            CASE WHEN a % 10 < 6 THEN 'attended' WHEN a % 10 < 8 THEN 'no_show' ELSE 'booked' END,
            {value}, {ts} + interval '1 day', now() {appt}""",
        f"""INSERT INTO attribution_conversionevent (id, clinic_id, patient_id, kind,
            appointment_id, value_pence, occurred_at, first_touch_id, last_touch_id, created_at)
            SELECT md5('cb' || a)::uuid, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            'booked', md5('a' || a)::uuid, {value}, {ts} + interval '1 day', {first_of},
            {last_of}, now() {appt}""",
        f"""INSERT INTO attribution_conversionevent (id, clinic_id, patient_id, kind,
            appointment_id, value_pence, occurred_at, first_touch_id, last_touch_id, created_at)
            SELECT md5('ca' || a)::uuid, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            'attended', md5('a' || a)::uuid, {value}, {ts} + interval '8 days', {first_of},
            {last_of}, now() {appt} WHERE a % 10 < 6""",
        f"""INSERT INTO attribution_conversionevent (id, clinic_id, patient_id, kind,
            appointment_id, value_pence, occurred_at, first_touch_id, last_touch_id, created_at)
            SELECT md5('cr' || a)::uuid, %(c)s, md5('p' || ((g - 1) % {patients} + 1))::uuid,
            'revenue', md5('a' || a)::uuid, {value}, {ts} + interval '8 days', {first_of},
            {last_of}, now() {appt} WHERE a % 10 < 6""",
        """INSERT INTO reports_adspendimport (id, clinic_id, source_format, filename, row_count,
            replaced_count, total_pence, created_at)
            VALUES (md5('batch')::uuid, %(c)s, 'plain', 'bench.csv', 0, 0, 0, now())""",
        f"""INSERT INTO reports_adspend (id, clinic_id, date, source, medium, campaign,
            spend_pence, currency, batch_id, updated_at)
            SELECT md5('s' || d || '-' || s || '-' || c)::uuid, %(c)s,
            (now() - d * interval '1 day')::date, ({SOURCES})[s + 1], ({MEDIUMS})[s + 1],
            'campaign-' || s || '-' || c, 1000 + abs(hashtext(d || '-' || s || c)) % 20000,
            'GBP', md5('batch')::uuid, now()
            FROM generate_series(0, 400) d, unnest(ARRAY[0, 1, 3, 4, 5]) s,
            generate_series(0, 5) c""",
    ]
    params = {"c": str(clinic_id), "t": str(treatment_id), "p": str(practitioner_id)}
    with connection.cursor() as cursor:
        # The usual bulk load: foreign keys come off for the load and go back on after,
        # each checked by one join instead of millions of deferred per-row checks.
        # (Checks already queued in this transaction run now, so the tables can change.)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
               FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
            [list(LOADED_TABLES)],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for statement in statements:
            # The modulo operator next to %(name)s placeholders must be doubled.
            cursor.execute(statement.replace(" % ", " %% "), params)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


KEY_COLUMNS = {
    "source": (("utm_source", "(direct)"), ("utm_medium", "(none)")),
    "campaign": (("utm_source", "(direct)"), ("utm_campaign", "(none)")),
    "keyword": (("utm_source", "(direct)"), ("utm_campaign", "(none)"), ("utm_term", "(none)")),
}
SPEND_COLUMNS = {
    "source": ("source", "COALESCE(NULLIF(medium, ''), '(none)')"),
    "campaign": ("source", "campaign"),
}


def hand_sql(group_by: str, model: str) -> str:
    """One query: the grouped events (and their grand total) joined to the grouped spend."""
    keys = KEY_COLUMNS[group_by]
    names = [f"k{i}" for i in range(len(keys))]
    google = {"utm_source": "google", "utm_medium": "cpc"}  # an untagged Google Ads click
    key_sql = ", ".join(
        f"COALESCE(NULLIF(t.{column}, ''), "
        f"CASE WHEN t.has_google_click AND COALESCE(t.utm_source, '') = '' "
        f"THEN '{google[column]}' END, '{empty}') AS {name}"
        if column in google
        else f"COALESCE(NULLIF(t.{column}, ''), '{empty}') AS {name}"
        for (column, empty), name in zip(keys, names, strict=True)
    )
    group = ", ".join(names)
    spend = SPEND_COLUMNS.get(group_by)
    if spend:
        spend_cte = (
            f", sp AS (SELECT {spend[0]} AS k0, {spend[1]} AS k1, sum(spend_pence) AS spend "
            "FROM reports_adspend WHERE clinic_id = %(c)s AND date BETWEEN %(d0)s AND %(d1)s "
            "GROUP BY 1, 2)"
        )
        select = (
            f"SELECT {', '.join(f'COALESCE(a.{n}, sp.{n})' for n in names)}, "
            "COALESCE(a.leads, 0), COALESCE(a.booked, 0), COALESCE(a.attended, 0), "
            "COALESCE(a.revenue, 0), COALESCE(sp.spend, 0), a.speed, false "
            "FROM (SELECT * FROM agg WHERE NOT is_total) a FULL JOIN sp USING (k0, k1) "
            "UNION ALL SELECT "
            + ", ".join("NULL" for _ in names)
            + ", leads, booked, attended, COALESCE(revenue, 0), "
            "(SELECT COALESCE(sum(spend), 0) FROM sp), speed, true FROM agg WHERE is_total"
        )
    else:
        spend_cte = ""
        select = (
            f"SELECT {group}, leads, booked, attended, COALESCE(revenue, 0), NULL, speed, "
            "is_total FROM agg"
        )
    return f"""
        WITH ev AS (
            SELECT {key_sql}, e.kind, e.value_pence,
                   EXTRACT(EPOCH FROM (q.first_response_at - q.created_at)) AS speed
            FROM attribution_conversionevent e
            LEFT JOIN attribution_touch t ON t.id = e.{model}_id
            LEFT JOIN patients_enquiry q ON q.id = e.enquiry_id
            WHERE e.clinic_id = %(c)s AND e.occurred_at >= %(t0)s AND e.occurred_at < %(t1)s
        ), agg AS (
            SELECT {group}, GROUPING({group}) <> 0 AS is_total,
                   count(*) FILTER (WHERE kind = 'lead') AS leads,
                   count(*) FILTER (WHERE kind = 'booked') AS booked,
                   count(*) FILTER (WHERE kind = 'attended') AS attended,
                   sum(value_pence) FILTER (WHERE kind = 'revenue') AS revenue,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY speed)
                       FILTER (WHERE kind = 'lead') AS speed
            FROM ev GROUP BY GROUPING SETS (({group}), ())
        ){spend_cte}
        {select}
    """


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def run_hand(clinic: Any, group_by: str, model: str, d0: dt.date, d1: dt.date) -> dict[Any, Any]:
    from django.db import connection

    from aescrm.reports.attribution import local_bounds

    t0, t1 = local_bounds(clinic, d0, d1)
    with connection.cursor() as cursor:
        cursor.execute(
            hand_sql(group_by, model), {"c": str(clinic.pk), "t0": t0, "t1": t1, "d0": d0, "d1": d1}
        )
        result = cursor.fetchall()
    n = len(KEY_COLUMNS[group_by])
    table: dict[Any, Any] = {}
    for row in result:
        key = "TOTAL" if row[-1] else tuple(row[:n])
        leads, booked, attended, revenue, spend, speed = row[n:-1]
        table[key] = (leads, booked, attended, int(revenue), spend, _round(speed))
    if "TOTAL" not in table:
        table["TOTAL"] = (0, 0, 0, 0, None if group_by == "keyword" else 0, None)
    return table


def run_service(
    clinic: Any, caller: Any, group_by: str, model: str, d0: dt.date, d1: dt.date
) -> dict[Any, Any]:
    from aescrm.reports.attribution import attribution_report

    report = attribution_report(
        caller=caller, clinic=clinic, date_from=d0, date_to=d1, group_by=group_by, model=model
    )
    table: dict[Any, Any] = {
        tuple(r.key.values()): (
            r.leads,
            r.booked,
            r.attended,
            r.revenue_pence,
            r.spend_pence,
            r.median_speed_to_lead_seconds,
        )
        for r in report.rows
    }
    t = report.totals
    table["TOTAL"] = (
        t.leads,
        t.booked,
        t.attended,
        t.revenue_pence,
        None if group_by == "keyword" else t.spend_pence,
        t.median_speed_to_lead_seconds,
    )
    return table


def _timed(fn: Any, runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def measure(clinic: Any, runs: int) -> list[dict[str, Any]]:
    from aescrm.accounts.caller import Caller
    from aescrm.core.tenancy import clinic_scope

    caller = Caller(clinic_id=clinic.pk, role="owner")
    today = dt.datetime.now(clinic.tz).date()
    results = []
    with clinic_scope(clinic.pk):
        for group_by, model, days in SCENARIOS:
            d0, d1 = today - dt.timedelta(days=days - 1), today
            # One warm-up each, so both start from the same cache state.
            run_hand(clinic, group_by, model, d0, d1)
            run_service(clinic, caller, group_by, model, d0, d1)
            hand_times, hand = _timed(
                lambda g=group_by, m=model, a=d0, b=d1: run_hand(clinic, g, m, a, b), runs
            )
            service_times, service = _timed(
                lambda g=group_by, m=model, a=d0, b=d1: run_service(clinic, caller, g, m, a, b),
                runs,
            )
            same = hand == service
            if not same:
                diff = sorted(
                    (str(k), hand.get(k), service.get(k))
                    for k in set(hand) | set(service)
                    if hand.get(k) != service.get(k)
                )[:5]
                print(f"report bench: MISMATCH {group_by}/{model}: {diff}", file=sys.stderr)
            h, s = statistics.median(hand_times), statistics.median(service_times)
            results.append(
                {
                    "group_by": group_by,
                    "model": model,
                    "days": days,
                    "rows": len(service) - 1,
                    "events_leads": service["TOTAL"][0],
                    "hand_ms": round(h * 1000, 1),
                    "service_ms": round(s * 1000, 1),
                    "ratio": round(s / h, 2) if h else None,
                    "identical": same,
                }
            )
            print(
                f"  {group_by:8} {model:11} {days:3} days: hand {h * 1000:8.1f} ms, "
                f"service {s * 1000:8.1f} ms, ratio {s / h:.2f}, "
                f"{'identical' if same else 'DIFFERENT'} ({len(service) - 1} rows)"
            )
    return results


def counts(clinic: Any) -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for label, table in (
            ("enquiries", "patients_enquiry"),
            ("appointments", "patients_appointment"),
            ("touches", "attribution_touch"),
            ("conversion_events", "attribution_conversionevent"),
            ("spend_rows", "reports_adspend"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table} WHERE clinic_id = %s", [str(clinic.pk)])
            out[label] = cursor.fetchone()[0]
    return out


def markdown(data: dict[str, Any]) -> str:
    c = data["counts"]
    lines = [
        START_MARK,
        "## Attribution report (PostgreSQL)",
        "",
        f"Written by `bench/report_bench.py` on {data['when']} ({data['engine']}; "
        "row-level security in force). One clinic generated in bulk SQL in "
        f"{data['generate_seconds']} s: {c['enquiries']:,} enquiries, {c['appointments']:,} "
        f"appointments, {c['touches']:,} touches, {c['conversion_events']:,} conversion events, "
        f"{c['spend_rows']:,} daily spend rows. Each figure is the median of {data['runs']} runs "
        "after one warm-up; *hand SQL* is one hand-written query computing the same table "
        "(rows, totals and medians), and both answers are compared cell by cell.",
        "",
        "| group by | credit | range | rows | leads in range | hand SQL ms | service ms | ratio "
        "| target | same figures |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in data["results"]:
        ok = r["ratio"] is not None and r["ratio"] <= TARGET
        lines.append(
            f"| {r['group_by']} | {r['model'].replace('_', ' ')} | {r['days']} days | {r['rows']} "
            f"| {r['events_leads']:,} | {r['hand_ms']:.0f} | {r['service_ms']:.0f} "
            f"| {r['ratio']:.2f} | ≤ {TARGET} {'**meets**' if ok else '**misses**'} "
            f"| {'yes' if r['identical'] else '**no**'} |"
        )
    lines += [
        "",
        "The service runs two statements: the events grouped by the key with their grand "
        "total in the same pass (`GROUPING SETS`), and the grouped spend, joined in Python "
        "(a few hundred rows at most); the hand-written query does both in one statement.",
        END_MARK,
    ]
    return "\n".join(lines) + "\n"


def update_doc(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START_MARK in text and END_MARK in text:
        before = text.split(START_MARK)[0]
        after = text.split(END_MARK, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--enquiries", type=int, default=1_000_000)
    parser.add_argument("--appointments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--update-doc", type=Path)
    args = parser.parse_args()
    if not 1 <= args.appointments <= args.enquiries:
        sys.exit("--appointments must be between 1 and --enquiries")

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    from bench.pg import recreate

    status = recreate(url)
    if status:
        return status
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aescrm.settings")
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")  # scratch data only: the development defaults do
    if not (os.environ.get("AESCRM_MASTER_KEY") or os.environ.get("AESCRM_MASTER_KEY_FILE")):
        # A throw-away key for the scratch clinic (no patient data is encrypted here).
        import base64
        import secrets

        os.environ["AESCRM_MASTER_KEY"] = base64.b64encode(secrets.token_bytes(32)).decode()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from aescrm.accounts.services import clinic_create
    from aescrm.core.tenancy import clinic_scope
    from aescrm.patients.models import Practitioner, Treatment

    if connection.vendor != "postgresql":
        sys.exit("report bench: BENCH_DATABASE_URL must name a PostgreSQL database")
    call_command("migrate", verbosity=0, interactive=False)
    clinic = clinic_create(name="Report Bench Clinic", slug="report-bench", domains=[])
    started = time.perf_counter()
    with clinic_scope(clinic.pk), transaction.atomic():
        treatment = Treatment.objects.create(
            name="Consultation", category="Dental", duration_minutes=30, price_pence=7500
        )
        practitioner = Practitioner.objects.create(display_name="Dr Bench", profession="Dentist")
        generate(clinic.pk, treatment.pk, practitioner.pk, args.enquiries, args.appointments)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generate_seconds = round(time.perf_counter() - started, 1)
    with clinic_scope(clinic.pk):
        n = counts(clinic)
    print(
        f"report bench: generated {n['enquiries']:,} enquiries, {n['appointments']:,} "
        f"appointments, {n['conversion_events']:,} events in {generate_seconds} s"
    )
    results = measure(clinic, args.runs)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    data = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "engine": f"PostgreSQL {version}",
        "generate_seconds": generate_seconds,
        "counts": n,
        "runs": args.runs,
        "results": results,
    }
    section = markdown(data)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(section)
    if args.update_doc:
        update_doc(args.update_doc, section)
        print(f"report bench: wrote its section of {args.update_doc}")
    worst = max((r["ratio"] or 0) for r in results)
    print(f"report bench: worst ratio service / hand SQL = {worst:.2f} (target ≤ {TARGET})")
    return 0 if all(r["identical"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
