"""`thinkchild run` starts the web server, worker and scheduler, and Ctrl-C stops all three."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> dict[int, str]:
    """Child processes (recursively) and their command lines, from Linux's /proc."""
    found: dict[int, str] = {}
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        try:
            found[child] = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        found.update(descendants(child))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def sign_in_page_status(port: int) -> int | None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/sign-in/")
        return conn.getresponse().status
    except OSError:
        return None


def test_run_serves_pages_and_ctrl_c_stops_every_process(tmp_path):
    port = free_port()
    drop = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # a production start refuses the latter
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        THINKCHILD_SQLITE_PATH=str(tmp_path / "run.sqlite3"),
        THINKCHILD_VAR_DIR=str(tmp_path),
        THINKCHILD_INSECURE_HTTP="1",
        THINKCHILD_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "thinkchild.cli", "run", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while sign_in_page_status(port) != 200:
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the web server did not answer in 90 s"
            time.sleep(0.5)
        children = descendants(proc.pid)
        names = " ".join(children.values())
        assert "gunicorn" in names and "worker" in names and "scheduler" in names

        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        output, _ = proc.communicate(timeout=30)
        assert "Stopped." in output
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [cmd for pid, cmd in children.items() if alive(pid)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
