"""Production settings refuse to start without their secrets, and pass Django's deploy check.

Each case runs in a fresh interpreter with a controlled environment (settings are read once
per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k9-" + "Zq7wVx2Lp4Rt8Yn1Mc6Bd3Hf5Gj0Ks9Ua2Ei4Oy7Tw1Qr3Np6Lm8" * 2


def run(args: list[str], tmp_path: Path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "ashyq.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        **env_vars,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SETUP = ["-c", "import django; django.setup(); print('started')"]


def test_refuses_to_start_without_secret_key(tmp_path):
    result = run(SETUP, tmp_path, ALLOWED_HOSTS="ashyq.example.kz")

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert "Production settings need SECRET_KEY in the environment." in result.stderr


def test_refuses_the_development_key(tmp_path):
    result = run(
        SETUP,
        tmp_path,
        SECRET_KEY="dev-only-insecure-key-change-me",
        ALLOWED_HOSTS="ashyq.example.kz",
    )

    assert result.returncode != 0
    assert "Production settings need SECRET_KEY" in result.stderr


def test_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run(SETUP, tmp_path, SECRET_KEY=STRONG_KEY)

    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "Production settings need ALLOWED_HOSTS in the environment." in result.stderr


def test_starts_with_both(tmp_path):
    result = run(SETUP, tmp_path, SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="ashyq.example.kz")

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DEBUG", "False"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https"),
    ],
)
def test_production_values(tmp_path, name, expected):
    script = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = run(
        ["-c", script],
        tmp_path,
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="ashyq.example.kz",
        DEBUG="true",  # ignored: production never debugs
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_deploy_check_has_no_warnings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="ashyq.example.kz",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "System check identified no issues" in output
