"""The `thinkchild` command: the product's CLI, and a stand-in for manage.py.

thinkchild run                    web server, task worker and scheduler together
thinkchild demo [--scale force]   generate the synthetic force and load it
thinkchild import FILE...         load canonical JSON Lines (or CSV with --mapping)
thinkchild export [--out FILE]    write the canonical format
thinkchild worker                 run queued background tasks
thinkchild scheduler              enqueue periodic work (one instance at a time)
thinkchild user ...               create, list and lock users; issue API tokens
thinkchild <django command>       anything manage.py does (migrate, check, shell, ...)
"""

import os
import sys

# Product verbs that are named differently as Django commands.
ALIASES = {
    "run": "run",
    "worker": "db_worker",
    "scheduler": "run_scheduler",
    "import": "import_records",
    "export": "export_records",
    "user": "user",
    "demo": "demo",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thinkchild.config.settings")
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    argv[0] = "thinkchild"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        # A missing setting (no secret key outside demo mode): say which, not a stack trace.
        sys.exit(f"thinkchild: {error}")


if __name__ == "__main__":
    main()
