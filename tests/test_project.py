"""Project-wide promises: settings, security headers, language, the demo."""

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command

from cycle.models import Fase, Werkcyclus
from people.models import Rol, Roltoewijzing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_fails_fast_without_secrets():
    result = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "wijkaanpak.settings.production"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings.production",
    "DJANGO_SECRET_KEY": "x9!" * 20 + "a-long-random-looking-deployment-secret",
    "DJANGO_ALLOWED_HOSTS": "wijkaanpak.example",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wijkaanpak"),
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SITE_URL": "https://wijkaanpak.example",
}


def test_production_passes_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_fails_fast_without_site_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SITE_URL"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set the DJANGO_SITE_URL environment variable" in result.stderr


@pytest.mark.parametrize("dsn", ["", "https://public@127.0.0.1:9/1"])
def test_production_reports_errors_to_sentry_only_with_a_dsn(dsn):
    result = run_manage(
        "shell",
        "-c",
        "import sentry_sdk; client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options.get('environment'), "
        "client.options.get('send_default_pii'), "
        "sorted(client.integrations) if client.is_active() else [])",
        env={**PRODUCTION_ENV, "SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "acceptatie"},
    )
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()[-1]
    if dsn:
        active, environment, pii, integrations = printed.split(" ", 3)
        assert (active, environment, pii) == ("True", "acceptatie", "False")
        assert "'celery'" in integrations and "'django'" in integrations
    else:
        assert printed.startswith("False ")


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/wijken/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_dutch_by_default_whatever_the_browser_says(client):
    response = client.get("/wijken/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl">' in response.content.decode()
    assert "Alle wijken" in response.content.decode()


@pytest.mark.django_db
def test_english_available_through_the_switch(client):
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>English</a>', client.get("/wijken/").text)
    response = client.get(unescape(link[1]))
    assert response.status_code == 302
    assert response["Location"] == "/wijken/"
    response = client.get("/wijken/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "All neighbourhoods" in html
    assert "Alle wijken" not in html


@pytest.mark.django_db
def test_demo_has_every_role_and_every_phase(rotterdam):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    rollen = set(
        Roltoewijzing.objects.filter(user__email__endswith="@demo.wijkaanpak.nl").values_list(
            "rol", flat=True
        )
    )
    assert rollen == set(Rol.values)
    fasen = set(Werkcyclus.objects.values_list("fase", flat=True))
    assert fasen == set(Fase.values)
    assert Werkcyclus.objects.count() == 8
    # Cycles of one werkgebied overlap: year N is executed while N+1 is analysed.
    assert set(
        Werkcyclus.objects.filter(werkgebied__slug="oude-noorden").values_list("fase", flat=True)
    ) == {Fase.UITVOERING, Fase.ANALYSE}


@pytest.mark.django_db
def test_demo_accounts_listed_on_login_page_only_when_enabled(client, rotterdam, settings):
    call_command("load_demo")
    settings.SHOW_DEMO_ACCOUNTS = False
    assert "wijkmanager@demo.wijkaanpak.nl" not in client.get("/inloggen/").content.decode()
    settings.SHOW_DEMO_ACCOUNTS = True
    assert "wijkmanager@demo.wijkaanpak.nl" in client.get("/inloggen/").content.decode()


def test_every_english_string_is_translated():
    """The English catalogue has no empty or fuzzy entries (apart from the header)."""
    po = os.path.join(ROOT, "locale", "en", "LC_MESSAGES", "django.po")
    with open(po, encoding="utf-8") as handle:
        entries = handle.read().split("\n\n")[1:]
    assert entries
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def _msgids(po_text: str) -> set[str]:
    """The msgids of a .po file (multi-line ids joined), without the header."""
    ids, current, in_id = set(), [], False
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current, in_id = [line[6:].strip().strip('"')], True
        elif in_id and line.startswith('"'):
            current.append(line.strip().strip('"'))
        else:
            if in_id:
                ids.add("".join(current))
            in_id = False
    return ids - {""}


def test_translation_catalogue_is_in_sync_with_the_code(tmp_path):
    """Every string marked for translation is in the English catalogue, and nothing stale is:
    makemessages is run on a copy of the code and compared with the committed file."""
    ignore = shutil.ignore_patterns(".venv", ".git", ".pgtest", "staticfiles", "node_modules")
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=ignore)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=tests"],
        cwd=copy,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings.local"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    committed = (Path(ROOT) / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    fresh = (copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert _msgids(fresh) - _msgids(committed) == set(), "run makemessages and translate"
    assert "#, fuzzy" not in fresh


def test_zero_setup_demo_runs_on_sqlite(tmp_path):
    """``make run`` serves the demo from SQLite with Celery eager: the migrations, the places
    and the demo must load there too (a PostgreSQL-only trigger in a migration and a DISTINCT ON
    in a selector once broke it while every PostgreSQL test passed)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    for args in (("migrate", "--noinput"), ("import_rotterdam",), ("load_demo",)):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert result.returncode == 0, (args, result.stderr[-4000:])
    # The demo ends with the accounts to sign in with.
    assert "bewoner@demo.wijkaanpak.nl" in result.stdout
