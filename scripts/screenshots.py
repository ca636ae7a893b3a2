"""Regenerate the README screenshots (`make screenshots`) by driving the real browser.

Loads the demo force into a scratch SQLite database under var/screenshots/, starts Think Child on
a spare local port, signs in as demo users and photographs the main pages into docs/screenshots/.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "screenshots"
OUT = ROOT / "docs" / "screenshots"
THINKCHILD = [sys.executable, "-m", "thinkchild.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment() -> dict:
    env = os.environ.copy()
    env.update(
        THINKCHILD_DEMO="1",
        THINKCHILD_DEBUG="1",
        THINKCHILD_VAR_DIR=str(VAR),
        THINKCHILD_SQLITE_PATH=str(VAR / "thinkchild.sqlite3"),
        # The pictures show the pages, not the authenticator step.
        THINKCHILD_TWO_FACTOR_ROLES="",
        DJANGO_SETTINGS_MODULE="thinkchild.config.settings",
    )
    return env


def prepare(env: dict) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    subprocess.run([*THINKCHILD, "migrate", "-v0"], env=env, check=True)
    has_force = (
        subprocess.run(
            [
                *THINKCHILD,
                "shell",
                "--no-imports",
                "-v0",
                "-c",
                "from thinkchild.org.models import Force; print(Force.objects.exists())",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if has_force != "True":
        subprocess.run([*THINKCHILD, "demo", "--as-of", "2026-11-01", "-v0"], env=env, check=True)


def pick_records(env: dict) -> dict:
    """A child with a long chronology, and an incident with a child, from the demo data."""
    code = (
        "from django.db.models import Count;"
        "from thinkchild.people.models import Person;"
        "from thinkchild.incidents.models import Incident;"
        "p = Person.objects.filter(date_of_birth__year__gte=2012, is_restricted=False)"
        ".annotate(n=Count('participations')).order_by('-n').first();"
        "i = Incident.objects.filter(has_child=True, is_restricted=False, participants__person=p)"
        ".order_by('-occurred_at').first();"
        "from thinkchild.investigations.models import Investigation;"
        "v = Investigation.objects.filter(team__code='northern-response', reviews__isnull=False)"
        ".order_by('reference').first();"
        "from thinkchild.missing.models import MissingEpisode;"
        "m = MissingEpisode.objects.filter(team__code='northern-response', repeat_marker=True,"
        " prompts__actioned_at__isnull=True, is_restricted=False).order_by('-reported_at').first();"
        "print(p.pk, p.family_name, i.pk, v.pk, m.pk, m.child_id)"
    )
    out = (
        subprocess.run(
            [*THINKCHILD, "shell", "--no-imports", "-v0", "-c", code],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
        .split()
    )
    return {
        "person": out[0],
        "family_name": out[1],
        "incident": out[2],
        "investigation": out[3],
        "episode": out[4],
        "missing_child": out[5],
    }


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sign-in/")
            conn.getresponse()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Think Child did not start on port {port}")


def shoot(base: str, records: dict) -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def signed_in(username: str, width: int = 1280, height: int = 900):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{base}/sign-in/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill("thinkchild-demo")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state("networkidle")
            return page

        def snap(page, name: str, path: str, full_page: bool = False):
            page.goto(f"{base}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
            print(f"  docs/screenshots/{name}.png  {path}")

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        snap(page, "sign-in", "/sign-in/", full_page=False)
        page = signed_in("control")
        snap(page, "people-search", f"/people/?name={records['family_name']}")
        snap(page, "person", f"/people/{records['person']}/")
        snap(page, "chronology", f"/people/{records['person']}/chronology/")
        snap(page, "household-chronology", f"/people/{records['person']}/household/chronology/")
        snap(page, "incidents", "/incidents/?has_child=on")
        snap(page, "incident", f"/incidents/{records['incident']}/")
        page = signed_in("supervisor")
        snap(page, "needs-attention", "/standards/queue/")
        snap(page, "investigation", f"/investigations/{records['investigation']}/")
        snap(page, "missing-list", "/missing/")
        tall = signed_in("supervisor", height=1500)
        snap(tall, "missing-episode", f"/missing/{records['episode']}/")
        page = signed_in("di")
        snap(page, "compliance", "/standards/compliance/")
        snap(page, "missing-summary", "/missing/summary/")
        page = signed_in("ppulead")
        snap(page, "processing-log", "/access/processing-log/", full_page=False)
        phone = signed_in("officer", width=390, height=844)
        snap(phone, "phone-chronology", f"/people/{records['person']}/chronology/", full_page=False)
        report = f"/missing/report/?person={records['missing_child']}"
        snap(phone, "phone-missing-report", report, full_page=False)
        browser.close()


def main() -> None:
    env = environment()
    print("Preparing the demo force for screenshots (first run takes a minute)...")
    prepare(env)
    records = pick_records(env)
    port = free_port()
    server = subprocess.Popen(
        [*THINKCHILD, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(port)
        shoot(base, records)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
