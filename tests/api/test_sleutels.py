"""API keys: made on the page "API-sleutels" by their own user (shown once, only the digest
stored), listed and revoked there; a key acts as its user with the roles held at the moment of
the request (a revoked key, an inactive user: 401; an expired role: 403), and never for
another user."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from api.models import ApiSleutel, digest
from api.services import MAX_ACTIEVE_SLEUTELS, api_sleutel_intrekken, api_sleutel_maken
from audit.models import AuditEntry
from cycle.models import Voortgang
from pagecache.services import bump
from people.models import Rol
from tests.people.factories import RoltoewijzingFactory, UserFactory, user_with_role

from .hulp_schrijven import (
    alle_rollen,  # noqa: F401 - fixture
    api_post,
    api_url,
    assert_problem,
    fresh,
    sleutel_voor,
    stadsbeheer,  # noqa: F401 - fixture
    uitvoering,  # noqa: F401 - fixture
)

PAGE = "/api-sleutels/"


def _maak(client, naam):
    return client.post(PAGE, {"naam": naam})


def _getoonde_sleutel(html: str) -> str:
    match = re.search(r'id="nieuwe-sleutel" type="text" readonly value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


@pytest.mark.django_db
def test_key_made_on_the_page_shown_once_and_only_its_digest_stored(werkgebied):
    user = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    client = Client()
    client.force_login(user)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "U heeft geen actieve API-sleutels." in response.content.decode()

    response = _maak(client, "  Zaaksysteem   Stadsbeheer ")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    key = _getoonde_sleutel(html)
    assert "U ziet hem hierna nooit meer" in html
    sleutel = ApiSleutel.objects.get(user=user)
    assert sleutel.naam == "Zaaksysteem Stadsbeheer"
    assert sleutel.sleutel_hash == digest(key) and sleutel.prefix == key[:8]
    # The key itself is stored nowhere: not in the row, not in the log.
    for value in ApiSleutel.objects.filter(pk=sleutel.pk).values().get().values():
        assert key not in str(value)
    entry = AuditEntry.objects.get(action="api.sleutel_gemaakt")
    assert entry.actor == user and entry.object_id == str(sleutel.pk)
    assert key not in str(entry.data) and entry.data["prefix"] == sleutel.prefix
    assert entry.actor_rol == Rol.WIJKMANAGER

    # Listed with its name and prefix, never shown again.
    html = client.get(PAGE).content.decode()
    assert "Zaaksysteem Stadsbeheer" in html and f"{sleutel.prefix}…" in html
    assert key not in html and "nog nooit" in html


@pytest.mark.django_db
def test_the_key_works_and_records_its_use(alle_rollen, uitvoering):  # noqa: F811
    accounthouder = alle_rollen["accounthouder"][0]
    client = Client()
    client.force_login(accounthouder)
    key = _getoonde_sleutel(_maak(client, "Systeem").content.decode())
    _, (een, *_) = uitvoering
    response = api_post(
        api_url(een, "voortgang"), {"tekst": "Via de sleutel."}, key=key, versie=een.versie
    )
    assert response.status_code == 201, response.content
    assert Voortgang.objects.get(pk=response.json()["id"]).auteur == accounthouder
    assert ApiSleutel.objects.get().laatst_gebruikt is not None
    # "Bearer" works too; a wrong scheme or key does not.
    response = api_post(
        api_url(een, "voortgang"),
        {"tekst": "Bearer."},
        headers={"Authorization": f"Bearer {key}", "If-Match": f'"{fresh(een).versie}"'},
    )
    assert response.status_code == 201
    for header in (f"Token {key}x", f"Basic {key}", f"Token {key} extra", "Token", "Token é"):
        response = api_post(
            api_url(een, "voortgang"),
            {"tekst": "x"},
            headers={"Authorization": header},
            versie=fresh(een).versie,
        )
        assert_problem(response, 401)


@pytest.mark.django_db
def test_revoked_key_and_inactive_user_401(alle_rollen, uitvoering):  # noqa: F811
    accounthouder = alle_rollen["accounthouder"][0]
    _, (een, *_) = uitvoering
    sleutel, key = api_sleutel_maken(user=accounthouder, naam="Systeem")
    api_sleutel_intrekken(sleutel=sleutel, user=accounthouder)
    response = api_post(api_url(een, "voortgang"), {"tekst": "x"}, key=key, versie=een.versie)
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"

    _, key = api_sleutel_maken(user=accounthouder, naam="Tweede")
    accounthouder.is_active = False
    accounthouder.save(update_fields=["is_active"])
    response = api_post(api_url(een, "voortgang"), {"tekst": "x"}, key=key, versie=een.versie)
    assert_problem(response, 401)
    assert not Voortgang.objects.filter(initiatief=een).exists()


@pytest.mark.django_db
def test_expired_role_gives_the_key_no_write_rights(alle_rollen, uitvoering):  # noqa: F811
    """The key was made while the role held; the role ended since: 403, nothing written."""
    accounthouder = alle_rollen["accounthouder"][0]
    _, (een, *_) = uitvoering
    _, key = api_sleutel_maken(user=accounthouder, naam="Systeem")
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    accounthouder.rollen.update(
        geldig_vanaf=gisteren - datetime.timedelta(days=30), geldig_tot=gisteren
    )
    # A change of roles is audited in the admin, which bumps the public version; here too.
    bump()
    response = api_post(api_url(een, "voortgang"), {"tekst": "x"}, key=key, versie=een.versie)
    assert_problem(response, 403)
    assert not Voortgang.objects.filter(initiatief=een).exists()
    # The key can still be seen and revoked on the page, though no new one can be made.
    client = Client()
    client.force_login(accounthouder)
    html = client.get("/api-sleutels/").content.decode()
    assert "Systeem" in html and "U kunt geen nieuwe sleutels maken" in html
    assert _maak(client, "Nog een").status_code == 403
    assert ApiSleutel.objects.filter(user=accounthouder).count() == 1


@pytest.mark.django_db
def test_a_key_of_user_a_acts_as_a_only(alle_rollen, uitvoering):  # noqa: F811
    """The wijkraadslid's key reports nothing, though the accounthouder's would."""
    _, (een, *_) = uitvoering
    accounthouder = alle_rollen["accounthouder"][0]
    wijkraadslid = alle_rollen["wijkraadslid"][0]
    key_b = sleutel_voor(wijkraadslid)
    # A session of A does not lend its rights to B's key either.
    client = Client()
    client.force_login(accounthouder)
    response = api_post(
        api_url(een, "voortgang"), {"tekst": "x"}, key=key_b, versie=een.versie, client=client
    )
    assert_problem(response, 403)
    response = api_post(api_url(een, "knelpunten"), {"beschrijving": "Als B"}, key=key_b)
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="cycle.knelpunt_gemeld")
    assert entry.actor == wijkraadslid and entry.actor_rol == Rol.WIJKRAADSLID


@pytest.mark.django_db
def test_others_cannot_see_or_revoke_my_key(werkgebied):
    eigenaar = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    sleutel, _ = api_sleutel_maken(user=eigenaar, naam="Van de eigenaar")
    intrekken = f"/api-sleutels/{sleutel.pk}/intrekken/"
    for ander in (
        user_with_role(Rol.BEHEERDER),
        user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied),
    ):
        client = Client()
        client.force_login(ander)
        assert "Van de eigenaar" not in client.get(PAGE).content.decode()
        assert client.get(intrekken).status_code == 404
        assert client.post(intrekken).status_code == 404
        with pytest.raises(PermissionDenied):
            api_sleutel_intrekken(sleutel=sleutel, user=ander)
    anoniem = Client()
    assert anoniem.post(intrekken)["Location"].startswith("/inloggen/")
    assert anoniem.get(PAGE)["Location"].startswith("/inloggen/")
    assert fresh(sleutel).ingetrokken is None
    assert not AuditEntry.objects.filter(action="api.sleutel_ingetrokken").exists()


@pytest.mark.django_db
def test_revoke_on_the_page_with_confirmation(werkgebied):
    user = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    sleutel, _ = api_sleutel_maken(user=user, naam="Dashboard")
    client = Client()
    client.force_login(user)
    url = f"/api-sleutels/{sleutel.pk}/intrekken/"
    html = client.get(PAGE).content.decode()
    assert url in html
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ja, intrekken" in confirm.content.decode()
    assert fresh(sleutel).ingetrokken is None
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert "is ingetrokken" in response.content.decode()
    assert fresh(sleutel).ingetrokken is not None
    entry = AuditEntry.objects.get(action="api.sleutel_ingetrokken")
    assert entry.actor == user and entry.data["naam"] == "Dashboard"
    # Twice: nothing more happens.
    response = client.post(url, follow=True)
    assert "al ingetrokken" in response.content.decode()
    assert AuditEntry.objects.filter(action="api.sleutel_ingetrokken").count() == 1
    assert client.get(url)["Location"] == PAGE
    assert client.post("/api-sleutels/99999999999999999999/intrekken/").status_code == 404


@pytest.mark.django_db
def test_too_many_keys_and_duplicate_names_get_a_clear_error(werkgebied):
    user = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    client = Client()
    client.force_login(user)
    assert 'id="nieuwe-sleutel"' in _maak(client, "Een").content.decode()
    html = _maak(client, "een").content.decode()
    assert "al een actieve sleutel met deze naam" in html
    assert 'id="nieuwe-sleutel"' not in html
    for n in range(2, MAX_ACTIEVE_SLEUTELS + 1):
        api_sleutel_maken(user=user, naam=f"Sleutel {n}")
    html = _maak(client, "Elfde").content.decode()
    assert "U heeft al 10 actieve API-sleutels, het maximum." in html
    assert 'id="nieuwe-sleutel"' not in html
    assert ApiSleutel.objects.filter(user=user).count() == MAX_ACTIEVE_SLEUTELS
    # Revoking one makes room again.
    api_sleutel_intrekken(sleutel=ApiSleutel.objects.filter(user=user).first(), user=user)
    assert 'id="nieuwe-sleutel"' in _maak(client, "Elfde").content.decode()
    for naam in ("", "   ", "x" * 101):
        html = _maak(client, naam).content.decode()
        assert 'id="nieuwe-sleutel"' not in html and "is-invalid" in html
    with pytest.raises(ValidationError):
        api_sleutel_maken(user=user, naam="x" * 101)


@pytest.mark.django_db
def test_who_may_make_keys(werkgebied, alle_rollen, uitvoering):  # noqa: F811
    """Professionals and trekkers make keys; residents and accounts without a role do not
    (they get 403 on the page) and are not shown the link on "Mijn werk"."""
    verwacht = {
        "bewoner (geen rol)": False,
        "bewoner": False,
        "wijkmanager": True,
        "wijkmanager ander werkgebied": True,
        "accounthouder": True,
        "accounthouder verlopen": False,
        "wijkraadslid": True,
        "raad": True,
        "beheerder": True,
        "trekker": True,
    }
    for role, mag in verwacht.items():
        user = alle_rollen[role][0]
        client = Client()
        client.force_login(user)
        assert client.get(PAGE).status_code == (200 if mag else 403), role
        response = _maak(client, f"Sleutel {role}")
        assert response.status_code == (200 if mag else 403), role
        assert ApiSleutel.objects.filter(user=user).exists() == mag, role
        mijn_werk = client.get("/mijn-werk/").content.decode()
        assert (PAGE in mijn_werk) == mag, role
    # A superuser without roles is a beheerder.
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert superuser.has_perm("api.create_sleutel")
    # A future role gives nothing yet.
    toekomst = RoltoewijzingFactory(
        rol=Rol.WIJKMANAGER,
        werkgebied=werkgebied,
        geldig_vanaf=timezone.localdate() + datetime.timedelta(days=3),
    ).user
    assert not toekomst.has_perm("api.create_sleutel")


@pytest.mark.django_db
def test_scale_step_makes_keys_for_professionals_only(rotterdam):
    """``load_scale``'s step: keys of professionals only, none over the service's limit, each
    logged as the service logs it."""
    from django.db.models import Count, Q

    from cycle import scale

    autodiscover_modules("scale")
    steps = scale.Registry(
        s for s in scale.registry.ordered() if s.name.split(".")[0] in ("people", "cycle", "api")
    )
    scale.generate(
        steps=steps,
        seed=11,
        until_year=2027,
        today=datetime.date(2026, 11, 2),
        years=2,
        factor=1,
        werkgebieden=2,
    )
    sleutels = ApiSleutel.objects.all()
    assert 0 < sleutels.count() <= 2000
    assert (
        not sleutels.filter(user__rollen__rol=Rol.BEWONER)
        .exclude(user__rollen__rol__in=[r for r in Rol.values if r != Rol.BEWONER])
        .exists()
    )
    meeste = (
        sleutels.values("user")
        .annotate(n=Count("pk", filter=Q(ingetrokken__isnull=True)))
        .order_by("-n")
        .first()
    )
    assert meeste["n"] <= MAX_ACTIEVE_SLEUTELS
    assert AuditEntry.objects.filter(action="api.sleutel_gemaakt").count() == sleutels.count()
    assert (
        AuditEntry.objects.filter(action="api.sleutel_ingetrokken").count()
        == sleutels.filter(ingetrokken__isnull=False).count()
    )
    assert len(set(sleutels.values_list("sleutel_hash", flat=True))) == sleutels.count()
