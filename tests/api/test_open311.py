"""Open311 GeoReport v2 for meldingen: the requests are exactly the public list's meldingen with
only what their pages show; a POST is the web form (same validation, same rate limit counter,
same service, same audit entry, same privacy); every role reads the same and may report with its
own key; hostile input is a 4xx with an Open311 error body, never a 500; the list costs a fixed
number of queries."""

import datetime
import gzip
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api.models import ApiSleutel, digest
from audit.models import AuditEntry
from notices.models import Notice
from participation import selectors
from participation.models import Melding, Meldingstatus, Thema
from people.models import Rol, Roltoewijzing
from places import geo
from places.models import Wijk
from tests.conftest import ROLE_NAMES
from tests.participation.factories import MeldingFactory
from tests.people.factories import UserFactory

TEKST = "De lantaarnpaal bij de speeltuin is al drie weken kapot."
CODE = re.compile(r"[A-Z2-9]{5}-[A-Z2-9]{5}")


def sleutel_voor(user, naam="koppeling") -> str:
    key = ApiSleutel.nieuwe_sleutel()
    ApiSleutel.objects.create(user=user, naam=naam, prefix=key[:8], sleutel_hash=digest(key))
    return key


def punt_in(wijk) -> tuple[str, str]:
    """(lat, long) of a point inside the wijk's first buurt, as strings."""
    buurten = geo._buurten()
    index = [b.code for b in buurten.buurten].index(wijk.cbs_buurtcodes[0])
    p = buurten.vormen[index].representative_point()
    return f"{p.y:.6f}", f"{p.x:.6f}"


def xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 (the portal's own answer)


def lijst(response) -> list:
    assert response["Content-Type"] == "application/json; charset=utf-8", response.content
    return json.loads(response.content)


def codes(response) -> list[str]:
    return [r["service_request_id"] for r in lijst(response)]


def fout(response, status) -> list[str]:
    assert response.status_code == status, response.content
    body = json.loads(response.content)
    assert all(e["code"] == status for e in body)
    return [e["description"] for e in body]


@pytest.fixture
def wijk(rotterdam):
    return Wijk.objects.select_related("werkgebied").get(slug="afrikaanderwijk")


@pytest.fixture
def schoon(db):
    return Thema.objects.get(slug="schoon")


@pytest.fixture
def bewoner(db):
    return UserFactory(naam="Bea Bewoner", email="bea@example.nl")


@pytest.fixture
def key(bewoner):
    return sleutel_voor(bewoner)


@pytest.fixture
def post(client, key, schoon, wijk):
    """POST requests.json with valid data for the wijk; ``extra`` overrides, None removes."""

    def send(fmt="json", meta=None, **extra):
        lat, lon = punt_in(wijk)
        data = {
            "api_key": key,
            "service_code": schoon.slug,
            "lat": lat,
            "long": lon,
            "address_string": "Speeltuin Afrikaanderplein",
            "description": TEKST,
            "attribute[betreft_groep]": "1",
            "email": "",
        }
        data.update(extra)
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"/open311/v2/requests.{fmt}", data, **(meta or {}))

    return send


# ------------------------------------------------------------------------- services


@pytest.mark.django_db
def test_the_services_are_the_active_themes(client):
    Thema.objects.filter(slug="schoon").update(actief=False)
    services = lijst(client.get("/open311/v2/services.json"))
    verwacht = list(Thema.objects.filter(actief=True).values_list("slug", flat=True))
    assert [s["service_code"] for s in services] == verwacht
    assert "schoon" not in verwacht
    assert all(s["metadata"] is True and s["type"] == "realtime" for s in services)


@pytest.mark.django_db
def test_a_service_definition_has_the_forms_extra_question(client, schoon):
    definitie = json.loads(client.get(f"/open311/v2/services/{schoon.slug}.json").content)
    assert definitie["service_code"] == schoon.slug
    [attribuut] = definitie["attributes"]
    assert attribuut["code"] == "betreft_groep"
    assert attribuut["required"] is False
    assert [v["key"] for v in attribuut["values"]] == ["0", "1"]
    assert fout(client.get("/open311/v2/services/atlantis.json"), 404)
    # As the admin does it (a save bumps the public version).
    schoon.actief = False
    schoon.save()
    assert fout(client.get(f"/open311/v2/services/{schoon.slug}.json"), 404)


# --------------------------------------------------------------------- GET requests


@pytest.mark.django_db
def test_the_requests_are_the_meldingen_of_the_public_list(client, wijk, schoon):
    meldingen = [
        MeldingFactory(wijk=wijk, thema=schoon, status=status) for status in Meldingstatus.values
    ]
    pagina = client.get("/meldingen/").content.decode()
    op_de_pagina = set(re.findall(r'href="/meldingen/([A-Z2-9]{5}-[A-Z2-9]{5})/"', pagina))
    assert op_de_pagina == {m.code for m in meldingen}
    assert set(codes(client.get("/open311/v2/requests.json"))) == op_de_pagina


@pytest.mark.django_db
def test_what_the_public_selector_leaves_out_is_never_listed_or_shown(
    client, wijk, schoon, monkeypatch
):
    zichtbaar = MeldingFactory(wijk=wijk, thema=schoon)
    verborgen = MeldingFactory(wijk=wijk, thema=schoon)
    origineel = selectors.openbare_meldingen
    monkeypatch.setattr(
        selectors,
        "openbare_meldingen",
        lambda **kw: origineel(**kw).exclude(pk=verborgen.pk),
    )
    assert codes(client.get("/open311/v2/requests.json")) == [zichtbaar.code]
    assert codes(client.get(f"/open311/v2/requests.json?service_request_id={verborgen.code}")) == []
    fout(client.get(f"/open311/v2/requests/{verborgen.code}.json"), 404)
    assert client.get(f"/open311/v2/requests/{verborgen.code}.xml").status_code == 404


@pytest.mark.django_db
def test_text_place_and_point_only_once_publishable_and_never_personal_data(
    client, wijk, schoon, bewoner
):
    lat, lon = punt_in(wijk)
    gemeen = dict(
        wijk=wijk,
        thema=schoon,
        plek="Voor Putselaan 12",
        lengtegraad=lon,
        breedtegraad=lat,
        melder=bewoner,
        email="melder@example.nl",
        notitie="Interne notitie voor Stadsbeheer",
        melder_reactie="Ik ben Jan Jansen",
    )
    geheim = MeldingFactory(tekst="Mijn buurman Piet Pietersen op nummer 3", **gemeen)
    openbaar = MeldingFactory(tekst="Gecontroleerde tekst", publiceerbaar=True, **gemeen)
    for fmt in ("json", "xml"):
        for url in (
            f"/open311/v2/requests.{fmt}",
            f"/open311/v2/requests/{geheim.code}.{fmt}",
            f"/open311/v2/requests/{openbaar.code}.{fmt}",
        ):
            body = client.get(url).content.decode()
            for privé in (
                "Piet Pietersen",
                "melder@example.nl",
                "Bea Bewoner",
                bewoner.email,
                "Interne notitie",
                "Jan Jansen",
            ):
                assert privé not in body, (url, privé)
    [rij] = lijst(client.get(f"/open311/v2/requests/{geheim.code}.json"))
    assert rij["description"] is None and rij["lat"] is None and rij["long"] is None
    assert rij["address"] == "Afrikaanderwijk, Rotterdam"
    assert rij["address_id"] == "afrikaanderwijk"
    [rij] = lijst(client.get(f"/open311/v2/requests/{openbaar.code}.json"))
    assert rij["description"] == "Gecontroleerde tekst"
    assert rij["address"] == "Voor Putselaan 12, Afrikaanderwijk, Rotterdam"
    assert (rij["lat"], rij["long"]) == (float(lat), float(lon))
    assert rij["media_url"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("status", Meldingstatus.values)
def test_statuses_map_to_open_or_closed_with_the_portals_status_in_the_notes(
    client, wijk, schoon, status
):
    melding = MeldingFactory(wijk=wijk, thema=schoon, status=status)
    [rij] = lijst(client.get(f"/open311/v2/requests/{melding.code}.json"))
    assert rij["status"] == ("open" if melding.is_open else "closed")
    assert rij["status_notes"] == melding.get_status_display()
    if melding.is_open:
        assert rij["expected_datetime"].startswith(melding.termijn_op.isoformat())
    else:
        assert rij["expected_datetime"] is None
        assert rij["updated_datetime"] == timezone.localtime(melding.afgesloten_op).isoformat(
            timespec="seconds"
        )
    wanted = "open" if melding.is_open else "closed"
    other = "closed" if melding.is_open else "open"
    assert codes(client.get(f"/open311/v2/requests.json?status={wanted}")) == [melding.code]
    assert codes(client.get(f"/open311/v2/requests.json?status={other}")) == []
    assert codes(client.get("/open311/v2/requests.json?status=open,closed")) == [melding.code]


@pytest.mark.django_db
def test_a_duplicate_says_so_in_the_notes(client, wijk, schoon):
    hoofd = MeldingFactory(wijk=wijk, thema=schoon)
    dubbel = MeldingFactory(wijk=wijk, thema=schoon, hoofdmelding=hoofd)
    [rij] = lijst(client.get(f"/open311/v2/requests/{dubbel.code}.json"))
    assert "dubbel" in rij["status_notes"]


@pytest.mark.django_db
def test_the_filters(client, wijk, schoon):
    groen = Thema.objects.get(slug="heel")
    now = timezone.now()
    nieuw = MeldingFactory(wijk=wijk, thema=schoon, ingediend_op=now)
    groene = MeldingFactory(wijk=wijk, thema=groen, ingediend_op=now - datetime.timedelta(days=1))
    oud = MeldingFactory(wijk=wijk, thema=schoon, ingediend_op=now - datetime.timedelta(days=200))
    url = "/open311/v2/requests.json"
    # Default: the last 90 days, newest first.
    assert codes(client.get(url)) == [nieuw.code, groene.code]
    assert codes(client.get(url, {"service_code": "heel"})) == [groene.code]
    assert codes(client.get(url, {"service_code": "heel,schoon"})) == [nieuw.code, groene.code]
    assert codes(client.get(url, {"service_code": "atlantis"})) == []
    # A list of ids overrides every other argument.
    ids = f"{oud.code},{nieuw.code.lower()},NIETS-BEKEND"
    assert codes(client.get(url, {"service_request_id": ids, "status": "closed"})) == [
        nieuw.code,
        oud.code,
    ]
    begin = (now - datetime.timedelta(days=210)).isoformat()
    eind = (now - datetime.timedelta(days=150)).isoformat()
    assert codes(client.get(url, {"start_date": begin, "end_date": eind})) == [oud.code]
    assert codes(client.get(url, {"start_date": begin})) == [oud.code]
    assert codes(client.get(url, {"end_date": eind})) == [oud.code]
    # A "+" that was not percent-encoded arrives as a space: still understood.
    plus = timezone.localtime(now - datetime.timedelta(days=210)).isoformat(timespec="seconds")
    assert client.get(f"{url}?start_date={plus}").status_code == 200
    # The pagination extension.
    assert codes(client.get(url, {"page_size": 1})) == [nieuw.code]
    assert codes(client.get(url, {"page_size": 1, "page": 2})) == [groene.code]
    assert codes(client.get(url, {"page_size": 1, "page": 3})) == []
    # Optional means: empty is the same as absent.
    assert codes(client.get(url, {"status": "", "service_code": ""})) == [nieuw.code, groene.code]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "gisteren"},
        {"start_date": "2026-13-45T00:00:00Z"},
        {"end_date": "2026-01-01T00:00:00Z", "start_date": "2026-02-01T00:00:00Z"},
        {"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"},
        {"start_date": "2026-01-01T00:00:00\x00"},
        {"status": "misschien"},
        {"service_code": "schoon\x00"},
        {"service_request_id": "AAAAA-AAAAA,\x00"},
        {"status": "open\x00"},
        {"status": "open,closed,open,x"},
        {"page": "0"},
        {"page": "-1"},
        {"page": "1e9"},
        {"page_size": "1001"},
        {"page_size": "abc"},
        {"service_request_id": ",".join(["AAAAA-AAAAA"] * 1001)},
    ],
)
def test_bad_filters_are_a_400_with_an_open311_error(client, query):
    for fmt in ("json", "xml"):
        response = client.get(f"/open311/v2/requests.{fmt}", query)
        assert response.status_code == 400, (query, response.content)
    assert fout(client.get("/open311/v2/requests.json", query), 400)


@pytest.mark.django_db
def test_one_request_by_its_code(client, wijk, schoon):
    melding = MeldingFactory(wijk=wijk, thema=schoon)
    assert codes(client.get(f"/open311/v2/requests/{melding.code}.json")) == [melding.code]
    assert codes(client.get(f"/open311/v2/requests/{melding.code.lower()}.json")) == [melding.code]
    fout(client.get("/open311/v2/requests/AAAAA-AAAAA.json"), 404)
    fout(client.get("/open311/v2/requests/%00%3Cx%3E.json"), 404)
    fout(client.get("/open311/v2/requests/" + "A" * 90 + ".json"), 404)


@pytest.mark.django_db
def test_unknown_formats_and_methods(client):
    response = client.get("/open311/v2/services.html")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert xml(response.content).tag == "errors"
    response = client.put("/open311/v2/requests.json")
    assert fout(response, 405) and "POST" in response["Allow"]
    fout(client.post("/open311/v2/services.json"), 405)


@pytest.mark.django_db
def test_dutch_whatever_the_client_says_english_by_the_switch(client):
    url = "/open311/v2/requests.json?status=x"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert fout(response, 400) == ["status: open, closed of beide (gescheiden door een komma)."]
    client.cookies["django_language"] = "en"
    assert client.get(url)["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_list_costs_a_fixed_number_of_queries(
    client, wijk, schoon, django_assert_max_num_queries
):
    from django.core.cache import cache

    for aantal in (3, 60):
        for _ in range(aantal - Melding.objects.count()):
            MeldingFactory(wijk=wijk, thema=schoon, publiceerbaar=True)
        cache.clear()
        # The public version, and the meldingen with their theme and wijk.
        with django_assert_max_num_queries(2):
            assert len(codes(client.get("/open311/v2/requests.json"))) == aantal
        with django_assert_max_num_queries(2):
            response = client.get("/open311/v2/requests.xml?status=open")
        assert len(xml(response.content)) == aantal
    # Kept under the public version: the next visitor costs one query (reading the version).
    with django_assert_max_num_queries(1):
        client.get("/open311/v2/requests.json")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_that_accepts_gzip_gets_the_same_list_compressed(
    client, wijk, schoon, fmt, django_assert_max_num_queries
):
    for _ in range(40):
        MeldingFactory(wijk=wijk, thema=schoon, publiceerbaar=True)
    url = f"/open311/v2/requests.{fmt}"
    gewoon = client.get(url)
    assert gewoon.status_code == 200
    assert "Content-Encoding" not in gewoon
    assert "Accept-Encoding" in gewoon["Vary"]
    klein = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert klein["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in klein["Vary"]
    assert klein["Content-Type"] == gewoon["Content-Type"]
    assert len(klein.content) < len(gewoon.content) / 4
    assert gzip.decompress(klein.content) == gewoon.content
    # The compressed body is kept too: the next client costs the version alone.
    with django_assert_max_num_queries(1):
        again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == klein.content


@pytest.mark.django_db
def test_a_change_to_a_melding_shows_at_once(client, wijk, schoon):
    from participation import services
    from tests.people.factories import user_with_role

    melding = MeldingFactory(wijk=wijk, thema=schoon)
    manager = user_with_role(Rol.WIJKMANAGER, werkgebied=wijk.werkgebied)
    assert lijst(client.get("/open311/v2/requests.json"))[0]["description"] is None
    services.melding_publiceerbaar(
        melding_id=melding.pk, user=manager, publiceerbaar=True, expected_versie=None
    )
    assert lijst(client.get("/open311/v2/requests.json"))[0]["description"] == melding.tekst


# --------------------------------------------------------------------- POST requests


def _web_form(client, wijk, thema, **extra):
    lat, lon = punt_in(wijk)
    data = {
        "tekst": TEKST,
        "wijk": wijk.pk,
        "thema": thema.pk,
        "plek": "Speeltuin Afrikaanderplein",
        "lengtegraad": lon,
        "breedtegraad": lat,
        "betreft_groep": "1",
        "email": "",
        "website": "",
    }
    data.update(extra)
    return client.post("/meldingen/nieuw/", data)


GEGEVENS = (
    "tekst",
    "thema_id",
    "wijk_id",
    "werkgebied_id",
    "buurtcode",
    "plek",
    "lengtegraad",
    "breedtegraad",
    "betreft_groep",
    "email",
    "melder_id",
    "status",
    "publiceerbaar",
    "termijn_op",
)


@pytest.mark.django_db
def test_a_post_stores_what_the_web_form_stores_with_the_same_audit_entry(
    client, post, wijk, schoon, bewoner
):
    client.force_login(bewoner)
    assert _web_form(client, wijk, schoon, email="elders@example.nl").status_code == 302
    client.logout()
    via_form = Melding.objects.get()
    response = post(email="elders@example.nl")
    assert response.status_code == 201, response.content
    [antwoord] = lijst(response)
    assert set(antwoord) == {"service_request_id", "service_notice", "account_id"}
    via_api = Melding.objects.exclude(pk=via_form.pk).get()
    assert antwoord["service_request_id"] == via_api.code and CODE.fullmatch(via_api.code)
    assert antwoord["account_id"] is None
    assert f"{schoon.afhandeltermijn} werkdagen" in antwoord["service_notice"]
    for veld in GEGEVENS:
        assert getattr(via_api, veld) == getattr(via_form, veld), veld
    assert via_api.melder == bewoner and via_api.betreft_groep is True
    assert via_api.buurtcode == wijk.cbs_buurtcodes[0]
    form_entry, api_entry = AuditEntry.objects.filter(
        action="participation.melding_ingediend"
    ).order_by("pk")
    assert form_entry.object_id == str(via_form.pk) and api_entry.object_id == str(via_api.pk)
    for veld in ("actor_id", "actor_rol", "actor_naam", "data"):
        assert getattr(api_entry, veld) == getattr(form_entry, veld), veld
    assert Notice.objects.filter(recipient="elders@example.nl").count() == 2
    # The key was used.
    assert ApiSleutel.objects.get().laatst_gebruikt is not None


@pytest.mark.django_db
def test_a_post_answers_in_xml_too(post):
    response = post("xml")
    assert response.status_code == 201
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = xml(response.content)
    assert root.tag == "service_requests"
    [request] = root
    assert request.tag == "request"
    assert request.findtext("service_request_id") == Melding.objects.get().code


@pytest.mark.django_db
def test_the_wijk_by_address_id_and_the_point_must_lie_in_it(post, wijk):
    # Without a point: the wijk named.
    assert post(lat=None, long=None, address_id="afrikaanderwijk").status_code == 201
    assert Melding.objects.get().wijk == wijk and Melding.objects.get().lengtegraad is None
    # With a point elsewhere: refused, as the form refuses it.
    lat, lon = punt_in(Wijk.objects.get(slug="bloemhof"))
    [tekst] = fout(post(lat=lat, long=lon, address_id="afrikaanderwijk"), 400)
    assert "ligt in Bloemhof, niet in Afrikaanderwijk" in tekst
    [tekst] = fout(post(lat=None, long=None, address_id="atlantis"), 400)
    assert tekst.startswith("address_id: Deze wijk kennen we niet")
    assert Melding.objects.count() == 1


@pytest.mark.django_db
def test_a_point_in_two_wijken_asks_which(post):
    gedeeld = Wijk.objects.get(slug="groot-ijsselmonde-noord")
    lat, lon = punt_in(gedeeld)
    [tekst] = fout(post(lat=lat, long=lon), 400)
    assert "groot-ijsselmonde-noord" in tekst and "groot-ijsselmonde-zuid" in tekst
    assert post(lat=lat, long=lon, address_id="groot-ijsselmonde-zuid").status_code == 201
    assert Melding.objects.get().wijk.slug == "groot-ijsselmonde-zuid"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "woorden"),
    [
        ({"lat": "52.370000", "long": "4.900000"}, "buiten de wijken van Rotterdam"),
        ({"lat": None, "long": None, "address_string": None}, "Geef de plek op"),
        ({"lat": None, "long": None, "address_string": "Putselaan 12"}, "address_string"),
    ],
)
def test_a_location_outside_rotterdam_or_none_is_refused(post, extra, woorden):
    teksten = fout(post(**extra), 400)
    assert any(woorden in t for t in teksten), teksten
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_more_than_six_decimals_are_rounded_like_the_map_does(post, wijk):
    lat, lon = punt_in(wijk)
    assert post(lat=lat + "49", long=lon + "4999").status_code == 201
    melding = Melding.objects.get()
    assert str(melding.breedtegraad) == lat and str(melding.lengtegraad) == lon


@pytest.mark.django_db
def test_what_the_form_does_not_ask_is_not_stored(post):
    response = post(
        first_name="Jan",
        last_name="Geheimnaam",
        phone="0612345678",
        device_id="toestel-42",
        account_id="rekening-7",
        media_url="http://example.org/foto.jpg",
        jurisdiction_id="rotterdam.nl",
    )
    assert response.status_code == 201
    melding = Melding.objects.values().get()
    for waarde in ("Geheimnaam", "0612345678", "toestel-42", "rekening-7", "example.org"):
        assert all(waarde not in str(v) for v in melding.values()), waarde
        assert not AuditEntry.objects.filter(data__icontains=waarde).exists()
    assert not Melding.objects.get().fotos.exists()


@pytest.mark.django_db
def test_keys_missing_wrong_revoked_or_of_an_inactive_user_are_refused(post, bewoner, key):
    fout(post(api_key=None), 403)
    fout(post(api_key="x" * 43), 403)
    fout(post(api_key="x" * 5000), 403)
    ApiSleutel.objects.update(ingetrokken=timezone.now())
    fout(post(), 403)
    ApiSleutel.objects.update(ingetrokken=None)
    bewoner.is_active = False
    bewoner.save()
    fout(post(), 403)
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_the_rate_limit_is_the_web_forms_per_address(client, post, wijk, schoon, settings):
    settings.MELDING_RATE = "2/h"
    assert post().status_code == 201
    assert _web_form(client, wijk, schoon).status_code == 302
    [tekst] = fout(post(), 429)
    assert "over een uur" in tekst
    assert "Probeer het over een uur" in _web_form(client, wijk, schoon).content.decode()
    assert Melding.objects.count() == 2
    # Another address has its own count.
    assert post(meta={"REMOTE_ADDR": "10.1.2.3"}).status_code == 201


@pytest.mark.django_db
def test_a_refused_post_does_not_count_against_the_limit(post, settings):
    settings.MELDING_RATE = "1/h"
    for _ in range(3):
        fout(post(description=""), 400)
    assert post().status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"description": "x" * 6000}, 400),
        ({"description": "   "}, 400),
        ({"description": None}, 400),
        ({"description": "Kapot\x01 en stuk"}, 400),
        ({"description": "Kapot\x00"}, 400),
        ({"lat": "nan"}, 400),
        ({"lat": "1e309"}, 400),
        ({"long": "inf"}, 400),
        ({"long": "-Infinity"}, 400),
        ({"lat": "91.000000"}, 400),
        ({"lat": "51." + "9" * 5000}, 400),
        ({"long": None}, 400),
        ({"lat": "0x1A"}, 400),
        ({"service_code": None}, 400),
        ({"service_code": ""}, 400),
        ({"service_code": "atlantis"}, 404),
        ({"service_code": "schoon\x00"}, 400),
        ({"service_code": "x" * 5000}, 404),
        ({"address_id": "\x00"}, 400),
        ({"address_id": "x" * 5000, "lat": None, "long": None}, 400),
        ({"email": "geen-adres"}, 400),
        ({"address_string": "x" * 201}, 400),
        ({"address_string": "Putselaan\x0b12"}, 400),
        ({"attribute[betreft_groep]": "misschien"}, 400),
    ],
)
def test_hostile_input_is_an_open311_error_never_a_500(post, extra, status):
    for fmt in ("json", "xml"):
        response = post(fmt, **extra)
        assert response.status_code == status, (extra, response.content)
        root = json.loads(response.content) if fmt == "json" else list(xml(response.content))
        assert len(root) >= 1
    assert not Melding.objects.exists()


@pytest.mark.django_db
def test_a_body_too_big_or_not_form_encoded_is_a_400(client, key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(
        "/open311/v2/requests.json", {"api_key": key, "description": "x" * 20_000}
    )
    fout(response, 400)
    # JSON (or XML) is never read: without the form-encoded api_key there is no key.
    response = client.post(
        "/open311/v2/requests.json",
        json.dumps({"api_key": key}),
        content_type="application/json",
    )
    fout(response, 403)
    response = client.post(
        f"/open311/v2/requests.xml?api_key={key}",
        "<request><service_code>schoon</service_code></request>",
        content_type="text/xml",
    )
    assert response.status_code == 400
    assert not Melding.objects.exists()


# --------------------------------------------------------------------- every role


@pytest.mark.django_db
def test_every_role_reads_what_the_anonymous_visitor_reads_and_reports_with_its_own_key(
    client, roles, werkgebied, schoon
):
    wijk = werkgebied.wijken.get()
    MeldingFactory(wijk=wijk, thema=schoon, publiceerbaar=True)
    MeldingFactory(wijk=wijk, thema=schoon)
    verlopen = UserFactory()
    Roltoewijzing.objects.create(
        user=verlopen,
        rol=Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=datetime.date(2020, 1, 1),
        geldig_tot=datetime.date(2021, 1, 1),
    )
    urls = [
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        "/open311/v2/services.json",
        f"/open311/v2/requests/{Melding.objects.first().code}.xml",
    ]
    anoniem = [client.get(url).content for url in urls]
    gebruikers = [user for user, _ in roles.values() if user is not None] + [verlopen]
    assert len(gebruikers) == len(ROLE_NAMES)
    for user in gebruikers:
        client.force_login(user)
        assert [client.get(url).content for url in urls] == anoniem
        client.logout()
    # Reporting needs no role (the web form asks none): every key reports, as its user.
    for user in gebruikers:
        response = client.post(
            "/open311/v2/requests.json",
            {
                "api_key": sleutel_voor(user),
                "service_code": schoon.slug,
                "address_id": wijk.slug,
                "description": TEKST,
            },
            REMOTE_ADDR=f"10.0.0.{user.pk % 250}",
        )
        assert response.status_code == 201, response.content
        code = lijst(response)[0]["service_request_id"]
        assert Melding.objects.get(code=code).melder == user


# --------------------------------------------------------------------- generated input

_TEKST = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
_WAARDE = st.one_of(
    _TEKST,
    st.sampled_from(["nan", "1e309", "-0", "0", "51.9", "4.5", "open", "closed", "schoon"]),
    st.from_regex(r"[+-]?\d{1,4}(\.\d{1,12})?", fullmatch=True),
)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.dictionaries(
        st.sampled_from(
            [
                "service_request_id",
                "service_code",
                "start_date",
                "end_date",
                "status",
                "page",
                "page_size",
                "jurisdiction_id",
            ]
        ),
        _WAARDE,
    ),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_no_query_makes_the_list_fail(client, query, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}", query)
    assert response.status_code in (200, 400), (query, response.content)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "service_code",
                "lat",
                "long",
                "address_string",
                "address_id",
                "description",
                "email",
                "attribute[betreft_groep]",
                "first_name",
                "media_url",
            ]
        ),
        _WAARDE,
    ),
)
def test_no_post_makes_the_create_fail(client, key, wijk, data):
    response = client.post("/open311/v2/requests.json", {"api_key": key, **data})
    assert response.status_code in (201, 400, 404, 429), (data, response.content)
    assert isinstance(json.loads(response.content), list)
