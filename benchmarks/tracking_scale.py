"""Benchmark: agency scorecards and the bulk export with a million obligations on PostgreSQL.

    .venv/bin/python benchmarks/tracking_scale.py
    .venv/bin/python benchmarks/tracking_scale.py --obligations 50000 --runs 10 --json out.json

What it does (docs/performance.md, "Civic tracking", has the results):

1. Production settings (`ashyq.settings.production`, DEBUG off) with a throwaway secret,
   no Redis (the local-memory cache) and the API's rate limit raised out of the way. The
   database is `--database-url`, by default
   `postgres://postgres@127.0.0.1:5432/ashyq_bench_tracking`: it is dropped and created
   again (its name must contain "bench"), migrated, and dropped at the end (`--keep` keeps
   it; `--reuse` uses the ledger a previous `--keep` run left if it has as many rows).
2. Seeds `--obligations` rows (1,000,000) of `tracking.Obligation` with PostgreSQL's COPY:
   200 agencies (a few busy ministries, many quiet offices: Zipf-like weights), every
   registered kind in realistic shares (questions and draft comments first), opening
   dates over five years up to now, and dates computed as the services would: due dates
   on the working-day calendar from each kind's rule; about 78% answered (three in ten
   of them late), 4% withdrawn, the rest open (overdue when past due); 3% redirected
   (with their `ObligationRedirect` rows and a fresh period), 5% extended, 3% waited on
   the citizen (the due date moved by the days waited; a few wait now), 30% acknowledged
   before the answer, and 40% of answers rated (half satisfied, three in ten not, two in
   ten a brush-off); `response_days` and `answer_days` as the ledger stores them. The
   subject of every obligation is an agency, and each kind is registered again in this
   process with `title_of`/`url_of` reading the agency: creating a million questions,
   comments and petitions through their services would take hours and measure nothing
   more (the export does the same work per row: one prefetch query per subject type per
   chunk, a title and a URL per row).
3. `VACUUM ANALYZE` of the ledger (what autovacuum does after a bulk load).
4. Times, through Django's test `Client` (the whole request: middleware, view, queries,
   serialisation or template rendering), round-robin, `--runs` each after a warm-up:
   the API scorecard of the busiest agency and the comparison of all agencies for the
   current quarter, the last year and five years; the scorecard CSV download; and the
   scorecard and comparison pages (`tracking:agency_scorecard`,
   `tracking:scorecard_comparison`) when they exist. Query counts are counted once per
   case (a counter, not a log).
5. Streams the CSV export of every obligation (`/api/v1/obligations/export/`) through the
   `Client`, reading the body chunk by chunk as a server would send it: the time, the
   rows, the bytes, the queries, the process's RSS before and at its peak (sampled every
   10,000 rows) and `ru_maxrss`; then the same with `tracemalloc` on, for the peak of
   Python allocations (slower: its time is not the export's). `--skip-tracemalloc` skips
   the second pass; `--export-format jsonl` streams the JSON Lines instead.
6. Prints a markdown table and the load averages; `--json PATH` writes it all as JSON.

The time is wall-clock time in this process: the database runs on the same machine, and
other work on it shows in the numbers (hence the load average).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import random
import resource
import secrets
import signal
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

from pg_bench import (  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
    database_exists,
    database_name,
    django_setup,
    drop_database,
    fmt_load,
    machine_info,
    migrate,
    recreate_database,
    summarise,
    vacuum_analyze,
    wait_for_load,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ashyq_bench_tracking"
# analysed after seeding
TABLES = ("tracking_obligation", "tracking_obligationredirect", "accounts_agency")
AGENCIES = 200
YEARS = 5
BATCH = 20_000
HOST = "localhost"


# --- arguments and environment -------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Scorecards and the streamed export with a large obligations ledger."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database to (re)create and fill ({DEFAULT_DATABASE_URL}); "
        "its name must contain 'bench': it is dropped",
    )
    parser.add_argument("--obligations", type=int, default=1_000_000, help="ledger rows (1000000)")
    parser.add_argument("--runs", type=int, default=20, help="timed requests per case (20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed requests per case (2)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the ledger")
    parser.add_argument(
        "--max-load",
        type=float,
        default=0.0,
        help="before timing, wait (up to 10 minutes) until the 1-minute load average is "
        "below this (0: do not wait)",
    )
    parser.add_argument(
        "--export-format", choices=["csv", "jsonl"], default="csv", help="the export streamed"
    )
    parser.add_argument(
        "--skip-export", action="store_true", help="do not stream the export at all"
    )
    parser.add_argument(
        "--skip-tracemalloc", action="store_true", help="stream the export once, untraced"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the ledger already in the database (left by --keep) if it has the rows",
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if args.obligations < 1000 or args.runs < 1:
        parser.error("--obligations must be at least 1000 and --runs at least 1")
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql", "pgsql"):
        parser.error("--database-url must be a PostgreSQL URL")
    name = database_name(args.database_url)
    if "bench" not in name:
        parser.error(f"refusing to drop database {name!r}: its name must contain 'bench'")
    return args


def configure_environment(args: argparse.Namespace) -> None:
    """Production settings with what they insist on; no Redis, no Elasticsearch."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ashyq.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"127.0.0.1,{HOST}",
            "DATABASE_URL": args.database_url,
            "ELASTICSEARCH_URL": "",
            "REDIS_URL": "",
            "SECURE_SSL_REDIRECT": "False",
            "LOG_LEVEL": "WARNING",
            # The benchmark is one client making hundreds of requests a minute.
            "API_ANON_RATE": "1000000/min",
        }
    )


# --- the database ----------------------------------------------------------------------------


def plain_static_files() -> None:
    """Templates name static files; production's manifest storage needs `collectstatic`,
    which is no part of a page's time: serve their plain names instead."""
    from django.conf import settings
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages).enable()


def table_sizes() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('tracking_obligation')), "
            "pg_size_pretty(pg_indexes_size('tracking_obligation'))"
        )
        table, indexes = cursor.fetchone()
    return {"table": table, "indexes": indexes}


# --- the kinds -------------------------------------------------------------------------------

# Shares of the kinds by a word of their key; a kind matching none gets "other".
KIND_WEIGHTS = [
    ("question", 40),
    ("comment", 30),
    ("thread", 8),
    ("report", 3),
    ("moderation", 8),
    ("petition", 2),
]
OTHER_WEIGHT = 3


def register_agency_subjects() -> None:
    """Every kind again, with the agency as its subject (see the module's docstring)."""
    from tracking import kinds

    for kind in kinds.all_kinds():
        kinds.register(
            kind.key,
            label=kind.label,
            deadline=kind.deadline,
            title_of=lambda agency: agency.name,
            url_of=lambda agency: agency.get_absolute_url(),
            extension_cap=kind.extension_cap,
            redirect_window=kind.redirect_window,
            notifies=False,
        )


def kind_weights() -> list[tuple[object, float]]:
    from tracking import kinds

    result = []
    for kind in kinds.all_kinds():
        weight = next((w for word, w in KIND_WEIGHTS if word in kind.key), OTHER_WEIGHT)
        result.append((kind, weight))
    return result


# --- seeding ---------------------------------------------------------------------------------


class Seeder:
    """A million obligations in the shares of the module's docstring, written with COPY."""

    COLUMNS = [
        "content_type_id",
        "object_id",
        "agency_id",
        "kind",
        "opened_at",
        "clock_started_at",
        "due_at",
        "original_due_at",
        "extended_due_at",
        "extension_reason",
        "extended_at",
        "first_response_at",
        "answered_at",
        "outcome",
        "outcome_text",
        "withdrawn_at",
        "withdrawal_reason",
        "waiting_since",
        "waited_days",
        "response_days",
        "answer_days",
        "rating",
        "rated_at",
    ]

    def __init__(self, seed: int, now: datetime.datetime) -> None:
        from tracking import calendar
        from tracking.exports import DayCounter

        self.rng = random.Random(seed)
        self.now = now
        self.today = calendar.local_date(now)
        self.cal = calendar.WorkingCalendar()
        self.days = DayCounter(self.cal)
        self._due: dict[tuple, datetime.date] = {}
        self.tz = calendar.tz()

    def agencies(self) -> list[int]:
        from accounts.models import Agency
        from accounts.regions import Region

        regions = list(Region.values)
        rows = []
        for n in range(AGENCIES):
            central = n < 40
            rows.append(
                Agency(
                    slug=f"agency-{n:03d}",
                    name_kk=f"Мекеме {n:03d}",
                    name_ru=f"Ведомство {n:03d}",
                    name_en=f"Agency {n:03d}",
                    kind=Agency.Kind.CENTRAL if central else Agency.Kind.LOCAL,
                    region="" if central else regions[n % len(regions)],
                )
            )
        return [agency.pk for agency in Agency.objects.bulk_create(rows)]

    def due(self, rule, start: datetime.date) -> datetime.date:
        key = (rule, start)
        if key not in self._due:
            self._due[key] = rule.due_date(start, self.cal)
        return self._due[key]

    def end_of(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time.max, tzinfo=self.tz)

    def moment(self, day: datetime.date) -> datetime.datetime:
        """A moment in office hours of `day`, not after now."""
        minutes = self.rng.randrange(9 * 60, 18 * 60)
        value = datetime.datetime.combine(day, datetime.time(), tzinfo=self.tz)
        value += datetime.timedelta(minutes=minutes)
        return min(value, self.now)

    def row(self, agency_id: int, kind, content_type_id: int) -> tuple:
        from tracking.deadlines import WorkingDays

        rng = self.rng

        opened_day = self.today - datetime.timedelta(days=rng.randrange(YEARS * 365))
        opened = self.moment(opened_day)
        opened_day = opened.astimezone(self.tz).date()
        clock = opened
        redirected = kind.redirect_window is not None and rng.random() < 0.03
        if redirected:
            clock = min(
                self.moment(opened_day + datetime.timedelta(days=rng.randint(1, 3))), self.now
            )
        clock_day = clock.astimezone(self.tz).date()
        original_due = self.end_of(self.due(kind.deadline, opened_day))
        due = self.end_of(self.due(kind.deadline, clock_day))
        extended_due = extended_at = None
        reason = ""
        if kind.extension_cap is not None and not redirected and rng.random() < 0.05:
            cap = self.due(kind.extension_cap, clock_day)
            if cap > due.date():
                extended_at = min(
                    self.moment(opened_day + datetime.timedelta(days=rng.randint(2, 10))), due
                )
                extended_due = self.end_of(
                    due.date() + datetime.timedelta(days=rng.randint(1, (cap - due.date()).days))
                )
                due, reason = extended_due, "Site visit needed"
        waited = 0
        if rng.random() < 0.03:
            # Waited on the citizen, then resumed: the due date moved by the days waited.
            waited = rng.randint(1, 10)
            due = self.end_of(self.due(WorkingDays(waited), due.date()))
        fate = rng.random()
        answered = withdrawn = waiting = first = rated_at = None
        rating = outcome = withdrawal = ""
        if fate < 0.04:
            withdrawn = max(
                self.moment(opened_day + datetime.timedelta(days=rng.randint(0, 10))), opened
            )
            withdrawal = "Withdrawn by the asker"
        elif fate < 0.82:
            if rng.random() < 0.7:
                span = max(0, (due.date() - opened_day).days)
                answer_day = opened_day + datetime.timedelta(days=rng.randint(0, span))
            else:
                answer_day = due.date() + datetime.timedelta(days=rng.randint(1, 40))
            candidate = self.moment(answer_day)
            if candidate < self.now and answer_day <= self.today:
                answered = max(candidate, opened)
                outcome = "answered"
        if answered is None and withdrawn is None and rng.random() < 0.1 and due > self.now:
            waiting = self.moment(self.today - datetime.timedelta(days=rng.randint(0, 5)))
            waiting = max(waiting, clock)
        if answered is not None:
            first = answered
            if rng.random() < 0.3:
                ack_day = opened_day + datetime.timedelta(
                    days=rng.randint(0, max(0, (answered.date() - opened_day).days))
                )
                first = max(min(self.moment(ack_day), answered), opened)
            if rng.random() < 0.4:
                rating = rng.choices(
                    ["satisfied", "not_satisfied", "brush_off"], weights=[5, 3, 2]
                )[0]
                rated_at = min(answered + datetime.timedelta(days=rng.randint(0, 5)), self.now)
        elif withdrawn is None and rng.random() < 0.2:
            first = max(min(self.moment(opened_day + datetime.timedelta(days=1)), self.now), opened)

        def days_to(moment):
            if moment is None:
                return None
            return max(0, self.days.between(opened_day, moment.astimezone(self.tz).date()) - waited)

        return (
            content_type_id,
            str(agency_id),
            agency_id,
            kind.key,
            opened,
            clock,
            due,
            original_due,
            extended_due,
            reason,
            extended_at,
            first,
            answered,
            outcome,
            "",
            withdrawn,
            withdrawal,
            waiting,
            waited,
            days_to(first),
            days_to(answered),
            rating,
            rated_at,
        )

    def seed(self, total: int) -> dict:
        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction

        from accounts.models import Agency

        agency_ids = self.agencies()
        content_type_id = ContentType.objects.get_for_model(Agency).pk
        # A few busy ministries, many quiet offices.
        agency_weights = [1 / (rank + 2) for rank in range(len(agency_ids))]
        weighted_kinds = kind_weights()
        kind_list = [kind for kind, _w in weighted_kinds]
        kind_w = [w for _k, w in weighted_kinds]
        started = time.perf_counter()
        columns = ", ".join(self.COLUMNS)
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            done = 0
            while done < total:
                size = min(BATCH, total - done)
                agencies = self.rng.choices(agency_ids, weights=agency_weights, k=size)
                batch_kinds = self.rng.choices(kind_list, weights=kind_w, k=size)
                # Rows first: computing them may read the calendar's exceptions, which
                # cannot be done on a connection busy with a COPY.
                rows = [
                    self.row(agency_id, kind, content_type_id)
                    for agency_id, kind in zip(agencies, batch_kinds, strict=True)
                ]
                with raw.copy(f"COPY tracking_obligation ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                done += size
                if done % 100_000 == 0 or done == total:
                    seconds = time.perf_counter() - started
                    print(f"  {done} obligations in {seconds:.0f} s", flush=True)
            first_agency, last_agency = min(agency_ids), max(agency_ids)
            cursor.execute(
                """
                INSERT INTO tracking_obligationredirect
                    (obligation_id, from_agency_id, to_agency_id, at, reason, previous_due_at,
                     new_due_at)
                SELECT id,
                       CASE WHEN agency_id = %s THEN %s ELSE agency_id - 1 END,
                       agency_id, clock_started_at, 'Outside the remit', original_due_at, due_at
                FROM tracking_obligation WHERE clock_started_at > opened_at
                """,
                [first_agency, last_agency],
            )
        return {"agencies": len(agency_ids), "seconds": time.perf_counter() - started}


# --- timing ----------------------------------------------------------------------------------


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def cases(busiest_slug: str, today: datetime.date) -> list[dict]:
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    from tracking import scorecards

    quarter = scorecards.Period.parse("", today=today).key
    year = f"{today - datetime.timedelta(days=365)}..{today}"
    five = f"{today - datetime.timedelta(days=YEARS * 365 - 1)}..{today}"
    result = []
    for label, period in (("quarter", quarter), ("last 12 months", year), ("5 years", five)):
        result += [
            {
                "what": "API agency scorecard",
                "period": label,
                "url": f"/api/v1/agencies/{busiest_slug}/scorecard/",
                "params": {"period": period},
            },
            {
                "what": "API comparison",
                "period": label,
                "url": "/api/v1/scorecards/",
                "params": {"period": period},
            },
        ]
    result.append(
        {
            "what": "scorecards CSV (all kinds)",
            "period": "last 12 months",
            "url": "/api/v1/scorecards/export.csv",
            "params": {"period": year},
        }
    )
    with translation.override("ru"):
        for what, name, args in (
            ("page: agency scorecard", "tracking:agency_scorecard", [busiest_slug]),
            ("page: comparison", "tracking:scorecard_comparison", []),
        ):
            try:
                url = reverse(name, args=args)
            except NoReverseMatch:
                print(f"no page {name}: skipped", file=sys.stderr)
                continue
            for label, period in (("quarter", quarter), ("last 12 months", year)):
                result.append(
                    {"what": what, "period": label, "url": url, "params": {"period": period}}
                )
    return result


def request(client, case: dict):
    response = client.get(case["url"], case["params"])
    if response.status_code != 200:
        raise SystemExit(f"{case['url']} {case['params']}: HTTP {response.status_code}")
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response


def time_cases(client, all_cases: list[dict], runs: int, warmup: int) -> dict:
    from django.db import connection

    for case in all_cases:
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            request(client, case)
        case["queries"] = counter.count
        case["seconds"], case["sql_seconds"] = [], []
        for _ in range(warmup - 1):
            request(client, case)
    load_before = os.getloadavg()
    load_max = load_before[0]
    started = time.perf_counter()
    for _ in range(runs):
        for case in all_cases:
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                begin = time.perf_counter()
                request(client, case)
                case["seconds"].append(time.perf_counter() - begin)
            case["sql_seconds"].append(counter.seconds)
        load_max = max(load_max, os.getloadavg()[0])
    return {
        "timing_seconds": time.perf_counter() - started,
        "load_before": load_before,
        "load_max": load_max,
        "load_after": os.getloadavg(),
    }


# --- the export ------------------------------------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def stream_export(client, fmt: str, *, traced: bool, total: int) -> dict:
    """Read the whole export as a server would send it, a chunk at a time."""
    import gc

    from django.db import connection

    gc.collect()
    url = f"/api/v1/obligations/export.{fmt}"
    counter = QueryCounter()
    rss_before = rss_bytes()
    rss_peak = rss_before
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    lines = size = 0
    checkpoint = max(1000, total // 5)
    samples: list[dict] = []
    with connection.execute_wrapper(counter):
        response = client.get(url)
        for chunk in response.streaming_content:
            lines += 1
            size += len(chunk)
            if lines % 10_000 == 0:
                rss_peak = max(rss_peak, rss_bytes())
            if lines % checkpoint == 0:
                # Memory as the rows go by: flat if nothing accumulates.
                traced_now = tracemalloc.get_traced_memory()[0] if traced else None
                samples.append({"rows": lines, "rss": rss_bytes(), "traced": traced_now})
    seconds = time.perf_counter() - started
    traced_peak = None
    if traced:
        _current, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_peak = max(rss_peak, rss_bytes())
    rows = lines - 1 if fmt == "csv" else lines  # the CSV's header line
    return {
        "format": fmt,
        "traced": traced,
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else float("nan"),
        "queries": counter.count,
        "rss_before": rss_before,
        "rss_peak": rss_peak,
        "rss_delta": rss_peak - rss_before,
        "maxrss_delta": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - maxrss_before,
        "tracemalloc_peak": traced_peak,
        "samples": samples,
    }


# --- the machine -----------------------------------------------------------------------------


def mib(value) -> str:
    return "—" if value is None else f"{value / 1024 / 1024:.1f}"


def report(all_cases, timing, exports_measured, machine, setup) -> None:
    lines = [
        "",
        "== Civic tracking at scale: scorecards and the export on PostgreSQL ==",
        f"date:     {machine['date']}",
        f"machine:  {machine['cores']} cores, {machine['cpu']}, {machine['memory']}, "
        f"{machine['os']}",
        f"software: Python {machine['python']}, PostgreSQL {machine['postgresql']} ("
        + ", ".join(f"{k} {v}" for k, v in machine["postgresql_settings"].items())
        + "), "
        + ", ".join(f"{k} {v}" for k, v in machine["packages"].items()),
        f"ledger:   {setup['obligations']} obligations, {setup['redirects']} redirects, "
        f"{setup['agencies']} agencies, {len(setup['kinds'])} kinds; table "
        f"{setup['sizes']['table']}, indexes {setup['sizes']['indexes']}",
        f"load:     1/5/15-minute load average before {fmt_load(timing['load_before'])}, "
        f"1-minute max {timing['load_max']:.2f}, after {fmt_load(timing['load_after'])}",
        "",
        "| request | period | queries | p50 ms | p95 ms | max ms | SQL p50 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for case in all_cases:
        s = case["summary"]
        lines.append(
            f"| {case['what']} | {case['period']} | {case['queries']} | {s['p50']:.0f} | "
            f"{s['p95']:.0f} | {s['max']:.0f} | {case['sql_summary']['p50']:.0f} |"
        )
    if exports_measured:
        lines += [
            "",
            "| export | rows | MiB sent | seconds | rows/s | queries | RSS before MiB | "
            "RSS peak delta MiB | ru_maxrss delta MiB | tracemalloc peak MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for e in exports_measured:
            lines.append(
                f"| {e['format']}{' (traced)' if e['traced'] else ''} | {e['rows']} | "
                f"{mib(e['bytes'])} | {e['seconds']:.1f} | {e['rows_per_second']:.0f} | "
                f"{e['queries']} | {mib(e['rss_before'])} | {mib(e['rss_delta'])} | "
                f"{mib(e['maxrss_delta'])} | {mib(e['tracemalloc_peak'])} |"
            )
        for e in exports_measured:
            lines.append(
                f"{e['format']}{' (traced)' if e['traced'] else ''} as the rows go by: "
                + ", ".join(
                    f"{s['rows']} rows: RSS {mib(s['rss'])} MiB"
                    + (f", traced {mib(s['traced'])} MiB" if s["traced"] is not None else "")
                    for s in e["samples"]
                )
            )
    print("\n".join(lines), flush=True)


# --- main ------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment(args)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    created = False
    try:
        reuse = args.reuse and database_exists(args.database_url)
        if not reuse:
            recreate_database(args.database_url)
        created = True
        django_setup()
        print(
            f"database {database_name(args.database_url)}: migrated in {migrate():.1f} s",
            flush=True,
        )
        plain_static_files()
        from django.db import connection
        from django.db.models import Count
        from django.test import Client
        from django.utils import timezone

        from accounts.models import Agency
        from tracking import kinds
        from tracking.models import Obligation, ObligationRedirect

        register_agency_subjects()
        now = timezone.now()
        if reuse and Obligation.objects.count() == args.obligations:
            print(f"reusing the {args.obligations} obligations already there", flush=True)
        else:
            Obligation.objects.all().delete()
            ObligationRedirect.objects.all().delete()
            seeded = Seeder(args.seed, now).seed(args.obligations)
            print(f"seeded in {seeded['seconds']:.0f} s", flush=True)
        print(f"VACUUM ANALYZE in {vacuum_analyze(*TABLES):.1f} s", flush=True)
        busiest = (
            Obligation.objects.values("agency")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("agency__slug", flat=True)
            .first()
        )
        setup = {
            "obligations": Obligation.objects.count(),
            "redirects": ObligationRedirect.objects.count(),
            "agencies": Agency.objects.count(),
            "busiest_agency": busiest,
            "kinds": dict(
                Obligation.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind")
            ),
            "sizes": table_sizes(),
        }
        print(f"kinds: {setup['kinds']}", flush=True)
        client = Client(HTTP_HOST=HOST)
        all_cases = cases(busiest, timezone.localdate())
        wait_for_load(args.max_load)
        timing = time_cases(client, all_cases, args.runs, args.warmup)
        for case in all_cases:
            case["summary"] = summarise(case["seconds"])
            case["sql_summary"] = summarise(case["sql_seconds"])
        exports_measured = []
        if not args.skip_export:
            print(f"streaming the {args.export_format} export...", flush=True)
            exports_measured.append(
                stream_export(client, args.export_format, traced=False, total=setup["obligations"])
            )
            if not args.skip_tracemalloc:
                print("again with tracemalloc...", flush=True)
                exports_measured.append(
                    stream_export(
                        client, args.export_format, traced=True, total=setup["obligations"]
                    )
                )
            for e in exports_measured:
                if e["rows"] != setup["obligations"]:
                    raise SystemExit(f"exported {e['rows']} rows of {setup['obligations']}")
        machine = machine_info(("Django", "djangorestframework", "psycopg"))
        report(all_cases, timing, exports_measured, machine, setup)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
                        "machine": machine,
                        "setup": setup,
                        **timing,
                        "cases": [
                            {k: v for k, v in case.items() if k not in ("seconds", "sql_seconds")}
                            for case in all_cases
                        ],
                        "exports": exports_measured,
                        "kinds_registered": [kind.key for kind in kinds.all_kinds()],
                    },
                    indent=2,
                    default=str,
                )
            )
        connection.close()
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if created and not args.keep:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            drop_database(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
