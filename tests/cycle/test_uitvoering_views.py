"""The pages of the execution year: an initiative's public page, a progress update (one and in
bulk), knelpunten raised, resolved and listed, and the "Mijn werk" section. Every view for
every role (in and out of scope, another cluster, the trekker's own account), bad, hostile and
stale input, and a fixed number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from cycle import services
from cycle.models import (
    Fase,
    Initiatief,
    Knelpunt,
    Productstatus,
    Uitvoeringsstatus,
    Voortgang,
    Werkcyclus,
    Wijkprogramma,
)
from cycle.services_programma import (
    Update,
    initiatief_toezeggen,
    knelpunt_melden,
    knelpunt_oplossen,
    voortgang_melden,
)
from people.models import Rol
from tests.conftest import ROLE_NAMES
from tests.cycle.inhoud import agendapunt_voor, met_initiatief
from tests.people.factories import ClusterFactory, UserFactory, user_with_role

RUNNERS = {"wijkmanager", "wijkmanager via gebied", "beheerder"}
INVOLVED = RUNNERS | {"wijkraadslid", "accounthouder", "accounthouder ander cluster"}
EXTRA_ROLES = ["accounthouder ander cluster", "trekker"]
ALL_ROLES = [*ROLE_NAMES, *EXTRA_ROLES]
BULK = "/mijn-werk/voortgang/"
MORGEN = timezone.localdate() + datetime.timedelta(days=1)
OVER_EEN_MAAND = timezone.localdate() + datetime.timedelta(days=30)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def uitvoering_met_initiatieven(
    werkgebied,
    *,
    drafter,
    accounthouder,
    cluster,
    titels=("Schoonmaakacties", "Speelplek ontwerpen"),
    trekker=None,
    jaar=2027,
    publiceren=True,
    make_cycle=None,
    extra_bewonersgroep=True,
):
    """A cycle of ``werkgebied`` in its execution year, built through the services: one
    initiative of ``cluster`` per title (committed by ``accounthouder``; the first with
    ``trekker``'s account as trekker), and one of a residents' group (committed by the
    drafter); the programme adopted and (``publiceren``) published. Returns (cycle,
    [initiatives]) in agenda order."""
    if make_cycle is not None:
        cyclus = make_cycle(werkgebied, jaar=jaar, fase=Fase.PROGRAMMA)
    else:
        from cycle.demo import demo_cycle

        cyclus = demo_cycle(werkgebied=werkgebied, jaar=jaar, doel=Fase.PROGRAMMA, user=drafter)
    programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(cyclus=cyclus)
    initiatieven = []
    for index, titel in enumerate(titels):
        initiatief = met_initiatief(
            programma,
            drafter,
            cluster=cluster,
            titel=titel,
            agendapunt=agendapunt_voor(cyclus, titel=f"Agendapunt {index + 1}"),
        )
        initiatief_toezeggen(
            initiatief=initiatief,
            user=accounthouder,
            expected_versie=fresh(initiatief).versie,
            trekker_email=trekker.email if trekker is not None and index == 0 else "",
        )
        initiatieven.append(initiatief)
    if extra_bewonersgroep:
        initiatief = met_initiatief(
            programma,
            drafter,
            titel="Buurtmoestuin",
            bewonersgroep="Moestuingroep Rubroek",
            agendapunt=agendapunt_voor(cyclus, titel="Agendapunt groen"),
        )
        initiatief_toezeggen(
            initiatief=initiatief, user=drafter, expected_versie=fresh(initiatief).versie
        )
        initiatieven.append(initiatief)
    programma = services.product_transition(
        product=fresh(programma),
        user=drafter,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    if publiceren:
        services.product_transition(
            product=programma,
            user=drafter,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
            bevestigd=True,
        )
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=drafter,
        transition="naar_uitvoering",
        expected_fase=Fase.PROGRAMMA,
    )
    return Werkcyclus.objects.get(pk=cyclus.pk), [fresh(i) for i in initiatieven]


@pytest.fixture
def stadsbeheer(db):
    return ClusterFactory(naam="Stadsbeheer", slug="stadsbeheer")


@pytest.fixture
def alle_rollen(roles, werkgebied, stadsbeheer):
    ander = ClusterFactory(naam="Stadsontwikkeling", slug="stadsontwikkeling")
    return {
        **roles,
        "accounthouder ander cluster": (
            user_with_role(Rol.ACCOUNTHOUDER, cluster=ander, gebied=werkgebied.gebied),
            False,
        ),
        # An account without any role: only the trekker of the first initiative.
        "trekker": (UserFactory(naam="Fatima de Vries"), False),
    }


def _bouw(werkgebied, make_cycle, alle_rollen, stadsbeheer, **kwargs):
    return uitvoering_met_initiatieven(
        werkgebied,
        drafter=alle_rollen["wijkmanager"][0],
        accounthouder=alle_rollen["accounthouder"][0],
        cluster=stadsbeheer,
        trekker=alle_rollen["trekker"][0],
        make_cycle=make_cycle,
        **kwargs,
    )


@pytest.fixture
def uitvoering(werkgebied, make_cycle, alle_rollen, stadsbeheer):
    """Crooswijk 2027 in execution: two initiatives of Stadsbeheer (the first with a trekker
    account) and one of a residents' group; the programme published."""
    return _bouw(werkgebied, make_cycle, alle_rollen, stadsbeheer)


@pytest.fixture
def niet_openbaar(werkgebied, make_cycle, alle_rollen, stadsbeheer):
    """The same, with the programme adopted but not published."""
    return _bouw(werkgebied, make_cycle, alle_rollen, stadsbeheer, jaar=2028, publiceren=False)


def url(initiatief, deel=""):
    cyclus = initiatief.wijkprogramma.cyclus
    base = f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkprogramma/initiatieven"
    return f"{base}/{initiatief.pk}/{deel}"


def oplossen_url(knelpunt):
    cyclus = knelpunt.initiatief.wijkprogramma.cyclus
    return (
        f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/wijkprogramma/knelpunten/"
        f"{knelpunt.pk}/oplossen/"
    )


def knelpunten_url(cyclus):
    return f"/werkgebieden/{cyclus.werkgebied.slug}/{cyclus.jaar}/knelpunten/"


def expect(response, *, allowed: bool, anonymous: bool):
    if allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/inloggen/" not in response["Location"]
    elif anonymous:
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")
    else:
        assert response.status_code == 403


def login(client, alle_rollen, role):
    user = alle_rollen[role][0]
    client.logout()
    if user is not None:
        client.force_login(user)
    return user


def voortgang_data(initiatief, **extra):
    return {
        "versie": fresh(initiatief).versie,
        "datum": timezone.localdate().isoformat(),
        "status": "",
        "percentage": "",
        "mijlpaal": "",
        "tekst": "Plan van aanpak besproken met de bewoners.",
        "verwacht_eind": "",
        "stopreden": "",
        **extra,
    }


# ------------------------------------------------------------------ the role matrix


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_detail_page_matrix(client, alle_rollen, uitvoering, niet_openbaar, role):
    """Published: everyone reads the page, the knelpunten only those involved; adopted but
    not published: only who may read the programme."""
    user = login(client, alle_rollen, role)
    (_, (een, *_)), (_, (verborgen, *_)) = uitvoering, niet_openbaar
    response = client.get(url(een))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Schoonmaakacties" in html
    assert ("Alle knelpunten van" in html) == (role in INVOLVED), role
    assert ("Voortgang melden" in html) == (role in RUNNERS | {"accounthouder", "trekker"}), role
    assert ("Een knelpunt melden" in html) == (role in INVOLVED | {"trekker"}), role
    leest = role in INVOLVED | {"raad"}
    expect(client.get(url(verborgen)), allowed=leest, anonymous=user is None)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_progress_form_matrix(client, alle_rollen, uitvoering, role):
    """The owner's voice (the accounthouder of Stadsbeheer in the gebied), the trekker of
    this initiative and whoever runs the cycle; for the residents' group's initiative only
    whoever runs the cycle."""
    user = login(client, alle_rollen, role)
    _, (een, _twee, groep) = uitvoering
    for initiatief, allowed in [
        (een, role in RUNNERS | {"accounthouder", "trekker"}),
        (groep, role in RUNNERS),
    ]:
        expect(client.get(url(initiatief, "voortgang/")), allowed=allowed, anonymous=not user)
        voor = Voortgang.objects.count()
        response = client.post(url(initiatief, "voortgang/"), voortgang_data(initiatief))
        expect(response, allowed=allowed, anonymous=not user)
        assert Voortgang.objects.count() == voor + (1 if allowed else 0), role
        if allowed:
            assert response["Location"] == url(initiatief) + "#voortgang"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_knelpunt_matrix(client, alle_rollen, uitvoering, role):
    """Anyone involved in the werkgebied (a wijkraadslid too) and the trekker raise one;
    only whoever runs the cycle resolves one; the cycle's list is for those involved."""
    user = login(client, alle_rollen, role)
    cyclus, (een, *_) = uitvoering
    wijkmanager = alle_rollen["wijkmanager"][0]
    mag_melden = role in INVOLVED | {"trekker"}
    expect(client.get(url(een, "knelpunt/")), allowed=mag_melden, anonymous=not user)
    response = client.post(url(een, "knelpunt/"), {"beschrijving": f"Geen vergunning ({role})"})
    expect(response, allowed=mag_melden, anonymous=not user)
    assert Knelpunt.objects.filter(beschrijving__contains=role).exists() == mag_melden

    knelpunt = knelpunt_melden(initiatief=een, user=wijkmanager, beschrijving="Geen budget")
    mag_oplossen = role in RUNNERS
    expect(client.get(oplossen_url(knelpunt)), allowed=mag_oplossen, anonymous=not user)
    response = client.post(oplossen_url(knelpunt), {"oplossing": "Knelpuntenbudget ingezet"})
    expect(response, allowed=mag_oplossen, anonymous=not user)
    assert (not fresh(knelpunt).is_open) == mag_oplossen

    response = client.get(knelpunten_url(cyclus))
    expect(response, allowed=role in INVOLVED, anonymous=not user)
    if role in INVOLVED:
        assert "Geen budget" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_bulk_page_matrix(client, alle_rollen, uitvoering, role):
    """Each sees the initiatives they report on: the accounthouder of Stadsbeheer both of
    Stadsbeheer, the trekker their own, whoever runs the cycle all three; the others an
    explanation, never an error."""
    user = login(client, alle_rollen, role)
    response = client.get(BULK)
    if user is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen/?next=")
        return
    assert response.status_code == 200
    html = response.content.decode()
    gezien = {t for t in ("Schoonmaakacties", "Speelplek ontwerpen", "Buurtmoestuin") if t in html}
    verwacht = {
        "accounthouder": {"Schoonmaakacties", "Speelplek ontwerpen"},
        "trekker": {"Schoonmaakacties"},
        "wijkmanager": {"Schoonmaakacties", "Speelplek ontwerpen", "Buurtmoestuin"},
        "wijkmanager via gebied": {"Schoonmaakacties", "Speelplek ontwerpen", "Buurtmoestuin"},
    }.get(role, set())
    assert gezien == verwacht, role
    if not verwacht:
        assert "Er zijn nu geen initiatieven waarover u voortgang meldt." in html


@pytest.mark.django_db
def test_objects_of_another_cycle_are_not_found(
    client, alle_rollen, uitvoering, werkgebied, stadsbeheer, make_cycle
):
    client.force_login(alle_rollen["beheerder"][0])
    _, (een, *_) = uitvoering
    knelpunt = knelpunt_melden(
        initiatief=een, user=alle_rollen["wijkmanager"][0], beschrijving="Geen vergunning"
    )
    andere = make_cycle(werkgebied, jaar=2028, fase=Fase.ANALYSE)
    base = f"/werkgebieden/{werkgebied.slug}/{andere.jaar}/wijkprogramma"
    for path in (
        f"{base}/initiatieven/{een.pk}/",
        f"{base}/initiatieven/{een.pk}/voortgang/",
        f"{base}/initiatieven/{een.pk}/knelpunt/",
        f"{base}/knelpunten/{knelpunt.pk}/oplossen/",
        f"{base}/initiatieven/999999/",
        f"/werkgebieden/{werkgebied.slug}/1999/knelpunten/",
    ):
        assert client.get(path).status_code == 404, path


# ------------------------------------------------------------ the initiative's page


@pytest.mark.django_db
def test_public_page_shows_plan_progress_and_no_knelpunten(client, alle_rollen, uitvoering):
    _cyclus, (een, *_) = uitvoering
    accounthouder = alle_rollen["accounthouder"][0]
    voortgang_melden(
        user=accounthouder,
        update=Update(
            een,
            een.versie,
            tekst="Eerste schoonmaakochtend met 30 bewoners.",
            status="in_uitvoering",
            percentage=40,
            mijlpaal="Eerste actie",
        ),
    )
    een = fresh(een)
    voortgang_melden(
        user=accounthouder,
        update=Update(
            een,
            een.versie,
            tekst="Vergunning voor de containers laat op zich wachten.",
            status="vertraagd",
            verwacht_eind=OVER_EEN_MAAND,
        ),
    )
    knelpunt_melden(initiatief=een, user=accounthouder, beschrijving="Geheim knelpunt")
    response = client.get(url(een))
    html = response.content.decode()
    assert response.status_code == 200
    # The agendapunt it serves, as a link to its place on the wijkagenda.
    assert f"wijkagenda/#punt-{een.agendapunt_id}" in html
    assert "Stadsbeheer" in html and "Fatima de Vries" in html
    assert "raadplegen (meedenken)" in html
    assert "1 februari 2027 tot en met 30 november 2027" in html
    assert "Helft minder meldingen over afval." in html
    assert "vertraagd" in html
    assert f"verwachte nieuwe einddatum {OVER_EEN_MAAND.day}" in html
    # The progress bar with its text equivalent.
    assert re.search(r'<progress id="voortgang-balk"[^>]*value="40"', html)
    assert '<label for="voortgang-balk">' in html
    assert "40% klaar" in html
    # Newest first.
    assert html.index("Vergunning voor de containers") < html.index("Eerste schoonmaakochtend")
    assert "Mijlpaal: Eerste actie" in html
    assert "Geheim knelpunt" not in html and "Knelpunten" not in html
    # Anonymous visitors get it from the page cache the second time.
    assert client.get(url(een))["X-Paginacache"] == "hit"


@pytest.mark.django_db
def test_stopped_initiative_shows_its_reason(client, alle_rollen, uitvoering):
    _, (een, *_) = uitvoering
    voortgang_melden(
        user=alle_rollen["wijkmanager"][0],
        update=Update(
            een,
            een.versie,
            tekst="Gestopt.",
            status="gestopt",
            stopreden="De bewonersgroep is opgeheven.",
        ),
    )
    html = client.get(url(een)).content.decode()
    assert "Reden van stoppen" in html and "De bewonersgroep is opgeheven." in html


@pytest.mark.django_db
def test_involved_see_knelpunten_open_first_and_resolve_forms(client, alle_rollen, uitvoering):
    _cyclus, (een, *_) = uitvoering
    wijkmanager = alle_rollen["wijkmanager"][0]
    oud = knelpunt_melden(initiatief=een, user=wijkmanager, beschrijving="Eerste knelpunt")
    knelpunt_melden(initiatief=een, user=wijkmanager, beschrijving="Tweede knelpunt")
    knelpunt_oplossen(knelpunt=oud, user=wijkmanager, oplossing="Opgelost met de buurt")
    client.force_login(wijkmanager)
    html = client.get(url(een)).content.decode()
    assert html.index("Tweede knelpunt") < html.index("Eerste knelpunt")
    assert "Opgelost met de buurt" in html
    assert html.count("Als opgelost afsluiten") == 1
    assert "1 open knelpunt." in html
    client.force_login(alle_rollen["wijkraadslid"][0])
    html = client.get(url(een)).content.decode()
    assert "Tweede knelpunt" in html and "Als opgelost afsluiten" not in html
    assert "Een knelpunt melden" in html and "Voortgang melden" not in html


# --------------------------------------------------------------- one progress update


@pytest.mark.django_db
def test_progress_form_offers_only_reachable_statuses(client, alle_rollen, uitvoering):
    _, (een, *_) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    html = client.get(url(een, "voortgang/")).content.decode()
    opties = re.findall(
        r'<option value="([^"]*)"', html.split('name="status"')[1].split("</select>")[0]
    )
    assert opties == ["", "in_uitvoering", "vertraagd", "gestopt"]
    assert "ongewijzigd (gepland)" in html
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date defaults to today
    assert f'name="versie" value="{een.versie}"' in html


@pytest.mark.django_db
def test_progress_update_changes_status_and_is_shown(client, alle_rollen, uitvoering):
    _, (een, *_) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    response = client.post(
        url(een, "voortgang/"),
        voortgang_data(een, status="in_uitvoering", percentage="25", mijlpaal="  Plan   klaar "),
    )
    assert response.status_code == 302
    een = fresh(een)
    assert een.status == Uitvoeringsstatus.IN_UITVOERING and een.percentage == 25
    update = een.voortgang.get()
    assert update.mijlpaal == "Plan klaar" and update.auteur == alle_rollen["accounthouder"][0]
    html = client.get(response["Location"]).content.decode()
    assert "De voortgang van ‘Schoonmaakacties’ is opgeslagen." in html
    assert "25% klaar" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "veld", "bericht"),
    [
        ({"tekst": "   "}, "tekst", "Schrijf kort wat er gebeurd is."),
        ({"tekst": "x" * 3001}, "tekst", "Maximaal 3000 tekens (nu 3001)"),
        ({"tekst": "x" * 100_000}, "tekst", "Maximaal 3000 tekens"),
        ({"percentage": "1000"}, "percentage", "Vul een percentage tussen 0 en 100 in."),
        ({"percentage": "-5"}, "percentage", "Vul een percentage tussen 0 en 100 in."),
        ({"percentage": "veel"}, "percentage", "Vul een percentage tussen 0 en 100 in."),
        ({"datum": MORGEN.isoformat()}, "datum", "niet na vandaag"),
        ({"datum": "31-02-2027"}, "datum", "Vul een geldige datum in"),
        ({"datum": "0001-01-01"}, "datum", "Vul een geldige datum in"),
        ({"status": "gerealiseerd"}, "status", "kan vanuit de huidige status niet"),
        ({"status": "<script>"}, "status", "kan vanuit de huidige status niet"),
        ({"status": "vertraagd"}, "verwacht_eind", "Wanneer is het naar verwachting klaar?"),
        (
            {"status": "vertraagd", "verwacht_eind": "2020-01-01"},
            "verwacht_eind",
            "De nieuwe datum ligt in het verleden.",
        ),
        (
            {"status": "vertraagd", "verwacht_eind": "99999-01-01"},
            "verwacht_eind",
            "Vul een geldige datum in",
        ),
        ({"status": "gestopt", "stopreden": "  "}, "stopreden", "Zeg waarom het initiatief stopt."),
        ({"mijlpaal": "m" * 201}, "mijlpaal", "Maximaal 200 tekens"),
    ],
)
def test_hostile_progress_input_is_refused_next_to_the_field(
    client, alle_rollen, uitvoering, extra, veld, bericht
):
    _, (een, *_) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    data = voortgang_data(een, **{"tekst": "Mijn tekst blijft staan", **extra})
    response = client.post(url(een, "voortgang/"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert veld in form.errors, form.errors
    assert any(bericht in e for e in form.errors[veld]), form.errors[veld]
    html = response.content.decode()
    assert "<script>" not in html.split("<main")[1]
    if veld != "tekst":
        assert "Mijn tekst blijft staan" in html
    assert not Voortgang.objects.exists()
    assert fresh(een).status == Uitvoeringsstatus.GEPLAND


@pytest.mark.django_db
def test_stale_progress_form_keeps_the_input_and_saves_on_a_second_look(
    client, alle_rollen, uitvoering
):
    _, (een, *_) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    oud = voortgang_data(een, tekst="Mijn eigen verslag", status="in_uitvoering", percentage="30")
    # Someone else reports first.
    voortgang_melden(
        user=alle_rollen["wijkmanager"][0],
        update=Update(een, een.versie, tekst="Gestart", status="in_uitvoering", percentage=10),
    )
    response = client.post(url(een, "voortgang/"), oud)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft de voortgang van ‘Schoonmaakacties’ intussen bijgewerkt" in html
    assert "de status is nu ‘in uitvoering’, 10% klaar" in html
    assert "Mijn eigen verslag" in html
    assert Voortgang.objects.count() == 1
    # The page now carries the current version: saving again is a decision taken knowing it.
    # (The status the user chose is now the current one: they choose "unchanged".)
    nieuw = fresh(een).versie
    assert f'name="versie" value="{nieuw}"' in html
    response = client.post(url(een, "voortgang/"), {**oud, "status": "", "versie": nieuw})
    assert response.status_code == 302
    assert fresh(een).percentage == 30
    # A double submit of the same form saves nothing more.
    response = client.post(url(een, "voortgang/"), {**oud, "status": "", "versie": nieuw})
    assert response.status_code == 200
    assert "intussen bijgewerkt" in response.content.decode()
    assert Voortgang.objects.count() == 2


@pytest.mark.django_db
def test_missing_versie_says_the_form_was_incomplete(client, alle_rollen, uitvoering):
    _, (een, *_) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    data = voortgang_data(een)
    del data["versie"]
    response = client.post(url(een, "voortgang/"), data)
    assert "onvolledig verstuurd" in response.content.decode()
    assert not Voortgang.objects.exists()


@pytest.mark.django_db
def test_no_progress_outside_the_execution_year(client, alle_rollen, uitvoering):
    cyclus, (een, *_) = uitvoering
    Werkcyclus.objects.filter(pk=cyclus.pk).update(fase=Fase.VERANTWOORDING)
    client.force_login(alle_rollen["accounthouder"][0])
    assert client.get(url(een, "voortgang/")).status_code == 403
    assert client.post(url(een, "voortgang/"), voortgang_data(een)).status_code == 403
    assert "Voortgang melden" not in client.get(url(een)).content.decode()


# ------------------------------------------------------------------- the bulk update


def bulk_data(rijen, **rij_data):
    """The POST of the bulk page for ``rijen`` (initiatives); ``rij_data``: {index: fields}."""
    data = {
        "rij-TOTAL_FORMS": str(len(rijen)),
        "rij-INITIAL_FORMS": str(len(rijen)),
        "rij-MIN_NUM_FORMS": "0",
        "rij-MAX_NUM_FORMS": "50",
    }
    for index, initiatief in enumerate(rijen):
        velden = {
            "initiatief_id": initiatief.pk,
            "versie": fresh(initiatief).versie,
            "status": "",
            "percentage": "",
            "tekst": "",
            "verwacht_eind": "",
            "stopreden": "",
            **rij_data.get(f"r{index}", {}),
        }
        data.update({f"rij-{index}-{naam}": waarde for naam, waarde in velden.items()})
    return data


@pytest.mark.django_db
def test_bulk_page_rows_are_labelled_with_the_initiative(client, alle_rollen, uitvoering):
    _, (een, twee, _groep) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    html = client.get(BULK).content.decode()
    assert html.index("Schoonmaakacties") < html.index("Speelplek ontwerpen")
    for veld, label in [
        ("status", "Nieuwe status van ‘Schoonmaakacties’"),
        ("percentage", "Voortgang in procenten van ‘Schoonmaakacties’"),
        ("tekst", "Wat is er gebeurd bij ‘Schoonmaakacties’?"),
        ("verwacht_eind", "Verwachte nieuwe einddatum van ‘Schoonmaakacties’"),
        ("stopreden", "Reden van stoppen van ‘Schoonmaakacties’"),
    ]:
        assert f'<label class="visually-hidden" for="id_rij-0-{veld}">{label}</label>' in html
    assert '<th scope="row"' in html and "<caption" in html
    assert f'name="rij-1-initiatief_id" value="{twee.pk}"' in html
    assert f'name="rij-0-versie" value="{een.versie}"' in html


@pytest.mark.django_db
def test_bulk_update_saves_the_filled_rows_and_skips_empty_ones(client, alle_rollen, uitvoering):
    _, (een, twee, _groep) = uitvoering
    client.force_login(alle_rollen["wijkmanager"][0])
    rijen = list(Initiatief.objects.order_by("agendapunt__rang"))
    data = bulk_data(
        rijen,
        r0={"status": "in_uitvoering", "percentage": "20", "tekst": "Gestart"},
        r2={"tekst": "Eerste plantjes in de grond", "percentage": "5"},
    )
    response = client.post(BULK, data)
    assert response.status_code == 302 and response["Location"] == BULK
    assert fresh(een).status == Uitvoeringsstatus.IN_UITVOERING
    assert not fresh(twee).voortgang.exists()  # the empty row was skipped
    assert Voortgang.objects.count() == 2
    html = client.get(BULK).content.decode()
    assert "2 voortgangsupdates zijn opgeslagen." in html
    # Nothing filled in: nothing saved, and it says so.
    response = client.post(BULK, bulk_data(rijen), follow=True)
    assert "U heeft niets ingevuld" in response.content.decode()
    assert Voortgang.objects.count() == 2


@pytest.mark.django_db
def test_bulk_update_with_one_invalid_row_saves_nothing_and_says_where(
    client, alle_rollen, uitvoering
):
    _, (een, twee, _groep) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    data = bulk_data(
        [een, twee],
        r0={"status": "in_uitvoering", "percentage": "15", "tekst": "Eerste actie gehouden"},
        r1={"status": "vertraagd", "tekst": "Wacht op de vergunning"},
    )
    response = client.post(BULK, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not Voortgang.objects.exists()
    assert fresh(een).status == Uitvoeringsstatus.GEPLAND
    assert "Er is niets opgeslagen" in html and "1 rij moet nog worden verbeterd" in html
    # The message is on the second row, next to its date field, and the field points at it.
    rij = html.split('id="rij-rij-1"')[1].split("</tr>")[0]
    assert 'id="id_rij-1-verwacht_eind_error"' in rij
    assert "Wanneer is het naar verwachting klaar?" in rij
    assert 'aria-describedby="id_rij-1-verwacht_eind_error"' in rij
    assert 'aria-invalid="true"' in rij
    eerste = html.split('id="rij-rij-0"')[1].split("</tr>")[0]
    assert "is-invalid" not in eerste
    # All input is kept.
    assert "Eerste actie gehouden" in eerste and 'value="15"' in eerste
    assert '<option value="in_uitvoering" selected>' in eerste
    assert "Wacht op de vergunning" in rij
    assert 'href="#rij-rij-1"' in html  # the summary links to the row

    # Corrected, both are saved.
    data["rij-1-verwacht_eind"] = OVER_EEN_MAAND.isoformat()
    response = client.post(BULK, data)
    assert response.status_code == 302
    assert fresh(een).status == Uitvoeringsstatus.IN_UITVOERING
    assert fresh(twee).status == Uitvoeringsstatus.VERTRAAGD
    assert fresh(twee).verwacht_eind == OVER_EEN_MAAND


@pytest.mark.django_db
def test_bulk_row_refused_by_the_service_gets_its_message(client, alle_rollen, uitvoering):
    """What only the service knows (a stale row) lands on that row too: nothing is saved."""
    _, (een, twee, _groep) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    data = bulk_data(
        [een, twee],
        r0={"tekst": "Mijn update", "percentage": "50"},
        r1={"tekst": "Ook mijn update"},
    )
    voortgang_melden(
        user=alle_rollen["wijkmanager"][0],
        update=Update(twee, twee.versie, tekst="Tussendoor", status="in_uitvoering"),
    )
    response = client.post(BULK, data)
    html = response.content.decode()
    assert response.status_code == 200
    rij = html.split('id="rij-rij-1"')[1].split("</tr>")[0]
    assert "intussen bijgewerkt" in rij and "in uitvoering" in rij
    assert f'name="rij-1-versie" value="{fresh(twee).versie}"' in rij
    assert "Mijn update" in html and "Ook mijn update" in rij
    assert Voortgang.objects.count() == 1
    assert fresh(een).percentage == 0


@pytest.mark.django_db
def test_bulk_hostile_input_gives_row_errors_not_a_crash(client, alle_rollen, uitvoering):
    _, (een, twee, groep) = uitvoering
    client.force_login(alle_rollen["accounthouder"][0])
    data = bulk_data(
        [een, twee, groep],
        r0={"tekst": "x" * 50_000, "percentage": "1000", "status": "gerealiseerd"},
        r1={"tekst": "Prima", "status": "vertraagd", "verwacht_eind": "2020-01-01"},
        # Not on this accounthouder's list (a residents' group's initiative).
        r2={"tekst": "Niet van mij"},
    )
    response = client.post(BULK, data)
    assert response.status_code == 200
    errors = [form.errors for form in response.context["formset"].forms]
    assert set(errors[0]) == {"tekst", "percentage", "status"}
    assert "verwacht_eind" in errors[1]
    assert "staat niet (meer) op uw lijst" in str(errors[2])
    assert not Voortgang.objects.exists()
    # A row naming the same initiative twice, an absurd number of rows, a broken form.
    data = bulk_data([een, een], r0={"tekst": "a"}, r1={"tekst": "b"})
    response = client.post(BULK, data)
    assert "al eerder in de lijst" in response.content.decode()
    data = bulk_data([een], r0={"tekst": "a"})
    data["rij-TOTAL_FORMS"] = "100000"
    assert client.post(BULK, data).status_code == 200
    assert client.post(BULK, {"rij-TOTAL_FORMS": "abc"}).status_code == 200
    for kapot in ("abc", "²", "9" * 30, ""):
        data = bulk_data([een], r0={"tekst": "a", "initiatief_id": kapot, "versie": "x"})
        assert client.post(BULK, data).status_code == 200
    assert not Voortgang.objects.exists()


@pytest.mark.django_db
def test_bulk_page_is_paginated_and_each_page_posts_its_own_rows(
    client, alle_rollen, werkgebied, make_cycle, stadsbeheer, monkeypatch
):
    from cycle import forms_uitvoering, views_uitvoering

    monkeypatch.setattr(views_uitvoering, "PER_PAGINA", 2)
    monkeypatch.setattr(forms_uitvoering, "PER_PAGINA", 2)
    _, (_een, _twee, groep) = _bouw(werkgebied, make_cycle, alle_rollen, stadsbeheer)
    client.force_login(alle_rollen["wijkmanager"][0])
    html = client.get(BULK).content.decode()
    assert "de initiatieven 1 tot en met 2 van 3" in html
    assert "Buurtmoestuin" not in html and "Pagina 1 van 2" in html
    html = client.get(BULK + "?pagina=2").content.decode()
    assert "Buurtmoestuin" in html and "Schoonmaakacties" not in html
    response = client.post(
        BULK + "?pagina=2", bulk_data([groep], r0={"tekst": "Geoogst", "percentage": "90"})
    )
    assert response["Location"] == BULK + "?pagina=2"
    assert fresh(groep).percentage == 90


@pytest.mark.django_db
def test_finished_initiatives_leave_the_list(client, alle_rollen, uitvoering):
    _, (een, *_) = uitvoering
    wijkmanager = alle_rollen["wijkmanager"][0]
    voortgang_melden(
        user=wijkmanager,
        update=Update(een, een.versie, tekst="Start", status="in_uitvoering"),
    )
    een = fresh(een)
    voortgang_melden(
        user=wijkmanager,
        update=Update(een, een.versie, tekst="Klaar", status="gerealiseerd"),
    )
    client.force_login(alle_rollen["trekker"][0])
    html = client.get(BULK).content.decode()
    assert "Schoonmaakacties" not in html and "geen initiatieven" in html


# ------------------------------------------------------------------------ knelpunten


@pytest.mark.django_db
def test_knelpunt_raise_and_resolve_flow(client, alle_rollen, uitvoering):
    cyclus, (een, *_) = uitvoering
    client.force_login(alle_rollen["wijkraadslid"][0])
    response = client.post(url(een, "knelpunt/"), {"beschrijving": "   "})
    assert response.status_code == 200
    assert "Beschrijf wat er in de weg zit." in response.content.decode()
    response = client.post(url(een, "knelpunt/"), {"beschrijving": "k" * 3001})
    assert "Maximaal 3000 tekens (nu 3001)" in response.content.decode()
    assert not Knelpunt.objects.exists()
    response = client.post(url(een, "knelpunt/"), {"beschrijving": "De container is weg"})
    knelpunt = Knelpunt.objects.get()
    assert response["Location"] == url(een) + f"#knelpunt-{knelpunt.pk}"
    # A double submit raises it once.
    response = client.post(url(een, "knelpunt/"), {"beschrijving": "De container is weg"})
    assert Knelpunt.objects.count() == 1
    assert "al gemeld" in client.get(response["Location"]).content.decode()

    client.force_login(alle_rollen["wijkmanager"][0])
    html = client.get(knelpunten_url(cyclus)).content.decode()
    assert "De container is weg" in html and "1 open knelpunt." in html
    assert "Als opgelost afsluiten" in html
    response = client.post(oplossen_url(knelpunt), {"oplossing": "  ", "terug": "lijst"})
    assert response.status_code == 200
    assert "Schrijf op hoe het is opgelost." in response.content.decode()
    assert fresh(knelpunt).is_open
    response = client.post(
        oplossen_url(knelpunt), {"oplossing": "Nieuwe container geplaatst", "terug": "lijst"}
    )
    assert response["Location"] == knelpunten_url(cyclus) + f"#knelpunt-{knelpunt.pk}"
    knelpunt = fresh(knelpunt)
    assert not knelpunt.is_open and knelpunt.oplossing == "Nieuwe container geplaatst"
    # Again (another tab): nothing changes, it says so; a tampered "back to" is harmless.
    response = client.post(
        oplossen_url(knelpunt), {"oplossing": "Nog eens", "terug": "https://evil.example"}
    )
    assert response["Location"] == url(een) + f"#knelpunt-{knelpunt.pk}"
    assert "al opgelost" in client.get(response["Location"]).content.decode()
    assert fresh(knelpunt).oplossing == "Nieuwe container geplaatst"
    assert client.get(oplossen_url(knelpunt)).status_code == 302


@pytest.mark.django_db
def test_knelpunten_list_is_open_first_and_paginated(client, alle_rollen, uitvoering):
    cyclus, (een, twee, _groep) = uitvoering
    wijkmanager = alle_rollen["wijkmanager"][0]
    knelpunten = [
        knelpunt_melden(
            initiatief=twee if i % 2 else een, user=wijkmanager, beschrijving=f"K{i:02d}"
        )
        for i in range(25)
    ]
    for knelpunt in knelpunten[:3]:
        knelpunt_oplossen(knelpunt=knelpunt, user=wijkmanager, oplossing="Gedaan")
    client.force_login(alle_rollen["accounthouder"][0])
    html = client.get(knelpunten_url(cyclus)).content.decode()
    assert "22 open knelpunten." in html
    assert html.index("K03") < html.index("K04") and "K00" not in html
    assert "Als opgelost afsluiten" not in html  # an accounthouder does not resolve
    html = client.get(knelpunten_url(cyclus) + "?pagina=2").content.decode()
    assert "K00" in html and "Pagina 2 van 2" in html


# ---------------------------------------------------------------------- "Mijn werk"


@pytest.mark.django_db
def test_mijn_werk_counts_what_the_user_reports_on(client, alle_rollen, uitvoering):
    _, (een, twee, _groep) = uitvoering
    Initiatief.objects.filter(pk=twee.pk).update(
        start=datetime.date(2026, 1, 1), eind=datetime.date(2026, 6, 30)
    )
    voortgang_melden(
        user=alle_rollen["accounthouder"][0],
        update=Update(een, een.versie, tekst="Gestart", status="in_uitvoering"),
    )
    client.force_login(alle_rollen["accounthouder"][0])
    html = client.get("/mijn-werk/").content.decode()
    assert "U meldt de voortgang van 2 lopende initiatieven." in html
    assert "1 is over de (verwachte) einddatum heen." in html
    assert "1 heeft al meer dan 30 dagen geen voortgangsupdate" in html
    assert f'href="{BULK}"' in html
    client.force_login(alle_rollen["trekker"][0])
    html = client.get("/mijn-werk/").content.decode()
    assert "U meldt de voortgang van 1 lopend initiatief." in html
    client.force_login(alle_rollen["accounthouder ander gebied"][0])
    html = client.get("/mijn-werk/").content.decode()
    assert "Er lopen nu geen initiatieven waarover u voortgang meldt." in html
    client.force_login(alle_rollen["wijkraadslid"][0])
    assert "Voortgang van initiatieven" not in client.get("/mijn-werk/").content.decode()


# ------------------------------------------------------------------- fixed queries


def _queries(client, path):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _leeg_cache():
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()


@pytest.mark.django_db
def test_bulk_page_and_mijn_werk_use_a_fixed_number_of_queries(
    client, alle_rollen, werkgebied, make_cycle, stadsbeheer, django_assert_max_num_queries
):
    accounthouder = alle_rollen["accounthouder"][0]
    _bouw(werkgebied, make_cycle, alle_rollen, stadsbeheer, titels=("Een",))
    client.force_login(accounthouder)
    _leeg_cache()
    weinig = _queries(client, BULK)
    _leeg_cache()
    weinig_mijn_werk = _queries(client, "/mijn-werk/")
    _bouw(
        werkgebied,
        make_cycle,
        alle_rollen,
        stadsbeheer,
        jaar=2028,
        titels=[f"Initiatief {i}" for i in range(12)],
    )
    _leeg_cache()
    client.force_login(accounthouder)
    with django_assert_max_num_queries(weinig):
        html = client.get(BULK).content.decode()
    assert html.count('scope="row"') == 13
    _leeg_cache()
    client.force_login(accounthouder)
    with django_assert_max_num_queries(weinig_mijn_werk):
        html = client.get("/mijn-werk/").content.decode()
    assert "U meldt de voortgang van 13 lopende initiatieven." in html


@pytest.mark.django_db
def test_detail_page_uses_a_fixed_number_of_queries(
    client, alle_rollen, uitvoering, django_assert_max_num_queries
):
    _, (een, twee, _groep) = uitvoering
    wijkmanager = alle_rollen["wijkmanager"][0]
    for initiatief, aantal in ((een, 1), (twee, 30)):
        for i in range(aantal):
            initiatief = fresh(initiatief)
            voortgang_melden(
                user=wijkmanager,
                update=Update(initiatief, initiatief.versie, tekst=f"Update {i}", percentage=i),
            )
            if i < 8:
                knelpunt_melden(initiatief=initiatief, user=wijkmanager, beschrijving=f"K{i}")
    klein, groot = url(een), url(twee)
    for role in ("wijkmanager", "accounthouder", "anoniem"):
        login(client, alle_rollen, role)
        _leeg_cache()
        weinig = _queries(client, klein)
        _leeg_cache()
        with django_assert_max_num_queries(weinig):
            html = client.get(groot).content.decode()
        assert "Update 29" in html and "Pagina 1 van 2" in html
