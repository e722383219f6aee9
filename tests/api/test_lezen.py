"""The read endpoints of /api/v1/: every endpoint answers with its fields, the filters and the
cursor work, each list costs a fixed number of queries whatever the data, errors are
problem+json in Dutch or English, throttling per address, CORS for reads only."""

import base64

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.middleware import taal_uit_accept_language
from api.throttling import PerAdres
from cycle.models import Fase
from tests.api.lezen_data import (
    API,
    LIJSTEN,
    alles,
    geen_limiet,  # noqa: F401 - fixture
    stad,
)
from tests.participation.factories import MeldingFactory
from tests.places.factories import WijkFactory, WijkprofielScoreFactory

# The tests read far more than a visitor may per minute; throttling has its own test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("geen_limiet")]


@pytest.fixture
def data(werkgebied, beheerder, make_cycle):
    return stad(werkgebied, beheerder, make_cycle)


VELDEN = {
    "gebieden": {"url", "slug", "code", "naam", "cbs_wijknaam"},
    "werkgebieden": {"url", "slug", "naam", "gebied", "wijkraad", "wijken", "kerncijfers"}
    | {"pagina"},
    "wijken": {
        "url",
        "slug",
        "naam",
        "gebied",
        "werkgebied",
        "cbs_buurtcodes",
        "inwoners",
        "inwoners_jaar",
        "wijkprofiel",
        "pagina",
    },
    "cycli": {"id", "werkgebied", "jaar", "fase", "fase_label", "te_laat", "planning"}
    | {"producten", "pagina"},
    "publicaties": {"id", "soort", "werkgebied", "jaar", "versie", "titel", "gepubliceerd_op"}
    | {"gepubliceerd_door_naam", "correctie_reden", "opvolger_versie", "pdf_status", "pdf"}
    | {"pdf_sha256", "pdf_grootte", "tekst", "pagina"},
    "agendapunten": {"id", "werkgebied", "jaar", "rang", "titel", "probleem", "thema", "wijken"}
    | {"buurten", "onderbouwing", "collectief", "pagina"},
    "acties": {"id", "werkgebied", "jaar", "agendapunt", "titel", "beoogd_effect", "eigenaar"}
    | {"cluster", "trekker", "bijdragers", "participatieniveau", "start", "eind", "bedrag"}
    | {"financiering", "succesindicator", "toezegging", "toezegging_label", "uitvoering"}
    | {"afloop", "eindstand", "versie", "pagina"},
    "twaalfmaandenrapport": {"id", "werkgebied", "jaar", "fase", "telling", "streefwaarde"}
    | {"pagina"},
    "meldingen": {"code", "thema", "wijk", "status", "status_label", "dubbel", "ingediend_op"}
    | {"steun", "publiceerbaar", "tekst", "pagina"},
    "budgetten": {"id", "werkgebied", "jaar", "delen", "pagina"},
    "bijeenkomsten": {"id", "werkgebied", "soort", "soort_label", "titel", "begin", "einde"}
    | {"plaats", "adres", "niveau", "fase", "agenda", "geannuleerd", "verslag"}
    | {"aantal_aanwezigen", "pagina"},
}


def test_every_endpoint_answers_with_its_fields(client, data, werkgebied):
    WijkprofielScoreFactory(wijk=werkgebied.wijken.get(), jaar=2024)
    for naam, velden in VELDEN.items():
        response = client.get(f"{API}{naam}/")
        assert response.status_code == 200, naam
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert set(body) == {"next", "previous", "results"}, naam
        assert body["results"], f"{naam} is empty"
        for row in body["results"]:
            assert set(row) == velden, naam


def test_details(client, data, werkgebied):
    wijk = werkgebied.wijken.get()
    WijkprofielScoreFactory(wijk=wijk, jaar=2024, sociale_index=90)
    body = client.get(f"{API}werkgebieden/{werkgebied.slug}/").json()
    assert body["slug"] == werkgebied.slug
    assert body["wijken"] == [wijk.slug]
    assert body["kerncijfers"]["jaar"] == 2024
    assert body["pagina"].endswith(werkgebied.get_absolute_url())
    body = client.get(f"{API}wijken/{wijk.slug}/").json()
    assert body["wijkprofiel"][0]["sociale_index"] == 90
    assert body["werkgebied"] == werkgebied.slug
    gebied = werkgebied.gebied
    assert client.get(f"{API}gebieden/{gebied.slug}/").json()["code"] == gebied.code

    melding = data["openbare_melding"]
    body = client.get(f"{API}meldingen/{melding.code.lower()}/").json()
    assert body["code"] == melding.code
    assert body["tekst"] == melding.tekst
    assert body["plek"] == "Plein"
    assert body["streefdatum"] == melding.termijn_op.isoformat()
    assert body["antwoord"] is None
    besloten = client.get(f"{API}meldingen/{data['besloten_melding'].code}/").json()
    assert besloten["tekst"] is None and besloten["plek"] is None
    assert "email" not in besloten and "melder" not in besloten
    assert "Jansen" not in client.get(f"{API}meldingen/").content.decode()


def test_publication_detail_has_the_sections_of_the_version_in_force(client, data):
    from cycle.models import Productstatus
    from publication.models import Publicatie

    versie = Publicatie.objects.filter(jaar=2026, soort="wijkanalyse").get()
    body = client.get(f"{API}publicaties/{versie.pk}/").json()
    analyse = data["afgerond"].wijkanalyse
    assert analyse.status == Productstatus.GEPUBLICEERD
    assert [s["naam"] for s in body["secties"]] == list(analyse.SECTIES)
    assert body["secties"][0]["tekst"] == analyse.wijkbeschrijving
    assert body["tekst"].endswith(versie.get_html_url())
    # The list has no sections (one query for the page, whatever its length).
    assert "secties" not in alles(client, f"{API}publicaties/")[0]


def test_actions_show_progress_once_executed(client, data):
    acties = alles(client, f"{API}acties/?jaar=2026")
    assert acties
    for actie in acties:
        assert actie["jaar"] == 2026
        if actie["toezegging"] == "toegezegd":
            assert actie["uitvoering"]["percentage"] == 100
            assert actie["uitvoering"]["laatste_voortgang"]["tekst"]
    # The programme in execution is adopted but not published: not in the API.
    assert alles(client, f"{API}acties/?jaar=2027") == []
    rapport = alles(client, f"{API}twaalfmaandenrapport/")
    assert [r["jaar"] for r in rapport] == [2026]
    telling = rapport[0]["telling"]
    assert telling["totaal"] == len(acties)
    assert telling["gerealiseerd"] + telling["open"] + telling["doorgeschoven"] <= len(acties)


def test_actions_show_the_end_state_the_report_counts(client, data):
    from cycle.models import Afloop, Initiatief, Uitvoeringsstatus

    rijen = list(Initiatief.objects.filter(wijkprogramma__cyclus=data["afgerond"]).order_by("pk"))
    assert len(rijen) >= 3
    Initiatief.objects.filter(pk__in=[i.pk for i in rijen]).update(
        afloop="", status=Uitvoeringsstatus.IN_UITVOERING
    )
    # Nothing recorded, but realised: the report counts it realised.
    Initiatief.objects.filter(pk=rijen[0].pk).update(status=Uitvoeringsstatus.GEREALISEERD)
    # Nothing recorded, but stopped: dropped.
    Initiatief.objects.filter(pk=rijen[1].pk).update(
        status=Uitvoeringsstatus.GESTOPT, stopreden="Geen vergunning"
    )
    # What is recorded counts, whatever the status says.
    Initiatief.objects.filter(pk=rijen[2].pk).update(
        afloop=Afloop.DOORGESCHOVEN, status=Uitvoeringsstatus.GEREALISEERD
    )
    acties = {a["id"]: a for a in alles(client, f"{API}acties/?jaar=2026")}
    assert acties[rijen[0].pk]["afloop"] == ""
    assert acties[rijen[0].pk]["eindstand"] == {"waarde": "gerealiseerd", "label": "gerealiseerd"}
    assert acties[rijen[1].pk]["eindstand"] == {"waarde": "geschrapt", "label": "geschrapt"}
    assert acties[rijen[2].pk]["afloop"] == "doorgeschoven"
    assert acties[rijen[2].pk]["eindstand"]["waarde"] == "doorgeschoven"
    for i in rijen[3:]:
        assert acties[i.pk]["eindstand"] == {"waarde": "open", "label": "nog niet vastgelegd"}
    # The API's end states are what the twelve-month report counts.
    [rapport] = alles(client, f"{API}twaalfmaandenrapport/?jaar=2026")
    telling = rapport["telling"]
    for waarde in ("gerealiseerd", "doorgeschoven", "geschrapt", "open"):
        aantal = sum(a["eindstand"]["waarde"] == waarde for a in acties.values())
        assert telling[waarde] == aantal, waarde
    assert telling["gerealiseerd"] == 1 and telling["geschrapt"] == 1


def test_cycle_lists_products_as_its_page(client, data):
    cycli = {c["jaar"]: c for c in alles(client, f"{API}cycli/")}
    assert set(cycli) == {2026, 2027, 2028}
    assert cycli[2028]["fase"] == "agenda"
    nieuw = {p["soort"]: p for p in cycli[2028]["producten"]}
    assert nieuw["wijkagenda"]["status"] == "in_voorbereiding"
    assert nieuw["wijkagenda"]["titel"] is None
    assert nieuw["wijkagenda"]["pagina"] is None
    assert [p["fase"] for p in cycli[2028]["planning"]] == [
        "analyse",
        "agenda",
        "programma",
        "uitvoering",
        "verantwoording",
    ]
    uitvoering = {p["soort"]: p for p in cycli[2027]["producten"]}
    assert uitvoering["wijkprogramma"]["status"] == "vastgesteld"
    assert uitvoering["wijkprogramma"]["titel"] is None


def test_filters(client, data, werkgebied, ander_werkgebied):
    assert alles(client, f"{API}cycli/?werkgebied={ander_werkgebied.slug}") == []
    assert len(alles(client, f"{API}cycli/?werkgebied={werkgebied.slug}")) == 3
    assert [c["jaar"] for c in alles(client, f"{API}cycli/?jaar=2027")] == [2027]
    assert [c["jaar"] for c in alles(client, f"{API}cycli/?fase=afgerond")] == [2026]
    assert {p["jaar"] for p in alles(client, f"{API}publicaties/?jaar=2026")} == {2026}
    assert {p["soort"] for p in alles(client, f"{API}publicaties/?soort=wijkverslag")} == {
        "wijkverslag"
    }
    assert alles(client, f"{API}acties/?status=gepland&jaar=2026") == []
    assert alles(client, f"{API}acties/?status=gerealiseerd&jaar=2026")
    assert [m["code"] for m in alles(client, f"{API}meldingen/?status=open")]
    assert alles(client, f"{API}meldingen/?status=afgehandeld") == []
    assert alles(client, f"{API}meldingen/?werkgebied={ander_werkgebied.slug}") == []
    assert len(alles(client, f"{API}budgetten/?werkgebied={werkgebied.slug}&jaar=2027")) == 1
    assert alles(client, f"{API}budgetten/?jaar=2030") == []
    assert len(alles(client, f"{API}bijeenkomsten/?werkgebied={werkgebied.slug}")) == 1
    assert alles(client, f"{API}bijeenkomsten/?soort=wijkschouw") == []
    assert alles(client, f"{API}wijken/?werkgebied={ander_werkgebied.slug}") == []
    assert alles(client, f"{API}agendapunten/?gebied={werkgebied.gebied.slug}")


def test_cursor_pagination_follows_next(client, werkgebied):
    wijk = werkgebied.wijken.get()
    codes = {MeldingFactory(wijk=wijk).code for _ in range(7)}
    response = client.get(f"{API}meldingen/?page_size=3")
    body = response.json()
    assert len(body["results"]) == 3 and body["previous"] is None
    assert "cursor=" in body["next"]
    seen = alles(client, f"{API}meldingen/?page_size=3")
    assert {m["code"] for m in seen} == codes
    assert len(seen) == 7


# The most any list may cost (its rows, what is prefetched, a filter's look-up).
MAX_QUERIES = 6


def _tel(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_lists_cost_a_fixed_number_of_queries(
    client,
    data,
    werkgebied,
    ander_werkgebied,
    make_cycle,
    beheerder,
    django_assert_max_num_queries,
    settings,
):
    # The endpoints' own work, not the kept answers (see test_kept_answers_...).
    settings.PAGE_CACHE_SECONDS = 0
    urls = [f"{API}{naam}/" for naam in LIJSTEN] + [
        f"{API}acties/?werkgebied={werkgebied.slug}",
        f"{API}meldingen/?status=open&wijk={werkgebied.wijken.get().slug}",
    ]
    for url in urls:
        client.get(url)  # warm what is cached once per process (content types, the version)
    eerst = {url: _tel(client, url) for url in urls}
    # Many more rows of every kind.
    WijkFactory(werkgebied=ander_werkgebied)
    stad(ander_werkgebied, beheerder, make_cycle)
    for wijk in werkgebied.wijken.all():
        for jaar in (2020, 2021, 2022):
            WijkprofielScoreFactory(wijk=wijk, jaar=jaar)
        for _ in range(5):
            MeldingFactory(wijk=wijk, publiceerbaar=True)
    make_cycle(werkgebied, jaar=2025, fase=Fase.AFGEROND)
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(url).status_code == 200
        assert _tel(client, url) == eerst[url], url


# ------------------------------------------------------------------------- errors


def _problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def test_not_found_is_problem_json_in_dutch_and_english(client, werkgebied):
    body = _problem(client.get(f"{API}werkgebieden/bestaat-niet/"), 404)
    assert body["detail"] == "Niet gevonden."
    body = _problem(
        client.get(f"{API}werkgebieden/bestaat-niet/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"),
        404,
    )
    assert body["detail"] == "Not found."
    _problem(client.get(f"{API}meldingen/ONBEKEND-12/"), 404)
    # Paths the routes do not match are the API's too.
    for pad in ("meldingen/%F3%B7%B3%889/", "wijken/a%00b/", "bestaat/niet/", "cycli/x", "a%0Ab/"):
        body = _problem(client.get(f"{API}{pad}"), 404)
        assert body["detail"] == "Niet gevonden."


@pytest.mark.parametrize(
    "query,veld",
    [
        ("werkgebied=bestaat-niet", "werkgebied"),
        ("jaar=twee", "jaar"),
        ("jaar=1e400", "jaar"),
        ("jaar=99999999999999999999", "jaar"),
        ("fase=klaar", "fase"),
    ],
)
def test_bad_filter_is_400_with_the_field(client, werkgebied, query, veld):
    body = _problem(client.get(f"{API}cycli/?{query}"), 400)
    assert veld in body["errors"]
    assert body["detail"] == "De invoer is niet geldig."
    response = client.get(f"{API}cycli/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    body = _problem(response, 400)
    assert response["Content-Language"] == "en"
    assert veld in body["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "meldingen/?status=weg",
        "acties/?status=%00",
        "budgetten/?jaar=-1",
        "bijeenkomsten/?soort=feest",
        "publicaties/?soort=x",
        "wijken/?gebied=%F0%9F%92%A9",
        "meldingen/?thema=nope",
    ],
)
def test_other_bad_filters_are_400(client, werkgebied, url):
    _problem(client.get(f"{API}{url}"), 400)


def test_bad_cursor_and_bad_token(client, werkgebied):
    _problem(client.get(f"{API}meldingen/?cursor=bm9uc2Vucw"), 404)
    # A forged cursor whose position is no value of the ordering field.
    for url, position in [
        ("meldingen/", "abc"),
        ("wijken/", "a%00b"),
        ("bijeenkomsten/", "1.5"),
    ]:
        forged = base64.b64encode(f"p={position}".encode()).decode()
        _problem(client.get(f"{API}{url}", {"cursor": forged}), 404)
    body = _problem(client.get(f"{API}gebieden/", HTTP_AUTHORIZATION="Token nep"), 401)
    assert "sleutel" in body["detail"]


def test_accept_language_choice():
    assert taal_uit_accept_language("en-US,en;q=0.8") == "en"
    assert taal_uit_accept_language("fr, en;q=0.5") == "en"
    assert taal_uit_accept_language("de") is None
    assert taal_uit_accept_language("*") is None
    assert taal_uit_accept_language("nl;q=0.1, en;q=0.9") == "en"
    assert taal_uit_accept_language("x" * 5000) is None


def test_labels_follow_the_language(client, data):
    nl = client.get(f"{API}cycli/?jaar=2026")
    assert nl["Content-Language"] == "nl"
    assert nl.json()["results"][0]["fase_label"] == "afgerond"
    en = client.get(f"{API}cycli/?jaar=2026", HTTP_ACCEPT_LANGUAGE="en")
    assert en["Content-Language"] == "en"
    assert "Accept-Language" in en["Vary"]
    # The portal's pages keep ignoring the header (Dutch unless the cookie says otherwise).
    page = client.get("/werkgebieden/", HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "nl"


# --------------------------------------------------------------- throttling, CORS


def test_throttling_per_address_gives_429_problem(client, werkgebied, monkeypatch):
    cache.clear()
    monkeypatch.setattr(PerAdres, "THROTTLE_RATES", {"adres": "3/min", "sleutel": "9/min"})
    for _ in range(3):
        assert client.get(f"{API}gebieden/").status_code == 200
    body = _problem(client.get(f"{API}gebieden/"), 429)
    assert body["code"] == "throttled"
    assert body["detail"].startswith("Te veel verzoeken. Probeer het over ")
    response = client.get(f"{API}gebieden/", HTTP_ACCEPT_LANGUAGE="en")
    _problem(response, 429)
    assert response["Content-Language"] == "en"
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance.
    assert client.get(f"{API}gebieden/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_cors_reads_from_anywhere_writes_from_nowhere(client, werkgebied):
    response = client.get(f"{API}werkgebieden/", HTTP_ORIGIN="https://example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}werkgebieden/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    allowed = preflight.get("Access-Control-Allow-Methods", "")
    assert "POST" not in allowed
    assert "GET" in allowed
    assert "Access-Control-Allow-Credentials" not in preflight


def test_no_write_methods(client, werkgebied, beheerder):
    client.force_login(beheerder)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"{API}werkgebieden/{werkgebied.slug}/")
        assert response.status_code in (403, 405), method
        assert response["Content-Type"] == "application/problem+json"


def test_root_lists_the_endpoints(client, werkgebied):
    body = client.get(API).json()
    for naam in LIJSTEN:
        assert body[naam].endswith(f"{API}{naam}/")


def test_kept_answers_are_the_same_for_everyone_and_a_change_shows_at_once(
    client, data, werkgebied, wijkmanager, django_assert_max_num_queries
):
    from pagecache.services import bump

    url = f"{API}werkgebieden/"
    eerste = client.get(url)
    assert eerste["X-Paginacache"] == "miss"
    with django_assert_max_num_queries(1):  # the version; no list, no count
        tweede = client.get(url)
    assert tweede["X-Paginacache"] == "hit" and tweede.content == eerste.content
    assert tweede["Content-Type"] == eerste["Content-Type"]
    # A signed-in caller gets the same public answer from the same copy.
    client.force_login(wijkmanager)
    assert client.get(url)["X-Paginacache"] == "hit"
    # English is kept apart; the browsable HTML page is never kept.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en")["X-Paginacache"] == "miss"
    assert "X-Paginacache" not in client.get(url, HTTP_ACCEPT="text/html")
    # Any audited change moves the version: the next answer is made anew.
    Werkgebied = type(werkgebied)
    Werkgebied.objects.filter(pk=werkgebied.pk).update(naam="Crooswijk-Noord")
    bump()
    nieuw = client.get(url)
    assert nieuw["X-Paginacache"] == "miss" and "Crooswijk-Noord" in nieuw.content.decode()
