"""Real Celery worker processes and gunicorn web processes against the test
database and the configured broker (kombu's filesystem transport, or Redis
when CELERY_BROKER_URL says so)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from tests.integration.processes import ends_with_the_tests

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database as a URL, for a process that is not this one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition: Callable[[], Any], *, timeout: float = 60, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"filemail:///{mail_dir}",  # django-environ drops one leading slash
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class Worker:
    """One `celery worker` process and where it writes its log."""

    name: str
    process: subprocess.Popen
    log_path: Path

    @property
    def nodename(self) -> str:
        return f"test-{os.getpid()}-{self.name}@"

    def log(self) -> str:
        return self.log_path.read_text()

    def is_running(self) -> bool:
        return self.process.poll() is None


def _start(name: str, env: dict[str, str], log_path: Path, pool: str, concurrency: int) -> Worker:
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--queues={settings.CELERY_TASK_DEFAULT_QUEUE}",
            f"--hostname=test-{os.getpid()}-{name}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=ends_with_the_tests(os.getpid()),  # pytest runs no other thread here
    )
    log.close()  # the child has its own copy of the descriptor
    return Worker(name=name, process=process, log_path=log_path)


def _stop(workers: list[Worker]) -> None:
    """Ask all to stop at once (a warm shutdown takes a few seconds each), then wait."""
    running = [worker for worker in workers if worker.is_running()]
    for worker in running:
        worker.process.terminate()
    for worker in running:
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


def _answering(workers: list[Worker]) -> bool:
    """True when every worker answers a ping; fails at once when one died."""
    for worker in workers:
        assert worker.is_running(), worker.log()
    replies = celery_app.control.ping(timeout=0.5) or []
    answered = {name for reply in replies for name in reply}
    return all(any(name.startswith(worker.nodename) for name in answered) for worker in workers)


@pytest.fixture
def start_workers(
    transactional_db: None, worker_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., list[Worker]]]:
    """``start_workers(count, env={...}, pool="solo", concurrency=1)`` starts that
    many worker processes side by side and returns once each answers a ping;
    they are stopped after the test. ``env`` is added to ``worker_env``."""
    started: list[Worker] = []

    def start(
        count: int = 1, *, env: dict[str, str] | None = None, pool: str = "solo", concurrency: int = 1
    ) -> list[Worker]:
        if not started:
            celery_app.control.purge()  # leftovers of earlier tests must not run against this database
        workers = [
            _start(
                f"w{len(started) + n}",
                {**worker_env, **(env or {})},
                tmp_path / f"worker-{len(started) + n}.log",
                pool,
                concurrency,
            )
            for n in range(count)
        ]
        started.extend(workers)
        wait_for(lambda: _answering(workers), timeout=60, what=f"{count} worker(s) to answer a ping")
        return workers

    try:
        yield start
    finally:
        _stop(started)


@pytest.fixture
def celery_worker(start_workers: Callable[..., list[Worker]]) -> subprocess.Popen:
    """Start `celery worker` as its own process; stop it after the test."""
    (worker,) = start_workers(1)
    return worker.process


# --- Web processes -------------------------------------------------------------

#: The production settings (DEBUG off, so Secure cookies, no debug pages, the
#: demo password refused), except that a test reaches gunicorn over plain HTTP
#: on 127.0.0.1: there is no TLS proxy to redirect to or to trust.
WEB_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "BEHIND_TLS_PROXY": "false",
}


@dataclass
class WebServer:
    """One gunicorn master (with its own worker) and where it writes its log."""

    name: str
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text()

    def is_running(self) -> bool:
        return self.process.poll() is None


def _start_web(name: str, env: dict[str, str], log_path: Path) -> WebServer:
    # The socket is bound here, on a free port, and handed to gunicorn
    # (fd://): no other process can take the port between choosing and binding.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            f"--bind=fd://{listener.fileno()}",
            "--workers=1",
            "--graceful-timeout=5",
            "--access-logfile=-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own process group: stopping it reaches the master and its worker, nothing else.
        start_new_session=True,
        pass_fds=[listener.fileno()],
        preexec_fn=ends_with_the_tests(os.getpid()),  # pytest runs no other thread here
    )
    log.close()
    listener.close()  # gunicorn has its own copy
    return WebServer(name=name, process=process, port=port, log_path=log_path)


def _healthy(server: WebServer) -> bool:
    """True when /health/ answers 200 (it asks the database and the broker)."""
    assert server.is_running(), server.log()
    try:
        with urlopen(f"{server.url}/health/", timeout=5) as response:  # noqa: S310 - our own server on 127.0.0.1
            return response.status == 200
    except OSError:  # not listening yet, or an error status (HTTPError is an OSError)
        return False


def _signal_group(server: WebServer, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the whole group is gone already
        os.killpg(server.process.pid, signum)


def _stop_web(servers: list[WebServer]) -> None:
    """Stop each group at once (also a worker left behind by a master that
    died), then wait; what does not stop in time is killed."""
    for server in servers:
        _signal_group(server, signal.SIGTERM)
    for server in servers:
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _signal_group(server, signal.SIGKILL)
            server.process.wait()


@pytest.fixture
def start_web(
    transactional_db: None, worker_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[..., list[WebServer]]]:
    """``start_web(count)`` starts that many gunicorn masters, each on its own
    free port on 127.0.0.1, with the production settings against the test
    database and broker; returns once each /health/ answers 200. They are
    stopped after the test, also when it fails."""
    started: list[WebServer] = []

    def start(count: int = 1, *, env: dict[str, str] | None = None) -> list[WebServer]:
        servers = [
            _start_web(
                f"web{len(started) + n}",
                {**worker_env, **WEB_ENV, **(env or {})},
                tmp_path / f"web-{len(started) + n}.log",
            )
            for n in range(count)
        ]
        started.extend(servers)
        try:
            wait_for(lambda: all(_healthy(server) for server in servers), timeout=60, what=f"{count} web process(es)")
        except AssertionError as error:
            raise AssertionError("\n\n".join([str(error), *(server.log() for server in servers)])) from None
        return servers

    try:
        yield start
    finally:
        _stop_web(started)
