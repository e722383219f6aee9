"""Notifications to users with an account: shown in the portal (with the unread count kept on
the user row, so the navigation costs no query) and mailed through the outbox at once, in a
weekly overview, or not at all, as the user chose in their settings.

``notificaties_maken`` is called by the apps that know what happened (participation for a
melding's status, an initiative's progress, a publication in a followed area), inside the
transaction of that change: the rows exist exactly when the change does. Every mail carries a
one-click unsubscribe link (a signed token, no sign-in needed) and the RFC 8058
``List-Unsubscribe`` headers; it is rendered when sent, so the outbox stores no link."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_log

from .models import Frequentie, Instellingen, Notificatie, User

KIND_NOTIFICATIE = "people.notificatie"
KIND_OVERZICHT = "people.weekoverzicht"
AFMELD_SALT = "people.notificaties.afmelden"
TITEL_MAX = 200
TEKST_MAX = 2000


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def afmeld_token(user: User) -> str:
    """The key of the one-click unsubscribe link: signed, without expiry (a mail from last
    year must still unsubscribe), bound to the account and its address."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=AFMELD_SALT, compress=True)


def afmeld_url(user: User) -> str:
    return _site_url(reverse("notificaties-afmelden", kwargs={"token": afmeld_token(user)}))


def user_per_afmeld_token(token: str) -> User | None:
    if not token or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=AFMELD_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], email=data.get("e", "")).first()


def notificaties_maken(
    *,
    users: Iterable,
    soort: str,
    titel: str,
    tekst: str = "",
    url: str = "",
    mailen: bool = True,
) -> list[Notificatie]:
    """One notification per (active) user, inside the caller's transaction. Users who chose
    "meteen" get a mail now (after the commit), "wekelijks" in the next overview, "nooit"
    none. ``mailen=False``: the portal only (the caller mails them another way)."""
    ids = {u if isinstance(u, int) else u.pk for u in users}
    if not ids:
        return []
    actief = list(
        User.objects.filter(pk__in=ids, is_active=True)
        .select_related("instellingen")
        .only("pk", "email", "instellingen__frequentie")
        .order_by("pk")
    )
    if not actief:
        return []
    titel, tekst = " ".join(titel.split())[:TITEL_MAX], tekst[:TEKST_MAX]
    now = timezone.now()
    rows = []
    for user in actief:
        try:
            frequentie = user.instellingen.frequentie
        except Instellingen.DoesNotExist:
            frequentie = Frequentie.METEEN
        if not mailen or frequentie == Frequentie.NOOIT:
            mail = Notificatie.Mail.GEEN
        elif frequentie == Frequentie.WEKELIJKS:
            mail = Notificatie.Mail.WACHT
        else:
            mail = Notificatie.Mail.VERSTUURD
        rows.append(
            Notificatie(
                user=user,
                soort=soort,
                titel=titel,
                tekst=tekst,
                url=url,
                aangemaakt_op=now,
                mail=mail,
            )
        )
    made = Notificatie.objects.bulk_create(rows)
    User.objects.filter(pk__in=[u.pk for u in actief]).update(ongelezen=F("ongelezen") + 1)
    meteen = [n for n in made if n.mail == Notificatie.Mail.VERSTUURD]
    if meteen:
        _mail_meteen(meteen, {u.pk: u for u in actief})
    return made


def _mail_meteen(notificaties: list[Notificatie], users: dict) -> None:
    from notices.services import notice_create

    for notificatie in notificaties:
        (notice,) = notice_create(
            kind=KIND_NOTIFICATIE,
            recipients=[users[notificatie.user_id]],
            subject=notificatie.titel,
        ) or (None,)
        if notice is not None:
            notificatie.notice = notice
    Notificatie.objects.bulk_update(notificaties, ["notice"])


def notificaties_gelezen(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all unread when ``ids`` is None)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        qs = Notificatie.objects.filter(user=user, gelezen_op__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        n = qs.update(gelezen_op=timezone.now())
        ongelezen = Notificatie.objects.filter(user=user, gelezen_op__isnull=True).count()
        User.objects.filter(pk=user.pk).update(ongelezen=ongelezen)
        user.ongelezen = ongelezen
    return n


def afmelden(*, token: str) -> bool:
    """One-click unsubscribe: no more e-mail about notifications (the portal keeps showing
    them). True when the token named an account; the page answers the same either way."""
    with transaction.atomic():
        user = user_per_afmeld_token(token)
        if user is None:
            return False
        instellingen, _created = Instellingen.objects.get_or_create(user=user)
        instellingen = Instellingen.objects.select_for_update().get(pk=instellingen.pk)
        if instellingen.frequentie != Frequentie.NOOIT:
            instellingen.frequentie = Frequentie.NOOIT
            instellingen.save(update_fields=["frequentie"])
            audit_log(action="people.afgemeld_per_link", actor=None, target=user, data={})
        # What waited for the weekly overview stays in the portal only.
        Notificatie.objects.filter(user=user, mail=Notificatie.Mail.WACHT).update(
            mail=Notificatie.Mail.GEEN
        )
    return True


# ----------------------------------------------------------------------- weekly overview


def iso_week(day: datetime.date) -> str:
    jaar, week, _dag = day.isocalendar()
    return f"{jaar}-W{week:02d}"


def weekoverzichten_versturen(*, today=None, batch: int = 200) -> int:
    """Mail every user with waiting notifications their overview, at most once per ISO week
    (``Instellingen.laatste_overzicht``): a second run in the same week sends nothing new,
    and a run that died half-way goes on with whom it had not done. Returns how many."""
    week = iso_week(today or timezone.localdate())
    sent, vanaf = 0, 0
    while True:
        with transaction.atomic():
            ids = list(
                Notificatie.objects.filter(mail=Notificatie.Mail.WACHT, user_id__gt=vanaf)
                .exclude(user__instellingen__laatste_overzicht=week)
                .order_by("user_id")
                .values_list("user_id", flat=True)
                .distinct()[:batch]
            )
            if not ids:
                return sent
            for user_id in ids:
                sent += _overzicht(user_id, week)
            vanaf = ids[-1]


def _overzicht(user_id: int, week: str) -> int:
    from notices.services import notice_create

    instellingen, _created = Instellingen.objects.get_or_create(user_id=user_id)
    instellingen = (
        Instellingen.objects.select_for_update(skip_locked=True)
        .select_related("user")
        .filter(pk=instellingen.pk)
        .first()
    )
    if instellingen is None or instellingen.laatste_overzicht == week:
        return 0
    user = instellingen.user
    wachtend = list(
        Notificatie.objects.filter(user_id=user_id, mail=Notificatie.Mail.WACHT).order_by("pk")
    )
    instellingen.laatste_overzicht = week
    instellingen.save(update_fields=["laatste_overzicht"])
    if not wachtend or not user.is_active:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        notices = notice_create(
            kind=KIND_OVERZICHT,
            recipients=[user],
            subject=_("Uw weekoverzicht van Wijkaanpak Rotterdam (%(n)d berichten)")
            % {"n": len(wachtend)},
        )
    Notificatie.objects.filter(pk__in=[n.pk for n in wachtend]).update(
        mail=Notificatie.Mail.VERSTUURD, notice=notices[0] if notices else None
    )
    return 1 if notices else 0


# ---------------------------------------------------------------------------- the mails


def _render(notice, template: str) -> tuple[str, str, dict]:
    user = notice.user
    if user is None or not user.is_active:
        raise LookupError("no active account for this notification mail")
    notificaties = list(Notificatie.objects.filter(notice=notice).order_by("pk"))
    if not notificaties:
        raise LookupError("the notifications of this mail are gone")
    url = afmeld_url(user)
    body = render_to_string(
        template,
        {
            "notificaties": notificaties,
            "afmeld_url": url,
            "site_url": settings.SITE_URL.rstrip("/"),
            "instellingen_url": _site_url(reverse("mijn-wijk-instellingen")),
        },
    )
    headers = {
        # RFC 8058: a mail client may unsubscribe with one POST, without a browser.
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return notice.subject, body, headers


def render_notificatie(notice):
    return _render(notice, "people/email/notificatie.txt")


def render_overzicht(notice):
    return _render(notice, "people/email/weekoverzicht.txt")
