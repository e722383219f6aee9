"""Real brokers and workers for the outbox tests: a private redis-server per test (never the
shared one, so a test may stop it), a Celery app pointed at it and made current, a worker in
a thread or in a subprocess of its own (to be killed), and a free or closed port."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis
from celery import Celery
from celery import _state as celery_state
from celery.contrib.testing.worker import start_worker

from wijkaanpak.celery import app as project_app

REDIS_SERVER_BIN = os.environ.get("REDIS_SERVER_BIN", "/usr/bin/redis-server")
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the test database, for a worker in a subprocess."""
    from django.db import connection

    db = connection.settings_dict
    port = db.get("PORT") or 5432
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{port}/{db['NAME']}"


def start_worker_process(*, settings_module: str, env: dict, log) -> subprocess.Popen:
    """A real ``celery -A wijkaanpak worker`` (solo pool) in a subprocess on the test
    database, with ``settings_module`` and the extra environment ``env``, writing to ``log``."""
    command = [sys.executable, "-m", "celery", "-A", "wijkaanpak", "worker"]
    options = ["--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        [*command, *options, "--loglevel=INFO"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url(),
            "PYTHONPATH": str(ROOT),
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def free_port() -> int:
    """A port nothing listens on (a broker URL on it is refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=20.0, interval=0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


@contextmanager
def private_redis():
    """A redis-server of our own on a free port, without persistence; yields its URL."""
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        server = subprocess.Popen(
            [
                REDIS_SERVER_BIN,
                "--port", str(port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", workdir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.2)

        def answers():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        try:
            assert wait_for(answers, timeout=10), "the private redis-server did not start"
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            client.close()
            server.terminate()
            server.wait(timeout=10)


@contextmanager
def celery_app_on(broker_url: str, packages=("notices",)):
    """A Celery app configured like the project's (from Django settings), but on
    ``broker_url`` and never eager, made current for the duration: ``shared_task`` tasks (and
    so the kick after a commit) resolve through it."""
    broker_app = Celery("wijkaanpak-test", set_as_current=False)
    broker_app.config_from_object("django.conf:settings", namespace="CELERY")
    broker_app.conf.update(broker_url=broker_url, task_always_eager=False)
    broker_app.autodiscover_tasks(list(packages), force=True)
    # Current in this thread, and the default in every other (the live server's requests).
    previous_default = celery_state.default_app
    broker_app.set_current()
    broker_app.set_default()
    try:
        yield broker_app
    finally:
        celery_state.set_default_app(previous_default)
        project_app.set_current()
        broker_app.close()


@contextmanager
def worker_running(app):
    """A real Celery worker for ``app`` in a thread of this process."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
