"""The one place a whole kept answer's key and its hit or miss are made (``kept_response_key``,
``kept_response``, ``keep_response``), which the page decorators and the API share."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from pagecache.services import KEPT_HEADER, bump, current, keep_response, kept_response
from pagecache.services import kept_response_key as key

pytestmark = pytest.mark.django_db


def test_the_key_holds_the_version_the_language_the_parts_and_the_path():
    request = RequestFactory().get("/wijken/?pagina=2")
    with translation.override("nl"):
        nl = key("pagina", request, "json", 7)
        assert key("pagina", request, "json", 7) == nl
        assert nl.startswith(f"pagina:{current()}:nl:json:7:")
        # Only a digest of the path: a long or odd path never makes an odd key.
        assert "wijken" not in nl and len(nl.rsplit(":", 1)[1]) == 64
        assert key("pagina", request, "json", 8) != nl
        assert key("api", request, "json", 7) != nl
        assert key("pagina", RequestFactory().get("/wijken/?pagina=3"), "json", 7) != nl
        assert key("pagina", request, "json", 7, path="https://a.example/wijken/") != nl
        assert key("pagina", request, "json", 7, version=current() + 1) != nl
    with translation.override("en"):
        assert key("pagina", request, "json", 7) != nl
    with translation.override("nl"):
        bump()
        assert key("pagina", request, "json", 7) != nl


def test_a_kept_answer_comes_back_whole_marked_a_hit():
    k = key("test", RequestFactory().get("/x/"))
    assert kept_response(k) is None
    response = HttpResponse(b"<p>csrf-x</p>", content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="x.csv"'
    keep_response(k, response, content="<p>PLAATS</p>")
    assert response[KEPT_HEADER] == "miss"
    assert response.content == b"<p>csrf-x</p>"  # the answer itself is untouched
    hit = kept_response(k, fill=lambda content: content.replace("PLAATS", "token-2"))
    assert hit[KEPT_HEADER] == "hit"
    assert hit.content == b"<p>token-2</p>"
    assert hit["Content-Type"] == "text/html; charset=utf-8"
    assert hit["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_another_header_and_the_body_itself():
    k = key("user", RequestFactory().get("/y/"), 5)
    response = HttpResponse(b'{"a": 1}', content_type="application/json")
    keep_response(k, response, header="X-Gebruikerscache")
    assert response["X-Gebruikerscache"] == "miss" and KEPT_HEADER not in response
    hit = kept_response(k, header="X-Gebruikerscache")
    assert hit.content == b'{"a": 1}' and hit["X-Gebruikerscache"] == "hit"
    assert "Content-Disposition" not in hit
    assert kept_response(key("user", RequestFactory().get("/y/"), 6)) is None
