"""A melding taken into the cycle, linked to an agendapunt of that cycle's wijkagenda: the
service (permission, the melding's own version, the right cycle, audited), the wijkmanager's
form on the melding page, and the tracking page that shows the point once the agenda is
public."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cycle.models import Fase, Productstatus, Wijkagenda
from cycle.services import product_transition
from cycle.services_agenda import agendapunt_delete
from participation import services
from participation.models import Meldingstatus
from tests.conftest import ROLE_NAMES
from tests.cycle.test_agenda import punt, verse
from tests.participation.plan import kaders_invullen

from .factories import fresh


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.AGENDA)


@pytest.fixture
def agendapunt(cyclus, wijkmanager):
    return punt(verse(cyclus.wijkagenda), wijkmanager, titel="Schone straten")


@pytest.fixture
def opgenomen(make_melding, cyclus):
    return make_melding(status=Meldingstatus.OPGENOMEN, cyclus=cyclus)


def koppel(melding, user, agendapunt, versie=None):
    return services.melding_agendapunt(
        melding_id=melding.pk,
        user=user,
        agendapunt=agendapunt,
        expected_versie=fresh(melding).versie if versie is None else versie,
    )


@pytest.mark.django_db
def test_link_and_unlink_are_audited(opgenomen, agendapunt, wijkmanager):
    melding = koppel(opgenomen, wijkmanager, agendapunt)
    assert fresh(melding).agendapunt == agendapunt
    assert fresh(melding).versie == 2
    entry = AuditEntry.objects.get(action="participation.melding_agendapunt")
    assert entry.data == {"van": None, "naar": agendapunt.pk, "agendapunt": "Schone straten"}
    koppel(opgenomen, wijkmanager, None)
    assert fresh(opgenomen).agendapunt is None
    # The same choice again changes nothing.
    koppel(opgenomen, wijkmanager, None)
    assert AuditEntry.objects.filter(action="participation.melding_agendapunt").count() == 2


@pytest.mark.django_db
def test_only_a_melding_taken_into_the_cycle(make_melding, cyclus, agendapunt, wijkmanager):
    for status in ("nieuw", "in_behandeling", "afgehandeld"):
        melding = make_melding(status=status, cyclus=None)
        with pytest.raises(services.MeldingError):
            koppel(melding, wijkmanager, agendapunt)


@pytest.mark.django_db
def test_only_a_point_of_its_own_cycle(opgenomen, wijkmanager, werkgebied, make_cycle, beheerder):
    andere = make_cycle(werkgebied, jaar=2028, fase=Fase.AGENDA)
    vreemd = punt(verse(andere.wijkagenda), wijkmanager, titel="Ander jaar")
    with pytest.raises(ValidationError) as excinfo:
        koppel(opgenomen, wijkmanager, vreemd)
    assert "agendapunt" in excinfo.value.message_dict
    assert fresh(opgenomen).agendapunt is None


@pytest.mark.django_db
def test_stale_link_changes_nothing(opgenomen, agendapunt, wijkmanager):
    with pytest.raises(services.StaleMeldingError):
        koppel(opgenomen, wijkmanager, agendapunt, versie=0)
    assert fresh(opgenomen).agendapunt is None


@pytest.mark.django_db
def test_only_who_triages(opgenomen, agendapunt, roles):
    for _naam, (user, runs) in roles.items():
        if user is None:
            continue
        if runs:
            koppel(opgenomen, user, agendapunt)
            koppel(opgenomen, user, None)
        else:
            with pytest.raises(PermissionDenied):
                koppel(opgenomen, user, agendapunt)
    assert fresh(opgenomen).agendapunt is None


@pytest.mark.django_db
def test_removing_the_point_keeps_the_melding(opgenomen, agendapunt, wijkmanager, cyclus):
    koppel(opgenomen, wijkmanager, agendapunt)
    agendapunt_delete(
        agendapunt=agendapunt,
        user=wijkmanager,
        expected_versie=verse(cyclus.wijkagenda).versie,
    )
    melding = fresh(opgenomen)
    assert melding.agendapunt is None and melding.status == Meldingstatus.OPGENOMEN


# ------------------------------------------------------------------------- the pages


def behandelen(melding):
    return f"/meldingen/{melding.code}/behandelen/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_link_form_role_matrix(client, roles, opgenomen, agendapunt, role):
    user, runs = roles[role]
    if user is not None:
        client.force_login(user)
    response = client.post(
        behandelen(opgenomen),
        {"actie": "agendapunt", "agendapunt": agendapunt.pk, "versie": opgenomen.versie},
    )
    if runs:
        assert response.status_code == 302
        assert fresh(opgenomen).agendapunt == agendapunt
    elif user is None:
        assert response["Location"].startswith("/inloggen/")
    else:
        assert response.status_code == 403
    if not runs:
        assert fresh(opgenomen).agendapunt is None


@pytest.mark.django_db
def test_wijkmanager_chooses_the_point_on_the_melding_page(
    client, opgenomen, agendapunt, wijkmanager
):
    client.force_login(wijkmanager)
    html = client.get(behandelen(opgenomen)).content.decode()
    assert "Agendapunt in de wijkagenda" in html and "Schone straten" in html
    response = client.post(
        behandelen(opgenomen),
        {"actie": "agendapunt", "agendapunt": agendapunt.pk, "versie": opgenomen.versie},
        follow=True,
    )
    assert "hoort nu bij het agendapunt ‘Schone straten’" in response.content.decode()
    # Hostile and stale input: an error, nothing changed.
    for data, melding in [
        ({"agendapunt": "999999", "versie": 2}, "Kies een agendapunt uit de lijst."),
        ({"agendapunt": "x", "versie": 2}, "Kies een agendapunt uit de lijst."),
        ({"agendapunt": "", "versie": 1}, "Iemand anders heeft deze melding intussen gewijzigd"),
    ]:
        response = client.post(behandelen(opgenomen), {"actie": "agendapunt", **data}, follow=True)
        assert response.status_code == 200
        assert melding in response.content.decode()
    assert fresh(opgenomen).agendapunt == agendapunt


@pytest.mark.django_db
def test_no_link_form_for_a_melding_not_taken_in(client, make_melding, wijkmanager, agendapunt):
    melding = make_melding(status="in_behandeling")
    client.force_login(wijkmanager)
    assert "Agendapunt in de wijkagenda" not in client.get(behandelen(melding)).content.decode()
    response = client.post(
        behandelen(melding),
        {"actie": "agendapunt", "agendapunt": agendapunt.pk, "versie": melding.versie},
        follow=True,
    )
    assert "Alleen een melding die in de wijkaanpak is opgenomen" in response.content.decode()
    assert fresh(melding).agendapunt is None


@pytest.mark.django_db
def test_tracking_page_shows_the_point_once_the_agenda_is_public(
    client, opgenomen, agendapunt, wijkmanager, cyclus
):
    koppel(opgenomen, wijkmanager, agendapunt)
    url = f"/meldingen/{opgenomen.code}/"
    assert "Opgenomen in de wijkagenda" not in client.get(url).content.decode()
    kaders_invullen(cyclus)
    product_transition(
        product=Wijkagenda.objects.get(pk=cyclus.wijkagenda.pk),
        user=wijkmanager,
        transition="ter_consultatie",
        expected_status=Productstatus.CONCEPT,
    )
    html = client.get(url).content.decode()
    assert "Opgenomen in de wijkagenda" in html
    assert f"/werkgebieden/{cyclus.werkgebied.slug}/2027/wijkagenda/#punt-{agendapunt.pk}" in html
    assert "Schone straten" in html
