"""Starting the portal in a fresh Python process, to test what happens at start-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Variables the surrounding run may have set (CI sets some, the browser tests one) must not
# leak into these starts.
CLEARED = {"DATABASE_URL", "REDIS_URL", "PORTAL_ENV", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
CLEARED |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}
SETUP = "import django; django.setup(); "


def run_python(extra_env, code=SETUP + "print('started')", args=None):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **extra_env)
    command = [sys.executable, *(args or ["-c", code])]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
