"""`make bench`: one run measures the portal's key pages against a bare Django page.

Both are served by gunicorn (the same number of sync workers) with DEBUG off on PostgreSQL; the
portal with its production settings and Redis as cache and broker. The city is loaded into a
throwaway database, three users are signed in through sessions written to the database, and
every page is loaded with wrk at a fixed concurrency after a warm-up. The Markdown table goes to
standard output and to BENCH_OUTPUT. Whatever the run started is stopped on exit, also on an
error or Ctrl-C.

Knobs (environment): BENCH_DURATION (seconds per page, 10), BENCH_WARMUP (seconds, up to 3),
BENCH_CONNECTIONS (20), BENCH_THREADS (2), BENCH_WORKERS (gunicorn workers per server, 5),
BENCH_YEARS (10) and BENCH_FACTOR (1) for load_scale, BENCH_DATABASE_URL (reset at the start;
default database wijkaanpak_bench on the server of DATABASE_URL, else 127.0.0.1:5432),
BENCH_CACHE_URL (flushed at the start; default Redis database 13) and BENCH_BROKER_URL (12) on
the server of REDIS_URL, else 127.0.0.1:6379, BENCH_OUTPUT (bench/results/latest.md),
BENCH_REUSE_DB=1 (keep a city loaded with the same knobs), BENCH_DROP_DB=1 (drop it at the end).
"""

import contextlib
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON") or sys.executable
LUA = Path(__file__).resolve().parent / "wrk_report.lua"

# The targets of the "City scale" issue, per page at the measured concurrency.
TARGET_SHARE = 50.0
TARGET_P95_MS = 100.0


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


def _knob(name: str, default, cast=str):
    value = os.environ.get(name, "")
    return cast(value) if value != "" else default


def _with_db(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def _run(args, *, env, log_path: Path | None = None, capture=False) -> str:
    """Runs a step; on failure shows the end of its output and stops the bench."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and tools, no shell
        args, env=env, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if log_path is not None:
        log_path.write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-4000:]
        raise BenchError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{tail}")
    return result.stdout if capture else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bench:
    def __init__(self):
        self.duration = _knob("BENCH_DURATION", 10, int)
        self.warmup = _knob("BENCH_WARMUP", max(1, min(3, self.duration)), int)
        self.connections = _knob("BENCH_CONNECTIONS", 20, int)
        self.threads = _knob("BENCH_THREADS", 2, int)
        self.workers = _knob("BENCH_WORKERS", 5, int)
        self.years = _knob("BENCH_YEARS", 10, int)
        self.factor = _knob("BENCH_FACTOR", 1, int)
        server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
        self.database_url = _knob("BENCH_DATABASE_URL", _with_db(server, "wijkaanpak_bench"))
        self.database = urllib.parse.urlsplit(self.database_url).path.lstrip("/")
        if "bench" not in self.database:
            # The database is dropped and made anew: never one that could hold real work.
            raise BenchError(f"BENCH_DATABASE_URL names {self.database!r}; its name must say bench")
        redis_server = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        self.cache_url = _knob("BENCH_CACHE_URL", _with_db(redis_server, "13"))
        self.broker_url = _knob("BENCH_BROKER_URL", _with_db(redis_server, "12"))
        self.output = Path(_knob("BENCH_OUTPUT", str(ROOT / "bench" / "results" / "latest.md")))
        self.reuse_db = _knob("BENCH_REUSE_DB", "0") == "1"
        self.drop_db = _knob("BENCH_DROP_DB", "0") == "1"
        self.wrk_bin = shutil.which("wrk")
        self.tmp = Path(tempfile.mkdtemp(prefix="wijkaanpak-bench-"))
        self.servers: dict[str, subprocess.Popen] = {}
        self.logs = []
        self.secret_key = secrets.token_urlsafe(50)

    # ------------------------------------------------------------------ environments
    def env(self, settings: str, **extra) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": self.database_url,
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SITE_URL": "http://127.0.0.1",
            "DJANGO_DEBUG": "False",
            "DJANGO_SECURE_SSL_REDIRECT": "False",
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            "CELERY_BROKER_URL": self.broker_url,
            "DJANGO_CACHE_URL": self.cache_url,
            # Loading a city must not mail anyone, whatever the settings would do.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            # Errors of a benchmark are not production's: never report them to Sentry.
            "SENTRY_DSN": "",
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def portal_env(self) -> dict:
        return self.env("wijkaanpak.settings.production")

    def load_env(self) -> dict:
        # The production settings, as the portal runs; load_scale refuses to fill a database
        # there unless told that this one is a throwaway (it writes with COPY, queuing nothing).
        return self.env("wijkaanpak.settings.production", WIJKAANPAK_ALLOW_SCALE_DATA="1")

    def manage(self, *args, env) -> str:
        log_path = self.tmp / f"{args[0]}.log"
        return _run([PYTHON, "manage.py", *args], env=env, log_path=log_path, capture=True)

    # ------------------------------------------------------------------------- database
    def _admin(self):
        return psycopg.connect(
            _with_db(self.database_url, "postgres"), autocommit=True, connect_timeout=10
        )

    def _stored_city(self) -> dict | None:
        try:
            with psycopg.connect(self.database_url, connect_timeout=10) as conn:
                row = conn.execute("SELECT value FROM bench_city WHERE id = 1").fetchone()
        except psycopg.Error:
            return None
        return row[0] if row else None

    def load_city(self) -> dict:
        knobs = {"years": self.years, "factor": self.factor}
        if self.reuse_db:
            stored = self._stored_city()
            if stored and stored.get("knobs") == knobs:
                log(f"reusing the city in {self.database} (BENCH_REUSE_DB=1)")
                self.manage("migrate", "--noinput", env=self.load_env())
                return stored
        log(f"resetting database {self.database}")
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.database)
                )
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
        env = self.load_env()
        log("migrate, import_rotterdam")
        self.manage("migrate", "--noinput", env=env)
        self.manage("import_rotterdam", env=env)
        log(f"load_scale --years {self.years} --factor {self.factor}")
        started = time.monotonic()
        out = self.manage(
            "load_scale", "--years", str(self.years), "--factor", str(self.factor), env=env
        )
        # Its last line names the accounts to measure as and a busy cycle.
        city = {
            "loader": f"load_scale --years {self.years} --factor {self.factor}",
            "users": json.loads(out.strip().splitlines()[-1]),
            "load_seconds": round(time.monotonic() - started),
        }
        city["knobs"] = knobs
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            # Rows written with COPY leave the planner without statistics until autovacuum
            # comes by, mid-run or not: a live database has them, so the bench must too.
            conn.execute("VACUUM ANALYZE")
            conn.execute("CREATE TABLE bench_city (id int PRIMARY KEY, value jsonb NOT NULL)")
            conn.execute("INSERT INTO bench_city VALUES (1, %s)", [psycopg.types.json.Jsonb(city)])
        return city

    # -------------------------------------------------------------------------- servers
    def start(self, name: str, wsgi: str, env: dict, ready_path: str) -> str:
        port = _free_port()
        out = (self.tmp / f"{name}.log").open("w")
        self.logs.append(out)
        self.servers[name] = subprocess.Popen(  # noqa: S603 - gunicorn from our venv, no shell
            [
                str(Path(PYTHON).parent / "gunicorn"),
                wsgi,
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--chdir",
                str(ROOT),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # Its own process group, so that stopping it reaches the workers too.
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.servers[name].poll() is not None:
                raise BenchError(f"{name} exited on start:\n{self._tail(name)}")
            try:
                if self._get(port, ready_path)[0] == 200:
                    return f"http://127.0.0.1:{port}"
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"{name} did not answer {ready_path} within 60 s:\n{self._tail(name)}")

    def _tail(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    @staticmethod
    def _get(port: int, path: str, cookie: str | None = None) -> tuple[int, str]:
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}"} if cookie else {})
            response = conn.getresponse()
            response.read()
            return response.status, response.getheader("Location", "")
        finally:
            conn.close()

    def stop(self) -> None:
        for name, proc in self.servers.items():
            if proc.poll() is not None:
                continue
            log(f"stopping {name} (pid {proc.pid})")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        self.servers = {}
        for out in self.logs:
            out.close()

    # ----------------------------------------------------------------------------- load
    def wrk(self, base: str, page: dict, seconds: int) -> dict:
        args = [
            self.wrk_bin,
            f"-t{self.threads}",
            f"-c{self.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
        ]
        if page.get("cookie"):
            args += ["-H", f"Cookie: sessionid={page['cookie']}"]
        out = _run([*args, base + page["url"]], env=dict(os.environ), capture=True)
        for line in out.splitlines():
            if line.startswith("BENCH_JSON "):
                return json.loads(line.removeprefix("BENCH_JSON "))
        raise BenchError(f"wrk printed no summary for {page['url']}:\n{out}")

    def measure(self, base: str, page: dict) -> dict:
        port = urllib.parse.urlsplit(base).port
        status, location = self._get(port, page["url"], page.get("cookie"))
        if status != 200:
            raise BenchError(
                f"{page['name']} ({page['url']}) answers {status} {location} to the bench, "
                "not 200: a harness bug"
            )
        self.wrk(base, page, self.warmup)
        result = self.wrk(base, page, self.duration)
        if result["non_2xx"]:
            raise BenchError(
                f"{page['name']} ({page['url']}): {result['non_2xx']} of {result['requests']} "
                f"responses were not 2xx (first: {result['first_non_2xx']}): a harness bug"
            )
        result["errors"] = sum(
            result[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
        )
        result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
        return result

    # ---------------------------------------------------------------------------- run
    def run(self) -> str:
        if not self.wrk_bin:
            raise BenchError(
                "wrk is not installed (Debian: apt-get install wrk); make bench "
                "installs it through scripts/bench.sh"
            )
        started = time.monotonic()
        self.cpu_start = _cpu_times()
        log(f"collectstatic into {self.tmp / 'static'} (in the background)")
        collect = subprocess.Popen(  # noqa: S603 - our own interpreter, no shell
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            env=self.portal_env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        try:
            city = self.load_city()
        finally:
            collect_out, _ = collect.communicate()
        if collect.returncode != 0:
            raise BenchError(f"collectstatic failed:\n{collect_out[-3000:]}")

        log(f"flushing the cache ({self.cache_url})")
        cache = redis.Redis.from_url(self.cache_url, socket_connect_timeout=5)
        cache.flushdb()
        redis_version = cache.info("server")["redis_version"]

        log(f"starting the portal and the bare page ({self.workers} gunicorn workers each)")
        portal = self.start(
            "portal", "wijkaanpak.wsgi:application", self.portal_env(), "/gezondheid/"
        )
        bare = self.start(
            "bare", "bench.bare.wsgi:application", self.env("bench.bare.settings"), "/"
        )

        log("signing in the bench users, counting queries per page")
        env = self.portal_env()
        env["BENCH_CITY"] = json.dumps(city["users"])
        out = _run([PYTHON, "-m", "bench.portal"], env=env, capture=True)
        info = next(
            json.loads(line.removeprefix("BENCH_PORTAL "))
            for line in reversed(out.splitlines())
            if line.startswith("BENCH_PORTAL ")
        )

        rows = []
        out = _run(
            [PYTHON, "-m", "bench.bare.count"], env=self.env("bench.bare.settings"), capture=True
        )
        cold, warm = (int(n) for n in out.split("BENCH_BARE ", 1)[1].split())
        bare_page = {"name": "bare Django page", "url": "/", "queries": warm, "queries_cold": cold}
        log(
            f"wrk: {self.warmup} s warm-up and {self.duration} s per page, "
            f"{self.connections} connections"
        )
        # The bare page is measured before and after the portal's pages and the ratios are to
        # the mean of both, so that a machine getting busier or quieter during the run (other
        # work, thermal limits) shows as a gap between the two instead of skewing every ratio.
        log(f"  {bare_page['name']}  {bare_page['url']}")
        bare_first = self.measure(bare, bare_page)
        for page in info["pages"]:
            log(f"  {page['name']}  {page['url']}")
            rows.append((page, self.measure(portal, page)))
        log(f"  {bare_page['name']}  {bare_page['url']} (again)")
        bare_last = self.measure(bare, bare_page)
        bare_result = {
            key: (bare_first[key] + bare_last[key]) / 2 for key in ("rps", "p50_us", "p95_us")
        }
        bare_result["errors"] = bare_first["errors"] + bare_last["errors"]
        rows.insert(0, (bare_page, bare_result))
        self.bare_runs = (bare_first["rps"], bare_last["rps"])

        table = self.table(rows, bare_result["rps"])
        header = self.header(city, info, redis_version, time.monotonic() - started)
        report = header + "\n" + table
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.output.write_text(report)
        print(report)
        log(f"written to {self.output} ({round(time.monotonic() - started)} s in all)")
        return report

    def table(self, rows, bare_rps: float) -> str:
        lines = [
            "| page | URL | req/s | p50 ms | p95 ms | % of bare | errors | queries "
            "| meets target |",
            "|---|---|--:|--:|--:|--:|--:|--:|---|",
        ]
        for page, result in rows:
            share = 100 * result["rps"] / bare_rps
            p95 = result["p95_us"] / 1000
            is_bare = page["name"] == "bare Django page"
            meets = (
                "—"
                if is_bare
                else ("yes" if share >= TARGET_SHARE and p95 <= TARGET_P95_MS else "**no**")
            )
            queries = str(page["queries"])
            if page["queries_cold"] != page["queries"]:
                queries += f" (cold {page['queries_cold']})"
            url = page["url"] + (f" as {page['user']}" if page.get("user") else "")
            lines.append(
                f"| {page['name']} | `{url}` | {result['rps']:.0f} | "
                f"{result['p50_us'] / 1000:.1f} | {p95:.1f} | {share:.0f} | {result['errors']} | "
                f"{queries} | {meets} |"
            )
        return "\n".join(lines) + "\n"

    def header(self, city: dict, info: dict, redis_version: str, seconds: float) -> str:
        with psycopg.connect(self.database_url) as conn:
            pg_version = conn.execute("SHOW server_version").fetchone()[0]
        size = ", ".join(f"{n} {k}" for k, n in info["size"].items())
        return (
            "# make bench: latest results\n\n"
            f"- **date**: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n"
            f"- **machine**: {_machine()}; PostgreSQL {pg_version}, Redis {redis_version}, "
            f"Python {platform.python_version()}, Django {info['django']}\n"
            f"- **commit**: {_commit()}\n"
            f"- **city**: `{city['loader']}` ({size}); measured: werkgebied "
            f"`{info['city']['werkgebied']}`, year {info['city']['jaar']}\n"
            f"- **load**: wrk, {self.connections} connections on {self.threads} threads, "
            f"{self.duration} s per page after a {self.warmup} s warm-up; gunicorn with "
            f"{self.workers} sync workers each for the portal (production settings, cache "
            f"`{info['cache'].rsplit('.', 1)[-1]}`) and the bare page (one query, a 20-row "
            "template, Django's default middleware), the bare page before and after the "
            f"portal's pages ({self.bare_runs[0]:.0f} and {self.bare_runs[1]:.0f} req/s; its row "
            "and the ratios use their mean)\n"
            f"- **target**: at least {TARGET_SHARE:.0f}% of the bare page's req/s and p95 at most "
            f"{TARGET_P95_MS:.0f} ms; queries: per request once the cache is warm (and cold)\n"
            f"- **run**: {seconds / 60:.1f} min in all, of which loading the city "
            f"{city['load_seconds']} s; {_steal(self.cpu_start):.1f}% of the CPU time was stolen "
            "by the hypervisor (other work on the machine or its host takes cores from server "
            "and load tool alike: compare the two runs of the bare page)\n"
        )

    def cleanup(self) -> None:
        self.stop()
        if self.drop_db:
            with contextlib.suppress(psycopg.Error), self._admin() as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(self.database)
                    )
                )
        shutil.rmtree(self.tmp, ignore_errors=True)


def _cpu_times() -> list[int]:
    with open("/proc/stat") as f:
        return [int(n) for n in f.readline().split()[1:]]


def _steal(start: list[int]) -> float:
    """Share of CPU time stolen by the hypervisor since ``start`` (/proc/stat's 8th column)."""
    delta = [now - then for now, then in zip(_cpu_times(), start, strict=True)]
    # guest and guest_nice (the last two) are already counted in user and nice.
    total = sum(delta[:8])
    return 100 * delta[7] / total if total else 0.0


def _machine() -> str:
    cpus = len(os.sched_getaffinity(0))
    model = "unknown CPU"
    mem_gib = 0.0
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_gib = int(line.split()[1]) / 1024 / 1024
    return f"{cpus} CPUs ({model}), {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}"


def _commit() -> str:
    git = shutil.which("git")
    if not git:
        return "unknown"
    try:
        head = subprocess.run(  # noqa: S603 - read-only git query
            [git, "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        # --no-optional-locks: only look, never touch the index others are using.
        dirty = subprocess.run(  # noqa: S603 - read-only git query
            [
                git,
                "--no-optional-locks",
                "-C",
                str(ROOT),
                "status",
                "--porcelain",
                "--untracked-files=no",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def main() -> int:
    # SIGTERM (a CI timeout, a kill) unwinds like Ctrl-C, so the servers are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench = Bench()
    except BenchError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        return 1
    try:
        bench.run()
        return 0
    except BenchError as exc:
        print(f"\nERROR: {exc}", file=sys.stderr)
        for name in bench.servers:
            print(f"\n--- {name} log (end) ---\n{bench._tail(name)}", file=sys.stderr)
        return 1
    finally:
        bench.cleanup()


if __name__ == "__main__":
    sys.exit(main())
