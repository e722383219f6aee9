"""The werkcyclus state machine: every transition × every role × right and wrong werkgebied,
the guards on products, and conflicts (stale page, double submit, concurrent advances)."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from cycle import services
from cycle.models import PRODUCT_MODELLEN, Fase, Productstatus, Werkcyclus
from tests.conftest import ROLE_NAMES

# The cycles in these tests are for programme year 2027; a day after it, leaving the execution
# needs no reason (that rule is tested on its own below).
AFTER_EXECUTION_YEAR = datetime.date(2028, 2, 1)

# The page names what is missing: the programme (adopted, not published) and the report.
NIET_KLAAR = "Nog niet klaar: wijkprogramma, wijkverslag"

# Each transition, the phase it starts from and the phase it leads to.
TRANSITIONS = [
    ("naar_agenda", Fase.ANALYSE, Fase.AGENDA),
    ("naar_programma", Fase.AGENDA, Fase.PROGRAMMA),
    ("naar_uitvoering", Fase.PROGRAMMA, Fase.UITVOERING),
    ("naar_verantwoording", Fase.UITVOERING, Fase.VERANTWOORDING),
    ("afronden", Fase.VERANTWOORDING, Fase.AFGEROND),
]
PRODUCT_OF_PHASE = {
    Fase.ANALYSE: "wijkanalyse",
    Fase.AGENDA: "wijkagenda",
    Fase.PROGRAMMA: "wijkprogramma",
    Fase.VERANTWOORDING: "wijkverslag",
}


def ready_cycle(make_cycle, werkgebied, fase):
    """A cycle in ``fase`` whose product is adopted (and for the report published)."""
    cyclus = make_cycle(werkgebied, fase=fase)
    soort = PRODUCT_OF_PHASE.get(fase)
    if soort:
        product = getattr(cyclus, soort)
        product.titel = "Klaar"
        for veld in product.SECTIES:
            setattr(product, veld, "Ingevuld")
        product.save()
        # Set up state directly: product transitions are tested in test_products.py.
        type(product).objects.filter(pk=product.pk).update(status=Productstatus.GEPUBLICEERD)
    if fase == Fase.VERANTWOORDING:
        # Closing needs every product published.
        for model in PRODUCT_MODELLEN:
            model.objects.filter(cyclus=cyclus).update(status=Productstatus.GEPUBLICEERD)
    return Werkcyclus.objects.get(pk=cyclus.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("transition", "source", "target"), TRANSITIONS)
def test_transition_matrix(roles, werkgebied, make_cycle, role, transition, source, target):
    user, allowed = roles[role]
    cyclus = ready_cycle(make_cycle, werkgebied, source)
    before = AuditEntry.objects.filter(action="cycle.transition").count()
    user = user or AnonymousUser()

    if allowed:
        result = services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=user,
            transition=transition,
            expected_fase=source,
            today=AFTER_EXECUTION_YEAR,
        )
        assert result.fase == target
        assert Werkcyclus.objects.get(pk=cyclus.pk).fase == target
        entry = AuditEntry.objects.filter(action="cycle.transition").first()
        assert entry.data == {"overgang": transition, "van": source, "naar": target, "reden": ""}
        assert entry.actor == user
        assert AuditEntry.objects.filter(action="cycle.transition").count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            services.werkcyclus_transition(
                cyclus_id=cyclus.pk,
                user=user,
                transition=transition,
                expected_fase=source,
                today=AFTER_EXECUTION_YEAR,
            )
        assert Werkcyclus.objects.get(pk=cyclus.pk).fase == source
        assert AuditEntry.objects.filter(action="cycle.transition").count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fase", "transition", "status", "message"),
    [
        (Fase.ANALYSE, "naar_agenda", Productstatus.CONCEPT, "wijkanalyse moet eerst"),
        (Fase.ANALYSE, "naar_agenda", Productstatus.CONSULTATIE, "wijkanalyse moet eerst"),
        (Fase.AGENDA, "naar_programma", Productstatus.CONCEPT, "wijkagenda moet eerst"),
        (Fase.PROGRAMMA, "naar_uitvoering", Productstatus.CONSULTATIE, "wijkprogramma moet"),
        (Fase.VERANTWOORDING, "afronden", Productstatus.CONCEPT, NIET_KLAAR),
        # Adopted is not enough to close the cycle: every product must be published.
        (Fase.VERANTWOORDING, "afronden", Productstatus.VASTGESTELD, NIET_KLAAR),
    ],
)
def test_guard_product_not_adopted(
    wijkmanager, werkgebied, make_cycle, fase, transition, status, message
):
    cyclus = make_cycle(werkgebied, fase=fase)
    product = getattr(cyclus, PRODUCT_OF_PHASE[fase])
    type(product).objects.filter(pk=product.pk).update(status=status)
    entries = AuditEntry.objects.filter(action="cycle.transition", object_id=str(cyclus.pk))
    before = entries.count()
    with pytest.raises(services.TransitionError) as excinfo:
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk, user=wijkmanager, transition=transition, expected_fase=fase
        )
    assert message in excinfo.value.message
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == fase
    assert entries.count() == before


@pytest.mark.django_db
def test_published_report_closes_cycle(wijkmanager, werkgebied, make_cycle):
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.VERANTWOORDING)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="afronden",
        expected_fase=Fase.VERANTWOORDING,
    )
    cyclus = Werkcyclus.objects.get(pk=cyclus.pk)
    assert cyclus.fase == Fase.AFGEROND
    assert cyclus.verantwoording_afgerond == timezone.localdate()


@pytest.mark.django_db
def test_leaving_execution_early_needs_a_reason(wijkmanager, werkgebied, make_cycle):
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.UITVOERING)
    during = datetime.date(2027, 11, 1)
    with pytest.raises(services.TransitionError, match="nog niet voorbij"):
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition="naar_verantwoording",
            expected_fase=Fase.UITVOERING,
            reden="   ",
            today=during,
        )
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.UITVOERING
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_verantwoording",
        expected_fase=Fase.UITVOERING,
        reden="Alle acties\nzijn klaar",
        today=during,
    )
    cyclus = Werkcyclus.objects.get(pk=cyclus.pk)
    assert cyclus.fase == Fase.VERANTWOORDING
    assert (cyclus.uitvoering_afgerond, cyclus.verantwoording_gestart) == (during, during)
    entry = AuditEntry.objects.filter(action="cycle.transition").first()
    assert entry.data["reden"] == "Alle acties zijn klaar"


@pytest.mark.django_db
def test_stale_cycle_version_changes_nothing(wijkmanager, werkgebied, make_cycle):
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.ANALYSE)
    with pytest.raises(services.StaleStateError):
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition="naar_agenda",
            expected_fase=Fase.ANALYSE,
            expected_versie=cyclus.versie - 1,
        )
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.ANALYSE


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["naar_programma", "afronden", "publiceren", "bestaat_niet"])
def test_transition_not_from_this_phase(wijkmanager, werkgebied, make_cycle, transition):
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.ANALYSE)
    with pytest.raises(services.TransitionError):
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition=transition,
            expected_fase=Fase.ANALYSE,
        )
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.ANALYSE


@pytest.mark.django_db
def test_stale_page_changes_nothing(wijkmanager, werkgebied, make_cycle):
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.AGENDA)
    # The user's page still shows the analysis phase; someone else already advanced.
    with pytest.raises(services.StaleStateError) as excinfo:
        services.werkcyclus_transition(
            cyclus_id=cyclus.pk,
            user=wijkmanager,
            transition="naar_agenda",
            expected_fase=Fase.ANALYSE,
        )
    assert "intussen" in excinfo.value.message
    assert "wijkagenda" in excinfo.value.message
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.AGENDA


@pytest.mark.django_db
def test_double_submit_advances_once(client, wijkmanager, werkgebied, make_cycle):
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.ANALYSE)
    client.force_login(wijkmanager)
    url = f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/stap/"
    data = {"overgang": "naar_agenda", "verwacht": Fase.ANALYSE, "reden": "klaar"}
    first = client.post(url, data, follow=True)
    second = client.post(url, data, follow=True)
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.AGENDA
    entries = AuditEntry.objects.filter(action="cycle.transition", object_id=str(cyclus.pk))
    assert entries.count() == 1
    assert entries.get().data["reden"] == "klaar"
    assert "De cyclus is nu in de fase" in first.content.decode()
    assert "intussen al naar de fase" in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_advances_exactly_one_wins(wijkmanager, werkgebied, make_cycle):
    """Two requests advance the same cycle at the same moment on PostgreSQL."""
    assert connection.vendor == "postgresql"
    cyclus = ready_cycle(make_cycle, werkgebied, Fase.ANALYSE)
    barrier = threading.Barrier(2)
    outcomes = []

    def advance():
        try:
            barrier.wait()
            services.werkcyclus_transition(
                cyclus_id=cyclus.pk,
                user=wijkmanager,
                transition="naar_agenda",
                expected_fase=Fase.ANALYSE,
            )
            outcomes.append("ok")
        except services.StaleStateError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=advance) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=len)[0] == "ok"
    assert outcomes.count("ok") == 1
    assert any("intussen" in o for o in outcomes if o != "ok")
    assert Werkcyclus.objects.get(pk=cyclus.pk).fase == Fase.AGENDA
    assert (
        AuditEntry.objects.filter(action="cycle.transition", object_id=str(cyclus.pk)).count() == 1
    )


@pytest.mark.django_db
def test_protected_field_cannot_be_set_directly(werkgebied, make_cycle):
    cyclus = make_cycle(werkgebied)
    with pytest.raises(AttributeError):
        cyclus.fase = Fase.AFGEROND


@pytest.mark.django_db
def test_concurrent_transition_mixin_rejects_stale_save(werkgebied, make_cycle, wijkmanager):
    """Belt and braces under the row lock: a stale in-memory cycle cannot be saved."""
    from django_fsm import ConcurrentTransition

    cyclus = ready_cycle(make_cycle, werkgebied, Fase.ANALYSE)
    stale = Werkcyclus.objects.select_related("wijkanalyse").get(pk=cyclus.pk)
    services.werkcyclus_transition(
        cyclus_id=cyclus.pk,
        user=wijkmanager,
        transition="naar_agenda",
        expected_fase=Fase.ANALYSE,
    )
    stale.naar_agenda()
    with pytest.raises(ConcurrentTransition):
        stale.save()
