"""The publications part of "Mijn werk": for a member of the council, the wijkverslagen
published since their previous sign-in (the last 90 days at their first). One query."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from people.models import Rol

from .models import Publicatie

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
