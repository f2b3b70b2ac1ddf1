"""The project as a whole: the console script, settings from the environment, languages."""

from __future__ import annotations

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATORIO_")}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    full_env.update(env or {})
    return subprocess.run(
        [str(BIN / "observatorio"), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict:
    return {
        "OBSERVATORIO_DEBUG": "0",
        "OBSERVATORIO_SECRET_KEY": secrets.token_urlsafe(64),
        "OBSERVATORIO_ALLOWED_HOSTS": "observatorio.example.gob.mx",
        "OBSERVATORIO_VAR_DIR": str(tmp_path),
    }


def test_the_console_script_runs_management_commands():
    result = run_cli("help", "import_compendium")
    assert result.returncode == 0, result.stderr
    assert "--commit" in result.stdout
    assert "--jsonl" in result.stdout


def test_check_deploy_reports_nothing_with_the_production_variables(tmp_path):
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_complains_when_debug_is_on(tmp_path):
    env = production_env(tmp_path) | {"OBSERVATORIO_DEBUG": "1"}
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_it_refuses_to_start_in_production_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    env.pop("OBSERVATORIO_SECRET_KEY")
    result = run_cli("check", env=env)
    assert result.returncode != 0
    assert "OBSERVATORIO_SECRET_KEY" in result.stderr


def test_a_malformed_boolean_variable_is_reported_in_spanish(tmp_path):
    result = run_cli(
        "check", env={"OBSERVATORIO_DEBUG": "quizá", "OBSERVATORIO_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0
    assert "OBSERVATORIO_DEBUG debe ser" in result.stderr


def test_trusted_proxies_must_be_addresses_or_networks(tmp_path):
    env = production_env(tmp_path) | {"OBSERVATORIO_TRUSTED_PROXIES": "1"}
    result = run_cli("check", env=env)
    assert result.returncode != 0
    assert "OBSERVATORIO_TRUSTED_PROXIES debe ser una lista" in result.stderr
    env["OBSERVATORIO_TRUSTED_PROXIES"] = "127.0.0.1,10.0.0.0/8"
    assert run_cli("check", env=env).returncode == 0


def test_development_generates_a_private_secret_key_once(tmp_path):
    env = {"OBSERVATORIO_VAR_DIR": str(tmp_path)}
    assert run_cli("check", env=env).returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert run_cli("check", env=env).returncode == 0
    assert key_file.read_text() == first


def test_the_database_comes_from_database_url():
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert engine == "django.db.backends.postgresql"
    else:
        assert engine == "django.db.backends.sqlite3"


@pytest.mark.django_db
def test_pages_are_in_spanish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="es-MX">' in body
    assert "Saltar al contenido" in body


@pytest.mark.django_db
def test_english_is_available(client):
    response = client.get("/en/")
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Skip to content" in body


def test_the_pinned_lock_file_pins_every_requirement():
    lock = (ROOT / "requirements" / "dev.lock").read_text().splitlines()
    pins = [line for line in lock if line and not line.startswith("#")]
    assert pins and all("==" in line for line in pins), [p for p in pins if "==" not in p]
    names = {line.split("==")[0].lower().replace("_", "-") for line in pins}
    assert {"django", "psycopg", "pytest", "pytest-django"} <= names


def test_the_migrations_describe_the_models(db):
    # Moved models (SourceDocument and ImportRun, now in sources) change the state only:
    # a missing or wrong state operation would show here as a new migration to write.
    from django.core.management import call_command

    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_every_interface_string_has_an_english_translation():
    po = (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') or "#, fuzzy" in e]
    assert untranslated == []


def test_the_production_command_runs_gunicorn_with_the_measured_settings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/gunicorn config.wsgi --config gunicorn.conf.py" in readme
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["worker_class"] == "sync"
    # Longer than the longest legitimate request measured (ARCHITECTURE.md, "Decisions"):
    # gunicorn's default of 30 s killed full XLSX downloads on a busy machine.
    assert settings["timeout"] == settings["graceful_timeout"] == 120
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATORIO_")}
    result = subprocess.run(
        [str(BIN / "gunicorn"), "--check-config", "--config", "gunicorn.conf.py", "config.wsgi"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
