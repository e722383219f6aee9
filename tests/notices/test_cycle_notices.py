"""The cycle's notices go through the outbox: a step writes them in its own transaction, next
to its audit entry, to the people who should hear about it; the kick after the commit sends
them."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.models import AuditEntry
from cycle import services
from cycle.models import Fase, Productstatus
from notices.models import Notice
from people.models import Rol
from publication.models import Publicatie
from tests.cycle.inhoud import met_thema
from tests.people.factories import user_with_role


def step(cyclus, user):
    return services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=user,
        transition="naar_verantwoording",
        expected_fase=Fase.UITVOERING,
        reden="De uitvoering is klaar.",  # the year is not over yet
    )


@pytest.fixture
def cyclus(werkgebied, make_cycle):
    return make_cycle(werkgebied, jaar=2027, fase=Fase.UITVOERING)


@pytest.fixture
def people(werkgebied, ander_werkgebied):
    lid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    inactive = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return {
        "lid": lid,
        "collega": user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied),
        "raad": user_with_role(Rol.RAAD),
        "elders": user_with_role(Rol.WIJKRAADSLID, werkgebied=ander_werkgebied),
        "inactive": inactive,
    }


@pytest.mark.django_db
def test_a_step_writes_its_notices_with_its_audit_entry_and_sends_them_after_the_commit(
    cyclus, wijkmanager, people, django_capture_on_commit_callbacks
):
    before = set(Notice.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        step(cyclus, wijkmanager)
    entry = AuditEntry.objects.filter(action="cycle.transition").order_by("-pk").first()
    notices = Notice.objects.exclude(pk__in=before).order_by("recipient")
    # The phase change goes to the wijkmanagers and the wijkraad of the werkgebied: not to
    # the one who took the step, not to the raad, another wijkraad or an inactive account.
    assert {n.user for n in notices} == {people["lid"], people["collega"]}
    assert {n.audit_entry for n in notices} == {entry}
    assert {(n.kind, n.status) for n in notices} == {("cycle.transition", Notice.Status.PENDING)}
    notice = notices[0]
    assert notice.subject == f"Werkcyclus {cyclus}: nu in fase {Fase.VERANTWOORDING.label}"
    assert settings.SITE_URL + cyclus.get_absolute_url() in notice.body
    assert mail.outbox == []  # nothing is sent inside the transaction

    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["lid"].email, people["collega"].email]
    )
    assert set(notices.values_list("status", flat=True)) == {Notice.Status.SENT}


@pytest.mark.django_db
def test_a_step_rolled_back_leaves_no_notice(cyclus, wijkmanager, people):
    notices, entries = Notice.objects.count(), AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        step(cyclus, wijkmanager)
        assert Notice.objects.count() > notices  # written inside the transaction...
        raise RuntimeError("e.g. a later write of the same request fails")
    assert Notice.objects.count() == notices  # ...and gone with it
    assert AuditEntry.objects.count() == entries
    cyclus.refresh_from_db()
    assert cyclus.fase == Fase.UITVOERING


@pytest.mark.django_db
def test_a_refused_step_notifies_nobody(cyclus, ander_werkgebied, people):
    notices = Notice.objects.count()
    outsider = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    with pytest.raises(PermissionDenied):
        step(cyclus, outsider)
    assert Notice.objects.count() == notices


@pytest.mark.django_db
def test_a_publication_goes_to_the_raad_as_well_with_a_one_line_subject(
    werkgebied, make_cycle, wijkmanager, people, django_capture_on_commit_callbacks
):
    product = make_cycle(werkgebied, jaar=2028, fase=Fase.ANALYSE).wijkanalyse
    product = services.product_update(
        product=product,
        user=wijkmanager,
        expected_versie=product.versie,
        data={"wijkbeschrijving": "Wijkfoto", "conclusies": "Conclusie"},
    )
    product = met_thema(product, wijkmanager)
    # Whatever the forms allow, the subject must survive a title with line breaks in it.
    type(product).objects.filter(pk=product.pk).update(
        titel="Wijkanalyse\r\nBcc: iemand@example.org\nKralingen"
    )
    product.refresh_from_db()
    product = services.product_transition(
        product=product,
        user=wijkmanager,
        transition="vaststellen",
        expected_status=Productstatus.CONCEPT,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_transition(
            product=product,
            user=wijkmanager,
            transition="publiceren",
            expected_status=Productstatus.VASTGESTELD,
            bevestigd=True,
        )
    entry = AuditEntry.objects.filter(action="cycle.product_transition").order_by("-pk").first()
    notices = Notice.objects.filter(audit_entry=entry)
    assert {n.user for n in notices} == {people["lid"], people["collega"], people["raad"]}
    assert {n.kind for n in notices} == {"cycle.published"}
    subject = "Gepubliceerd: Wijkanalyse Bcc: iemand@example.org Kralingen"
    assert {m.subject for m in mail.outbox} == {subject}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.recipient for n in notices)
    assert all(m.message().get_all("Bcc") is None for m in mail.outbox)
    versie = Publicatie.objects.get(product_id=product.pk, soort="wijkanalyse")
    assert settings.SITE_URL + versie.get_absolute_url() in mail.outbox[0].body
