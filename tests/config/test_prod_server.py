"""`make prod` (scripts/prod-server): gunicorn, the worker and the scheduler, with DEBUG off
on one machine without Redis, stopped together."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VENV = Path(sys.executable).parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def production_env(tmp_path):
    if (BASE_DIR / ".env").exists():
        pytest.skip("a local .env would change the environment under test")
    if not (VENV / "bin" / "gunicorn").exists():
        pytest.skip("gunicorn is not installed in this environment")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": "a-long-production-secret-for-the-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "VENV": str(VENV),
    }
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return env, port


def start(env):
    return subprocess.Popen(  # noqa: S603 - our own script
        [str(BASE_DIR / "scripts" / "prod-server")],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def health(port: int, deadline: float):
    """The /gezond/ answer, once gunicorn listens (polled until ``deadline``)."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond/", timeout=5) as answer:  # noqa: S310
                return answer.status, json.loads(answer.read())
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer in time")


def children(pid: int) -> list[str]:
    """The command lines of the direct children of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(cmdline)
    return found


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
def test_prod_server_runs_site_worker_and_scheduler_and_stops_them_together(production_env):
    env, port = production_env
    server = start(env)
    try:
        status, body = health(port, time.monotonic() + 90)
        assert status == 200 and body["status"] == "ok"
        running = " | ".join(children(server.pid))
        assert "gunicorn" in running
        assert "run_worker" in running
        assert "run_scheduler" in running
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)

    assert server.returncode == 0, err
    # The request was logged as one JSON line.
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert any(line.get("logger") == "gunicorn.error" for line in lines), err[-2000:]


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads /proc")
def test_prod_server_stops_everything_when_one_process_dies(production_env):
    env, port = production_env
    server = start(env)
    try:
        health(port, time.monotonic() + 90)
        worker = next(
            int(entry.name)
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit()
            and b"run_worker" in (entry / "cmdline").read_bytes()
            and f" {server.pid} ".encode() in (entry / "stat").read_bytes()
        )
        os.kill(worker, signal.SIGKILL)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate(timeout=30)

    assert server.returncode != 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond/", timeout=2)  # noqa: S310
