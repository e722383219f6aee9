"""Retention: a year after a melding is closed its reporter's address and its photos go (rows,
files and the address in the outbox), and that is logged; everything else stays. The clock is
frozen by passing ``now=`` and setting ``afgesloten_op`` in the database."""

import datetime
import json

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from notices.models import Notice
from participation import services
from participation.models import Foto, Melding, Meldingstatus
from participation.services import NieuweMelding

from .factories import MeldingFactory, ThemaFactory, fresh, verwerkte_foto

NOW = datetime.datetime(2027, 6, 1, 12, 0, tzinfo=datetime.UTC)
GEWIST = "verwijderd@bewaartermijn.invalid"


@pytest.fixture
def melden(wijk, wijkmanager, media_root):
    """A melding reported with an address and photos and answered, through the services,
    closed ``dagen`` days before NOW."""

    def melden(email, *, dagen, fotos=2):
        melding = services.melding_create(
            gegevens=NieuweMelding(
                tekst="Er ligt afval naast de container.",
                thema=ThemaFactory(),
                wijk=wijk,
                email=email,
            ),
            fotos=[verwerkte_foto() for _ in range(fotos)],
        )
        services.melding_transition(
            melding_id=melding.pk,
            user=wijkmanager,
            transition="afhandelen",
            expected_versie=1,
            antwoord="De container is geleegd.",
        )
        Melding.objects.filter(pk=melding.pk).update(
            afgesloten_op=NOW - datetime.timedelta(days=dagen)
        )
        return fresh(melding)

    return melden


def run(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return services.meldingen_bewaartermijn(now=NOW, **kwargs)


def files(melding):
    return [foto.bestand.name for foto in melding.fotos.all()]


@pytest.mark.django_db
def test_a_year_after_closing_address_and_photos_go(
    melden, media_root, django_capture_on_commit_callbacks
):
    melding = melden("oud@example.nl", dagen=366)
    names = files(melding)
    assert len(names) == 2 and all((media_root / n).is_file() for n in names)
    sent = Notice.objects.filter(recipient="oud@example.nl")
    assert sent.count() == 2  # received, answered

    assert run(django_capture_on_commit_callbacks) == 1

    melding = fresh(melding)
    assert melding.email == ""
    assert melding.contact_verwijderd_op == NOW
    assert not Foto.objects.filter(melding=melding).exists()
    assert not any((media_root / n).exists() for n in names)
    # Everything else stays: the melding, its answer, its status.
    assert melding.status == Meldingstatus.AFGEHANDELD
    assert melding.antwoord == "De container is geleegd."
    assert melding.tekst == "Er ligt afval naast de container."
    [entry] = AuditEntry.objects.for_objects(melding).filter(
        action="participation.contact_verwijderd"
    )
    assert entry.actor is None
    assert entry.data == {"fotos": 2, "email": True}
    assert "oud@example.nl" not in json.dumps(entry.data)
    # The outbox no longer knows the address either; the notices themselves stay.
    assert not Notice.objects.filter(recipient="oud@example.nl").exists()
    assert Notice.objects.filter(recipient=GEWIST).count() == 2


@pytest.mark.django_db
def test_within_the_year_and_open_meldingen_keep_everything(
    melden, make_melding, media_root, django_capture_on_commit_callbacks
):
    # The same reporter, twice: only the notices about the old melding lose the address.
    oud = melden("melder@example.nl", dagen=366)
    recent = melden("melder@example.nl", dagen=364)
    recent_files = files(recent)
    open_melding = make_melding(status="doorgezet", email="open@example.nl")
    Melding.objects.filter(pk=open_melding.pk).update(
        ingediend_op=NOW - datetime.timedelta(days=800)
    )
    # Reopened by its reporter after a year-old close: open again, so kept.
    heropend = make_melding(status="in_behandeling", email="heropend@example.nl")

    assert run(django_capture_on_commit_callbacks) == 1

    assert fresh(oud).email == ""
    recent = fresh(recent)
    assert recent.email == "melder@example.nl"
    assert recent.contact_verwijderd_op is None
    assert files(recent) == recent_files
    assert all((media_root / n).is_file() for n in recent_files)
    assert Notice.objects.filter(recipient="melder@example.nl").count() == 2
    assert {n.audit_entry.object_id for n in Notice.objects.filter(recipient=GEWIST)} == {
        str(oud.pk)
    }
    for melding, email in [(open_melding, "open@example.nl"), (heropend, "heropend@example.nl")]:
        melding = fresh(melding)
        assert (melding.email, melding.contact_verwijderd_op) == (email, None)
    assert AuditEntry.objects.filter(action="participation.contact_verwijderd").count() == 1


@pytest.mark.django_db
def test_running_twice_does_nothing_the_second_time(
    melden, make_melding, django_capture_on_commit_callbacks
):
    melding = melden("oud@example.nl", dagen=366)
    zonder = make_melding(status="niet_in_behandeling", email="")
    Melding.objects.filter(pk=zonder.pk).update(afgesloten_op=NOW - datetime.timedelta(days=400))

    assert run(django_capture_on_commit_callbacks) == 2
    assert AuditEntry.objects.for_objects(zonder).get(
        action="participation.contact_verwijderd"
    ).data == {"fotos": 0, "email": False}
    before = {
        "entries": AuditEntry.objects.count(),
        "notices": list(Notice.objects.values_list("pk", "recipient").order_by("pk")),
        "meldingen": list(
            Melding.objects.values_list("pk", "email", "contact_verwijderd_op", "versie")
        ),
    }

    later = NOW + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.meldingen_bewaartermijn(now=later) == 0
    assert callbacks == []
    assert before == {
        "entries": AuditEntry.objects.count(),
        "notices": list(Notice.objects.values_list("pk", "recipient").order_by("pk")),
        "meldingen": list(
            Melding.objects.values_list("pk", "email", "contact_verwijderd_op", "versie")
        ),
    }
    assert fresh(melding).contact_verwijderd_op == NOW


@pytest.mark.django_db
def test_in_batches(melden, django_capture_on_commit_callbacks):
    meldingen = [melden(f"m{i}@example.nl", dagen=400, fotos=0) for i in range(3)]
    assert run(django_capture_on_commit_callbacks, limit=2) == 2
    assert run(django_capture_on_commit_callbacks, limit=2) == 1
    assert run(django_capture_on_commit_callbacks, limit=2) == 0
    assert all(fresh(m).email == "" for m in meldingen)


@pytest.mark.django_db
def test_the_daily_task_cleans_everything_due(make_melding, django_capture_on_commit_callbacks):
    from participation.tasks import bewaartermijn

    due = [make_melding(status="afgehandeld") for _ in range(3)]
    Melding.objects.filter(pk__in=[m.pk for m in due]).update(
        afgesloten_op=timezone.now() - datetime.timedelta(days=366)
    )
    kept = make_melding(status="afgehandeld")
    with django_capture_on_commit_callbacks(execute=True):
        assert bewaartermijn.apply().get() == 3
    assert all(fresh(m).email == "" for m in due)
    assert fresh(kept).email == kept.email != ""


@pytest.mark.django_db
def test_duplicates_closed_with_their_main_are_cleaned_too(
    make_melding, wijkmanager, django_capture_on_commit_callbacks
):
    hoofd = make_melding(status="in_behandeling", email="hoofd@example.nl")
    dubbel = MeldingFactory(wijk=hoofd.wijk, email="dubbel@example.nl")
    services.melding_als_dubbel(
        melding_id=dubbel.pk, hoofdcode=hoofd.code, user=wijkmanager, expected_versie=1
    )
    services.melding_transition(
        melding_id=hoofd.pk,
        user=wijkmanager,
        transition="afhandelen",
        expected_versie=1,
        antwoord="Opgeruimd.",
    )
    Melding.objects.filter(pk__in=[hoofd.pk, dubbel.pk]).update(
        afgesloten_op=NOW - datetime.timedelta(days=366)
    )
    assert Notice.objects.filter(recipient="dubbel@example.nl").count() == 1
    assert run(django_capture_on_commit_callbacks) == 2
    assert not Notice.objects.filter(recipient__in=["hoofd@example.nl", "dubbel@example.nl"])
    assert fresh(dubbel).email == "" == fresh(hoofd).email
