"""The publications parts of "Mijn werk": for a member of the council, the wijkverslagen
published since their previous sign-in (the last 90 days at their first); for those who run
the cycle, the versions whose PDF failed. One query each."""

from datetime import timedelta

from django.db.models import Q
from django.db.models.functions import Left
from django.template.loader import render_to_string
from django.utils import timezone

from people.models import Rol

from .models import Pdfstatus, Publicatie

NIEUW_MAX = 20


def wijkverslagen_sectie(user, assignments) -> str:
    if not any(a.rol == Rol.RAAD for a in assignments):
        return ""
    sinds = user.vorige_login or timezone.now() - timedelta(days=90)
    rows = list(
        Publicatie.objects.filter(soort="wijkverslag", gepubliceerd_op__gt=sinds)
        .select_related("werkgebied")
        .defer("html", "pdf_fout")
        .order_by("-gepubliceerd_op", "-pk")[: NIEUW_MAX + 1]
    )
    return render_to_string(
        "publication/_mijn_werk.html",
        {
            "versies": rows[:NIEUW_MAX],
            "meer": len(rows) > NIEUW_MAX,
            "sinds": sinds,
            "eerste_keer": user.vorige_login is None,
            "jaar": timezone.localdate().year - 1,
        },
    )


MISLUKT_MAX = 20
# Enough of the reason to recognise it; the version page shows it whole.
REDEN_MAX = 300


def mislukte_pdfs_sectie(user, assignments) -> str:
    """For those who may try a failed PDF again (``publication.retry_pdf``): the versions
    whose PDF failed, with the reason and a link to the version page, where the button is. A
    beheerder sees every werkgebied, a wijkmanager those their role covers today. One query;
    none for anyone else."""
    if (user.is_active and user.is_superuser) or any(a.rol == Rol.BEHEERDER for a in assignments):
        scope = Q()
    else:
        # As ``people.roles.covers``: a werkgebied, or every werkgebied of a gebied. Fails
        # closed: an assignment without either covers nothing.
        wijkmanager = [a for a in assignments if a.rol == Rol.WIJKMANAGER]
        werkgebieden = {a.werkgebied_id for a in wijkmanager if a.werkgebied_id is not None}
        gebieden = {
            a.gebied_id for a in wijkmanager if a.werkgebied_id is None and a.gebied_id is not None
        }
        if not werkgebieden and not gebieden:
            return ""
        scope = Q(werkgebied_id__in=werkgebieden) | Q(werkgebied__gebied_id__in=gebieden)
    rows = list(
        Publicatie.objects.filter(scope, pdf_status=Pdfstatus.MISLUKT)
        .select_related("werkgebied")
        # The reason can be a long traceback line: only its start comes from the database.
        .defer("html", "pdf_fout")
        .annotate(reden=Left("pdf_fout", REDEN_MAX + 1))
        .order_by("-gepubliceerd_op", "-pk")[: MISLUKT_MAX + 1]
    )
    if not rows:
        return ""
    return render_to_string(
        "publication/_mijn_werk_mislukt.html",
        {
            "versies": rows[:MISLUKT_MAX],
            "meer": len(rows) > MISLUKT_MAX,
            "reden_max": REDEN_MAX,
        },
    )
