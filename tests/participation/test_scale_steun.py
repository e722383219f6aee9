"""The generated residents' support (participation/scale_steun.py, the step
participation.steun of manage.py load_scale): only residents of the item's werkgebied, never
twice, and the agenda page and "Mijn wijk" of the benchmark resident in a fixed number of
queries at that size."""

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cycle import scale
from cycle.models import Wijkagenda
from participation.models import Steunbetuiging
from people.models import Rol, Roltoewijzing, User

from .test_scale import SMALL


def test_supports_by_residents_of_the_werkgebied(rotterdam, client, settings):
    scale.generate(**SMALL)
    steun = Steunbetuiging.objects.select_related(
        "agendapunt__wijkagenda__cyclus", "initiatief__wijkprogramma__cyclus"
    )
    assert steun.count() > 1000
    werkgebied_van = dict(
        Roltoewijzing.objects.filter(rol=Rol.BEWONER).values_list("user_id", "werkgebied_id")
    )
    for s in steun.order_by("?")[:300]:
        cyclus = (
            s.agendapunt.wijkagenda.cyclus if s.agendapunt_id else s.initiatief.wijkprogramma.cyclus
        )
        assert werkgebied_van[s.user_id] == cyclus.werkgebied_id
    dubbel = (
        Steunbetuiging.objects.values("user", "agendapunt", "initiatief")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not dubbel.exists()
    bench = User.objects.get(email=scale.BENCH_EMAILS["bewoner"])
    assert Steunbetuiging.objects.filter(user=bench).count() == 30

    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(bench)
    agenda = (
        Wijkagenda.objects.filter(agendapunten__steunbetuigingen__isnull=False)
        .select_related("cyclus__werkgebied")
        .annotate(n=Count("agendapunten__steunbetuigingen"))
        .order_by("-n")
        .first()
    )
    url = reverse(
        "product-detail",
        kwargs={
            "slug": agenda.cyclus.werkgebied.slug,
            "jaar": agenda.cyclus.jaar,
            "soort": "wijkagenda",
        },
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "steunbetuiging" in response.content.decode()
    assert len(queries) <= 40
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mijn-wijk") + "?steun-pagina=2")
    assert response.status_code == 200
    assert "Mijn steunbetuigingen" in response.content.decode()
    assert "Pagina 2 van 3" in response.content.decode()
