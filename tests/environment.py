"""Loaded as a pytest plugin (`-p tests.environment`) so it runs before Django reads its settings.

The suite runs with the production settings module plus these environment variables.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("THINKCHILD_SECRET_KEY", "test-only-not-a-secret")
os.environ.setdefault("THINKCHILD_INSECURE_HTTP", "1")
os.environ.setdefault("THINKCHILD_PLAIN_STATIC", "1")
os.environ.setdefault(
    "THINKCHILD_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"
)
# Playwright's sync API runs an event loop in the test thread (stack-notes A4).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Collected static files would go under the var directory; whitenoise warns when it is missing.
_var = Path(
    os.environ.setdefault(
        "THINKCHILD_VAR_DIR", str(Path(tempfile.gettempdir()) / "thinkchild-tests")
    )
)
(_var / "static").mkdir(parents=True, exist_ok=True)
