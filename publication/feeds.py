"""The Atom feeds of the public archive: every published version, newest first, for the whole
city and per werkgebied. Built from the archive's own rows without their frozen HTML, at a
fixed number of queries, with absolute links on the host the reader asked. Kept in the page
cache per scheme and host (``cache_public_page(..., per_host=True)``): unlike the HTML pages,
whose links are relative, a feed is made of absolute URLs, and a copy shared across hosts would
send the readers of one host to another."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.contrib.syndication.views import Feed, add_domain
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from places.models import Werkgebied

from .models import Pdfstatus, Publicatie

MAX_VERSIES = 50


@dataclass(frozen=True)
class _Bron:
    """What one request asks for: the werkgebied (None for the whole city) and where the
    reader is, for the one absolute URL the syndication framework does not make itself (the
    enclosure). The feed object is shared between requests, so nothing is kept on it."""

    werkgebied: Werkgebied | None
    domein: str
    beveiligd: bool


def _tag_autoriteit() -> str:
    # An entry's id must never change: not with the host it is read on, nor when a werkgebied
    # is renamed (which changes its links). So it is a tag URI (RFC 4151) under the portal's
    # own address and the row's primary key.
    return urlsplit(settings.SITE_URL).hostname or "localhost"


class PublicatieFeed(Feed):
    """Every published version of the whole city."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return _Bron(
            werkgebied=self._werkgebied(**kwargs),
            # django.contrib.sites is not installed: this is a RequestSite, the request's own
            # host (checked against ALLOWED_HOSTS), as the framework uses for every other link.
            domein=get_current_site(request).domain,
            beveiligd=request.is_secure(),
        )

    def _werkgebied(self, **kwargs):
        return None

    # ------------------------------------------------------------------ the feed

    def title(self, bron):
        return _("Publicaties van de wijkaanpak Rotterdam")

    def subtitle(self, bron):
        return _(
            "Elke gepubliceerde wijkanalyse, wijkagenda, wijkprogramma en elk wijkverslag van "
            "Rotterdam, in elke versie."
        )

    def link(self, bron):
        return reverse("publicatie-archief")

    def feed_guid(self, bron):
        # The tag's date is the year the feeds began: a fixed part of a fixed name.
        return f"tag:{_tag_autoriteit()},2025:publicaties"

    def author_name(self, bron):
        return _("Gemeente Rotterdam")

    def items(self, bron):
        versies = Publicatie.objects.all()
        if bron.werkgebied is not None:
            versies = versies.filter(werkgebied=bron.werkgebied)
        versies = list(
            versies.select_related("werkgebied")
            # The frozen HTML is tens of kilobytes per version; the failure reason is not public.
            .defer("html", "pdf_fout")
            .order_by("-gepubliceerd_op", "-pk")[:MAX_VERSIES]
        )
        for versie in versies:
            versie.feed_bron = bron
        return versies

    # ------------------------------------------------------------------ an entry

    def item_title(self, versie):
        # An Atom title is text (the generator escapes it); Django's default escapes it once
        # more for RSS readers, which would show "&amp;" here.
        if versie.versie > 1:
            return _("%(titel)s (versie %(n)s)") % {"titel": versie.titel, "n": versie.versie}
        return versie.titel

    def item_description(self, versie):
        # The Atom summary is HTML: names typed in the admin are escaped, so they stay text.
        tekst = _(
            "%(soort)s van werkgebied %(werkgebied)s over programmajaar %(jaar)s, "
            "versie %(versie)s."
        ) % {
            "soort": capfirst(versie.get_soort_display()),
            "werkgebied": versie.werkgebied.naam,
            "jaar": versie.jaar,
            "versie": versie.versie,
        }
        if versie.correctie_reden:
            tekst += " " + _(
                "Deze versie vervangt versie %(vorige)s. Reden van de correctie: %(reden)s"
            ) % {"vorige": versie.versie - 1, "reden": versie.correctie_reden}
        return escape(tekst)

    def item_guid(self, versie):
        datum = versie.gepubliceerd_op.astimezone(datetime.UTC).date().isoformat()
        return f"tag:{_tag_autoriteit()},{datum}:publicatie/{versie.pk}"

    def item_pubdate(self, versie):
        return versie.gepubliceerd_op

    def item_updateddate(self, versie):
        return versie.gepubliceerd_op

    def item_author_name(self, versie):
        # The name the version page shows: a person's name or the role they acted in, never
        # an address. A row from before that rule that holds one anyway falls back to the
        # feed's author.
        naam = versie.gepubliceerd_door_naam.strip()
        return naam if naam and "@" not in naam else None

    def item_enclosures(self, versie):
        if versie.pdf_status != Pdfstatus.KLAAR:
            return []
        bron = versie.feed_bron
        return [
            Enclosure(
                url=add_domain(bron.domein, versie.get_pdf_url(), bron.beveiligd),
                length=str(versie.pdf_grootte or 0),
                mime_type="application/pdf",
            )
        ]


class WerkgebiedPublicatieFeed(PublicatieFeed):
    """Every published version of one werkgebied."""

    def _werkgebied(self, *, slug, **kwargs):
        # An unknown slug raises DoesNotExist, which the syndication view answers with a 404.
        return Werkgebied.objects.only("pk", "naam", "slug").get(slug=slug)

    def title(self, bron):
        return _("Publicaties van werkgebied %(naam)s") % {"naam": bron.werkgebied.naam}

    def subtitle(self, bron):
        return _(
            "Elke gepubliceerde wijkanalyse, wijkagenda, wijkprogramma en elk wijkverslag van "
            "werkgebied %(naam)s, in elke versie."
        ) % {"naam": bron.werkgebied.naam}

    def link(self, bron):
        return f"{reverse('publicatie-archief')}?werkgebied={bron.werkgebied.slug}"

    def feed_guid(self, bron):
        return f"tag:{_tag_autoriteit()},2025:publicaties/werkgebied/{bron.werkgebied.pk}"


publicatie_feed = PublicatieFeed()
werkgebied_publicatie_feed = WerkgebiedPublicatieFeed()
