"""The services of meldingen: reporting, every triage step from every status, duplicates,
support, the public flag, "Is het opgelost?", and conflicts (stale page, double submit)."""

import datetime
import json
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from cycle.models import Fase, Werkcyclus
from notices.models import Notice
from participation import services
from participation.models import (
    GESLOTEN_STATUSSEN,
    HEROPEN_TERMIJN,
    Foto,
    Melding,
    Meldingstatus,
    Spoor,
    Spoorsoort,
    Steun,
    werkdagen_na,
)
from participation.services import MeldingError, NieuweMelding, StaleMeldingError
from people.models import Partner, Rol
from tests.conftest import ROLE_NAMES
from tests.people.factories import ClusterFactory, user_with_role

from .factories import MeldingFactory, ThemaFactory, fresh, verwerkte_foto

KIND = "participation.melding"

# transition → (the statuses it may start from, the status it leads to)
TRANSITIONS = {
    # Back from a cluster that says it is not theirs, or on to another one.
    "in_behandeling_nemen": ({"nieuw", "doorgezet"}, Meldingstatus.IN_BEHANDELING),
    "doorzetten": ({"nieuw", "in_behandeling", "doorgezet"}, Meldingstatus.DOORGEZET),
    "opnemen": ({"nieuw", "in_behandeling", "doorgezet"}, Meldingstatus.OPGENOMEN),
    "afhandelen": ({"nieuw", "in_behandeling", "doorgezet"}, Meldingstatus.AFGEHANDELD),
    "niet_in_behandeling_nemen": (
        {"nieuw", "in_behandeling", "doorgezet"},
        Meldingstatus.NIET_IN_BEHANDELING,
    ),
}


def entries(melding, action=None):
    qs = AuditEntry.objects.for_objects(melding)
    return qs.filter(action=action) if action else qs


def notices_to(address):
    return list(Notice.objects.filter(recipient=address).order_by("pk"))


def snapshot(melding) -> dict:
    """What a refused step must leave as it was."""
    melding = fresh(melding)
    return {
        "status": melding.status,
        "versie": melding.versie,
        "antwoord": melding.antwoord,
        "cluster": melding.cluster_id,
        "partner": melding.partner_id,
        "cyclus": melding.cyclus_id,
        "hoofdmelding": melding.hoofdmelding_id,
        "publiceerbaar": melding.publiceerbaar,
        "afgesloten_op": melding.afgesloten_op,
        "audit": entries(melding).count(),
        "notices": Notice.objects.filter(audit_entry__in=entries(melding)).count(),
        "spoor": melding.spoor.count(),
    }


@pytest.fixture
def cyclus(make_cycle, werkgebied):
    return make_cycle(werkgebied)


@pytest.fixture
def step(wijkmanager, stadsbeheer, cyclus):
    """Take a triage step with whatever it needs; ``**kwargs`` override."""

    def take(melding, transition, user=None, **kwargs):
        needs = {
            "doorzetten": {"cluster": stadsbeheer, "notitie": "Graag voor vrijdag."},
            "opnemen": {"cyclus": cyclus},
            "afhandelen": {"antwoord": "De container is geleegd."},
            "niet_in_behandeling_nemen": {"antwoord": "Dit is een zaak van de verhuurder."},
        }.get(transition, {})
        kwargs = {**needs, **kwargs}
        kwargs.setdefault("expected_versie", fresh(melding).versie)
        return services.melding_transition(
            melding_id=melding.pk, user=user or wijkmanager, transition=transition, **kwargs
        )

    return take


# ------------------------------------------------------------------------------- reporting


def nieuwe(wijk, **kwargs):
    kwargs.setdefault("tekst", "Er ligt afval naast de container.")
    kwargs.setdefault("thema", ThemaFactory())
    return NieuweMelding(wijk=wijk, **kwargs)


@pytest.mark.django_db
def test_create_stores_the_melding(wijk, werkgebied):
    melding = services.melding_create(
        gegevens=nieuwe(
            wijk,
            tekst="  \n Er ligt afval naast de container.\t \n",
            plek="  Goudsesingel 12  ",
            email="  melder@example.nl ",
            betreft_groep=True,
        )
    )
    melding = fresh(melding)
    assert melding.tekst == "Er ligt afval naast de container."
    assert melding.plek == "Goudsesingel 12"
    assert melding.email == "melder@example.nl"
    assert melding.werkgebied == werkgebied
    assert melding.status == Meldingstatus.NIEUW
    assert melding.versie == 1
    assert melding.betreft_groep is True
    assert melding.afgesloten_op is None
    assert len(melding.code) == 11 and melding.code[5] == "-"


@pytest.mark.django_db
@pytest.mark.parametrize("tekst", ["", "   ", " \n\t \r\n "])
def test_create_refuses_a_blank_text(wijk, tekst):
    with pytest.raises(ValidationError) as excinfo:
        services.melding_create(gegevens=nieuwe(wijk, tekst=tekst, email="melder@example.nl"))
    assert list(excinfo.value.message_dict) == ["tekst"]
    assert not Melding.objects.exists()
    assert not AuditEntry.objects.filter(action="participation.melding_ingediend").exists()
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_create_in_a_wijk_without_werkgebied(werkgebied):
    from tests.places.factories import WijkFactory

    cs = WijkFactory(
        naam="CS-kwartier", slug="cs-kwartier", werkgebied=None, gebied=werkgebied.gebied
    )
    melding = services.melding_create(gegevens=nieuwe(cs))
    assert fresh(melding).werkgebied is None


@pytest.mark.parametrize(
    ("begin", "werkdagen", "eind"),
    [
        (datetime.date(2026, 3, 2), 1, datetime.date(2026, 3, 3)),  # Monday → Tuesday
        (datetime.date(2026, 3, 6), 1, datetime.date(2026, 3, 9)),  # Friday → Monday
        (datetime.date(2026, 3, 6), 5, datetime.date(2026, 3, 13)),  # Friday → Friday
        (datetime.date(2026, 3, 7), 1, datetime.date(2026, 3, 9)),  # Saturday → Monday
        (datetime.date(2026, 3, 8), 5, datetime.date(2026, 3, 13)),  # Sunday → Friday
        (datetime.date(2026, 3, 4), 10, datetime.date(2026, 3, 18)),  # two weeks
        (datetime.date(2026, 3, 4), 15, datetime.date(2026, 3, 25)),
    ],
)
def test_werkdagen_na_skips_weekends(begin, werkdagen, eind):
    assert werkdagen_na(begin, werkdagen) == eind


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "termijn", "eind"),
    [
        ("schoon", 5, datetime.date(2026, 3, 13)),
        ("groen-en-buitenruimte", 15, datetime.date(2026, 3, 27)),
    ],
)
def test_create_sets_the_termijn_in_working_days_of_the_theme(
    wijk, monkeypatch, slug, termijn, eind
):
    thema = ThemaFactory(slug=slug)
    assert thema.afhandeltermijn == termijn  # as the data migration has it
    friday = datetime.date(2026, 3, 6)
    monkeypatch.setattr(services.timezone, "localdate", lambda *args, **kwargs: friday)
    melding = services.melding_create(gegevens=nieuwe(wijk, thema=thema))
    assert fresh(melding).termijn_op == eind
    assert eind.weekday() == 4


@pytest.mark.django_db
def test_create_is_audited_without_personal_data(wijk):
    tekst = "Mijn buurman Jan de Vries op nummer 12 zet zijn afval buiten."
    melding = services.melding_create(
        gegevens=nieuwe(wijk, tekst=tekst, email="melder@example.nl", plek="Goudsesingel 12")
    )
    [entry] = entries(melding, "participation.melding_ingediend")
    assert entry.actor is None
    assert entry.actor_rol == ""
    assert entry.data == {"thema": "schoon", "wijk": "Rubroek", "fotos": 0}
    logged = json.dumps(entry.data) + entry.actor_label + entry.actor_naam
    for secret in ("melder@example.nl", "Jan de Vries", "Goudsesingel"):
        assert secret not in logged


@pytest.mark.django_db
def test_create_confirms_by_email_when_an_address_is_given(wijk):
    melding = services.melding_create(gegevens=nieuwe(wijk, email="melder@example.nl"))
    [notice] = Notice.objects.all()
    assert notice.kind == KIND
    assert notice.recipient == "melder@example.nl"
    assert notice.subject == f"Uw melding {melding.code} is ontvangen"
    assert notice.audit_entry == entries(melding, "participation.melding_ingediend").get()
    assert notice.status == Notice.Status.PENDING
    assert "Dank u voor uw melding over schoon in Rubroek" in notice.body
    assert "binnen 5 werkdagen" in notice.body
    assert f"Uw volgcode: {melding.code}" in notice.body
    assert melding.get_absolute_url() in notice.body
    # The text of the melding is not mailed back.
    assert melding.tekst not in notice.body


@pytest.mark.django_db
def test_create_without_an_address_sends_nothing(wijk):
    services.melding_create(gegevens=nieuwe(wijk))
    assert not Notice.objects.exists()
    assert AuditEntry.objects.filter(action="participation.melding_ingediend").count() == 1


@pytest.mark.django_db
def test_create_saves_the_photos(wijk, media_root):
    fotos = [verwerkte_foto("IMG_0001.jpg"), verwerkte_foto("voordeur Jan.jpg")]
    melding = services.melding_create(gegevens=nieuwe(wijk), fotos=fotos)
    rows = list(Foto.objects.filter(melding=melding))
    assert len(rows) == 2
    for row, foto in zip(rows, fotos, strict=True):
        assert row.content_type == "image/jpeg"
        assert (row.breedte, row.hoogte) == (40, 30)
        assert row.grootte == foto.grootte
        assert row.bestand.name.startswith("meldingen/")
        # Stored under its random name, never the upload's.
        assert "IMG_0001" not in row.bestand.name and "Jan" not in row.bestand.name
        path = media_root / row.bestand.name
        assert path.is_file()
        assert path.stat().st_size == foto.grootte
    [entry] = entries(melding, "participation.melding_ingediend")
    assert entry.data["fotos"] == 2


# --------------------------------------------------------------------- triage: every step


@pytest.mark.django_db
@pytest.mark.parametrize("status", Meldingstatus.values)
@pytest.mark.parametrize("transition", list(TRANSITIONS))
def test_every_transition_from_every_status(make_melding, step, wijkmanager, status, transition):
    sources, target = TRANSITIONS[transition]
    melding = make_melding(status=status, email="melder@example.nl")
    before = snapshot(melding)

    if status not in sources:
        with pytest.raises(MeldingError) as excinfo:
            step(melding, transition)
        assert type(excinfo.value) is MeldingError
        assert "bij de huidige status niet mogelijk" in excinfo.value.message
        assert snapshot(melding) == before
        return

    result = step(melding, transition)
    melding = fresh(melding)
    assert result.status == melding.status == target
    assert melding.versie == before["versie"] + 1
    if target in GESLOTEN_STATUSSEN:
        assert melding.afgesloten_op is not None
    else:
        assert melding.afgesloten_op is None
    [entry] = entries(melding, f"participation.melding_{transition}")
    assert entry.actor == wijkmanager
    assert entry.actor_rol == Rol.WIJKMANAGER
    assert entry.data["van"] == status
    assert entry.data["naar"] == target
    [notice] = notices_to("melder@example.nl")
    assert notice.kind == KIND
    assert notice.audit_entry == entry
    assert notice.subject == f"Uw melding {melding.code}: {melding.get_status_display()}"
    assert f"is nu: {melding.get_status_display()}" in notice.body


@pytest.mark.django_db
def test_dutch_subjects_whatever_the_active_language(make_melding, step):
    from django.utils import translation

    melding = make_melding(status="in_behandeling", email="melder@example.nl")
    with translation.override("en"):
        step(melding, "niet_in_behandeling_nemen")
    [notice] = notices_to("melder@example.nl")
    assert notice.subject == f"Uw melding {melding.code}: niet in behandeling genomen"
    assert "Antwoord:\nDit is een zaak van de verhuurder." in notice.body


@pytest.mark.django_db
def test_afhandelen_mails_the_answer_and_asks_whether_it_is_solved(make_melding, step):
    melding = make_melding(status="in_behandeling", email="melder@example.nl")
    step(melding, "afhandelen", antwoord="  De container is geleegd.  ")
    assert fresh(melding).antwoord == "De container is geleegd."
    [notice] = notices_to("melder@example.nl")
    assert notice.subject == f"Uw melding {melding.code}: afgehandeld"
    assert "De container is geleegd." in notice.body
    assert "Is het opgelost?" in notice.body
    # The answer goes to the reporter, not into the audit log.
    entry = entries(melding, "participation.melding_afhandelen").get()
    assert "container" not in json.dumps(entry.data)


@pytest.mark.django_db
def test_no_address_no_mail(make_melding, step):
    melding = make_melding(status="nieuw", email="")
    step(melding, "in_behandeling_nemen")
    assert entries(melding, "participation.melding_in_behandeling_nemen").count() == 1
    assert not Notice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["heropenen", "delete", "save", ""])
def test_unknown_step_is_refused(make_melding, wijkmanager, transition):
    melding = make_melding(status="afgehandeld")
    before = snapshot(melding)
    with pytest.raises(MeldingError, match="bestaat niet"):
        services.melding_transition(
            melding_id=melding.pk, user=wijkmanager, transition=transition, expected_versie=1
        )
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_missing_melding(wijkmanager):
    with pytest.raises(MeldingError, match="bestaat niet"):
        services.melding_transition(
            melding_id=987654, user=wijkmanager, transition="opnemen", expected_versie=None
        )


# -------------------------------------------------------------------- required fields


@pytest.mark.django_db
def test_doorzetten_to_a_cluster(make_melding, step, stadsbeheer):
    melding = make_melding(status="in_behandeling")
    step(melding, "doorzetten", notitie="  Graag voor vrijdag.  ")
    melding = fresh(melding)
    assert melding.cluster == stadsbeheer
    assert melding.partner is None
    assert melding.notitie == "Graag voor vrijdag."
    entry = entries(melding, "participation.melding_doorzetten").get()
    assert entry.data == {"van": "in_behandeling", "naar": "doorgezet", "naar_wie": "Stadsbeheer"}


@pytest.mark.django_db
def test_doorzetten_to_a_partner(make_melding, step):
    partner = Partner.objects.create(naam="Partner in de test", slug="partner-in-de-test")
    melding = make_melding(status="nieuw")
    step(melding, "doorzetten", cluster=None, partner=partner)
    melding = fresh(melding)
    assert (melding.status, melding.partner, melding.cluster) == ("doorgezet", partner, None)
    assert entries(melding, "participation.melding_doorzetten").get().data["naar_wie"] == (
        "Partner in de test"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("both", [True, False], ids=["beide", "geen"])
def test_doorzetten_needs_exactly_one_of_cluster_and_partner(make_melding, step, stadsbeheer, both):
    partner = Partner.objects.create(naam="Partner in de test", slug="partner-in-de-test")
    melding = make_melding(status="nieuw")
    before = snapshot(melding)
    with pytest.raises(ValidationError) as excinfo:
        step(
            melding,
            "doorzetten",
            cluster=stadsbeheer if both else None,
            partner=partner if both else None,
        )
    assert list(excinfo.value.message_dict) == ["cluster"]
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_opnemen_creates_a_trail_step(make_melding, step, cyclus):
    melding = make_melding(status="doorgezet", email="melder@example.nl")
    step(melding, "opnemen")
    melding = fresh(melding)
    assert melding.cyclus == cyclus
    [spoor] = melding.spoor.all()
    assert (spoor.soort, spoor.cyclus) == (Spoorsoort.CYCLUS, cyclus)
    entry = entries(melding, "participation.melding_opnemen").get()
    assert entry.data == {"van": "doorgezet", "naar": "opgenomen", "cyclus": str(cyclus)}
    [notice] = notices_to("melder@example.nl")
    assert notice.subject == f"Uw melding {melding.code}: opgenomen in de wijkaanpak"


@pytest.mark.django_db
def test_opnemen_needs_a_cycle(make_melding, step):
    melding = make_melding(status="nieuw")
    before = snapshot(melding)
    with pytest.raises(ValidationError) as excinfo:
        step(melding, "opnemen", cyclus=None)
    assert list(excinfo.value.message_dict) == ["cyclus"]
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_opnemen_refuses_the_cycle_of_another_werkgebied(
    make_melding, step, make_cycle, ander_werkgebied
):
    andere = make_cycle(ander_werkgebied)
    melding = make_melding(status="nieuw")
    before = snapshot(melding)
    with pytest.raises(ValidationError) as excinfo:
        step(melding, "opnemen", cyclus=andere)
    assert "lopende cyclus van het werkgebied" in excinfo.value.message_dict["cyclus"][0]
    assert snapshot(melding) == before
    assert not Spoor.objects.exists()


@pytest.mark.django_db
def test_opnemen_refuses_a_closed_cycle(make_melding, step, cyclus):
    Werkcyclus.objects.filter(pk=cyclus.pk).update(fase=Fase.AFGEROND)
    afgerond = Werkcyclus.objects.get(pk=cyclus.pk)
    melding = make_melding(status="in_behandeling")
    before = snapshot(melding)
    with pytest.raises(ValidationError) as excinfo:
        step(melding, "opnemen", cyclus=afgerond)
    assert list(excinfo.value.message_dict) == ["cyclus"]
    assert snapshot(melding) == before


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["afhandelen", "niet_in_behandeling_nemen"])
@pytest.mark.parametrize("antwoord", ["", "   \n  "])
def test_closing_needs_an_answer(make_melding, step, transition, antwoord):
    melding = make_melding(status="in_behandeling")
    before = snapshot(melding)
    with pytest.raises(ValidationError) as excinfo:
        step(melding, transition, antwoord=antwoord)
    assert list(excinfo.value.message_dict) == ["antwoord"]
    assert snapshot(melding) == before


# ------------------------------------------------------------------- stale and forbidden


@pytest.mark.django_db
def test_stale_version_changes_nothing(make_melding, step):
    melding = make_melding(status="nieuw", email="melder@example.nl")
    step(melding, "in_behandeling_nemen")
    before = snapshot(melding)
    assert before["versie"] == 2
    with pytest.raises(StaleMeldingError, match="intussen gewijzigd"):
        step(melding, "afhandelen", expected_versie=1)
    assert snapshot(melding) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_service_matrix_in_behandeling_nemen(roles, make_melding, role):
    """The service enforces the same rules for every role (as in the cycle's matrix)."""
    user, allowed = roles[role]
    user = user or AnonymousUser()
    melding = make_melding(status="nieuw")
    before = snapshot(melding)
    if allowed:
        services.melding_transition(
            melding_id=melding.pk, user=user, transition="in_behandeling_nemen", expected_versie=1
        )
        assert fresh(melding).status == Meldingstatus.IN_BEHANDELING
        assert entries(melding, "participation.melding_in_behandeling_nemen").get().actor == user
    else:
        with pytest.raises(PermissionDenied):
            services.melding_transition(
                melding_id=melding.pk,
                user=user,
                transition="in_behandeling_nemen",
                expected_versie=1,
            )
        assert snapshot(melding) == before


@pytest.mark.django_db
def test_wijkmanager_of_another_werkgebied_is_refused(make_melding, step, ander_werkgebied):
    other = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    melding = make_melding(status="nieuw")
    before = snapshot(melding)
    for transition in TRANSITIONS:
        with pytest.raises(PermissionDenied):
            step(melding, transition, user=other)
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_outsiders_learn_nothing_from_the_error(make_melding, step, ander_werkgebied):
    """Permission is checked first: an outsider gets no hint that the melding changed or
    which status it is in."""
    other = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    melding = make_melding(status="afgehandeld")
    with pytest.raises(PermissionDenied):
        step(melding, "afhandelen", user=other, expected_versie=99)
    with pytest.raises(PermissionDenied):
        step(melding, "in_behandeling_nemen", user=other)
    with pytest.raises(PermissionDenied):
        services.melding_als_dubbel(
            melding_id=melding.pk, hoofdcode="X", user=other, expected_versie=99
        )
    with pytest.raises(PermissionDenied):
        services.melding_publiceerbaar(
            melding_id=melding.pk, user=other, publiceerbaar=True, expected_versie=99
        )


@pytest.mark.django_db
def test_accounthouder_answers_a_melding_forwarded_to_their_cluster(
    make_melding, step, accounthouder, stadsbeheer
):
    melding = make_melding(status="doorgezet", cluster=stadsbeheer, email="melder@example.nl")
    step(melding, "afhandelen", user=accounthouder, antwoord="Het gat is gedicht.")
    melding = fresh(melding)
    assert melding.status == Meldingstatus.AFGEHANDELD
    assert melding.antwoord == "Het gat is gedicht."
    entry = entries(melding, "participation.melding_afhandelen").get()
    assert (entry.actor, entry.actor_rol) == (accounthouder, Rol.ACCOUNTHOUDER)
    [notice] = notices_to("melder@example.nl")
    assert "Het gat is gedicht." in notice.body
    # A double submit from the same page is stale, not forbidden.
    with pytest.raises(StaleMeldingError):
        step(melding, "afhandelen", user=accounthouder, expected_versie=melding.versie - 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "transition", ["in_behandeling_nemen", "doorzetten", "opnemen", "niet_in_behandeling_nemen"]
)
def test_accounthouder_only_answers(make_melding, step, accounthouder, stadsbeheer, transition):
    """Triage stays with the wijkmanager: the cluster may only answer."""
    melding = make_melding(status="doorgezet", cluster=stadsbeheer)
    before = snapshot(melding)
    with pytest.raises(PermissionDenied):
        step(melding, transition, user=accounthouder)
    assert snapshot(melding) == before


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["nieuw", "in_behandeling"])
def test_accounthouder_cannot_answer_before_it_is_forwarded(
    make_melding, step, accounthouder, stadsbeheer, status
):
    melding = make_melding(status=status, cluster=stadsbeheer)
    before = snapshot(melding)
    with pytest.raises(PermissionDenied):
        step(melding, "afhandelen", user=accounthouder)
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_accounthouder_of_another_cluster_is_refused(make_melding, step, werkgebied, stadsbeheer):
    veiligheid = ClusterFactory(naam="Veiligheid", slug="veiligheid")
    other = user_with_role(Rol.ACCOUNTHOUDER, cluster=veiligheid, gebied=werkgebied.gebied)
    melding = make_melding(status="doorgezet", cluster=stadsbeheer)
    before = snapshot(melding)
    with pytest.raises(PermissionDenied):
        step(melding, "afhandelen", user=other)
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_accounthouder_of_the_cluster_in_another_gebied_is_refused(
    make_melding, step, ander_werkgebied, stadsbeheer
):
    other = user_with_role(Rol.ACCOUNTHOUDER, cluster=stadsbeheer, gebied=ander_werkgebied.gebied)
    melding = make_melding(status="doorgezet", cluster=stadsbeheer)
    with pytest.raises(PermissionDenied):
        step(melding, "afhandelen", user=other)
    assert fresh(melding).status == Meldingstatus.DOORGEZET


@pytest.mark.django_db
def test_only_a_beheerder_handles_a_melding_without_werkgebied(step, werkgebied, beheerder):
    from tests.places.factories import WijkFactory

    cs = WijkFactory(
        naam="CS-kwartier", slug="cs-kwartier", werkgebied=None, gebied=werkgebied.gebied
    )
    melding = MeldingFactory(wijk=cs)
    gebied_manager = user_with_role(Rol.WIJKMANAGER, gebied=werkgebied.gebied)
    with pytest.raises(PermissionDenied):
        step(melding, "in_behandeling_nemen", user=gebied_manager)
    step(melding, "in_behandeling_nemen", user=beheerder)
    assert fresh(melding).status == Meldingstatus.IN_BEHANDELING


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submit_takes_the_step_once(werkgebied, wijkmanager):
    """Two submits of the same form at the same moment on PostgreSQL: one wins, the other
    finds the version changed."""
    assert connection.vendor == "postgresql"
    melding = MeldingFactory(wijk=werkgebied.wijken.get(), email="melder@example.nl")
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.melding_transition(
                melding_id=melding.pk,
                user=wijkmanager,
                transition="afhandelen",
                expected_versie=1,
                antwoord="Opgeruimd.",
            )
            outcomes.append("ok")
        except StaleMeldingError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("ok") == 1
    assert len(outcomes) == 2
    assert [type(o) for o in outcomes if o != "ok"] == [StaleMeldingError]
    melding = fresh(melding)
    assert (melding.status, melding.versie) == (Meldingstatus.AFGEHANDELD, 2)
    assert entries(melding, "participation.melding_afhandelen").count() == 1
    assert len(notices_to("melder@example.nl")) == 1


# ------------------------------------------------------------------------------ duplicates


def als_dubbel(melding, hoofd_of_code, user):
    code = hoofd_of_code if isinstance(hoofd_of_code, str) else hoofd_of_code.code
    return services.melding_als_dubbel(
        melding_id=melding.pk, hoofdcode=code, user=user, expected_versie=fresh(melding).versie
    )


@pytest.mark.django_db
def test_link_a_duplicate(make_melding, wijkmanager):
    hoofd = make_melding()
    dubbel = make_melding(email="tweede@example.nl")
    result = als_dubbel(dubbel, f"  {hoofd.code.lower()} ", wijkmanager)
    dubbel = fresh(dubbel)
    assert result.hoofdmelding == hoofd == dubbel.hoofdmelding
    assert dubbel.versie == 2
    assert dubbel.status == Meldingstatus.NIEUW  # open with its open main melding
    entry = entries(dubbel, "participation.melding_dubbel").get()
    assert entry.data == {"hoofdmelding": hoofd.code}
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_duplicate_in_another_werkgebied_is_refused(make_melding, andere_wijk, beheerder):
    hoofd = MeldingFactory(wijk=andere_wijk)
    dubbel = make_melding()
    before = snapshot(dubbel)
    with pytest.raises(ValidationError) as excinfo:
        als_dubbel(dubbel, hoofd, beheerder)
    assert "ander werkgebied" in excinfo.value.message_dict["hoofdcode"][0]
    assert snapshot(dubbel) == before


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["self", "ZZZZZ-ZZZZZ", ""])
def test_duplicate_of_itself_or_of_nothing_is_refused(make_melding, wijkmanager, code):
    melding = make_melding()
    before = snapshot(melding)
    with pytest.raises(ValidationError) as excinfo:
        als_dubbel(melding, melding.code if code == "self" else code, wijkmanager)
    assert list(excinfo.value.message_dict) == ["hoofdcode"]
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_duplicate_of_a_duplicate_goes_to_its_main(make_melding, wijkmanager):
    hoofd = make_melding()
    eerste = make_melding()
    als_dubbel(eerste, hoofd, wijkmanager)
    tweede = make_melding()
    als_dubbel(tweede, eerste, wijkmanager)
    assert fresh(tweede).hoofdmelding == hoofd
    assert entries(tweede, "participation.melding_dubbel").get().data == {
        "hoofdmelding": hoofd.code
    }
    # The main melding cannot become a duplicate of its own duplicate.
    with pytest.raises(ValidationError):
        als_dubbel(hoofd, eerste, wijkmanager)
    assert fresh(hoofd).hoofdmelding is None


@pytest.mark.django_db
def test_a_main_melding_linked_as_duplicate_hands_over_its_duplicates(make_melding, wijkmanager):
    a, b, c = make_melding(), make_melding(), make_melding()
    als_dubbel(b, a, wijkmanager)
    als_dubbel(a, c, wijkmanager)
    assert fresh(a).hoofdmelding == c
    assert fresh(b).hoofdmelding == c  # no chains


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["afhandelen", "niet_in_behandeling_nemen", "opnemen"])
def test_closing_the_main_melding_closes_its_open_duplicates(
    make_melding, step, wijkmanager, cyclus, transition
):
    hoofd = make_melding(status="in_behandeling", email="hoofd@example.nl")
    dubbelen = [make_melding(email=f"dubbel{i}@example.nl") for i in range(2)]
    for dubbel in dubbelen:
        als_dubbel(dubbel, hoofd, wijkmanager)
    al_dicht = make_melding(status="niet_in_behandeling", hoofdmelding=hoofd, antwoord="Eerder.")
    before_dicht = snapshot(al_dicht)

    step(hoofd, transition, antwoord="Samen opgepakt.")
    hoofd = fresh(hoofd)
    for dubbel in dubbelen:
        dubbel = fresh(dubbel)
        assert dubbel.status == hoofd.status
        assert dubbel.antwoord == "Samen opgepakt."
        assert dubbel.afgesloten_op == hoofd.afgesloten_op
        assert dubbel.versie == 3
        entry = entries(dubbel, "participation.melding_gesloten_met_hoofdmelding").get()
        assert entry.data == {"van": "nieuw", "naar": hoofd.status, "hoofdmelding": hoofd.code}
        assert entry.actor == wijkmanager
        [notice] = notices_to(dubbel.email)
        assert notice.audit_entry == entry
        assert notice.subject == f"Uw melding {dubbel.code}: {hoofd.get_status_display()}"
        assert "Samen opgepakt." in notice.body
        if transition == "opnemen":
            assert dubbel.cyclus == cyclus
            assert [(s.soort, s.cyclus) for s in dubbel.spoor.all()] == [("cyclus", cyclus)]
    assert len(notices_to("hoofd@example.nl")) == 1
    assert snapshot(al_dicht) == before_dicht


@pytest.mark.django_db
def test_forwarding_the_main_melding_leaves_its_duplicates_open(make_melding, step, wijkmanager):
    hoofd = make_melding(status="in_behandeling")
    dubbel = make_melding(email="dubbel@example.nl")
    als_dubbel(dubbel, hoofd, wijkmanager)
    step(hoofd, "doorzetten")
    assert fresh(dubbel).status == Meldingstatus.NIEUW
    assert not notices_to("dubbel@example.nl")


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["afgehandeld", "opgenomen", "niet_in_behandeling"])
def test_linking_to_a_closed_main_melding_closes_at_once(make_melding, wijkmanager, cyclus, status):
    hoofd = make_melding(
        status=status, antwoord="Al geregeld.", cyclus=cyclus if status == "opgenomen" else None
    )
    dubbel = make_melding(status="in_behandeling", email="dubbel@example.nl")
    result = als_dubbel(dubbel, hoofd, wijkmanager)
    dubbel = fresh(dubbel)
    assert result.status == dubbel.status == status
    assert dubbel.antwoord == "Al geregeld."
    assert dubbel.afgesloten_op == fresh(hoofd).afgesloten_op
    assert dubbel.versie == 3  # linked, then closed
    assert entries(dubbel, "participation.melding_dubbel").count() == 1
    assert entries(dubbel, "participation.melding_gesloten_met_hoofdmelding").count() == 1
    [notice] = notices_to("dubbel@example.nl")
    assert "Al geregeld." in notice.body
    if status == "opgenomen":
        assert dubbel.cyclus == cyclus
        assert dubbel.spoor.get().cyclus == cyclus
    else:
        assert not dubbel.spoor.exists()


@pytest.mark.django_db
def test_linking_to_a_closed_main_closes_the_duplicates_it_brings(make_melding, wijkmanager):
    hoofd = make_melding(status="afgehandeld", antwoord="Al geregeld.")
    tussen = make_melding()
    eigen = make_melding(email="eigen@example.nl")
    als_dubbel(eigen, tussen, wijkmanager)
    als_dubbel(tussen, hoofd, wijkmanager)
    for melding in (tussen, eigen):
        melding = fresh(melding)
        assert melding.hoofdmelding == hoofd
        assert melding.status == Meldingstatus.AFGEHANDELD
        assert melding.antwoord == "Al geregeld."
    assert len(notices_to("eigen@example.nl")) == 1


@pytest.mark.django_db
def test_linking_to_a_closed_main_leaves_other_reopened_duplicates_alone(make_melding, wijkmanager):
    """A duplicate its reporter reopened ("niet opgelost") stays open when another melding
    is linked to the same main melding later."""
    hoofd = make_melding(status="afgehandeld", antwoord="Al geregeld.")
    heropend = make_melding(status="in_behandeling", hoofdmelding=hoofd, melder_reactie="Nee.")
    before = snapshot(heropend)
    nieuwe_dubbel = make_melding()
    als_dubbel(nieuwe_dubbel, hoofd, wijkmanager)
    assert fresh(nieuwe_dubbel).status == Meldingstatus.AFGEHANDELD
    assert snapshot(heropend) == before


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["afgehandeld", "opgenomen", "niet_in_behandeling"])
def test_a_closed_melding_cannot_become_a_duplicate(make_melding, wijkmanager, status):
    hoofd = make_melding()
    melding = make_melding(status=status)
    before = snapshot(melding)
    with pytest.raises(MeldingError, match="afgesloten melding"):
        als_dubbel(melding, hoofd, wijkmanager)
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_duplicate_stale_and_forbidden(
    make_melding, wijkmanager, ander_werkgebied, accounthouder, stadsbeheer
):
    hoofd = make_melding()
    melding = make_melding(status="doorgezet", cluster=stadsbeheer)
    before = snapshot(melding)
    with pytest.raises(StaleMeldingError):
        services.melding_als_dubbel(
            melding_id=melding.pk, hoofdcode=hoofd.code, user=wijkmanager, expected_versie=0
        )
    other = user_with_role(Rol.WIJKMANAGER, werkgebied=ander_werkgebied)
    for user in (other, accounthouder, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            als_dubbel(melding, hoofd, user)
    assert snapshot(melding) == before


# -------------------------------------------------------------------- support and public


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["nieuw", "in_behandeling", "doorgezet"])
def test_steunen_counts(make_melding, status):
    melding = make_melding(status=status)
    for expected in (1, 2, 3):
        result = services.melding_steunen(melding_id=melding.pk)
        assert result.steun == expected
    melding = fresh(melding)
    assert melding.steun == 3 == Steun.objects.filter(melding=melding).count()
    # Support does not make a triage form stale.
    assert melding.versie == 1
    assert entries(melding, "participation.melding_gesteund").count() == 3
    assert all(e.actor is None and e.data == {} for e in entries(melding))


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["afgehandeld", "opgenomen", "niet_in_behandeling"])
def test_steunen_refuses_a_closed_melding(make_melding, status):
    melding = make_melding(status=status)
    before = snapshot(melding)
    with pytest.raises(MeldingError, match="afgesloten"):
        services.melding_steunen(melding_id=melding.pk)
    assert snapshot(melding) == before
    assert fresh(melding).steun == 0
    assert not Steun.objects.exists()


@pytest.mark.django_db
def test_steunen_refuses_a_duplicate(make_melding, wijkmanager):
    hoofd = make_melding()
    dubbel = make_melding()
    als_dubbel(dubbel, hoofd, wijkmanager)
    with pytest.raises(MeldingError):
        services.melding_steunen(melding_id=dubbel.pk)
    assert fresh(dubbel).steun == 0


@pytest.mark.django_db
def test_publiceerbaar_toggles(make_melding, wijkmanager):
    melding = make_melding()
    services.melding_publiceerbaar(
        melding_id=melding.pk, user=wijkmanager, publiceerbaar=True, expected_versie=1
    )
    assert (fresh(melding).publiceerbaar, fresh(melding).versie) == (True, 2)
    services.melding_publiceerbaar(
        melding_id=melding.pk, user=wijkmanager, publiceerbaar=False, expected_versie=2
    )
    assert (fresh(melding).publiceerbaar, fresh(melding).versie) == (False, 3)
    data = [e.data for e in entries(melding, "participation.melding_publiceerbaar")]
    assert data == [{"publiceerbaar": False}, {"publiceerbaar": True}]  # newest first
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_publiceerbaar_stale_and_forbidden(
    make_melding, wijkmanager, werkgebied, accounthouder, stadsbeheer
):
    melding = make_melding(status="doorgezet", cluster=stadsbeheer)
    before = snapshot(melding)
    with pytest.raises(StaleMeldingError):
        services.melding_publiceerbaar(
            melding_id=melding.pk, user=wijkmanager, publiceerbaar=True, expected_versie=5
        )
    raadslid = user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    # The cluster may answer a forwarded melding, but not judge its text fit for the public.
    for user in (raadslid, accounthouder, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.melding_publiceerbaar(
                melding_id=melding.pk, user=user, publiceerbaar=True, expected_versie=1
            )
    assert snapshot(melding) == before


# ------------------------------------------------------------------ "Is het opgelost?"


@pytest.fixture
def afgehandeld(make_melding, step, wijkmanager):
    """A melding answered just now, through the service."""
    melding = make_melding(status="in_behandeling", email="melder@example.nl")
    step(melding, "afhandelen")
    return fresh(melding)


def terugzetten(melding, delta):
    """Move the moment it was closed back in the database (rather than freezing time)."""
    Melding.objects.filter(pk=melding.pk).update(afgesloten_op=timezone.now() - delta)
    return fresh(melding)


@pytest.mark.django_db
def test_nee_with_a_comment_reopens(afgehandeld):
    melding = terugzetten(afgehandeld, datetime.timedelta(days=13))
    notices_before = Notice.objects.count()
    result = services.melding_opgelost(
        code=melding.code, opgelost=False, reactie="  Er ligt nog steeds afval.  "
    )
    melding = fresh(melding)
    assert result.status == melding.status == Meldingstatus.IN_BEHANDELING
    assert melding.afgesloten_op is None
    assert melding.opgelost is False
    assert melding.melder_reactie == "Er ligt nog steeds afval."
    assert melding.termijn_op == werkdagen_na(timezone.localdate(), melding.thema.afhandeltermijn)
    assert melding.versie == afgehandeld.versie + 1
    entry = entries(melding, "participation.melding_heropend").get()
    assert entry.actor is None
    assert entry.data == {"naar": "in_behandeling"}
    assert "afval" not in json.dumps(entry.data)
    assert Notice.objects.count() == notices_before
    assert melding.is_open


@pytest.mark.django_db
@pytest.mark.parametrize("reactie", ["", "  \n "])
def test_nee_needs_a_comment(afgehandeld, reactie):
    before = snapshot(afgehandeld)
    with pytest.raises(ValidationError) as excinfo:
        services.melding_opgelost(code=afgehandeld.code, opgelost=False, reactie=reactie)
    assert list(excinfo.value.message_dict) == ["reactie"]
    assert snapshot(afgehandeld) == before


@pytest.mark.django_db
@pytest.mark.parametrize("opgelost", [True, False])
def test_after_two_weeks_it_is_too_late(afgehandeld, opgelost):
    melding = terugzetten(afgehandeld, HEROPEN_TERMIJN + datetime.timedelta(minutes=1))
    before = snapshot(melding)
    with pytest.raises(MeldingError, match="binnen twee weken"):
        services.melding_opgelost(code=melding.code, opgelost=opgelost, reactie="Nee hoor.")
    assert snapshot(melding) == before
    assert fresh(melding).opgelost is None


@pytest.mark.django_db
def test_ja_records_it_and_does_not_reopen(afgehandeld):
    result = services.melding_opgelost(code=afgehandeld.code, opgelost=True)
    melding = fresh(afgehandeld)
    assert result.opgelost is True and melding.opgelost is True
    assert melding.status == Meldingstatus.AFGEHANDELD
    assert melding.afgesloten_op == afgehandeld.afgesloten_op
    assert melding.termijn_op == afgehandeld.termijn_op
    assert entries(melding, "participation.melding_opgelost").get().data == {"naar": "afgehandeld"}
    with pytest.raises(MeldingError, match="al laten weten"):
        services.melding_opgelost(code=melding.code, opgelost=True)
    assert entries(melding, "participation.melding_opgelost").count() == 1


@pytest.mark.django_db
def test_ja_after_a_second_answer(afgehandeld, step):
    """Not solved, reopened, answered again: now the reporter may say it is solved."""
    services.melding_opgelost(code=afgehandeld.code, opgelost=False, reactie="Nog niet.")
    step(afgehandeld, "afhandelen", antwoord="Nu echt geleegd.")
    services.melding_opgelost(code=afgehandeld.code, opgelost=True)
    melding = fresh(afgehandeld)
    assert (melding.status, melding.opgelost) == (Meldingstatus.AFGEHANDELD, True)


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["ZZZZZ-ZZZZZ", ""])
def test_unknown_code_is_refused(afgehandeld, code):
    before = snapshot(afgehandeld)
    with pytest.raises(MeldingError, match="bestaat niet"):
        services.melding_opgelost(code=code, opgelost=False, reactie="Nee.")
    assert snapshot(afgehandeld) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", ["nieuw", "in_behandeling", "doorgezet", "opgenomen", "niet_in_behandeling"]
)
def test_only_an_answered_melding_can_be_judged(make_melding, status):
    melding = make_melding(status=status)
    before = snapshot(melding)
    with pytest.raises(MeldingError):
        services.melding_opgelost(code=melding.code, opgelost=False, reactie="Nee.")
    assert snapshot(melding) == before


@pytest.mark.django_db
def test_photos_of_a_melding_that_is_not_stored_are_not_kept(media_root, monkeypatch):
    """The photo files are written before the transaction ends; when it rolls back (here: the
    audit entry fails after both photos were written), no file of the resident remains."""
    from tests.places.factories import WijkFactory

    def kapot(**kwargs):
        raise RuntimeError("de database viel weg")

    monkeypatch.setattr(services, "_audit", kapot)
    gegevens = NieuweMelding(tekst="Afval", thema=ThemaFactory(), wijk=WijkFactory())
    with pytest.raises(RuntimeError):
        services.melding_create(gegevens=gegevens, fotos=[verwerkte_foto(), verwerkte_foto()])
    assert not Melding.objects.exists() and not Foto.objects.exists()
    assert [p for p in media_root.rglob("*") if p.is_file()] == []
    # Without the failure the photo is kept: the check above can fail.
    monkeypatch.setattr(services, "_audit", lambda **kwargs: None)
    melding = services.melding_create(gegevens=gegevens, fotos=[verwerkte_foto()])
    assert melding.fotos.count() == 1
    assert len([p for p in media_root.rglob("*") if p.is_file()]) == 1
