"""The versions of a product, on its page (public: the page may be cached for anonymous
visitors under the public version, which a finished or failed PDF bumps)."""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Publicatie


def product_panel(product) -> str:
    if not getattr(product, "SOORT", None) or product.gepubliceerd_op is None:
        return ""
    versies = list(
        Publicatie.objects.filter(
            product_type=ContentType.objects.get_for_model(product), product_id=product.pk
        )
        .met_opvolger()
        .select_related("werkgebied")
        .defer("html", "pdf_fout")
        .order_by("-versie")
    )
    if not versies:
        return ""
    return render_to_string("publication/_product_versies.html", {"versies": versies})


def werkgebied_panel(werkgebied) -> str:
    return _archief_link(
        f"werkgebied={werkgebied.slug}",
        werkgebied.naam,
        feed_url=reverse("publicatie-feed-werkgebied", kwargs={"slug": werkgebied.slug}),
    )


def wijk_panel(wijk) -> str:
    # A wijk without a wijkraad has no cycle, and so no publications.
    if wijk.werkgebied_id is None:
        return ""
    return _archief_link(f"wijk={wijk.slug}", wijk.naam)


def _archief_link(query: str, naam: str, feed_url: str = "") -> str:
    return render_to_string(
        "publication/_archief_link.html",
        {"url": reverse("publicatie-archief") + "?" + query, "naam": naam, "feed_url": feed_url},
    )
