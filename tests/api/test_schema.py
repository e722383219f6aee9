"""The OpenAPI document of /api/v1/: it is generated without warnings, validates against the
OpenAPI 3 specification, and every documented read answers as described (schemathesis against
the live test server: no 500, every response in the documented status codes, content types and
schemas). The documentation and the browsable API load under the strict CSP."""

import re

import pytest
import schemathesis
from django.core.management import call_command
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cycle.models import Fase, Initiatief
from tests.api.hulp_schrijven import (
    alle_rollen,  # noqa: F401 - fixture
    sleutel_voor,
    stadsbeheer,  # noqa: F401 - fixture
    uitvoering,  # noqa: F401 - fixture
)
from tests.api.lezen_data import (
    API,
    LIJSTEN,
    geen_limiet,  # noqa: F401 - fixture
    stad,
)

# The tests read far more than a visitor may per minute; throttling has its own test.
pytestmark = pytest.mark.usefixtures("geen_limiet")


@pytest.mark.django_db
def test_schema_generates_without_warnings_and_validates(tmp_path):
    # drf-spectacular's own check: --validate against the OpenAPI 3 JSON schema, and any
    # warning or error of the generator fails.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))


@pytest.mark.django_db
def test_schema_lists_every_read_endpoint_with_its_errors(client):
    response = client.get(f"{API}schema/?format=json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    for naam in LIJSTEN:
        operation = document["paths"][f"{API}{naam}/"]["get"]
        for code in ("200", "400", "404", "429"):
            assert code in operation["responses"], (naam, code)
        fout = operation["responses"]["404"]["content"]
        assert list(fout) == ["application/problem+json"]
        assert set(document["paths"][f"{API}{naam}/"]) <= {"get", "parameters"}
    cursor = {p["name"] for p in document["paths"][f"{API}cycli/"]["get"]["parameters"]}
    assert {"cursor", "werkgebied", "jaar", "fase"} <= cursor


@pytest.mark.django_db
def test_schema_in_english(client):
    nl = client.get(f"{API}schema/?format=json").json()
    en = client.get(f"{API}schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert nl["paths"].keys() == en["paths"].keys()


@pytest.mark.django_db
def test_docs_page_describes_every_operation_and_object_of_the_document(client):
    """The documentation is the portal's own page, made from the OpenAPI document: every
    operation (method and path) and every object is on it, with links from the operations to
    the objects they answer; no script, no style of its own."""
    document = client.get(f"{API}schema/?format=json").json()
    response = client.get(f"{API}docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "<style" not in html and "style=" not in html and "swagger" not in html.lower()
    for attrs, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert 'src="/static/' in attrs, attrs
    for pad, methodes in document["paths"].items():
        for methode, operatie in methodes.items():
            assert f'id="op-{operatie["operationId"]}"' in html, (methode, pad)
            assert f'<code class="api-pad">{pad}</code>' in html
            assert escape(operatie["summary"]) in html
    for naam in document["components"]["schemas"]:
        if naam not in ("BlankEnum", "NullEnum"):
            assert f'id="object-{naam}"' in html
    # Every link inside the page lands on an anchor of the page.
    ankers = set(re.findall(r' id="([^"]+)"', html))
    for doel in re.findall(r'href="#([^"]+)"', html):
        assert doel in ankers, doel
    # A read list opens in the browser; a write endpoint says it needs a key.
    assert f'href="{API}werkgebieden/"' in html
    assert "Alleen met een API-sleutel." in html and "Openbaar: geen sleutel nodig." in html


@pytest.mark.django_db
def test_docs_page_follows_the_language_switch_not_accept_language(client):
    """A page for people: the portal's language choice (the cookie) rules, as on every page,
    while the API's answers follow Accept-Language."""
    nl = client.get(f"{API}docs/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="nl">' in nl.content.decode()
    client.cookies["django_language"] = "en"
    en = client.get(f"{API}docs/")
    html = en.content.decode()
    assert '<html lang="en">' in html
    assert "Afspraken voor elke bewerking" not in html


@pytest.mark.django_db
def test_browsable_api_renders_without_inline_code(client, werkgebied):
    response = client.get(f"{API}werkgebieden/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert werkgebied.naam in html
    for attrs, _body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert "style=" not in html and "<style" not in html
    # The filters form (django-filter) and the English page.
    assert 'id="filtersModal"' in html
    en = client.get(f"{API}werkgebieden/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in en.content.decode()


# Examples per operation (11 lists, 11 details): about 15 s in all.
VOORBEELDEN = 25


@pytest.mark.django_db(transaction=True)
def test_every_documented_read_answers_as_described(live_server, werkgebied, beheerder, make_cycle):
    stad(werkgebied, beheerder, make_cycle)
    make_cycle(werkgebied, jaar=2025, fase=Fase.AFGEROND)
    schema = schemathesis.openapi.from_url(f"{live_server.url}{API}schema/?format=json")
    schema = schema.include(method="GET")
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    gezien = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in (f"{API}schema/", f"{API}docs/"):
            continue
        gezien.append(operation.path)

        @settings(
            max_examples=VOORBEELDEN,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(base_url=live_server.url, checks=checks)

        run()
    for naam in LIJSTEN:
        assert f"{API}{naam}/" in gezien


@pytest.mark.django_db(transaction=True)
def test_every_documented_write_answers_as_described(live_server, alle_rollen, uitvoering):  # noqa: F811
    """Schemathesis over the POST operations, as the accounthouder's system with its key, on a
    real initiative of its cluster: with and without a current If-Match, whatever the body,
    never a 500, and every answer in the documented codes, content types and schemas."""
    actie_pk = uitvoering[1][0].pk
    key = sleutel_voor(alle_rollen["accounthouder"][0])
    schema = schemathesis.openapi.from_url(f"{live_server.url}{API}schema/?format=json")
    schema = schema.include(method="POST")
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    gezien = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        gezien.add(operation.path)

        @settings(
            max_examples=VOORBEELDEN,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy(), huidig=st.booleans())
        def run(case, huidig):
            case.path_parameters = {**(case.path_parameters or {}), "id": actie_pk}
            headers = {"Authorization": f"Token {key}"}
            if huidig:
                headers["If-Match"] = f'"{Initiatief.objects.get(pk=actie_pk).versie}"'
            case.call_and_validate(base_url=live_server.url, checks=checks, headers=headers)

        run()
    assert gezien == {
        f"{API}acties/{{id}}/{deel}/"
        for deel in ("voortgang", "toezegging", "afwijzing", "knelpunten")
    }


@pytest.mark.django_db
def test_schema_is_generated_once_per_language(client):
    """Generating the document takes half a second: it is kept per language, so a flood of
    requests for it costs nothing more, and the languages stay apart."""
    from api.v1 import docs

    docs.document.cache_clear()
    nl = client.get(f"{API}schema/?format=json").json()
    en = client.get(f"{API}schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert docs.document.cache_info().misses == 2
    client.get(f"{API}schema/?format=json")
    client.get(f"{API}schema/", HTTP_ACCEPT_LANGUAGE="en")
    assert docs.document.cache_info().misses == 2
    assert docs.document.cache_info().hits == 2
    # drf-spectacular's ?lang= may name any language: each counts as one the portal speaks.
    for lang in ("xx", "yy", "en-GB", "nl-BE", "%00"):
        assert client.get(f"{API}schema/?format=json&lang={lang}").status_code == 200
    assert docs.document.cache_info().misses == 2
    summaries = {
        taal: doc["paths"]["/api/v1/acties/{id}/voortgang/"]["post"]["summary"]
        for taal, doc in (("nl", nl), ("en", en))
    }
    assert summaries["nl"] == "Voortgang van een actie melden"
    assert summaries["en"] != summaries["nl"]
