"""Pages use a fixed number of queries, whatever the size of the data: each page is measured,
the data grows tenfold (wijken, cycles, audit entries), and the page is measured again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cycle import services
from cycle.models import PRODUCT_VAN_FASE, WERKFASEN, Fase, Productstatus, Werkcyclus
from people.models import Rol
from tests.people.factories import user_with_role
from tests.places.factories import GebiedFactory, WerkgebiedFactory, WijkFactory

MAX_QUERIES = 15


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types), as on a running server
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow(werkgebied, make_cycle, wijkmanager, *, wijken, cycli, start_jaar):
    """Add wijken (in several gebieden and werkgebieden), cycles of ``werkgebied`` with audit
    entries, and cycles elsewhere."""
    gebieden = [GebiedFactory() for _ in range(max(1, wijken // 10))]
    for i in range(wijken):
        gebied = gebieden[i % len(gebieden)]
        WijkFactory(werkgebied=WerkgebiedFactory(gebied=gebied), gebied=gebied)
        WijkFactory(werkgebied=werkgebied, gebied=werkgebied.gebied)
    for i in range(cycli):
        # Every cycle is taken through phases by the services, so the audit log grows too.
        make_cycle(werkgebied, jaar=start_jaar + i, fase=Fase.UITVOERING)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "wijken",
        "werkgebieden",
        "wijk",
        "werkgebied",
        "cyclus",
        "rollen",
        "product",
        "mijn-werk",
    ],
)
def test_query_count_is_fixed(
    client, werkgebied, make_cycle, url_name, django_assert_max_num_queries
):
    wijkmanager = user_with_role(Rol.WIJKMANAGER, werkgebied=werkgebied)
    user_with_role(Rol.WIJKRAADSLID, werkgebied=werkgebied)
    client.force_login(wijkmanager)
    cyclus = make_cycle(werkgebied, jaar=2020, fase=Fase.UITVOERING)
    urls = {
        "home": "/",
        "wijken": "/wijken/",
        "werkgebieden": "/werkgebieden/",
        "wijk": "/wijken/rubroek/",
        "werkgebied": f"/werkgebieden/{werkgebied.slug}/",
        "cyclus": f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/",
        "rollen": f"/werkgebieden/{werkgebied.slug}/rollen/",
        "product": f"/werkgebieden/{werkgebied.slug}/{cyclus.jaar}/wijkprogramma/",
        "mijn-werk": "/mijn-werk/",
    }
    url = urls[url_name]

    grow(werkgebied, make_cycle, wijkmanager, wijken=3, cycli=1, start_jaar=2030)
    small = count_queries(client, url)
    # Audit entries of the measured cycle grow too (planning edits write one each).
    for i in range(20):
        services.werkcyclus_plan(
            cyclus=cyclus,
            user=wijkmanager,
            planning={"analyse_eind": cyclus.analyse_eind.replace(day=1 + i)},
        )
    grow(werkgebied, make_cycle, wijkmanager, wijken=30, cycli=10, start_jaar=2040)
    client.get(url)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    assert small <= MAX_QUERIES


def grow_running(beheerder, *, per_fase: int, start: int):
    """``per_fase`` running cycles in every working phase (in as many new werkgebieden), one
    closed cycle, and the product each is drafting in consultation. Started by the service,
    then put into their phase and status directly: the pages read states the services reach."""
    for fase in [*WERKFASEN, Fase.AFGEROND]:
        for i in range(per_fase if fase != Fase.AFGEROND else 1):
            werkgebied = WerkgebiedFactory(naam=f"Groei {start + i} {fase}")
            cyclus = services.werkcyclus_create(werkgebied=werkgebied, jaar=2027, user=beheerder)
            Werkcyclus.objects.filter(pk=cyclus.pk).update(fase=fase)
            model = PRODUCT_VAN_FASE.get(fase)
            if model is not None and fase in model.WERKFASEN:  # not the programme in uitvoering
                model.objects.filter(cyclus=cyclus).update(status=Productstatus.CONSULTATIE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/lopende-cycli/", "/lopende-cycli/uitvoering/", "/ter-consultatie/"]
)
def test_public_overviews_query_count_is_fixed(client, beheerder, url):
    """The start page's "Nu bezig" and the lists it links to: the same number of queries with
    2 running cycles per phase (under the start page's cap) as with 20 (over it, and over a
    page of the consultations list)."""
    grow_running(beheerder, per_fase=2, start=0)
    small = count_queries(client, url)
    grow_running(beheerder, per_fase=18, start=100)
    large = count_queries(client, url)
    assert large == small <= MAX_QUERIES
    if url == "/":
        response = client.get(url)
        assert all(len(groep["cycli"]) == 8 for groep in response.context["fasen"])
        assert all(groep["aantal"] == 20 for groep in response.context["fasen"])
        assert response.context["consultaties_aantal"] == 80
