"""Products: their lifecycle, editing without losing work, and the notices on publication."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from audit.models import AuditEntry
from cycle import services
from cycle.models import (
    Fase,
    Opsteller,
    Productstatus,
    Taakverdeling,
    Vaststelling,
    Wijkanalyse,
)
from people.models import Rol
from tests.cycle.inhoud import met_thema
from tests.participation.plan import kaders_invullen
from tests.people.factories import user_with_role


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)


def fill(product, user):
    product = services.product_update(
        product=product,
        user=user,
        expected_versie=product.versie,
        data={"titel": "Wijkanalyse", "wijkbeschrijving": "Wijkfoto", "conclusies": "Conclusie"},
    )
    return met_thema(product, user)


@pytest.mark.django_db
def test_lifecycle_concept_to_published(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    assert product.versie == 3  # the texts, then one theme
    kaders_invullen(cyclus)
    for transition, source, target in [
        ("ter_consultatie", Productstatus.CONCEPT, Productstatus.CONSULTATIE),
        ("vaststellen", Productstatus.CONSULTATIE, Productstatus.VASTGESTELD),
        ("publiceren", Productstatus.VASTGESTELD, Productstatus.GEPUBLICEERD),
    ]:
        product = services.product_transition(
            product=product,
            user=wijkmanager,
            transition=transition,
            expected_status=source,
            bevestigd=True,
        )
        assert Wijkanalyse.objects.get(pk=product.pk).status == target
        entry = AuditEntry.objects.filter(action="cycle.product_transition").first()
        assert entry.data["van"] == source and entry.data["naar"] == target
    stored = Wijkanalyse.objects.get(pk=product.pk)
    assert stored.vastgesteld_op is not None
    assert stored.gepubliceerd_op >= stored.vastgesteld_op


@pytest.mark.django_db
def test_cannot_adopt_without_required_sections(cyclus, wijkmanager):
    with pytest.raises(services.TransitionError) as excinfo:
        services.product_transition(
            product=cyclus.wijkanalyse,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    assert "nog niet compleet" in excinfo.value.message
    assert Wijkanalyse.objects.get(pk=cyclus.wijkanalyse.pk).status == Productstatus.CONCEPT


@pytest.mark.django_db
def test_cannot_publish_before_adoption(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    with pytest.raises(services.TransitionError):
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="publiceren",
            expected_status=Productstatus.CONCEPT,
        )
    assert Wijkanalyse.objects.get(pk=product.pk).status == Productstatus.CONCEPT


@pytest.mark.django_db
def test_product_of_later_phase_cannot_be_adopted_yet(cyclus, wijkmanager):
    agenda = cyclus.wijkagenda
    with pytest.raises(services.TransitionError):
        services.product_update(
            product=agenda, user=wijkmanager, expected_versie=1, data={"toelichting": "x"}
        )
    agenda.toelichting = "Schoon en veilig"  # even with content, it waits for its phase
    agenda.save()
    with pytest.raises(services.TransitionError):
        services.product_transition(
            product=agenda,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )


@pytest.mark.django_db
def test_stale_edit_overwrites_nothing(cyclus, wijkmanager):
    first = fill(cyclus.wijkanalyse, wijkmanager)
    with pytest.raises(services.StaleStateError):
        services.product_update(
            product=first,
            user=wijkmanager,
            expected_versie=1,  # the version the second editor started from
            data={"titel": "Andere titel"},
        )
    assert Wijkanalyse.objects.get(pk=first.pk).titel == "Wijkanalyse"


@pytest.mark.django_db
def test_stale_edit_form_keeps_the_users_text(client, cyclus, werkgebied, wijkmanager):
    fill(cyclus.wijkanalyse, wijkmanager)
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/bewerken/",
        {
            "titel": "Mijn titel",
            "wijkbeschrijving": "Mijn lange tekst die niet verloren mag gaan",
            "evaluatie": "",
            "conclusies": "",
            "versie": 1,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Iemand anders heeft dit stuk intussen opgeslagen" in html
    assert "Mijn lange tekst die niet verloren mag gaan" in html
    assert Wijkanalyse.objects.get(pk=cyclus.wijkanalyse.pk).titel == "Wijkanalyse"


@pytest.mark.django_db
def test_empty_title_error_next_to_field_and_text_kept(client, cyclus, werkgebied, wijkmanager):
    client.force_login(wijkmanager)
    response = client.post(
        f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/bewerken/",
        {"titel": "", "wijkbeschrijving": "Bewaard", "versie": cyclus.wijkanalyse.versie},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["titel"] == ["Geef het stuk een titel."]
    html = response.content.decode()
    assert 'id="error_1_id_titel"' in html
    assert "Bewaard" in html


@pytest.mark.django_db
def test_adopted_product_is_not_editable(client, cyclus, werkgebied, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    services.product_transition(
        product=product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    with pytest.raises(services.TransitionError):
        services.product_update(
            product=product, user=wijkmanager, expected_versie=2, data={"titel": "Later"}
        )
    client.force_login(wijkmanager)
    response = client.get(f"/werkgebieden/{werkgebied.slug}/2027/wijkanalyse/bewerken/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_edit_by_wrong_wijkmanager_denied(cyclus, ander_werkgebied):
    other = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    with pytest.raises(PermissionDenied):
        fill(cyclus.wijkanalyse, other)


@pytest.mark.django_db
def test_publication_notifies_raad_and_wijkraad_after_commit(
    cyclus, werkgebied, ander_werkgebied, wijkmanager, django_capture_on_commit_callbacks
):
    raad = user_with_role(Rol.RAAD)
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    elders = user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied)
    product = fill(cyclus.wijkanalyse, wijkmanager)
    product = services.product_transition(
        product=product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
            bevestigd=True,
        )
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    recipients = sorted(to for message in mail.outbox for to in message.to)
    assert recipients == sorted([raad.email, lid.email])
    assert elders.email not in recipients
    assert wijkmanager.email not in recipients  # the one who published needs no notice
    assert mail.outbox[0].subject == "Gepubliceerd: Wijkanalyse"
    # The link is the published version (the publication app answers the cycle's signal).
    assert f"/publicaties/{werkgebied.slug}/2027/wijkanalyse/v1/" in mail.outbox[0].body


@pytest.mark.django_db
def test_cycle_transition_notifies_wijkraad(
    werkgebied, make_cycle, wijkmanager, django_capture_on_commit_callbacks
):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition="naar_verantwoording",
            expected_fase=Fase.UITVOERING,
            reden="Klaar",
        )
    assert [m.to for m in mail.outbox] == [[lid.email]]
    assert "verantwoording" in mail.outbox[0].subject


@pytest.mark.django_db
def test_publishing_needs_confirmation(cyclus, wijkmanager):
    product = fill(cyclus.wijkanalyse, wijkmanager)
    product = services.product_transition(
        product=product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    with pytest.raises(services.TransitionError, match="Bevestig dat u wilt publiceren"):
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
        )
    assert Wijkanalyse.objects.get(pk=product.pk).status == Productstatus.VASTGESTELD
    assert not AuditEntry.objects.filter(data__naar="gepubliceerd").exists()


@pytest.mark.django_db
def test_adopting_a_text_changed_after_reading_changes_nothing(cyclus, wijkmanager):
    """Two tabs: one reads version 2, the other saves version 3; adopting from the first tab
    must not adopt a text its user never read."""
    product = fill(cyclus.wijkanalyse, wijkmanager)
    read_version = product.versie
    services.product_update(
        product=product,
        user=wijkmanager,
        expected_versie=read_version,
        data={"conclusies": "Iets heel anders"},
    )
    with pytest.raises(services.StaleStateError, match="gewijzigd nadat u de pagina opende"):
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
            expected_versie=read_version,
        )
    assert Wijkanalyse.objects.get(pk=product.pk).status == Productstatus.CONCEPT


@pytest.mark.django_db
def test_adoption_message_names_what_is_missing(cyclus, wijkmanager):
    with pytest.raises(services.TransitionError) as excinfo:
        services.product_transition(
            product=cyclus.wijkanalyse,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    assert (
        "Nog niet klaar: wijkfoto: beschrijving van de wijk, conclusies en aanbevelingen, "
        "nog geen enkel thema geanalyseerd"
    ) in excinfo.value.message


@pytest.mark.django_db
def test_college_adoption_records_the_decision(cyclus, werkgebied, wijkmanager):
    Taakverdeling.objects.create(werkgebied=werkgebied, vaststelling=Vaststelling.COLLEGE)
    product = fill(Wijkanalyse.objects.get(pk=cyclus.wijkanalyse.pk), wijkmanager)
    with pytest.raises(services.TransitionError, match="collegebesluit"):
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="vaststellen",
            expected_status=Productstatus.CONCEPT,
        )
    services.product_transition(
        product=product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
        besluitreferentie="B&W 2026/1234",
    )
    stored = Wijkanalyse.objects.get(pk=product.pk)
    assert stored.status == Productstatus.VASTGESTELD
    assert stored.besluitreferentie == "B&W 2026/1234"
    entry = AuditEntry.objects.filter(action="cycle.product_transition").first()
    assert entry.data["besluit"] == "B&W 2026/1234"


@pytest.mark.django_db
def test_wijkraad_drafts_the_report_where_set(werkgebied, make_cycle, wijkmanager):
    Taakverdeling.objects.create(werkgebied=werkgebied, wijkverslag_opsteller=Opsteller.WIJKRAAD)
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    cyclus = make_cycle(werkgebied, jaar=2025, fase=Fase.VERANTWOORDING)
    verslag = cyclus.wijkverslag.__class__.objects.get(pk=cyclus.wijkverslag.pk)
    with pytest.raises(PermissionDenied):
        services.product_update(
            product=verslag,
            user=wijkmanager,
            expected_versie=verslag.versie,
            data={"resultaten": "Door de wijkmanager"},
        )
    verslag = services.product_update(
        product=verslag,
        user=lid,
        expected_versie=verslag.versie,
        data={"resultaten": "Door de wijkraad geschreven"},
    )
    # The twelve-month report first: the initiative still running is dropped.
    from cycle.demo import _fill_verslag

    _fill_verslag(verslag, wijkmanager)
    kaders_invullen(cyclus)
    verslag = services.product_transition(
        product=verslag,
        user=lid,
        transition="ter_consultatie",
        expected_status=Productstatus.CONCEPT,
    )
    # Adoption stays with the wijkmanager.
    with pytest.raises(PermissionDenied):
        services.product_transition(
            product=verslag,
            user=lid,
            transition="vaststellen",
            expected_status=Productstatus.CONSULTATIE,
        )
    services.product_transition(
        product=verslag,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONSULTATIE,
    )
    stored = verslag.__class__.objects.get(pk=verslag.pk)
    assert stored.status == Productstatus.VASTGESTELD
    assert stored.resultaten == "Door de wijkraad geschreven"
