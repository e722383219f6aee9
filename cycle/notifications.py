"""E-mail notices about the cycle, sent from Celery tasks after the change has committed."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from people.models import Rol, Roltoewijzing

from .models import PRODUCT_PER_SOORT, Fase, Werkcyclus


def _recipients(*, werkgebied, rollen, city_wide_rollen=(), exclude_user_id=None) -> list[str]:
    area = Q(werkgebied=werkgebied) | Q(gebied=werkgebied.gebied_id)
    scoped = Q(rol__in=rollen) & area
    query = scoped | Q(rol__in=city_wide_rollen) if city_wide_rollen else scoped
    emails = (
        Roltoewijzing.objects.active()
        .filter(query, user__is_active=True)
        .exclude(user_id=exclude_user_id)
        .values_list("user__email", flat=True)
        .distinct()
    )
    return sorted(emails)


def cycle_transition_notice(entry_id: int) -> int:
    entry = AuditEntry.objects.filter(pk=entry_id, action="cycle.transition").first()
    if entry is None:
        return 0
    cyclus = Werkcyclus.objects.select_related("werkgebied").filter(pk=entry.object_id).first()
    if cyclus is None:
        return 0
    recipients = _recipients(
        werkgebied=cyclus.werkgebied,
        rollen=[Rol.WIJKMANAGER, Rol.WIJKRAADSLID],
        exclude_user_id=entry.actor_id,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Werkcyclus %(cyclus)s: nu in fase %(fase)s") % {
            "cyclus": cyclus,
            "fase": Fase(entry.data["naar"]).label,
        }
        body = _("%(wie)s heeft de werkcyclus %(cyclus)s naar de fase %(fase)s gebracht.") % {
            "wie": entry.actor_label or _("Het portaal"),
            "cyclus": cyclus,
            "fase": Fase(entry.data["naar"]).label,
        }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def product_published_notice(entry_id: int) -> int:
    entry = AuditEntry.objects.filter(pk=entry_id, action="cycle.product_transition").first()
    if entry is None:
        return 0
    model = PRODUCT_PER_SOORT[entry.data["product"]]
    product = model.objects.select_related("cyclus__werkgebied").filter(pk=entry.object_id).first()
    if product is None:
        return 0
    werkgebied = product.cyclus.werkgebied
    recipients = _recipients(
        werkgebied=werkgebied,
        rollen=[Rol.WIJKRAADSLID, Rol.WIJKMANAGER],
        city_wide_rollen=[Rol.RAAD],
        exclude_user_id=entry.actor_id,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Gepubliceerd: %(titel)s") % {"titel": product.titel}
        body = _("%(titel)s is gepubliceerd en staat op %(url)s") % {
            "titel": product.titel,
            "url": settings.SITE_URL + product.get_absolute_url(),
        }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
