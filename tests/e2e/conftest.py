"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium), axe-core from npm.

Without Chromium they are skipped with one line saying how to install it, except in CI
(CI=true), where a missing browser fails the run: a green CI must mean the browser tests ran.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
INSTALL_HINT = "Chromium is missing: install it with 'sudo apt-get install chromium' (Debian)"


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI must run the browser tests. {INSTALL_HINT}")
    skip = pytest.mark.skip(reason=f"browser tests skipped. {INSTALL_HINT}")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}
