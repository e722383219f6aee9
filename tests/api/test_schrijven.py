"""The write endpoints of /api/v1/ beyond the role matrix: the same audit entry as the form,
the stale-version rule (428 without If-Match, 412 with a stale one and nothing changed, the
new version in ETag, a double submit refused), bad and hostile input (400 problem+json with
the field, never 500) and throttling per key and per address."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.throttling import PerAdres, PerSleutel
from audit.models import AuditEntry
from cycle.models import Initiatief, Knelpunt, Toezegging, Uitvoeringsstatus, Voortgang

from .hulp_schrijven import (
    alle_rollen,  # noqa: F401 - fixture
    api_post,
    api_url,
    assert_problem,
    fresh,
    nieuw_initiatief,
    programma,  # noqa: F401 - fixture
    sleutel_voor,
    stadsbeheer,  # noqa: F401 - fixture
    uitvoering,  # noqa: F401 - fixture
)
from .test_schrijven_matrix import browser, page_url

VANDAAG = timezone.localdate()


@pytest.fixture
def accounthouder(alle_rollen):  # noqa: F811
    return alle_rollen["accounthouder"][0]


@pytest.fixture
def key(accounthouder):
    return sleutel_voor(accounthouder)


@pytest.fixture
def een(uitvoering):  # noqa: F811
    return uitvoering[1][0]


def _entry(action):
    entry = AuditEntry.objects.filter(action=action).order_by("-pk").first()
    assert entry is not None, action
    return entry


def _zelfde(form_entry, api_entry, *, zonder=()):
    for veld in ("action", "actor_id", "actor_label", "actor_naam", "actor_rol", "content_type_id"):
        assert getattr(form_entry, veld) == getattr(api_entry, veld), veld
    form_data = {k: v for k, v in form_entry.data.items() if k not in zonder}
    api_data = {k: v for k, v in api_entry.data.items() if k not in zonder}
    assert form_data == api_data


# ------------------------------------------------------------------ the same audit entry


@pytest.mark.django_db
def test_voortgang_writes_the_same_audit_entry_as_the_form(accounthouder, key, een):
    response = browser(accounthouder).post(
        page_url(een, "voortgang/"),
        {
            "versie": fresh(een).versie,
            "datum": VANDAAG.isoformat(),
            "status": "in_uitvoering",
            "percentage": "30",
            "tekst": "Begonnen.",
        },
    )
    assert response.status_code == 302
    form_entry = _entry("cycle.voortgang_gemeld")
    versie = fresh(een).versie
    response = api_post(
        api_url(een, "voortgang"),
        {"tekst": "Verder.", "percentage": 60},
        key=key,
        versie=versie,
    )
    assert response.status_code == 201, response.content
    api_entry = _entry("cycle.voortgang_gemeld")
    assert api_entry.pk != form_entry.pk
    assert api_entry.object_id == form_entry.object_id == str(een.pk)
    _zelfde(form_entry, api_entry, zonder=("voortgang", "status_gewijzigd", "percentage"))
    assert api_entry.data["percentage"] == 60 and api_entry.data["status_gewijzigd"] is False
    # The answer: the update and the new version, also in ETag.
    body = response.json()
    assert response["ETag"] == f'"{versie + 1}"' == f'"{body["versie"]}"'
    assert fresh(een).versie == versie + 1
    assert body["tekst"] == "Verder." and body["percentage"] == 60
    assert body["status"] == Uitvoeringsstatus.IN_UITVOERING
    voortgang = Voortgang.objects.get(pk=body["id"])
    assert voortgang.auteur == accounthouder and voortgang.datum == VANDAAG


@pytest.mark.django_db
def test_status_change_through_the_api(accounthouder, key, een):
    # From gepland an initiative cannot be realised: the service's message, for the field.
    response = api_post(
        api_url(een, "voortgang"),
        {"tekst": "Klaar.", "status": "gerealiseerd"},
        key=key,
        versie=een.versie,
    )
    assert_problem(response, 400, "status")
    response = api_post(
        api_url(een, "voortgang"),
        {"tekst": "Begonnen.", "status": "in_uitvoering"},
        key=key,
        versie=een.versie,
    )
    assert response.status_code == 201
    response = api_post(
        api_url(een, "voortgang"),
        {"tekst": "Vertraagd.", "status": "vertraagd"},
        key=key,
        versie=fresh(een).versie,
    )
    assert_problem(response, 400, "verwacht_eind")
    assert fresh(een).status == Uitvoeringsstatus.IN_UITVOERING
    response = api_post(
        api_url(een, "voortgang"),
        {
            "tekst": "Vertraagd.",
            "status": "vertraagd",
            "verwacht_eind": (VANDAAG + datetime.timedelta(days=40)).isoformat(),
        },
        key=key,
        versie=fresh(een).versie,
    )
    assert response.status_code == 201, response.content
    assert fresh(een).status == Uitvoeringsstatus.VERTRAAGD


@pytest.mark.django_db
def test_toezegging_and_afwijzing_write_the_same_audit_entries(
    alle_rollen,  # noqa: F811
    programma,  # noqa: F811
    stadsbeheer,  # noqa: F811
):
    accounthouder = alle_rollen["accounthouder"][0]
    drafter = alle_rollen["wijkmanager"][0]
    key = sleutel_voor(accounthouder)
    a, b, c, d = (nieuw_initiatief(programma, drafter, stadsbeheer, titel=t) for t in "ABCD")
    client = browser(accounthouder)
    client.post(
        page_url(a, "toezegging/"),
        {"actie": "toezeggen", "toezeggen-versie": a.versie, "toezeggen-trekker_naam": "Piet"},
    )
    form_entry = _entry("cycle.initiatief_toegezegd")
    response = api_post(
        api_url(b, "toezegging"), {"trekker_naam": "Piet"}, key=key, versie=b.versie
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{b.versie + 1}"'
    assert response.json()["toezegging"] == Toezegging.TOEGEZEGD
    _zelfde(form_entry, _entry("cycle.initiatief_toegezegd"), zonder=("initiatief",))
    assert fresh(b).trekker_naam == "Piet"

    client.post(
        page_url(c, "toezegging/"),
        {"actie": "afwijzen", "afwijzen-versie": c.versie, "afwijzen-reden": "Geen geld."},
    )
    form_entry = _entry("cycle.initiatief_afgewezen")
    response = api_post(api_url(d, "afwijzing"), {"reden": "Geen geld."}, key=key, versie=d.versie)
    assert response.status_code == 200, response.content
    _zelfde(form_entry, _entry("cycle.initiatief_afgewezen"), zonder=("initiatief",))
    assert fresh(d).toezegging == Toezegging.AFGEWEZEN
    assert fresh(d).toezegging_reden == "Geen geld."

    # Committed already: a conflict, nothing changed.
    response = api_post(api_url(b, "toezegging"), {}, key=key, versie=fresh(b).versie)
    assert_problem(response, 409)
    # Without a trekker named anywhere the service asks for one (drafter named one here, so
    # empty the name first).
    Initiatief.objects.filter(pk=d.pk).update(trekker_naam="")
    response = api_post(api_url(d, "toezegging"), {}, key=key, versie=fresh(d).versie)
    assert_problem(response, 400, "trekker_naam")


@pytest.mark.django_db
def test_knelpunt_same_audit_entry_and_no_duplicate(accounthouder, key, een):
    browser(accounthouder).post(page_url(een, "knelpunt/"), {"beschrijving": "Geen vergunning."})
    form_entry = _entry("cycle.knelpunt_gemeld")
    response = api_post(api_url(een, "knelpunten"), {"beschrijving": "Geen budget."}, key=key)
    assert response.status_code == 201, response.content
    _zelfde(form_entry, _entry("cycle.knelpunt_gemeld"), zonder=("knelpunt",))
    assert "ETag" not in response
    # Sent twice: raised once, as with the form.
    again = api_post(api_url(een, "knelpunten"), {"beschrijving": "Geen budget."}, key=key)
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert Knelpunt.objects.filter(beschrijving="Geen budget.").count() == 1


# ---------------------------------------------------------------------- versions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "if_match", [None, "", "*", "  "], ids=["ontbreekt", "leeg", "ster", "spaties"]
)
def test_without_if_match_428_and_nothing_changed(key, een, if_match):
    headers = {"If-Match": if_match} if if_match is not None else {}
    voor = (Voortgang.objects.count(), AuditEntry.objects.count(), fresh(een).versie)
    response = api_post(api_url(een, "voortgang"), {"tekst": "x"}, key=key, headers=headers)
    assert_problem(response, 428)
    assert response.json()["code"] == "versie_vereist"
    assert (Voortgang.objects.count(), AuditEntry.objects.count(), fresh(een).versie) == voor


@pytest.mark.django_db
@pytest.mark.parametrize("pad", ["voortgang", "toezegging", "afwijzing"])
def test_stale_if_match_412_and_nothing_changed(key, een, pad):
    versie = fresh(een).versie
    voor = (Voortgang.objects.count(), AuditEntry.objects.count(), fresh(een).toezegging)
    for waarde in (f'"{versie - 1}"', f'"{versie + 1}"', f'W/"{versie}"', '"abc"', '"1", "2"'):
        response = api_post(
            api_url(een, pad),
            {"tekst": "x", "reden": "y"},
            key=key,
            headers={"If-Match": waarde},
        )
        if pad == "voortgang":
            assert_problem(response, 412)
            assert response.json()["code"] == "versie_verouderd"
        else:
            # In the execution year nobody answers any more: the right comes first.
            assert_problem(response, 403)
    assert fresh(een).versie == versie
    assert (Voortgang.objects.count(), AuditEntry.objects.count(), fresh(een).toezegging) == voor


@pytest.mark.django_db
def test_double_submit_with_the_same_if_match(key, een):
    versie = fresh(een).versie
    first = api_post(api_url(een, "voortgang"), {"tekst": "Eén keer."}, key=key, versie=versie)
    assert first.status_code == 201
    aantal = Voortgang.objects.count()
    second = api_post(api_url(een, "voortgang"), {"tekst": "Eén keer."}, key=key, versie=versie)
    assert_problem(second, 412)
    assert Voortgang.objects.count() == aantal
    assert fresh(een).versie == versie + 1
    # With the ETag of the first answer it goes through.
    third = api_post(
        api_url(een, "voortgang"),
        {"tekst": "Nog een."},
        key=key,
        headers={"If-Match": first["ETag"]},
    )
    assert third.status_code == 201


@pytest.mark.django_db
def test_stale_after_a_form_update(accounthouder, key, een):
    """A system read version n; meanwhile someone saved the form: 412, nothing changed."""
    gelezen = fresh(een).versie
    browser(accounthouder).post(
        page_url(een, "voortgang/"),
        {"versie": gelezen, "datum": VANDAAG.isoformat(), "tekst": "Via de pagina."},
    )
    na_form = (fresh(een).versie, Voortgang.objects.count())
    assert na_form[0] == gelezen + 1
    response = api_post(api_url(een, "voortgang"), {"tekst": "Te laat."}, key=key, versie=gelezen)
    assert_problem(response, 412)
    assert (fresh(een).versie, Voortgang.objects.count()) == na_form


# -------------------------------------------------------------- bad and hostile input


BAD_VOORTGANG = [
    ({"tekst": "x", "percentage": 150}, "percentage"),
    ({"tekst": "x", "percentage": -1}, "percentage"),
    ({"tekst": "x", "percentage": "veel"}, "percentage"),
    ({"tekst": "x", "percentage": 40.5}, "percentage"),
    ({"tekst": "x", "percentage": True}, "percentage"),
    ({"tekst": "x", "percentage": 10**40}, "percentage"),
    ({"tekst": "x", "percentage": [1]}, "percentage"),
    ({"tekst": ""}, "tekst"),
    ({"tekst": "   "}, "tekst"),
    ({"tekst": None}, "tekst"),
    ({}, "tekst"),
    ({"tekst": ["a"]}, "tekst"),
    ({"tekst": {"a": 1}}, "tekst"),
    ({"tekst": "x" * 3001}, "tekst"),
    ({"tekst": "x" * 1_000_000}, "tekst"),
    ({"tekst": "nul\x00byte"}, "tekst"),
    ({"tekst": "\ud800"}, "tekst"),
    ({"tekst": "x", "mijlpaal": "m" * 201}, "mijlpaal"),
    ({"tekst": "x", "datum": "0001-01-01"}, "datum"),
    ({"tekst": "x", "datum": "9999-12-31"}, "datum"),
    ({"tekst": "x", "datum": "31-12-2026"}, "datum"),
    ({"tekst": "x", "datum": 20260101}, "datum"),
    ({"tekst": "x", "datum": "2026-02-30"}, "datum"),
    ({"tekst": "x", "datum": (VANDAAG + datetime.timedelta(days=1)).isoformat()}, "datum"),
    ({"tekst": "x", "status": "klaar"}, "status"),
    ({"tekst": "x", "status": ["gepland"]}, "status"),
    ({"tekst": "x", "status": "gestopt"}, "stopreden"),
    ({"tekst": "x", "status": "gestopt", "stopreden": "s" * 3001}, "stopreden"),
    ({"tekst": "x", "status": "in_uitvoering", "verwacht_eind": "2026-13-01"}, "verwacht_eind"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,field", BAD_VOORTGANG, ids=[str(i) for i in range(len(BAD_VOORTGANG))]
)
def test_bad_voortgang_input_400_with_the_field(key, een, data, field):
    versie = fresh(een).versie
    voor = (Voortgang.objects.count(), AuditEntry.objects.count())
    response = api_post(api_url(een, "voortgang"), data, key=key, versie=versie)
    body = assert_problem(response, 400, field)
    assert body["code"] == "ongeldig" and body["errors"][field]
    assert (Voortgang.objects.count(), AuditEntry.objects.count(), fresh(een).versie) == (
        *voor,
        versie,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    ["", "{", "[]", '"tekst"', "null", "1", '{"tekst": "x"', "\xff\xfe"],
    ids=["leeg", "half", "lijst", "string", "null", "getal", "open", "binair"],
)
def test_malformed_bodies_400_never_500(key, een, raw):
    response = api_post(api_url(een, "voortgang"), raw=raw, key=key, versie=fresh(een).versie)
    assert_problem(response, 400)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "taal,melding",
    [
        ("nl", "De inhoud van het verzoek is geen geldige JSON."),
        ("en", "The body of the request is not valid JSON."),
    ],
)
def test_a_body_that_is_not_json_is_named_in_the_readers_language(key, een, taal, melding):
    response = api_post(
        api_url(een, "voortgang"),
        raw='{"tekst": "x"',
        key=key,
        versie=fresh(een).versie,
        headers={"Accept-Language": taal},
    )
    body = assert_problem(response, 400)
    assert (body["detail"], body["code"]) == (melding, "parse_error")
    assert Voortgang.objects.filter(initiatief=een).count() == 0


@pytest.mark.django_db
def test_other_content_types_and_methods(key, een):
    client = Client()
    auth = {"Authorization": f"Token {key}", "If-Match": f'"{een.versie}"'}
    response = client.post(api_url(een, "voortgang"), {"tekst": "x"}, headers=auth)
    assert_problem(response, 415)
    for method in ("get", "put", "patch", "delete"):
        response = getattr(client, method)(api_url(een, "voortgang"), headers=auth)
        assert response.status_code == 405, method
    assert Voortgang.objects.filter(initiatief=een).count() == 0


@pytest.mark.django_db
def test_bad_input_for_the_other_endpoints(
    alle_rollen,  # noqa: F811
    programma,  # noqa: F811
    stadsbeheer,  # noqa: F811
):
    accounthouder = alle_rollen["accounthouder"][0]
    key = sleutel_voor(accounthouder)
    a = nieuw_initiatief(programma, alle_rollen["wijkmanager"][0], stadsbeheer)
    for pad, data, field in [
        ("afwijzing", {}, "reden"),
        ("afwijzing", {"reden": "  "}, "reden"),
        ("afwijzing", {"reden": "r" * 3001}, "reden"),
        ("afwijzing", {"reden": 12}, None),
        ("toezegging", {"trekker_naam": ""}, "trekker_naam"),
        ("toezegging", {"trekker_naam": "t" * 151}, "trekker_naam"),
        ("toezegging", {"trekker_email": "geen-adres"}, "trekker_email"),
        ("toezegging", {"trekker_email": "onbekend@example.nl"}, "trekker_email"),
        ("toezegging", {"trekker_naam": ["x"]}, "trekker_naam"),
    ]:
        response = api_post(api_url(a, pad), data, key=key, versie=a.versie)
        if field is None:
            # A number for a reason is a text after all (as a form would read it).
            assert response.status_code == 200
            a = fresh(a)
            continue
        assert_problem(response, 400, field)
    assert fresh(a).toezegging == Toezegging.AFGEWEZEN


@pytest.mark.django_db
def test_bad_knelpunt_input(key, een):
    for data in ({}, {"beschrijving": ""}, {"beschrijving": "b" * 3001}, {"beschrijving": [1]}):
        assert_problem(api_post(api_url(een, "knelpunten"), data, key=key), 400, "beschrijving")
    assert not Knelpunt.objects.exists()


@pytest.mark.django_db
def test_unknown_or_absurd_action_404(key):
    for pk in (999999, 2**63, 10**30):
        response = api_post(f"/api/v1/acties/{pk}/voortgang/", {"tekst": "x"}, key=key, versie=1)
        assert_problem(response, 404)


# --------------------------------------------------------------------------- throttling


@pytest.fixture
def kleine_limieten(monkeypatch):
    monkeypatch.setattr(PerSleutel, "THROTTLE_RATES", {"sleutel": "3/min", "adres": "2/min"})
    monkeypatch.setattr(PerAdres, "THROTTLE_RATES", {"sleutel": "3/min", "adres": "2/min"})


@pytest.mark.django_db
def test_throttled_per_key_and_per_address(accounthouder, een, kleine_limieten):
    eerste, tweede = sleutel_voor(accounthouder, "een"), sleutel_voor(accounthouder, "twee")
    url = api_url(een, "knelpunten")

    def post(key, n):
        return api_post(url, {"beschrijving": f"Knelpunt {n}"}, key=key)

    assert [post(eerste, n).status_code for n in range(3)] == [201, 201, 201]
    blocked = post(eerste, 3)
    assert_problem(blocked, 429)
    assert int(blocked["Retry-After"]) > 0
    # The other key of the same user has its own count.
    assert post(tweede, 4).status_code == 201
    # Without a key, per address: its own (smaller) count, 401 until throttled.
    assert [post(None, n).status_code for n in range(2)] == [401, 401]
    assert_problem(post(None, 9), 429)
    # Another address is not throttled by it.
    assert_problem(api_post(url, {}, REMOTE_ADDR="203.0.113.9"), 401)
    # Nor are the keys by the address's count.
    assert post(tweede, 5).status_code == 201
    assert Knelpunt.objects.count() == 5


def _strikte_json(data) -> bool:
    try:
        json.dumps(data, allow_nan=False)
    except ValueError:
        return False
    return True


# Whatever a client sends, the answer is a success or a problem with its field: never a 500.
_WAARDEN = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.sampled_from(
        ["", " ", "2026-01-01", "9999-12-31", "vertraagd", "gestopt", "gerealiseerd", "\x00"]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_VELDEN = st.sampled_from(
    ["tekst", "datum", "percentage", "mijlpaal", "status", "verwacht_eind", "stopreden", "x"]
)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.dictionaries(_VELDEN, _WAARDEN, max_size=7))
def test_generated_voortgang_input_never_500(key, een, data):
    versie = fresh(een).versie
    voor = Voortgang.objects.count()
    response = api_post(api_url(een, "voortgang"), data, key=key, versie=versie)
    assert response.status_code in (201, 400), (data, response.status_code, response.content)
    if response.status_code == 400:
        assert response["Content-Type"].startswith("application/problem+json")
        if _strikte_json(data):
            assert response.json()["errors"]
        else:
            # NaN and Infinity are not JSON (json.dumps writes them anyway): the body is refused
            # whole, before any field is read.
            assert response.json()["code"] == "parse_error"
        assert Voortgang.objects.count() == voor and fresh(een).versie == versie
    else:
        assert Voortgang.objects.count() == voor + 1


@pytest.mark.django_db
def test_a_system_reads_the_version_from_the_api_then_writes_with_it(key, een):
    """The whole round trip through the API alone: the action's ``versie`` (read without a
    key, as anyone reads it) is what If-Match takes; after the write the read shows the new
    version, and the old one is refused."""
    gelezen = Client().get(f"/api/v1/acties/{een.pk}/", HTTP_ACCEPT="application/json").json()
    assert gelezen["versie"] == fresh(een).versie
    schrijf = api_post(
        api_url(een, "voortgang"), {"tekst": "Gestart."}, key=key, versie=gelezen["versie"]
    )
    assert schrijf.status_code == 201, schrijf.content
    opnieuw = Client().get(f"/api/v1/acties/{een.pk}/", HTTP_ACCEPT="application/json").json()
    assert opnieuw["versie"] == gelezen["versie"] + 1
    assert schrijf["ETag"] == f'"{opnieuw["versie"]}"'
    oud = api_post(
        api_url(een, "voortgang"), {"tekst": "Nog eens."}, key=key, versie=gelezen["versie"]
    )
    assert_problem(oud, 412)
