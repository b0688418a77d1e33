"""Benchmark: a live internet conference watched by many websocket clients.

    .venv/bin/python benchmarks/conference_live.py --clients 1000 --answers 20
    .venv/bin/python benchmarks/conference_live.py --clients 1000 --answers 20 --processes 2

What it does, on this machine only (every socket is on 127.0.0.1):

1. Production settings (`ashyq.settings.production`, DEBUG off) with a throwaway secret,
   a fresh SQLite file in a temporary directory (or `--database-url`), and Redis as the
   channel layer and cache (`--redis-url`, by default DB 13, with a key prefix unique to
   the run; the run's keys are deleted at the end).
2. Migrates the database; through the services of `dialogue/conferences/services.py`
   creates an agency, its head, the official, a conference and `--answers` published
   questions; then moves the conference into its live window (`starts_at` a minute ago:
   the service only schedules conferences in the future).
3. Starts daphne as deployed (`daphne -b 127.0.0.1 -p PORT ashyq.asgi:application`); with
   `--processes N`, N of them on N ports, and client i connects to process i mod N, as a
   proxy balancing round-robin over N upstreams would send it (there is no proxy in the
   path). Waits until each process completes a websocket handshake.
4. Opens `--clients` websockets with asyncio (the `websockets` library) from this process,
   each as `ashyq/static/js/live.js` does: connect to `/ws/` with the site's `Origin`, read
   the "hello", send `{"subscribe": ["conference.<pk>"]}`, read "subscribed". Waits until
   all are subscribed, then for the "viewers" event (presence, `ashyq/live.py`) to report
   the number of clients.
5. Answers the questions one at a time through `services.question_answer` in this process
   (as a gunicorn worker would), sharing Redis with daphne. Each `conference_answer` payload
   carries `sent_at` (epoch seconds, stamped when the answer is handed to the channel layer,
   after the commit); each client records `receipt time - sent_at` the moment its receive
   call returns. The next answer goes out once every client has the previous one (or after
   `--timeout` seconds), after a `--pause`.
6. Prints: clients connected, deliveries received / expected, latency p50/p95/p99/max, the
   fan-out time of each answer (until its last client had it), the time to connect and
   subscribe every client, the CPU time daphne, this process and redis-server used per
   answer, the load average, and the machine. `--json PATH` also writes them as JSON. The
   exit status is 1 if a client failed to connect or a delivery is missing.

Experiments: `--layer pubsub` uses channels-redis's pub/sub layer
(`benchmarks/settings_pubsub.py`); `--application benchmarks.asgi_live_fastpath:application`
serves a consumer without channels' per-message database hop; `--profile DIR` runs daphne
under cProfile. docs/performance.md has the results.

Both clocks are this process's `time.time()`, so there is no clock skew; but the clients
share the machine's cores with daphne and Redis, and a client's receipt is stamped when the
asyncio loop gets to it, so the latency includes the clients' own queueing. Processes are
stopped and the temporary directory removed on exit, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import datetime
import importlib.metadata
import json
import math
import os
import platform
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

_children: list[subprocess.Popen] = []
_cleanups: list = []


# --- arguments and environment -------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Delivery latency of live conference answers to many websocket clients."
    )
    parser.add_argument("--clients", type=int, default=1000, help="websocket clients (1000)")
    parser.add_argument("--answers", type=int, default=20, help="answers to publish (20)")
    parser.add_argument("--processes", type=int, default=1, help="daphne processes (1)")
    parser.add_argument("--port", type=int, default=0, help="first port for daphne (0: free ones)")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="Redis for the channel layer and cache (redis://127.0.0.1:6379/13)",
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="database to migrate and use (default: a new SQLite file in a temporary dir); "
        "PostgreSQL: the database must exist and be empty or a previous bench's",
    )
    parser.add_argument(
        "--connect-concurrency",
        type=int,
        default=50,
        help="websocket handshakes in flight at once while connecting (50)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds to wait for one answer (30)"
    )
    parser.add_argument(
        "--pause", type=float, default=0.5, help="seconds between two answers (0.5)"
    )
    parser.add_argument(
        "--layer",
        choices=("core", "pubsub"),
        default="core",
        help="channels-redis layer: core (RedisChannelLayer, as the settings configure it) "
        "or pubsub (RedisPubSubChannelLayer, benchmarks/settings_pubsub.py)",
    )
    parser.add_argument(
        "--application",
        default="ashyq.asgi:application",
        help="the ASGI application daphne serves (ashyq.asgi:application)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        default=None,
        help="run each daphne under cProfile, writing DIR/daphne-<i>.prof (slower; for "
        "finding where the time goes, not for the numbers)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (logs, database)"
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.answers < 1 or args.processes < 1:
        parser.error("--clients, --answers and --processes must be at least 1")
    return args


def configure_environment(args: argparse.Namespace, workdir: Path, prefix: str) -> dict:
    """The environment of this process and of daphne: production settings with what they
    insist on, the bench's database and Redis."""
    env = {
        "DJANGO_SETTINGS_MODULE": (
            "benchmarks.settings_pubsub" if args.layer == "pubsub" else "ashyq.settings.production"
        ),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        "REDIS_URL": args.redis_url,
        "REDIS_PREFIX": prefix,
        "SECURE_SSL_REDIRECT": "False",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
    }
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ.pop(name, None)
    os.environ.update(env)
    return env


def raise_file_limit(needed: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, needed)) if hard != resource.RLIM_INFINITY else max(soft, needed)
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return wanted


# --- Redis -----------------------------------------------------------------------------------


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)


def redis_delete_prefix(url: str, prefix: str) -> int:
    """Delete this run's keys (channel layer and cache both start with the prefix)."""
    client = redis_client(url)
    deleted = 0
    batch = []
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        batch.append(key)
        if len(batch) >= 500:
            deleted += client.delete(*batch)
            batch.clear()
    if batch:
        deleted += client.delete(*batch)
    client.close()
    return deleted


# --- Django side (runs in this process) --------------------------------------------------------


def django_setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def build_conference(questions: int) -> tuple[int, list[int]]:
    """An agency, its head, the official and a live conference with `questions` published
    questions, each from its own citizen; all through the services."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import Agency, Membership, User
    from dialogue.conferences import services
    from dialogue.conferences.models import Conference

    run = secrets.token_hex(4)

    def person(email: str, first: str, last: str) -> User:
        user = User.objects.create_user(
            email=email, password=None, first_name=first, last_name=last, display_name=first
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    agency = Agency.objects.create(
        slug=f"bench-ministry-{run}",
        name_kk="Бенчмарк министрлігі",
        name_ru="Министерство бенчмарков",
        name_en="Ministry of Benchmarks",
        kind=Agency.Kind.CENTRAL,
    )
    head = person(f"head-{run}@bench.example.kz", "Head", "Bench")
    Membership.objects.create(user=head, agency=agency, role=Membership.Role.HEAD)
    official = person(f"official-{run}@bench.example.kz", "Marat", "Seitkali")
    Membership.objects.create(
        user=official,
        agency=agency,
        role=Membership.Role.RESPONDER,
        position_kk="Вице-министр",
        position_ru="Вице-министр",
        position_en="Deputy Minister",
    )
    now = timezone.now()
    conference = services.conference_schedule(
        agency=agency,
        official=official,
        topic="Benchmark: free legal aid",
        description="A conference for the delivery benchmark.",
        starts_at=now + datetime.timedelta(minutes=1),
        ends_at=now + datetime.timedelta(hours=3),
        actor=head,
    )
    question_ids = []
    for number in range(questions):
        citizen = person(f"citizen{number}-{run}@bench.example.kz", f"Citizen{number}", "Bench")
        question = services.question_submit(
            conference=conference,
            author=citizen,
            text=f"Question number {number}: who may get a free lawyer, and how?",
        )
        services.question_publish(question=question, actor=head)
        question_ids.append(question.pk)
    # Into the live window (the service schedules only in the future).
    Conference.objects.filter(pk=conference.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return conference.pk, question_ids


def answer_question(question_id: int) -> float:
    """The official answers through the service; returns the call's duration (seconds)."""
    from dialogue.conferences import services
    from dialogue.conferences.models import ConferenceQuestion

    question = ConferenceQuestion.objects.select_related("conference").get(pk=question_id)
    official = question.conference.official
    started = time.perf_counter()
    services.question_answer(
        question=question,
        actor=official,
        text=f"Answer to question {question_id}: anyone whose income is below the threshold.",
    )
    return time.perf_counter() - started


# --- daphne ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_daphne(args: argparse.Namespace, env: dict, workdir: Path) -> tuple[list[int], list[str]]:
    """Start `--processes` daphne processes, each as deployed on its own port; return the
    ports and the command lines, once each answers a websocket handshake."""
    daphne = str(Path(sys.executable).with_name("daphne"))
    child_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(BASE_DIR)}
    ports, commands = [], []
    for index in range(args.processes):
        port = args.port + index if args.port else free_port()
        command = [daphne, "-b", HOST, "-p", str(port), args.application]
        commands.append(" ".join(["daphne", *command[1:]]))
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
            profile = args.profile.resolve() / f"daphne-{index}.prof"
            command = [sys.executable, "-m", "cProfile", "-o", str(profile), *command]
        _spawn(command, child_env, workdir / f"daphne-{index}.log")
        ports.append(port)
    for index, port in enumerate(ports):
        asyncio.run(_wait_until_serving(port, workdir / f"daphne-{index}.log"))
    return ports, commands


async def _wait_until_serving(port: int, log: Path, timeout: float = 90) -> None:
    from websockets.asyncio.client import connect

    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):  # not serving yet
            async with connect(
                f"ws://{HOST}:{port}/ws/", origin=f"http://{HOST}:{port}", proxy=None
            ) as ws:
                if json.loads(await ws.recv()).get("type") == "hello":
                    return
        if time.monotonic() > deadline or any(p.poll() is not None for p in _children):
            raise SystemExit(f"daphne did not start; see {log}:\n{log.read_text()[-3000:]}")
        await asyncio.sleep(0.2)


def _spawn(command: list[str], env: dict, log_path: Path) -> None:
    log = open(log_path, "w")  # noqa: SIM115  (closed with the process)
    process = subprocess.Popen(  # noqa: S603  (our own daphne, fixed arguments)
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches only the script, which stops them in order
    )
    _children.append(process)
    _cleanups.append(log.close)


def stop_children() -> None:
    for process in _children:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in _children:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    _children.clear()
    while _cleanups:
        with contextlib.suppress(Exception):
            _cleanups.pop()()


# --- the clients ---------------------------------------------------------------------------


class Results:
    def __init__(self, clients: int) -> None:
        self.clients = clients
        self.connected = 0
        self.failed: list[str] = []
        self.latencies: dict[int, list[float]] = defaultdict(list)  # question -> seconds
        self.duplicates = 0
        self.arrived: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.viewer_counts: list[tuple[float, int]] = []  # (time, count) as received
        self.viewers_seen: dict[int, int] = {}  # client -> last count it saw
        self.subscribed = asyncio.Event()
        self.unexpected: list[str] = []

    def check_all_subscribed(self) -> None:
        if self.connected + len(self.failed) >= self.clients:
            self.subscribed.set()

    def record_answer(self, question_id: int, latency: float, seen: set[int]) -> None:
        if question_id in seen:
            self.duplicates += 1
            return
        seen.add(question_id)
        latencies = self.latencies[question_id]
        latencies.append(latency)
        if len(latencies) >= self.connected:
            self.arrived[question_id].set()


async def client(
    index: int,
    url: str,
    origin: str,
    group: str,
    results: Results,
    gate: asyncio.Semaphore,
    stop: asyncio.Event,
) -> None:
    from websockets.asyncio.client import connect

    seen: set[int] = set()
    ws = None
    try:
        async with gate:
            ws = await connect(
                url, origin=origin, proxy=None, open_timeout=60, ping_interval=None, max_queue=None
            )
            hello = json.loads(await ws.recv())
            if hello.get("type") != "hello":
                raise RuntimeError(f"expected hello, got {hello!r}")
            await ws.send(json.dumps({"subscribe": [group]}))
            while True:
                reply = json.loads(await ws.recv())
                if reply.get("type") == "subscribed":
                    if reply.get("groups") != [group]:
                        raise RuntimeError(f"subscription refused: {reply!r}")
                    break
    except Exception as exc:  # reported, not raised: one failure must not hide the rest
        results.failed.append(f"client {index}: {type(exc).__name__}: {exc}")
        if ws is not None:
            with contextlib.suppress(Exception):
                await ws.close()
        results.check_all_subscribed()
        return
    results.connected += 1
    results.check_all_subscribed()
    try:
        async for raw in ws:
            received = time.time()
            message = json.loads(raw)
            if message.get("type") != "event":
                continue
            payload = message.get("payload") or {}
            if message.get("event") == "conference_answer":
                results.record_answer(payload["question_id"], received - payload["sent_at"], seen)
            elif message.get("event") == "viewers":
                results.viewers_seen[index] = payload.get("count", 0)
                results.viewer_counts.append((received, payload.get("count", 0)))
            if stop.is_set():
                break
    except Exception as exc:
        if not stop.is_set():
            results.unexpected.append(f"client {index}: {type(exc).__name__}: {exc}")
    finally:
        with contextlib.suppress(Exception):
            await ws.close()


async def run_clients(args, ports: list[int], conference_id: int, question_ids: list[int]) -> dict:
    loop = asyncio.get_running_loop()
    django_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="django")
    results = Results(args.clients)
    group = f"conference.{conference_id}"
    gate = asyncio.Semaphore(args.connect_concurrency)
    stop = asyncio.Event()

    started = time.perf_counter()
    tasks = [
        # Client i goes to process i mod N, as a proxy balancing round-robin would send it.
        asyncio.create_task(
            client(
                i,
                f"ws://{HOST}:{ports[i % len(ports)]}/ws/",
                f"http://{HOST}:{ports[i % len(ports)]}",
                group,
                results,
                gate,
                stop,
            )
        )
        for i in range(args.clients)
    ]
    try:
        await asyncio.wait_for(results.subscribed.wait(), timeout=max(120, args.clients / 5))
    except TimeoutError:
        results.failed.append("timed out while connecting")
    connect_seconds = time.perf_counter() - started
    print(
        f"connected and subscribed: {results.connected}/{args.clients} in {connect_seconds:.2f} s"
        + (f" ({len(results.failed)} failed)" if results.failed else ""),
        flush=True,
    )

    # Presence: the "viewers" event should report every client (it is throttled: at most
    # one per group per process every LIVE_PRESENCE_INTERVAL seconds).
    viewers_deadline = time.perf_counter() + 20
    viewers_reported = holders = 0
    while time.perf_counter() < viewers_deadline:
        viewers_reported = max((count for _t, count in results.viewer_counts[-50:]), default=0)
        holders = sum(1 for count in results.viewers_seen.values() if count >= results.connected)
        if holders >= results.connected:
            break
        await asyncio.sleep(0.1)
    viewers_wait = time.perf_counter() - started - connect_seconds
    print(
        f"viewers event: {viewers_reported}; {holders}/{results.connected} clients show "
        f"{results.connected} or more, {viewers_wait:.1f} s after the last subscription",
        flush=True,
    )

    answer_seconds = []
    fanout = []
    cpu_before = cpu_seconds(args.redis_url)
    for number, question_id in enumerate(question_ids, start=1):
        await asyncio.sleep(args.pause)
        call = await loop.run_in_executor(django_thread, answer_question, question_id)
        answer_seconds.append(call)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(results.arrived[question_id].wait(), timeout=args.timeout)
        got = results.latencies.get(question_id, [])
        fanout.append(max(got, default=float("nan")))
        print(
            f"answer {number:>3}/{len(question_ids)}: {len(got)}/{results.connected} clients, "
            f"last after {fanout[-1] * 1000:.0f} ms (service call {call * 1000:.0f} ms)",
            flush=True,
        )
    cpu_after = cpu_seconds(args.redis_url)
    cpu_per_answer_ms = {
        name: (cpu_after[name] - cpu_before[name]) * 1000 / len(question_ids) for name in cpu_after
    }

    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    django_thread.shutdown(wait=True)

    latencies = [value for values in results.latencies.values() for value in values]
    received = len(latencies)
    expected = results.connected * len(question_ids)
    return {
        "clients_requested": args.clients,
        "clients_connected": results.connected,
        "connect_failures": results.failed[:20],
        "connect_seconds": connect_seconds,
        "viewers_reported": viewers_reported,
        "viewers_wait_seconds": viewers_wait,
        "clients_showing_all_viewers": holders,
        "answers": len(question_ids),
        "deliveries_received": received,
        "deliveries_expected": expected,
        "duplicates": results.duplicates,
        "unexpected_errors": results.unexpected[:20],
        "latency_ms": summarise(latencies),
        "fanout_ms": summarise(fanout),
        "service_call_ms": summarise(answer_seconds),
        "cpu_ms_per_answer": cpu_per_answer_ms,
    }


def per_process_viewers(conference_id: int) -> list[int]:
    """How many subscribers each daphne process counted (its presence slot in the cache)."""
    from django.core.cache import cache

    from ashyq.live import _slot_keys

    values = cache.get_many(_slot_keys(f"conference.{conference_id}"))
    return sorted((int(value[1]) for value in values.values()), reverse=True)


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(redis_url: str) -> dict[str, float]:
    """CPU used so far by daphne (all processes), this process (the clients and the
    service calls) and redis-server, to tell the work per answer from the waiting."""
    times = os.times()
    usage = {
        "daphne": sum(_process_cpu(process.pid) for process in _children),
        "bench (clients + service)": times.user + times.system,
        "redis": float("nan"),
    }
    with contextlib.suppress(Exception):
        client = redis_client(redis_url)
        usage["redis"] = _process_cpu(int(client.info("server")["process_id"]))
        client.close()
    return usage


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[rank - 1]


def summarise(seconds: list[float]) -> dict:
    values = sorted(value for value in seconds if value == value)  # drop NaN
    return {
        "count": len(values),
        "p50": percentile(values, 0.50) * 1000,
        "p95": percentile(values, 0.95) * 1000,
        "p99": percentile(values, 0.99) * 1000,
        "max": (values[-1] * 1000) if values else float("nan"),
        "min": (values[0] * 1000) if values else float("nan"),
    }


# --- the machine ---------------------------------------------------------------------------


def machine_info(redis_url: str) -> dict:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    redis_version = ""
    with contextlib.suppress(Exception):
        client = redis_client(redis_url)
        redis_version = client.info("server").get("redis_version", "")
        client.close()

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
        "redis_server": redis_version,
        "packages": {
            name: version(name)
            for name in ("Django", "channels", "channels-redis", "daphne", "Twisted", "websockets")
        },
    }


def settings_layer() -> str:
    from django.conf import settings

    return settings.CHANNEL_LAYERS["default"]["BACKEND"]


def fmt_load(load) -> str:
    return "/".join(f"{value:.2f}" for value in load)


def report(results: dict, machine: dict, args, commands: list[str], per_process: list[int]):
    lat, fan, call = results["latency_ms"], results["fanout_ms"], results["service_call_ms"]
    lines = [
        "",
        "== Live conference delivery ==",
        f"date:        {machine['date']}",
        f"machine:     {machine['cores']} cores, {machine['cpu']}, {machine['memory']}, "
        f"{machine['os']}",
        f"software:    Python {machine['python']}, Redis {machine['redis_server']}, "
        + ", ".join(f"{k} {v}" for k, v in machine["packages"].items()),
        f"load:        1/5/15-minute load average "
        f"before {fmt_load(results['load_average_before'])}, "
        f"after {fmt_load(results['load_average_after'])}",
        f"daphne:      {args.processes} process(es): " + " | ".join(commands),
        f"layer:       {results['layer']}",
        f"subscribers per process (presence slots): {per_process}",
        f"clients:     {results['clients_connected']}/{results['clients_requested']} connected "
        f"and subscribed in {results['connect_seconds']:.2f} s "
        f"(handshakes in flight: {args.connect_concurrency})",
        f"viewers:     the viewers event reported {results['viewers_reported']}; "
        f"{results['clients_showing_all_viewers']} clients showed the full count "
        f"{results['viewers_wait_seconds']:.1f} s after the last subscription",
        f"deliveries:  {results['deliveries_received']}/{results['deliveries_expected']} "
        f"({results['answers']} answers; duplicates: {results['duplicates']})",
        f"latency:     p50 {lat['p50']:.1f} ms, p95 {lat['p95']:.1f} ms, "
        f"p99 {lat['p99']:.1f} ms, max {lat['max']:.1f} ms (min {lat['min']:.1f} ms)",
        f"fan-out:     last client of an answer: median {fan['p50']:.1f} ms, "
        f"max {fan['max']:.1f} ms",
        f"service:     question_answer call: median {call['p50']:.1f} ms, max {call['max']:.1f} ms",
        "cpu/answer:  "
        + ", ".join(f"{k} {v:.0f} ms" for k, v in results["cpu_ms_per_answer"].items())
        + f" (over the answers phase, pauses included, / {results['answers']})",
    ]
    if results["connect_failures"]:
        lines.append("connect failures (first 20): " + "; ".join(results["connect_failures"]))
    if results["unexpected_errors"]:
        lines.append("errors (first 20): " + "; ".join(results["unexpected_errors"]))
    print("\n".join(lines), flush=True)


# --- main ------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="ashyq-bench-"))
    prefix = f"ashyqbench-{secrets.token_hex(4)}"
    env = configure_environment(args, workdir, prefix)
    raise_file_limit(args.clients * 2 + 256)

    def cleanup() -> None:
        stop_children()
        with contextlib.suppress(Exception):
            redis_delete_prefix(args.redis_url, prefix)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    atexit.register(cleanup)
    # Ctrl-C (even when started in the background, where SIGINT is inherited ignored) and
    # SIGTERM end the run through the `finally` below.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        redis_client(args.redis_url).ping()
        print(f"work directory: {workdir}; Redis {args.redis_url}, key prefix {prefix}")
        django_setup()
        print(f"migrated in {migrate():.1f} s", flush=True)
        conference_id, question_ids = build_conference(args.answers)
        print(f"conference {conference_id} is live with {len(question_ids)} questions", flush=True)
        ports, commands = start_daphne(args, env, workdir)
        print(f"daphne ({args.processes} process(es)) serving on {HOST}:{ports}", flush=True)
        load_before = os.getloadavg()
        results = asyncio.run(run_clients(args, ports, conference_id, question_ids))
        results["load_average_before"] = load_before
        results["layer"] = settings_layer()
        results["load_average_after"] = os.getloadavg()
        per_process = per_process_viewers(conference_id)
        machine = machine_info(args.redis_url)
        report(results, machine, args, commands, per_process)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
                        "daphne": commands,
                        "per_process_subscribers": per_process,
                        "machine": machine,
                        **results,
                    },
                    indent=2,
                )
            )
        complete = (
            results["clients_connected"] == args.clients
            and results["deliveries_received"] == results["deliveries_expected"]
        )
        return 0 if complete else 1
    except KeyboardInterrupt:
        print("\ninterrupted: stopping daphne and cleaning up", file=sys.stderr)
        return 130
    finally:
        cleanup()
        atexit.unregister(cleanup)


if __name__ == "__main__":
    sys.exit(main())
