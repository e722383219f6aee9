"""The generated residents' own places (participation/scale_bewoners.py, the step
participation.bewoners of manage.py load_scale), and "Mijn wijk" of the benchmark resident at
that size: a fixed number of queries."""

from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cycle import scale
from participation.models import Gebiedvolging, Melding
from people.models import Instellingen, Notificatie, User

from .test_scale import SMALL


def test_residents_follow_report_and_have_notifications(rotterdam, client, settings):
    scale.generate(**SMALL)
    assert Instellingen.objects.count() > 10
    assert Gebiedvolging.objects.exists()
    assert Melding.objects.filter(melder__isnull=False).exists()
    bench = User.objects.get(email=scale.BENCH_EMAILS["bewoner"])
    assert Notificatie.objects.filter(user=bench).count() == 120
    # The unread counts on the user rows match the rows.
    for user in User.objects.filter(ongelezen__gt=0).annotate(
        n=Count("notificaties", filter=Q(notificaties__gelezen_op__isnull=True))
    )[:20]:
        assert user.ongelezen == user.n
    settings.PAGE_CACHE_SECONDS = 0
    client.force_login(bench)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mijn-wijk") + "?meldingen-pagina=3")
    assert response.status_code == 200
    assert "Pagina 3 van 4" in response.content.decode()
    assert len(queries) <= 16
