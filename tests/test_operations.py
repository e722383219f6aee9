"""Operations: the health endpoint, request ids and JSON logs, the headers every response
carries, the language link, the container set-up and the dependency locks."""

import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from tests.people.factories import UserFactory
from wijkaanpak.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
UUID4_HEX = re.compile(r"[0-9a-f]{12}4[0-9a-f]{19}")  # uuid.uuid4().hex
# Nothing listens on port 1: connecting is refused at once.
CLOSED_BROKER = "redis://127.0.0.1:1/0"
LIVE_BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def no_store_for_a_user(request):
    """A view that reads the user (so the session) and forbids storing its answer."""
    response = HttpResponse(f"{request.user.is_authenticated}")
    response["Cache-Control"] = "no-store"
    return response


# Used with @pytest.mark.urls("tests.test_operations"): only what the header tests need.
urlpatterns = [path("geen-opslag/", no_store_for_a_user)]


@pytest.fixture
def broker(monkeypatch):
    """Run with a real broker instead of eagerly, at the URL the test passes."""

    def use(url):
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # would win over the conf
        monkeypatch.setattr(celery_app.conf, "broker_url", url)

    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        yield use


# ----------------------------------------------------------------------------- health


@pytest.mark.django_db
def test_health_is_ok_in_eager_mode(client):
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_is_ok_with_a_live_broker(client, broker):
    broker(LIVE_BROKER)
    response = client.get("/gezondheid/")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_health_reports_a_broker_that_is_down_quickly(client, broker):
    broker(CLOSED_BROKER)
    started = time.monotonic()
    response = client.get("/gezondheid/")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json() == {"status": "fout", "database": "ok", "broker": "fout"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error",
    [OperationalError("connection refused"), RuntimeError("something unforeseen")],
    ids=["database-down", "unexpected-error"],
)
def test_health_reports_a_database_that_is_down(client, error):
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = client.get("/gezondheid/")
    assert response.status_code == 503
    assert response.json() == {"status": "fout", "database": "fout", "broker": "eager"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_never_touches_the_session(client):
    client.force_login(UserFactory())
    response = client.get("/gezondheid/")
    assert response.status_code == 200
    assert response.wsgi_request.session.accessed is False
    assert "sessionid" not in response.cookies
    # Not a page for this user either: the no-store stays as it is.
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_health_answers_only_reads(client):
    assert client.post("/gezondheid/").status_code == 405
    assert client.head("/gezondheid/").status_code == 200


# -------------------------------------------------------------------- request ids, logs


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["abc-123", "trace.ID_0001", "x" * 64])
def test_a_sane_request_id_comes_back(client, sent):
    response = client.get("/gezondheid/", HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        "x" * 65,
        "abc 123",
        "abc\r\nSet-Cookie: x=1",
        'abc", "level": "CRITICAL',
        "../../etc/passwd",
        "id;drop",
        "",
        "ïd",
    ],
)
def test_a_hostile_request_id_is_replaced(client, hostile):
    response = client.get("/gezondheid/", HTTP_X_REQUEST_ID=hostile)
    assert UUID4_HEX.fullmatch(response["X-Request-ID"])
    assert response["X-Request-ID"] != hostile


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    first = client.get("/wijken/")["X-Request-ID"]
    second = client.get("/wijken/")["X-Request-ID"]
    assert UUID4_HEX.fullmatch(first) and UUID4_HEX.fullmatch(second)
    assert first != second


def test_requests_log_json_lines_with_their_id_on_stdout():
    """In a fresh process, as deployed: what reaches standard output is one JSON object per
    line, and each line written while serving a request carries that request's id."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "client.get('/gezondheid/', HTTP_X_REQUEST_ID='eerste-verzoek')\n"
        "client.get('/taal/xx/', HTTP_X_REQUEST_ID='tweede-verzoek')\n"
        "import logging; logging.getLogger('wijkaanpak').warning('buiten een verzoek')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings.test",
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wijkaanpak"
            ),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    access = [r for r in records if r["logger"] == "wijkaanpak.request"]
    assert [(r["request_id"], r["path"], r["status"]) for r in access] == [
        ("eerste-verzoek", "/gezondheid/", 200),
        ("tweede-verzoek", "/taal/xx/", 404),
    ]
    not_found = next(r for r in records if r["logger"] == "django.request")
    assert not_found["request_id"] == "tweede-verzoek"
    assert not_found["level"] == "WARNING"
    outside = next(r for r in records if r["message"] == "buiten een verzoek")
    assert outside["request_id"] == "-"
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)


# --------------------------------------------------------------------- response headers


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/wijken/", "/gezondheid/", "/bestaat-niet/", "/static/favicon.svg"]
)
def test_every_response_has_a_permissions_policy(client, url):
    policy = client.get(url)["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in policy.split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert features[feature] == "()"


@pytest.mark.django_db
def test_pages_for_a_signed_in_user_are_private(client):
    anonymous = client.get("/wijken/")
    assert "private" not in anonymous.get("Cache-Control", "")
    client.force_login(UserFactory())
    signed_in = client.get("/wijken/")
    directives = {d.strip() for d in signed_in["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= directives


@pytest.mark.django_db
@pytest.mark.urls("tests.test_operations")
def test_an_explicit_no_store_is_kept_for_a_signed_in_user(client):
    client.force_login(UserFactory())
    response = client.get("/geen-opslag/")
    assert response.content == b"True"
    assert response["Cache-Control"] == "no-store"


# -------------------------------------------------------------------------- language link


@pytest.mark.django_db
def test_a_visitors_language_ends_with_the_request(client, settings):
    """English for the visitor who chose it, and afterwards the thread is Dutch again (a
    worker's next task, or the next test, never inherits a visitor's choice)."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/wijken/")["Content-Language"] == "en"
    assert translation.get_language() == "nl"


@pytest.mark.django_db
def test_language_link_sets_the_cookie_like_set_language(client):
    django_way = client.post("/i18n/setlang/", {"language": "en", "next": "/wijken/"})
    link = client.get("/taal/en/", {"next": "/wijken/?zoek=kralingen"})
    assert link.status_code == 302
    assert link["Location"] == "/wijken/?zoek=kralingen"
    expected, cookie = django_way.cookies["django_language"], link.cookies["django_language"]
    assert cookie.value == expected.value == "en"
    for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
        assert cookie[attribute] == expected[attribute], attribute


@pytest.mark.django_db
def test_language_link_refuses_unknown_languages(client):
    assert client.get("/taal/de/").status_code == 404
    assert "django_language" not in client.get("/taal/de/").cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "unsafe",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:///evil.example"],
)
def test_language_link_goes_home_instead_of_elsewhere(client, unsafe):
    response = client.get("/taal/en/", {"next": unsafe})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_language_link_keeps_https(client):
    plain = client.get("/taal/en/", {"next": "http://testserver/wijken/"}, secure=True)
    assert plain["Location"] == "/"
    secure = client.get("/taal/en/", {"next": "https://testserver/wijken/"}, secure=True)
    assert secure["Location"] == "https://testserver/wijken/"


@pytest.mark.django_db
def test_language_link_is_a_get_only(client):
    assert client.post("/taal/en/").status_code == 405


@pytest.mark.django_db
def test_header_offers_the_other_language_as_a_link(client):
    dutch = client.get("/wijken/?pagina=2").content.decode()
    assert (
        '<a class="btn btn-sm btn-utility" href="/taal/en/?next=/wijken/%3Fpagina%3D2" '
        'lang="en" hreflang="en">English</a>'
    ) in dutch
    assert "/i18n/setlang/" not in dutch
    client.cookies["django_language"] = "en"
    english = client.get("/wijken/").content.decode()
    assert 'href="/taal/nl/?next=/wijken/" lang="nl" hreflang="nl">Nederlands</a>' in english


# ------------------------------------------------------------------- containers, settings


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_has_healthchecks_and_a_shared_media_volume():
    config = compose()
    services = config["services"]
    assert "media" in config["volumes"]
    for name in ("web", "worker"):
        service = services[name]
        media_root = service["environment"]["DJANGO_MEDIA_ROOT"]
        assert f"media:{media_root}" in service["volumes"], name
        assert service["healthcheck"]["test"], name
    assert "/gezondheid/" in "\n".join(services["web"]["healthcheck"]["test"])
    worker_check = services["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    assert "inspect ping -d" in worker_check[1] and "$${HOSTNAME}" in worker_check[1]
    # The image makes the mount point and gives it to the app user.
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "mkdir -p /app/media" in dockerfile
    assert "chown wijkaanpak:wijkaanpak /app/media" in dockerfile


def _web_healthcheck(address, allowed_hosts):
    """Run the web service's healthcheck command here, against ``address``."""
    command = compose()["services"]["web"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "-c"]
    code = command[3].replace("127.0.0.1:8000", address)
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": os.environ["PATH"], "DJANGO_ALLOWED_HOSTS": allowed_hosts},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_web_healthcheck_command_passes_against_a_running_portal(live_server, settings):
    # As in production: only the configured host names are answered.
    settings.ALLOWED_HOSTS = ["wijkaanpak.example"]
    address = live_server.url.removeprefix("http://")
    healthy = _web_healthcheck(address, ".wijkaanpak.example,www.wijkaanpak.example")
    assert healthy.returncode == 0, healthy.stderr
    # The live server's thread has a connection of its own: break them all for a moment.
    wrapper = type(connections["default"])
    with mock.patch.object(wrapper, "cursor", side_effect=OperationalError("down")):
        unhealthy = _web_healthcheck(address, "wijkaanpak.example")
    assert unhealthy.returncode == 1
    assert "503" in unhealthy.stderr
    closed = _web_healthcheck("127.0.0.1:1", "wijkaanpak.example")
    assert closed.returncode == 1


def test_media_root_comes_from_the_environment(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.MEDIA_ROOT, settings.MEDIA_URL, settings.DEMO_DATA_ALLOWED)",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "wijkaanpak.settings.local",
            "DJANGO_MEDIA_ROOT": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(tmp_path), "/media/", "True"]


# ---------------------------------------------------------------------------- lock files


def _pins(lock_file):
    text = (ROOT / lock_file).read_text(encoding="utf-8")
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{match[1]} has no hash in {lock_file}"
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


def _names(requirements):
    return {
        re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", r)[0]).lower() for r in requirements
    }


def test_lock_files_pin_every_dependency_with_hashes():
    """Catches a dependency added to pyproject.toml without `make lock`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert _names(project["dependencies"]) <= set(runtime)
    assert _names(project["dependencies"] + project["optional-dependencies"]["dev"]) <= set(dev)
    # Development runs exactly what production runs.
    assert {name: dev[name] for name in runtime} == runtime
