"""The section of "Mijn wijk" that ``people`` itself adds: the newest notifications."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from .models import Notificatie

PAGE_SIZE = 5


def berichten_sectie(request, pagina: str, csrf_token: str) -> str:
    page = Paginator(
        Notificatie.objects.filter(user=request.user).only(
            "titel", "url", "aangemaakt_op", "gelezen_op"
        ),
        PAGE_SIZE,
    ).get_page(pagina)
    return render_to_string(
        "people/_sectie_berichten.html", {"page": page, "param": "berichten-pagina"}
    )
