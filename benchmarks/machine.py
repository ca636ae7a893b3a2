"""What the numbers were measured on."""

import os
import platform
import resource
import shutil
import sqlite3
import subprocess
from importlib.metadata import version
from pathlib import Path


def _proc_lines(name: str) -> list[str]:
    try:
        return Path("/proc", name).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _cpu_model() -> str:
    for line in _proc_lines("cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    for line in _proc_lines("meminfo"):
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _postgres_version() -> str:
    psql = shutil.which("psql")
    if not psql:
        return "not installed"
    try:
        out = subprocess.run([psql, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def machine_facts() -> dict[str, str]:
    return {
        "CPU": f"{_cpu_model()} ({os.cpu_count()} cores visible, nproc)",
        "Memory": _memory_gib(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": version("Django"),
        "psycopg": version("psycopg"),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL client": _postgres_version(),
    }


def machine_busy_seconds() -> float:
    """CPU seconds spent by every process on the machine (this one, its workers, PostgreSQL):
    with workers, a steadier measure of what a record costs than the time it takes. Time stolen
    by the hypervisor is not counted: it is not ours."""
    lines = _proc_lines("stat")
    if not lines:
        return 0.0
    fields = [int(f) for f in lines[0].split()[1:8]]
    user, nice, system, _idle, _iowait, irq, softirq = fields
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def python_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (import workers end with
    each import_files call)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class CpuSplit:
    """The machine's CPU over a stretch of work, split into Python (this process and its
    workers, their start-up included) and the rest: on an otherwise idle machine with the
    database on it, the database server. Measured from the whole machine, it means nothing on a
    busy one or with the database elsewhere."""

    def __enter__(self) -> "CpuSplit":
        self._busy, self._python = machine_busy_seconds(), python_seconds()
        return self

    def __exit__(self, *exc) -> None:
        self.busy = machine_busy_seconds() - self._busy
        self.python = python_seconds() - self._python
        self.database = self.busy - self.python

    def per_record_us(self, records: int) -> dict[str, float]:
        per = 1e6 / max(records, 1)
        return {
            "all": self.busy * per,
            "python": self.python * per,
            "database": self.database * per,
        }
