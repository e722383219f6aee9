"""Residents' own accounts: signing up with a confirmed address, the bewoner role that comes
with it, moving to another werkgebied, and their own settings.

Sign-up answers the same whatever the address (no account enumeration): a new address gets an
inactive account and a one-time link through the outbox; an address that already has an
account gets a mail saying so (with the way to a new password); an address waiting for its
confirmation gets the link again, for the newest sign-up (a later sign-up replaces the
earlier one's password, which makes the earlier link useless). Each address gets at most one
such mail per ``MAIL_INTERVAL``. Audit entries name the account by its id only."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log

from .models import Instellingen, Rol, Roltoewijzing, User, normalise_email

KIND_AANMELDEN = "people.aanmelden"
KIND_AL_ACCOUNT = "people.al_account"
MAIL_INTERVAL = timedelta(minutes=5)
# Sign-ups never confirmed are removed after this long (with their address).
BEVESTIG_TERMIJN = timedelta(days=7)


class AanmeldError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _recent_mail(user: User, kinds) -> bool:
    from notices.models import Notice

    return Notice.objects.filter(
        user=user, kind__in=kinds, created_at__gte=timezone.now() - MAIL_INTERVAL
    ).exists()


def _mail(user: User, *, kind: str, subject: str, entry) -> None:
    from notices.services import notice_create

    notice_create(kind=kind, recipients=[user], subject=subject, audit_entry=entry)


def bewoner_aanmelden(*, email: str, naam: str, password: str, werkgebied) -> None:
    """Sign up. Returns nothing on purpose: the caller must answer the same in every case.
    ``password`` has passed Django's validators (the form)."""
    email = normalise_email(email)
    naam = " ".join((naam or "").split())[:150]
    now = timezone.now()
    # Hashed whatever the address: the answer takes as long for an address with an account.
    hashed = make_password(password)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = User.objects.create(
                        email=email, password=hashed, naam=naam, is_active=False
                    )
            except IntegrityError:
                # Two sign-ups for one address at once: the other one made it.
                return
            Instellingen.objects.create(
                user=user, aanmelding_werkgebied=werkgebied, aangemeld_op=now
            )
            _verificatie(user, nieuw=True)
            return
        instellingen = Instellingen.objects.select_for_update().filter(user=user).first()
        if user.is_active or instellingen is None or not instellingen.wacht_op_bevestiging:
            # An account already (or one a beheerder switched off): tell the owner, nobody else.
            if user.is_active and not _recent_mail(user, [KIND_AL_ACCOUNT]):
                entry = audit_log(
                    action="people.aanmelding_bestaand_account", actor=None, target=user
                )
                _mail(
                    user,
                    kind=KIND_AL_ACCOUNT,
                    subject=_("U heeft al een account bij Wijkaanpak Rotterdam"),
                    entry=entry,
                )
            return
        if _recent_mail(user, [KIND_AANMELDEN]):
            return
        # The newest sign-up counts: its password (so the earlier link stops working).
        user.password = hashed
        user.naam = naam
        user.save(update_fields=["password", "naam"])
        instellingen.aanmelding_werkgebied = werkgebied
        instellingen.aangemeld_op = now
        instellingen.save(update_fields=["aanmelding_werkgebied", "aangemeld_op"])
        _verificatie(user, nieuw=False)


def _verificatie(user: User, *, nieuw: bool) -> None:
    entry = audit_log(
        action="people.aangemeld", actor=None, target=user, data={"opnieuw": not nieuw}
    )
    _mail(
        user,
        kind=KIND_AANMELDEN,
        subject=_("Bevestig uw e-mailadres voor Wijkaanpak Rotterdam"),
        entry=entry,
    )


def bewoner_bevestigen(*, uid: int, token: str) -> User:
    """The owner of the address followed the link: the account becomes active and gets the
    bewoner role for the werkgebied chosen at sign-up. The link works once."""
    from .tokens import aanmeld_token

    ongeldig = AanmeldError(
        _(
            "Deze link werkt niet (meer): hij is al gebruikt, verlopen of vervangen door een "
            "nieuwere aanmelding. Meld u opnieuw aan, of log in als uw account al actief is."
        )
    )
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=uid).first()
        if user is None or user.is_active or not aanmeld_token.check_token(user, token):
            raise ongeldig
        instellingen = Instellingen.objects.select_for_update().filter(user=user).first()
        if instellingen is None or not instellingen.wacht_op_bevestiging:
            raise ongeldig
        werkgebied = instellingen.aanmelding_werkgebied
        if werkgebied is None:
            raise ongeldig
        user.is_active = True
        user.save(update_fields=["is_active"])
        instellingen.bevestigd_op = timezone.now()
        instellingen.save(update_fields=["bevestigd_op"])
        rol = Roltoewijzing.objects.create(
            user=user, rol=Rol.BEWONER, werkgebied=werkgebied, geldig_vanaf=timezone.localdate()
        )
        audit_log(
            action="people.aanmelding_bevestigd",
            actor=None,
            target=user,
            data={"werkgebied": werkgebied.pk, "rol": rol.pk},
        )
    return user


def instellingen_van(user: User) -> Instellingen:
    instellingen, _created = Instellingen.objects.get_or_create(user=user)
    return instellingen


def bewoner_verhuizen(*, user: User, werkgebied) -> Roltoewijzing:
    """A resident moved: their bewoner role in the old werkgebied ends (yesterday; one that
    began today is withdrawn) and one in ``werkgebied`` begins today."""
    today = timezone.localdate()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        huidige = list(Roltoewijzing.objects.active(today).filter(user=user, rol=Rol.BEWONER))
        if any(a.werkgebied_id == werkgebied.pk for a in huidige) and len(huidige) == 1:
            return huidige[0]
        oud = []
        for a in huidige:
            oud.append(a.werkgebied_id)
            if a.werkgebied_id == werkgebied.pk:
                continue
            if a.geldig_vanaf >= today:
                a.delete()
            else:
                a.geldig_tot = today - timedelta(days=1)
                a.save(update_fields=["geldig_tot"])
        nieuw = next((a for a in huidige if a.werkgebied_id == werkgebied.pk), None)
        if nieuw is None:
            nieuw = Roltoewijzing.objects.create(
                user=user, rol=Rol.BEWONER, werkgebied=werkgebied, geldig_vanaf=today
            )
        audit_log(
            action="people.bewoner_verhuisd",
            actor=None,
            target=user,
            data={"van": oud, "naar": werkgebied.pk},
        )
    return nieuw


def frequentie_kiezen(*, user: User, frequentie: str) -> Instellingen:
    with transaction.atomic():
        instellingen = instellingen_van(user)
        instellingen = Instellingen.objects.select_for_update().get(pk=instellingen.pk)
        if instellingen.frequentie != frequentie:
            instellingen.frequentie = frequentie
            instellingen.save(update_fields=["frequentie"])
            audit_log(
                action="people.frequentie_gekozen",
                actor=None,
                target=user,
                data={"frequentie": frequentie},
            )
    return instellingen


def aanmeldingen_opruimen(*, now=None, limit: int = 500) -> int:
    """Remove sign-ups never confirmed within ``BEVESTIG_TERMIJN`` (their address goes with
    them). Idempotent; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Instellingen.objects.select_for_update(skip_locked=True)
            .filter(
                bevestigd_op__isnull=True,
                aangemeld_op__lt=now - BEVESTIG_TERMIJN,
                user__is_active=False,
            )
            .values_list("user_id", flat=True)[:limit]
        )
        if not ids:
            return 0
        from notices.models import Notice

        Notice.objects.filter(user_id__in=ids).update(recipient=VERWIJDERD)
        User.objects.filter(pk__in=ids, is_active=False).delete()
        audit_log(
            action="people.aanmeldingen_verwijderd",
            actor=None,
            target=None,
            data={"aantal": len(ids)},
        )
    return len(ids)


VERWIJDERD = "verwijderd@bewaartermijn.invalid"
