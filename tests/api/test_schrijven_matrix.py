"""Every write endpoint × every role, compared with the answer of the page's own form: the API
allows exactly when the form allows (and changes the same thing), answers 401 where the page
sends an anonymous visitor to sign in and 403 where the page refuses a signed-in user.

Each role calls both: the form with a browser session, the API with a key of the same user
and no session. Where one success would block the other (a commitment given cannot be given
again), each gets an initiative of its own with the same owner, trekker and state."""

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import Knelpunt, Toezegging, Voortgang

from .hulp_schrijven import (
    ALL_ROLES,
    INVOLVED,
    RUNNERS,
    alle_rollen,  # noqa: F401 - fixture
    api_post,
    api_url,
    fresh,
    nieuw_initiatief,
    programma,  # noqa: F401 - fixture
    sleutel_voor,
    stadsbeheer,  # noqa: F401 - fixture
    uitvoering,  # noqa: F401 - fixture
)

# Who may report progress on the first initiative of Stadsbeheer (with the trekker's account)
# and on the residents' group's; who answers for Stadsbeheer; who raises a knelpunt.
VOORTGANG_EEN = RUNNERS | {"accounthouder", "trekker"}
VOORTGANG_GROEP = RUNNERS
ANTWOORDT_STADSBEHEER = {"accounthouder"}
KNELPUNT = INVOLVED | {"trekker"}


def page_url(initiatief, deel):
    cyclus = initiatief.wijkprogramma.cyclus
    return (
        f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkprogramma/initiatieven/"
        f"{initiatief.pk}/{deel}"
    )


def browser(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def same_answer(role, user, form_response, form_changed, api_response, api_changed):
    """The form and the API agree: both change, or neither; and they refuse alike."""
    assert form_changed == api_changed, (role, form_response.status_code, api_response.content)
    if form_changed:
        assert api_response.status_code in (200, 201), (role, api_response.content)
        assert form_response.status_code == 302
        assert "/inloggen/" not in form_response["Location"]
    elif user is None:
        assert form_response.status_code == 302
        assert form_response["Location"].startswith("/inloggen/?next=")
        assert api_response.status_code == 401, role
        assert api_response["WWW-Authenticate"] == "Token"
    else:
        assert form_response.status_code == 403, (role, form_response.status_code)
        assert api_response.status_code == 403, (role, api_response.content)
    if api_response.status_code >= 400:
        assert api_response["Content-Type"].startswith("application/problem+json")


def keys(alle_rollen):  # noqa: F811
    return {
        role: (sleutel_voor(user) if user is not None else None)
        for role, (user, _) in alle_rollen.items()
    }


@pytest.mark.django_db
def test_voortgang_matrix(alle_rollen, uitvoering):  # noqa: F811
    _, (een, _twee, groep) = uitvoering
    sleutels = keys(alle_rollen)
    for role in ALL_ROLES:
        user = alle_rollen[role][0]
        for initiatief, verwacht in [
            (een, role in VOORTGANG_EEN),
            (groep, role in VOORTGANG_GROEP),
        ]:
            voor = Voortgang.objects.count()
            form = browser(user).post(
                page_url(initiatief, "voortgang/"),
                {
                    "versie": fresh(initiatief).versie,
                    "datum": timezone.localdate().isoformat(),
                    "tekst": f"Via het formulier ({role})",
                },
            )
            form_changed = Voortgang.objects.count() == voor + 1
            voor = Voortgang.objects.count()
            api = api_post(
                api_url(initiatief, "voortgang"),
                {"tekst": f"Via de API ({role})"},
                key=sleutels[role],
                versie=fresh(initiatief).versie,
            )
            api_changed = Voortgang.objects.count() == voor + 1
            same_answer(role, user, form, form_changed, api, api_changed)
            assert api_changed == verwacht, role


@pytest.mark.django_db
@pytest.mark.parametrize("actie", ["toezeggen", "afwijzen"])
def test_toezegging_matrix(alle_rollen, programma, stadsbeheer, actie):  # noqa: F811
    drafter = alle_rollen["wijkmanager"][0]
    trekker = alle_rollen["trekker"][0]
    sleutels = keys(alle_rollen)
    for index, role in enumerate(ALL_ROLES):
        user = alle_rollen[role][0]
        voor_form = nieuw_initiatief(
            programma, drafter, stadsbeheer, trekker=trekker, titel=f"Form {index}"
        )
        voor_api = nieuw_initiatief(
            programma, drafter, stadsbeheer, trekker=trekker, titel=f"API {index}"
        )
        if actie == "toezeggen":
            data = {
                "actie": "toezeggen",
                "toezeggen-versie": voor_form.versie,
                "toezeggen-trekker_naam": "Piet",
            }
            body, pad, doel = {"trekker_naam": "Piet"}, "toezegging", Toezegging.TOEGEZEGD
        else:
            data = {
                "actie": "afwijzen",
                "afwijzen-versie": voor_form.versie,
                "afwijzen-reden": "Geen capaciteit dit jaar.",
            }
            body = {"reden": "Geen capaciteit dit jaar."}
            pad, doel = "afwijzing", Toezegging.AFGEWEZEN
        form = browser(user).post(page_url(voor_form, "toezegging/"), data)
        api = api_post(api_url(voor_api, pad), body, key=sleutels[role], versie=voor_api.versie)
        form_changed = fresh(voor_form).toezegging == doel
        api_changed = fresh(voor_api).toezegging == doel
        same_answer(role, user, form, form_changed, api, api_changed)
        assert api_changed == (role in ANTWOORDT_STADSBEHEER), role


@pytest.mark.django_db
def test_knelpunt_matrix(alle_rollen, uitvoering):  # noqa: F811
    _, (een, *_) = uitvoering
    sleutels = keys(alle_rollen)
    for role in ALL_ROLES:
        user = alle_rollen[role][0]
        form = browser(user).post(
            page_url(een, "knelpunt/"), {"beschrijving": f"Geen vergunning (form, {role})"}
        )
        api = api_post(
            api_url(een, "knelpunten"),
            {"beschrijving": f"Geen vergunning (api, {role})"},
            key=sleutels[role],
        )
        form_changed = Knelpunt.objects.filter(beschrijving__contains=f"form, {role})").exists()
        api_changed = Knelpunt.objects.filter(beschrijving__contains=f"api, {role})").exists()
        same_answer(role, user, form, form_changed, api, api_changed)
        assert api_changed == (role in KNELPUNT), role


@pytest.mark.django_db
def test_refused_calls_write_no_audit_entry(alle_rollen, uitvoering):  # noqa: F811
    """Nothing the API refuses leaves a trace in the log."""
    _, (een, *_) = uitvoering
    voor = AuditEntry.objects.count()
    for role in ["bewoner", "raad", "wijkmanager ander werkgebied", "accounthouder verlopen"]:
        response = api_post(
            api_url(een, "voortgang"),
            {"tekst": "Niet toegestaan"},
            key=sleutel_voor(alle_rollen[role][0]),
            versie=fresh(een).versie,
        )
        assert response.status_code == 403
    assert AuditEntry.objects.count() == voor
