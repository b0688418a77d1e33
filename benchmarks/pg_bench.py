"""What the PostgreSQL benchmarks share (search_latency.py, tracking_scale.py): the
throwaway database they create and drop, Django's set-up, waiting for a quiet machine,
percentiles, and a description of the machine for the report."""

from __future__ import annotations

import contextlib
import datetime
import importlib.metadata
import math
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent


# --- the throwaway database ------------------------------------------------------------------


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_connection(url: str):
    """A connection to the server's `postgres` database, to drop and create the bench's."""
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def recreate_database(url: str) -> None:
    from psycopg import sql

    name = sql.Identifier(database_name(url))
    with _maintenance_connection(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def database_exists(url: str) -> bool:
    with _maintenance_connection(url) as conn:
        row = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]
        ).fetchone()
    return row is not None


def drop_database(url: str) -> None:
    from psycopg import sql

    with _maintenance_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


# --- Django ----------------------------------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def vacuum_analyze(*tables: str) -> float:
    """What autovacuum does after a bulk load; the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - started


# --- timing ----------------------------------------------------------------------------------


def wait_for_load(max_load: float, timeout: float = 600) -> None:
    if max_load <= 0:
        return
    deadline = time.monotonic() + timeout
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        print(f"load {os.getloadavg()[0]:.2f} >= {max_load}: waiting", file=sys.stderr, flush=True)
        time.sleep(15)


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(seconds: list[float]) -> dict:
    values = sorted(seconds)
    return {
        "count": len(values),
        "p50": percentile(values, 0.50) * 1000,
        "p95": percentile(values, 0.95) * 1000,
        "max": values[-1] * 1000 if values else float("nan"),
    }


# --- the machine -----------------------------------------------------------------------------


def machine_info(packages: tuple[str, ...] = ("Django", "psycopg")) -> dict:
    from django.db import connection

    cpu = memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        postgres = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {name}")
            postgres[name] = cursor.fetchone()[0]

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": server,
        "postgresql_settings": postgres,
        "packages": {name: version(name) for name in packages},
    }


def fmt_load(load) -> str:
    return "/".join(f"{value:.2f}" for value in load)
