"""What the numbers were measured on."""

import os
import platform
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
