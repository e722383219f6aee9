"""Residents following an initiative by e-mail (no account): subscribing with double opt-in,
confirming and unsubscribing with the follower's token, and the mail to the confirmed
followers about every progress update and status change.

The change itself (``cycle.services_programma``) sends ``cycle.signals.voortgang_gemeld``
inside its transaction; ``volgbericht_klaarzetten`` writes one ``Volgbericht`` row there when
the initiative has confirmed followers (the transactional outbox: the row exists exactly when
the update does). After the commit a Celery task fans it out into the notices outbox in
batches; when the broker is down, the beat sweep does. The mails are rendered when they are
sent (``render_*``), so no token is stored in the outbox."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_log
from cycle.models import Fase, Initiatief, Voortgang
from notices.models import Notice
from notices.services import notice_create, queue_now

from .bewoners import accounts_van, initiatief_notificatie
from .models import Volgbericht, Volger

logger = logging.getLogger(__name__)

KIND_BEVESTIGEN = "participation.volgen_bevestigen"
KIND_UPDATE = "participation.volgen_update"
# Unconfirmed followers are removed after this long (and their address with them).
BEVESTIG_TERMIJN = datetime.timedelta(days=7)
# Asking again for an unconfirmed address sends the confirmation mail again, at most this often.
OPNIEUW_NA = datetime.timedelta(hours=1)
# Followers per transaction of the fan-out.
BATCH = 500
EMAIL_MAX = 254
VERWIJDERD = "verwijderd@bewaartermijn.invalid"
# Phases in which an initiative with a public programme can be followed.
VOLG_FASEN = (Fase.PROGRAMMA, Fase.UITVOERING, Fase.VERANTWOORDING)


class VolgError(Exception):
    """A step that cannot be taken; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def kan_volgen(initiatief: Initiatief) -> bool:
    """Whether the public may follow it: its programme is public and its year not over."""
    programma = initiatief.wijkprogramma
    return programma.is_openbaar and programma.cyclus.fase in VOLG_FASEN


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def initiatief_url(initiatief: Initiatief) -> str:
    cyclus = initiatief.wijkprogramma.cyclus
    return reverse(
        "initiatief-detail",
        kwargs={"slug": cyclus.werkgebied.slug, "jaar": cyclus.jaar, "pk": initiatief.pk},
    )


def schoon_email(email: str) -> str:
    """The address as typed, checked: one line, not too long, a valid address. Raises a
    ``ValidationError`` for the field ``email`` otherwise."""
    email = (email or "").strip()
    if not email:
        raise ValidationError(
            {"email": ValidationError(_("Vul uw e-mailadres in."), code="required")}
        )
    if len(email) > EMAIL_MAX:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Een e-mailadres heeft hoogstens %(max)d tekens.") % {"max": EMAIL_MAX},
                    code="max_length",
                )
            }
        )
    try:
        # Also refuses line breaks and other control characters (no header injection).
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
                    code="invalid",
                )
            }
        ) from None
    return email


def _audit(action: str, *, target, user=None, data: dict):
    # Never the address: the audit log is kept for good.
    return audit_log(action=action, actor=user, target=target, data=data)


def volgen_aanmelden(*, initiatief: Initiatief, email: str, user=None) -> Volger:
    """Follow ``initiatief`` with ``email``. A new or unconfirmed address gets the
    confirmation mail (again, at most once per ``OPNIEUW_NA``); a confirmed one nothing. A
    signed-in user following with their own account's address is confirmed at once. The
    caller shows the same answer in every case, so nobody learns whether an address follows."""
    email = schoon_email(email)
    if not kan_volgen(initiatief):
        raise VolgError(_("Dit initiatief kunt u nu niet volgen."))
    eigen_adres = (
        user is not None
        and user.is_authenticated
        and bool(user.email)
        and user.email.casefold() == email.casefold()
    )
    nu = timezone.now()
    with transaction.atomic():
        volger = _volger_voor(initiatief, email)
        if volger.is_bevestigd:
            return volger
        if eigen_adres:
            volger.bevestigd_op = nu
            volger.save(update_fields=["bevestigd_op"])
            _audit(
                "participation.volger_bevestigd",
                target=volger,
                user=user,
                data={"initiatief": initiatief.pk, "via": "account"},
            )
            return volger
        if volger.bevestiging_gevraagd_op and nu - volger.bevestiging_gevraagd_op < OPNIEUW_NA:
            return volger
        volger.bevestiging_gevraagd_op = nu
        volger.save(update_fields=["bevestiging_gevraagd_op"])
        entry = _audit(
            "participation.volger_aangemeld",
            target=volger,
            user=user,
            data={"initiatief": initiatief.pk},
        )
        with translation.override(settings.LANGUAGE_CODE):
            notice_create(
                kind=KIND_BEVESTIGEN,
                recipients=[email],
                subject=_("Bevestig dat u ‘%(titel)s’ wilt volgen") % {"titel": initiatief.titel},
                audit_entry=entry,
            )
    return volger


def _volger_voor(initiatief: Initiatief, email: str) -> Volger:
    """The follower row of this address (any case), locked; made when there is none. Two
    requests at once for the same address: the second waits for the first's row."""
    bestaand = (
        Volger.objects.select_for_update()
        .filter(initiatief=initiatief, email__iexact=email)
        .first()
    )
    if bestaand is not None:
        return bestaand
    try:
        with transaction.atomic():
            return Volger.objects.create(initiatief=initiatief, email=email)
    except IntegrityError:
        return (
            Volger.objects.select_for_update()
            .filter(initiatief=initiatief, email__iexact=email)
            .get()
        )


def _per_token(token: str) -> Volger:
    volger = (
        Volger.objects.select_for_update(of=("self",))
        .select_related("initiatief__wijkprogramma__cyclus__werkgebied")
        .filter(token=token)
        .first()
        if token and len(token) <= 64
        else None
    )
    if volger is None:
        raise VolgError(
            _(
                "Deze link werkt niet (meer). Misschien bent u al afgemeld, of is de link ouder "
                "dan een week en niet bevestigd. Meld u dan opnieuw aan."
            )
        )
    return volger


def volger_per_token(token: str) -> Volger | None:
    """The follower of ``token`` with its initiative, for the pages that ask to confirm."""
    if not token or len(token) > 64:
        return None
    return (
        Volger.objects.select_related("initiatief__wijkprogramma__cyclus__werkgebied")
        .filter(token=token)
        .first()
    )


def volgen_bevestigen(*, token: str) -> Volger:
    """The owner of the address followed the link in the confirmation mail."""
    with transaction.atomic():
        volger = _per_token(token)
        if not volger.is_bevestigd:
            volger.bevestigd_op = timezone.now()
            volger.save(update_fields=["bevestigd_op"])
            _audit(
                "participation.volger_bevestigd",
                target=volger,
                data={"initiatief": volger.initiatief_id, "via": "link"},
            )
    return volger


def volgen_afmelden(*, token: str) -> Initiatief:
    """Stop following: the row and its address go, and mails about this initiative still
    waiting in the outbox for this address are not sent. Returns the initiative."""
    with transaction.atomic():
        volger = _per_token(token)
        initiatief = volger.initiatief
        _audit(
            "participation.volger_afgemeld",
            target=initiatief,
            data={"initiatief": initiatief.pk, "volger": volger.pk},
        )
        berichten = Volgbericht.objects.filter(initiatief=initiatief).values("audit_entry_id")
        Notice.objects.filter(
            kind=KIND_UPDATE,
            recipient__iexact=volger.email,
            status=Notice.Status.PENDING,
            audit_entry_id__in=berichten,
        ).update(status=Notice.Status.FAILED, last_error="Afgemeld vóór verzending.")
        volger.delete()
    return initiatief


# -------------------------------------------------------------- telling the followers


def volgbericht_klaarzetten(*, initiatief: Initiatief, entry) -> Volgbericht | None:
    """Inside the transaction of a change to ``initiatief`` (audited as ``entry``): note that
    its confirmed followers are to hear about it, and fan it out after the commit."""
    if not Volger.objects.filter(initiatief=initiatief, bevestigd_op__isnull=False).exists():
        return None
    bericht = Volgbericht.objects.create(initiatief=initiatief, audit_entry=entry)
    transaction.on_commit(lambda: _kick(bericht.pk))
    return bericht


def _kick(bericht_id: int) -> None:
    """After the commit. Never raises: with the broker down the beat sweep fans it out."""
    from .tasks import volgbericht_versturen

    try:
        queue_now(volgbericht_versturen, {"bericht_id": bericht_id})
    except Exception as exc:
        logger.warning(
            "Message to followers %s not queued now; the sweep will send it (%s: %s).",
            bericht_id,
            type(exc).__name__,
            exc,
        )


def _onderwerp(initiatief: Initiatief) -> str:
    return _("‘%(titel)s’: %(status)s, %(p)d%% klaar") % {
        "titel": initiatief.titel,
        "status": initiatief.get_status_display(),
        "p": initiatief.percentage,
    }


def volgbericht_verwerken(*, bericht_id: int, batch: int = BATCH) -> int:
    """Put one notice per confirmed follower in the outbox, ``batch`` followers per
    transaction; return how many notices were made. Idempotent: a run that died half-way
    goes on where it stopped, and nobody gets a notice twice for one change."""
    made = 0
    while True:
        with transaction.atomic():
            bericht = (
                Volgbericht.objects.select_for_update(skip_locked=True)
                .select_related("initiatief__wijkprogramma__cyclus__werkgebied")
                .filter(pk=bericht_id, verwerkt_op__isnull=True)
                .first()
            )
            if bericht is None:
                return made
            volgers = list(
                Volger.objects.filter(
                    initiatief_id=bericht.initiatief_id,
                    bevestigd_op__isnull=False,
                    pk__gt=bericht.laatste_volger,
                )
                .order_by("pk")
                .values_list("pk", "email")[:batch]
            )
            if not volgers:
                bericht.verwerkt_op = timezone.now()
                bericht.save(update_fields=["verwerkt_op"])
                return made
            adressen = [email for _pk, email in volgers]
            # Followers with an account hear it as a notification, mailed as they chose
            # (at once, weekly, not): not also by the follower's own mail.
            accounts = accounts_van(adressen)
            if accounts:
                with translation.override(settings.LANGUAGE_CODE):
                    initiatief_notificatie(
                        initiatief=bericht.initiatief,
                        user_ids=sorted(set(accounts.values())),
                        titel=_onderwerp(bericht.initiatief),
                        url=initiatief_url(bericht.initiatief),
                    )
                adressen = [a for a in adressen if a.casefold() not in accounts]
            al = {
                r.casefold()
                for r in Notice.objects.filter(
                    audit_entry_id=bericht.audit_entry_id, recipient__in=adressen
                ).values_list("recipient", flat=True)
            }
            with translation.override(settings.LANGUAGE_CODE):
                made += len(
                    notice_create(
                        kind=KIND_UPDATE,
                        recipients=[a for a in adressen if a.casefold() not in al],
                        subject=_onderwerp(bericht.initiatief),
                        audit_entry=bericht.audit_entry,
                    )
                )
            bericht.laatste_volger = volgers[-1][0]
            bericht.save(update_fields=["laatste_volger"])


def volgberichten_open(*, limit: int = 100) -> list[int]:
    """The messages to followers not yet fanned out, oldest first (for the sweep)."""
    return list(
        Volgbericht.objects.filter(verwerkt_op__isnull=True)
        .order_by("aangemaakt_op", "pk")
        .values_list("pk", flat=True)[:limit]
    )


# ------------------------------------------------------------------- the mails themselves


def render_bevestigen(notice: Notice) -> tuple[str, str]:
    """The confirmation mail, with the link that confirms (rendered when sent)."""
    volger = (
        Volger.objects.select_related("initiatief__wijkprogramma__cyclus__werkgebied")
        .filter(pk=int(notice.audit_entry.object_id))
        .first()
    )
    if volger is None:
        raise VolgError("The follower was removed before the confirmation was sent.")
    initiatief = volger.initiatief
    cyclus = initiatief.wijkprogramma.cyclus
    body = "\n".join(
        [
            _(
                "Iemand (waarschijnlijk u) wil met dit e-mailadres het initiatief ‘%(titel)s’ "
                "in %(werkgebied)s volgen."
            )
            % {"titel": initiatief.titel, "werkgebied": cyclus.werkgebied.naam},
            "",
            _("Bevestig het met deze link:"),
            _site_url(reverse("volgen-bevestigen", kwargs={"token": volger.token})),
            "",
            _(
                "Heeft u dit niet gevraagd? Dan hoeft u niets te doen: zonder bevestiging "
                "sturen we u niets meer en verwijderen we het adres na %(dagen)d dagen."
            )
            % {"dagen": BEVESTIG_TERMIJN.days},
        ]
    )
    return notice.subject, body


def render_update(notice: Notice) -> tuple[str, str]:
    """The mail about one progress update, with the follower's own unsubscribe link."""
    bericht = Volgbericht.objects.select_related(
        "initiatief__wijkprogramma__cyclus__werkgebied", "audit_entry"
    ).get(audit_entry_id=notice.audit_entry_id)
    initiatief = bericht.initiatief
    volger = Volger.objects.filter(
        initiatief=initiatief, email__iexact=notice.recipient, bevestigd_op__isnull=False
    ).first()
    if volger is None:
        raise VolgError("The follower unsubscribed before this notice was sent.")
    data = bericht.audit_entry.data or {}
    voortgang = Voortgang.objects.filter(pk=data.get("voortgang")).first()
    regels = [
        _("Er is nieuws over het initiatief ‘%(titel)s’ dat u volgt.")
        % {"titel": initiatief.titel},
        "",
    ]
    if voortgang is not None:
        regels.append(
            _("Stand op %(datum)s: %(status)s.")
            % {
                "datum": voortgang.datum.strftime("%d-%m-%Y"),
                "status": voortgang.get_status_display(),
            }
        )
        if voortgang.percentage is not None:
            regels.append(_("Voortgang: %(p)d%% klaar.") % {"p": voortgang.percentage})
        if voortgang.mijlpaal:
            regels.append(_("Mijlpaal: %(m)s") % {"m": voortgang.mijlpaal})
        regels += ["", voortgang.tekst]
    else:
        regels.append(
            _("Status: %(status)s, %(p)d%% klaar.")
            % {"status": initiatief.get_status_display(), "p": initiatief.percentage}
        )
    regels += [
        "",
        _("Bekijk het initiatief: %(url)s") % {"url": _site_url(initiatief_url(initiatief))},
        "",
        _("Wilt u dit niet meer ontvangen? Meld u af met één klik: %(url)s")
        % {"url": _site_url(reverse("volgen-afmelden", kwargs={"token": volger.token}))},
    ]
    return notice.subject, "\n".join(regels)


# ------------------------------------------------------------------------------ retention


def volgers_bewaartermijn(*, now=None, limit: int = 1000) -> int:
    """Remove the followers who did not confirm within ``BEVESTIG_TERMIJN``, and their
    address from the outbox's confirmation mails. Returns how many; idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Volger.objects.select_for_update(skip_locked=True)
            .filter(bevestigd_op__isnull=True, aangemaakt_op__lt=now - BEVESTIG_TERMIJN)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        Notice.objects.filter(
            kind=KIND_BEVESTIGEN,
            audit_entry__object_id__in=[str(pk) for pk in ids],
            audit_entry__action="participation.volger_aangemeld",
        ).update(recipient=VERWIJDERD)
        Volger.objects.filter(pk__in=ids).delete()
        audit_log(
            action="participation.volgers_onbevestigd_verwijderd",
            actor=None,
            target=None,
            data={"aantal": len(ids)},
        )
    return len(ids)
