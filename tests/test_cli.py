"""The `thinkchild` command answers a missing setting with one line, not a stack trace."""

import os
import subprocess
import sys


def test_a_missing_secret_key_is_one_clear_line():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("THINKCHILD_SECRET_KEY", "THINKCHILD_DEBUG", "THINKCHILD_DEMO")
    }
    env["DJANGO_SETTINGS_MODULE"] = "thinkchild.config.settings"
    done = subprocess.run(
        [sys.executable, "-m", "thinkchild.cli", "import", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("thinkchild: THINKCHILD_SECRET_KEY is not set")
    assert "Traceback" not in done.stderr


def test_a_fresh_folder_without_var_works(tmp_path):
    """SQLite's folder is made when missing: `thinkchild migrate` in a new place just works."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.pop("THINKCHILD_SQLITE_PATH", None)
    env.update(THINKCHILD_DEMO="1", THINKCHILD_VAR_DIR=str(tmp_path / "new" / "var"))
    done = subprocess.run(
        [sys.executable, "-m", "thinkchild.cli", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "new" / "var" / "thinkchild.sqlite3").is_file()
