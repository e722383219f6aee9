"""Answering the checklist "Wat is er aan de hand in de wijk?": the one write of a respondent.

Answers are not content of the wijkanalyse: saving them does not go through the product's
edit guard and does not change the product's version (a resident's answer must not make the
wijkmanager's open page stale). The checklist has its own version per respondent instead.

An answer that is quoted in the analysis is evidence the wijkmanager relies on: it stays as it
was when it was quoted. Changing or emptying it changes nothing; the service says which ones
it kept (``ChecklistInvulling.vastgehouden``) so the page can tell the respondent, and the
fill-in form shows them read-only. The wijkmanager can remove the quote, after which the answer
can be changed again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.services import audit_log
from people.models import Rol
from people.roles import holds

from .models import (
    ChecklistAntwoord,
    ChecklistInvulling,
    ChecklistVraag,
    Respondent,
    Werkcyclus,
    Wijkanalyse,
)
from .services import StaleStateError, TransitionError

MAX_LENGTE = 2000

STALE_CHECKLIST = _lazy(
    "U heeft uw checklist intussen ook ergens anders opgeslagen (in een ander venster of "
    "tabblad). Er is niets gewijzigd. Uw invoer staat hieronder nog in het formulier; kopieer "
    "wat u wilt bewaren en laad de pagina opnieuw."
)
GESLOTEN = _lazy(
    "De checklist van deze wijkanalyse is gesloten: de cyclus is voorbij de fase wijkanalyse "
    "of de wijkanalyse is vastgesteld. Er is niets gewijzigd."
)


def veldnaam(nummer: int) -> str:
    """The form field of question ``nummer`` (errors of the service are keyed by it)."""
    return f"vraag_{nummer}"


def _schoon(tekst) -> str:
    return str(tekst or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _lock_open_state(wijkanalyse: Wijkanalyse) -> Wijkanalyse:
    """Read the analysis and its cycle as they are now, holding a shared lock on both rows
    until the transaction ends: a step that closes the checklist (adopting the analysis,
    moving the cycle on) locks them for update, so it waits for this answer or this answer
    sees it closed. Shared, so respondents do not wait for one another."""
    analyse_tabel = connection.ops.quote_name(Wijkanalyse._meta.db_table)
    cyclus_tabel = connection.ops.quote_name(Werkcyclus._meta.db_table)
    sql = (
        f"SELECT a.id FROM {analyse_tabel} a JOIN {cyclus_tabel} c ON c.id = a.cyclus_id "  # noqa: S608 - fixed names
        "WHERE a.id = %s"
    )
    # SQLite (the zero-setup demo) has no row locks; it serialises every write anyway.
    if connection.features.has_select_for_update:
        sql += " FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [wijkanalyse.pk])
        if cursor.fetchone() is None:
            raise Wijkanalyse.DoesNotExist
    return Wijkanalyse.objects.select_related("cyclus__werkgebied").get(pk=wijkanalyse.pk)


def _vergrendel_invulling(analyse, user, respondent: str) -> ChecklistInvulling | None:
    """The respondent's checklist, locked for this transaction (None: not filled in yet, as
    far as committed data shows: a first submit in another tab may be on its way)."""
    return (
        ChecklistInvulling.objects.select_for_update()
        .filter(wijkanalyse=analyse, user=user, respondent=respondent)
        .first()
    )


def _check_input(antwoorden: dict) -> dict[int, str]:
    """The answers, cleaned and keyed by the question's id; every error keyed by its field."""
    vragen = dict(ChecklistVraag.objects.filter(actief=True).values_list("nummer", "pk"))
    onbekend = [nummer for nummer in antwoorden if nummer not in vragen]
    if onbekend:
        raise ValidationError(
            _("Deze vraag hoort niet (meer) bij de checklist. Laad de pagina opnieuw."),
            code="unknown_question",
        )
    schoon, fouten = {}, {}
    for nummer, tekst in antwoorden.items():
        tekst = _schoon(tekst)
        if "\x00" in tekst:
            fouten[veldnaam(nummer)] = _("Dit antwoord bevat een teken dat niet is toegestaan.")
        elif len(tekst) > MAX_LENGTE:
            fouten[veldnaam(nummer)] = _(
                "Een antwoord is ten hoogste %(max)s tekens lang (dit zijn er %(lengte)s). "
                "Maak het korter."
            ) % {"max": MAX_LENGTE, "lengte": len(tekst)}
        schoon[vragen[nummer]] = tekst
    if fouten:
        raise ValidationError(fouten, code="invalid")
    return schoon


@transaction.atomic
def checklist_opslaan(
    *,
    wijkanalyse: Wijkanalyse,
    user,
    respondent: str,
    antwoorden: dict[int, str],
    expected_versie: int | None,
) -> ChecklistInvulling:
    """Save ``user``'s checklist for ``wijkanalyse`` as ``respondent`` (a role they hold in
    its werkgebied): ``antwoorden`` maps question numbers to answers; questions left out stay
    as they were, an emptied answer is removed (unless it is quoted: see the module).

    ``expected_versie`` is the version of the respondent's checklist the form was loaded with
    (None: they had not filled it in yet). A form loaded before their last save, or a second
    first submit, changes nothing and gets ``StaleStateError``.

    Returns the checklist with two unsaved attributes for the page: ``vastgehouden`` (numbers
    of quoted answers that were kept as they were) and ``gewijzigd`` (whether anything
    changed)."""
    analyse = _lock_open_state(wijkanalyse)
    if not user.has_perm("cycle.answer_checklist", analyse):
        if user.has_perm("cycle.fill_checklist", analyse):
            raise TransitionError(str(GESLOTEN))
        raise PermissionDenied
    if respondent not in Respondent.values:
        raise ValidationError(_("Kies als wie u de checklist invult."), code="respondent")
    if not holds(user, Rol(respondent), analyse):
        raise PermissionDenied
    per_vraag = _check_input(antwoorden)

    invulling = _vergrendel_invulling(analyse, user, respondent)
    if invulling is None and expected_versie is not None:
        raise StaleStateError(str(STALE_CHECKLIST))
    if invulling is not None and invulling.versie != expected_versie:
        raise StaleStateError(str(STALE_CHECKLIST))

    bestaand = {}
    if invulling is not None:
        geciteerd = ChecklistAntwoord.themaanalyses.through.objects.filter(
            checklistantwoord_id=OuterRef("pk")
        )
        bestaand = {
            a.vraag_id: a for a in invulling.antwoorden.annotate(geciteerd=Exists(geciteerd))
        }

    nieuw, gewijzigd, weg, vastgehouden = [], [], [], []
    for vraag_id, tekst in per_vraag.items():
        antwoord = bestaand.get(vraag_id)
        if antwoord is None:
            if tekst:
                nieuw.append(ChecklistAntwoord(vraag_id=vraag_id, tekst=tekst))
        elif antwoord.tekst != tekst:
            if antwoord.geciteerd:
                vastgehouden.append(vraag_id)
            elif tekst:
                antwoord.tekst = tekst
                gewijzigd.append(antwoord)
            else:
                weg.append(antwoord.pk)
    if len(bestaand) + len(nieuw) - len(weg) == 0:
        raise ValidationError(
            _("Vul minstens één vraag in. U hoeft niet alle vragen te beantwoorden."),
            code="empty",
        )

    if invulling is None:
        try:
            # A savepoint: a second first submit (another tab, a double click) that loses the
            # race to the unique constraint leaves the transaction usable, and is stale.
            with transaction.atomic():
                invulling = ChecklistInvulling.objects.create(
                    wijkanalyse=analyse, user=user, respondent=respondent
                )
        except IntegrityError as exc:
            raise StaleStateError(str(STALE_CHECKLIST)) from exc
        eerste = True
    else:
        eerste = False

    veranderd = bool(nieuw or gewijzigd or weg)
    if veranderd:
        for antwoord in nieuw:
            antwoord.invulling = invulling
        ChecklistAntwoord.objects.bulk_create(nieuw)
        ChecklistAntwoord.objects.bulk_update(gewijzigd, ["tekst"])
        ChecklistAntwoord.objects.filter(pk__in=weg, invulling=invulling).delete()
        if not eerste:
            invulling.versie += 1
            invulling.save(update_fields=["versie", "gewijzigd_op"])
        # Who answered and how much, never what: the answers are the respondent's words.
        # The checklist itself is the target, so that a resident's name does not appear in
        # the (public) history of the cycle and its products.
        audit_log(
            action="cycle.checklist_ingevuld",
            actor=user,
            actor_rol=respondent,
            target=invulling,
            data={
                "wijkanalyse": analyse.pk,
                "respondent": respondent,
                "eerste_keer": eerste,
                "nieuw": len(nieuw),
                "gewijzigd": len(gewijzigd),
                "verwijderd": len(weg),
                "aantal": len(bestaand) + len(nieuw) - len(weg),
                "versie": invulling.versie,
            },
        )
    invulling.vastgehouden = sorted(
        ChecklistVraag.objects.filter(pk__in=vastgehouden).values_list("nummer", flat=True)
        if vastgehouden
        else []
    )
    invulling.gewijzigd = veranderd
    return invulling
