"""Pages use a fixed number of queries, whatever the size of the city: every page is measured
on a small generated city (4 werkgebieden, 2 years, factor 1) and on the same city grown
tenfold (all 39 werkgebieden, a year more, factor 10: ten times the accounts of every role,
the edits and so the history of every product, the notices; ten times the running cycles and
consultations; and more places: wijken with Wijkprofiel scores in the measured werkgebied,
new gebieden and werkgebieden), and must use exactly as many queries in both, and no more than
a cap.

The page cache is off here: what is measured is the work of rendering a page, which is what
every cache miss costs (a hit costs one query, see tests/pagecache)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cycle.models import PRODUCT_MODELLEN, WERKFASEN, Fase, Productstatus, Werkcyclus
from cycle.scale import generate
from people.models import User
from places.models import Werkgebied, Wijk
from tests.places.factories import (
    GebiedFactory,
    WerkgebiedFactory,
    WijkFactory,
    WijkprofielScoreFactory,
)
from tests.scale import cycle_steps

# The richest page (the product its wijkmanager drafts: themes, quotes, the barometer, the
# checklist, the meldingen, comments, versions, and since the participation issue the panels
# of the advice, the consultation and the support) stays under this whatever the size of the
# city, rendered afresh (a reload comes from the user's page cache: 2 queries); the assertion
# that matters is that no page grows with it. (20 before those three panels; they cost 2.)
MAX_QUERIES = 24
CITY = {"seed": 7, "until_year": 2027, "today": datetime.date(2026, 11, 2)}
SMALL = {"years": 2, "factor": 1, "werkgebieden": 4}
LARGE = {"years": 3, "factor": 10}


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types), as on a running server
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def pages(summary) -> dict[str, tuple[str | None, str]]:
    """name → (benchmark account to sign in as, or None for anonymous; url)."""
    slug, jaar = summary.werkgebied, summary.jaar
    wijk = Wijk.objects.filter(werkgebied__slug=slug).order_by("slug").first()
    # Next year's cycle of the same werkgebied, and the product it is drafting now.
    volgend = Werkcyclus.objects.select_related(
        "wijkanalyse", "wijkagenda", "wijkprogramma", "wijkverslag"
    ).get(werkgebied__slug=slug, jaar=jaar + 1)
    soort = volgend.huidig_product().SOORT
    cyclus = f"/werkgebieden/{slug}/{jaar}/"
    werk = f"/werkgebieden/{slug}/{jaar + 1}/"
    return {
        "home": (None, "/"),
        "wijken": (None, "/wijken/"),
        "werkgebieden": (None, "/werkgebieden/"),
        "wijk": (None, f"/wijken/{wijk.slug}/"),
        "werkgebied": (None, f"/werkgebieden/{slug}/"),
        "lopende-cycli": (None, "/lopende-cycli/"),
        "lopende-cycli-fase": (None, "/lopende-cycli/uitvoering/"),
        "ter-consultatie": (None, "/ter-consultatie/"),
        "cyclus": (None, cyclus),
        "product": (None, f"{cyclus}wijkprogramma/"),
        "rollen": (None, f"/werkgebieden/{slug}/rollen/"),
        "cyclus (wijkmanager)": ("wijkmanager", cyclus),
        "product (wijkmanager)": ("wijkmanager", f"{cyclus}wijkprogramma/"),
        f"cyclus in {volgend.fase} (wijkmanager)": ("wijkmanager", werk),
        f"{soort} in werk (wijkmanager)": ("wijkmanager", f"{werk}{soort}/"),
        "cyclus (wijkraadslid)": ("wijkraadslid", cyclus),
        "mijn-werk wijkmanager": ("wijkmanager", "/mijn-werk/"),
        "mijn-werk wijkraadslid": ("wijkraadslid", "/mijn-werk/"),
        "mijn-werk accounthouder": ("accounthouder", "/mijn-werk/"),
        "mijn-werk raad": ("raad", "/mijn-werk/"),
        "mijn-werk beheerder": ("beheerder", "/mijn-werk/"),
    }


def grow_places(slug: str, *, wijken: int, gebieden: int):
    """More wijken (with their Wijkprofiel years) in the measured werkgebied, and gebieden
    with werkgebieden of their own: the place lists and the werkgebied page grow too."""
    werkgebied = Werkgebied.objects.get(slug=slug)
    for _ in range(wijken):
        wijk = WijkFactory(werkgebied=werkgebied, gebied=werkgebied.gebied)
        for jaar in (2018, 2020, 2022):
            WijkprofielScoreFactory(wijk=wijk, jaar=jaar)
    for _ in range(gebieden):
        gebied = GebiedFactory()
        for _ in range(3):
            WijkFactory(werkgebied=WerkgebiedFactory(gebied=gebied), gebied=gebied)


def measure(summary, urls) -> dict[str, int]:
    counts = {}
    for name, (account, url) in urls.items():
        client = Client()
        if account is not None:
            client.force_login(User.objects.get(email=summary.accounts[account]))
        counts[name] = count_queries(client, url)
    return counts


@pytest.mark.django_db
def test_every_page_uses_the_same_queries_in_a_city_ten_times_as_large(rotterdam, settings):
    settings.PAGE_CACHE_SECONDS = 0
    small = generate(steps=cycle_steps(), **SMALL, **CITY)
    small_pages = pages(small)
    small_counts = measure(small, small_pages)

    large = generate(steps=cycle_steps(), **LARGE, **CITY, replace=True)
    # The same benchmark cycle, in the same state, so the same pages are compared.
    assert (large.werkgebied, large.jaar) == (small.werkgebied, small.jaar)
    assert pages(large) == small_pages
    for label in ("people.User", "audit.AuditEntry", "notices.Notice", "cycle.Werkcyclus"):
        assert large.counts[label] >= 10 * small.counts[label], label
    grow_places(large.werkgebied, wijken=30, gebieden=3)
    large_counts = measure(large, small_pages)

    assert large_counts == small_counts
    assert max(small_counts.values()) <= MAX_QUERIES, small_counts
    assert_lists_capped_and_counted_in_full()


def assert_lists_capped_and_counted_in_full():
    """In the large city the lists are longer than the pages show (8 per phase and 8
    consultations on the start page, 50 running cycles a page), and the counts the start page
    gives are those of the whole city."""
    response = Client().get("/")
    lopend = Werkcyclus.objects.exclude(fase=Fase.AFGEROND)
    fasen = response.context["fasen"]
    assert [groep["fase"] for groep in fasen] == WERKFASEN
    for groep in fasen:
        assert groep["aantal"] == lopend.filter(fase=groep["fase"]).count()
        assert len(groep["cycli"]) == min(8, groep["aantal"])
    assert max(groep["aantal"] for groep in fasen) > 8
    assert lopend.count() > 50
    in_consultatie = sum(
        model.objects.filter(status=Productstatus.CONSULTATIE).count() for model in PRODUCT_MODELLEN
    )
    assert response.context["consultaties_aantal"] == in_consultatie > 8
    assert len(response.context["consultaties"]) == 8
