"""Every page and every form of the werkcyclus, for every role, in the right and the wrong
werkgebied: anonymous users are sent to the login page, unauthorised users get 403, and
neither sees data or changes anything."""

import pytest

from audit.models import AuditEntry
from cycle.models import Fase, Productstatus, Werkcyclus, Wijkanalyse
from tests.conftest import ROLE_NAMES

MAY_VIEW_CONCEPT = {
    "wijkmanager",
    "wijkmanager via gebied",
    "accounthouder",
    "wijkraadslid",
    "beheerder",
}


def expect(response, *, allowed: bool, anonymous: bool):
    if allowed:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert "/inloggen/" not in response["Location"]
    elif anonymous:
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")
    else:
        assert response.status_code == 403
        assert "Geen toegang" in response.content.decode()


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_public_pages_for_everyone(client, roles, cyclus, werkgebied, role):
    user, _ = roles[role]
    login(client, user)
    for url in [
        "/",
        "/wijken/",
        "/werkgebieden/",
        "/wijken/rubroek/",
        f"/werkgebieden/{werkgebied.slug}/",
        f"/werkgebieden/{werkgebied.slug}/rollen/",
        f"/werkgebieden/{werkgebied.slug}/2027/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_concept_product_only_for_involved_roles(client, roles, cyclus, werkgebied, role):
    user, _ = roles[role]
    login(client, user)
    Wijkanalyse.objects.filter(pk=cyclus.wijkanalyse.pk).update(wijkbeschrijving="Geheim concept")
    response = client.get(f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/")
    expect(response, allowed=role in MAY_VIEW_CONCEPT, anonymous=user is None)
    assert ("Geheim concept" in response.content.decode()) == (role in MAY_VIEW_CONCEPT)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_published_product_for_everyone(client, roles, cyclus, werkgebied, role):
    user, _ = roles[role]
    login(client, user)
    Wijkanalyse.objects.filter(pk=cyclus.wijkanalyse.pk).update(
        status=Productstatus.GEPUBLICEERD, wijkbeschrijving="Openbare tekst"
    )
    response = client.get(f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/")
    assert response.status_code == 200
    assert "Openbare tekst" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_manager_pages(client, roles, cyclus, werkgebied, role):
    user, runs_cycle = roles[role]
    login(client, user)
    for url in [
        f"/werkgebieden/{werkgebied.slug}/nieuwe-cyclus/",
        f"/werkgebieden/{werkgebied.slug}/2027/planning/",
        f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/bewerken/",
    ]:
        response = client.get(url)
        expect(response, allowed=runs_cycle, anonymous=user is None)
        if runs_cycle:
            assert response.status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_manager_posts(client, roles, cyclus, werkgebied, role):
    """Every write, attempted by every role. Only the cycle's runners change anything."""
    user, runs_cycle = roles[role]
    login(client, user)
    base = f"/werkgebieden/{werkgebied.slug}"
    analyse = cyclus.wijkanalyse
    posts = [
        (f"{base}/nieuwe-cyclus/", {"jaar": 2030}),
        (
            f"{base}/2027/planning/",
            {
                **{
                    f"{f}_{d}": "2026-01-01" if d == "begin" else "2026-02-01"
                    for f in ["analyse", "agenda", "programma", "uitvoering", "verantwoording"]
                    for d in ["begin", "eind"]
                },
                "versie": cyclus.versie,
            },
        ),
        (
            f"{base}/2027/wijkanalyse/bewerken/",
            {
                "titel": "Nieuw",
                "wijkbeschrijving": "a",
                "evaluatie": "b",
                "conclusies": "d",
                "versie": analyse.versie,
            },
        ),
        # The analysis of a theme (read after the edit above: one version on).
        (
            f"{base}/2027/wijkanalyse/themas/schoon/",
            {"problemen": "p", "onderbouwing": "o", "versie": analyse.versie + 1},
        ),
        (
            f"{base}/2027/wijkanalyse/stap/",
            {"overgang": "vaststellen", "verwacht": "concept"},
        ),
        (f"{base}/2027/stap/", {"overgang": "naar_agenda", "verwacht": "analyse"}),
    ]
    for url, data in posts:
        before = AuditEntry.objects.count()
        response = client.post(url, data)
        expect(response, allowed=runs_cycle, anonymous=user is None)
        if not runs_cycle:
            assert AuditEntry.objects.count() == before, url
    if runs_cycle:
        assert Werkcyclus.objects.filter(werkgebied=werkgebied, jaar=2030).exists()
        cyclus.refresh_from_db()
        assert cyclus.fase == Fase.AGENDA
        assert cyclus.analyse_eind.isoformat() == "2026-02-01"
    else:
        assert not Werkcyclus.objects.filter(jaar=2030).exists()
        cyclus.refresh_from_db()
        assert cyclus.fase == Fase.ANALYSE
        analyse.refresh_from_db()
        assert analyse.titel != "Nieuw"
        assert analyse.status == Productstatus.CONCEPT


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_mijn_werk_needs_login(client, roles, cyclus, role):
    user, _ = roles[role]
    login(client, user)
    response = client.get("/mijn-werk/")
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/")
    else:
        assert response.status_code == 200


@pytest.mark.django_db
def test_unknown_things_are_404_not_500(client, cyclus, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    for url in [
        "/wijken/bestaat-niet/",
        "/werkgebieden/bestaat-niet/",
        "/werkgebieden/bestaat-niet/rollen/",
        f"/werkgebieden/{werkgebied.slug}/1999/",
        f"/werkgebieden/{werkgebied.slug}/2027/onzin/",
        f"/werkgebieden/{werkgebied.slug}/2027/onzin/bewerken/",
        f"/werkgebieden/{werkgebied.slug}/2027/onzin/stap/",
    ]:
        response = client.get(url) if "stap" not in url else client.post(url, {})
        assert response.status_code == 404, url
        assert "Pagina niet gevonden" in response.content.decode()
