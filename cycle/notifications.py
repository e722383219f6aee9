"""Who is told what about the cycle. Each builder is called inside the transaction of the step,
next to its audit entry, and puts its e-mail notices in the outbox (``notices``): they exist
exactly when the step committed, and are sent after the commit."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from notices.models import Notice
from notices.services import notice_create
from people.models import Rol, Roltoewijzing, User

from .models import Fase, Product, Werkcyclus


def _recipients(*, werkgebied, rollen, city_wide_rollen=(), exclude_user_id=None) -> list[User]:
    """Active users holding one of ``rollen`` for ``werkgebied`` (directly or through its
    gebied), or one of ``city_wide_rollen`` anywhere; never the one who acted."""
    area = Q(werkgebied=werkgebied) | Q(gebied=werkgebied.gebied_id)
    scoped = Q(rol__in=rollen) & area
    query = scoped | Q(rol__in=city_wide_rollen) if city_wide_rollen else scoped
    users = User.objects.filter(
        is_active=True,
        pk__in=Roltoewijzing.objects.active().filter(query).values("user_id"),
    )
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return list(users.order_by("email"))


def _actor_name(entry: AuditEntry) -> str:
    # The name only: a notice to the wijkraad does not hand out a colleague's e-mail address.
    return (entry.actor.get_full_name() if entry.actor else "") or _("Het portaal")


def werkcyclus_transition_notices(*, cyclus: Werkcyclus, entry: AuditEntry) -> list[Notice]:
    """The wijkmanagers and the wijkraad of the werkgebied hear that the cycle moved on."""
    recipients = _recipients(
        werkgebied=cyclus.werkgebied,
        rollen=[Rol.WIJKMANAGER, Rol.WIJKRAADSLID],
        exclude_user_id=entry.actor_id,
    )
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        fase = Fase(entry.data["naar"]).label
        subject = _("Werkcyclus %(cyclus)s: nu in fase %(fase)s") % {
            "cyclus": cyclus,
            "fase": fase,
        }
        body = "\n\n".join(
            [
                _("%(wie)s heeft de werkcyclus %(cyclus)s naar de fase %(fase)s gebracht.")
                % {"wie": _actor_name(entry), "cyclus": cyclus, "fase": fase},
                _("Bekijk de stand van de cyclus op %(url)s")
                % {"url": settings.SITE_URL + cyclus.get_absolute_url()},
            ]
        )
    return notice_create(
        kind="cycle.transition",
        recipients=recipients,
        subject=subject,
        body=body,
        audit_entry=entry,
    )


def product_published_notices(
    *, product: Product, entry: AuditEntry, url: str | None = None, correctie: str = ""
) -> list[Notice]:
    """The wijkraad and the wijkmanagers of the werkgebied, and the city-wide raad, hear that
    a product was published, with a link to ``url`` (the published version) or else to the
    product's page; a corrected publication says so, with the reason of the correction."""
    recipients = _recipients(
        werkgebied=product.cyclus.werkgebied,
        rollen=[Rol.WIJKRAADSLID, Rol.WIJKMANAGER],
        city_wide_rollen=[Rol.RAAD],
        exclude_user_id=entry.actor_id,
    )
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "titel": product.titel,
            "url": settings.SITE_URL + (url or product.get_absolute_url()),
            "reden": correctie,
        }
        if correctie:
            subject = _("Gecorrigeerd gepubliceerd: %(titel)s") % context
            body = (
                _(
                    "%(titel)s is opnieuw gepubliceerd, als correctie van de vorige versie. "
                    "Reden van de correctie: %(reden)s\n\nDe nieuwe versie staat op %(url)s"
                )
                % context
            )
        else:
            subject = _("Gepubliceerd: %(titel)s") % context
            body = _("%(titel)s is gepubliceerd en staat op %(url)s") % context
    return notice_create(
        kind="cycle.published",
        recipients=recipients,
        subject=subject,
        body=body,
        audit_entry=entry,
    )
