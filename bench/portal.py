"""The part of `make bench` that runs inside the portal (its production settings, the bench
database): signs the bench users in, picks the pages to measure and counts their queries.

Run by bench/run.py as ``python -m bench.portal`` with the portal's environment; reads the city
(the last line of ``load_scale``) from BENCH_CITY and prints one JSON object after the marker
BENCH_PORTAL (the access log shares standard output).
"""

import json
import os
import sys
from importlib import import_module

import django


def _sign_in(user) -> str:
    """A session for ``user`` exactly as the login view leaves it, stored where the portal's
    session engine reads it; returns the key the cookie carries."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    # Checked against the stored password on every request: the server must run with the same
    # SECRET_KEY as this process, or the session is silently dropped.
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _published_product(werkgebied, jaar):
    """A published product of the cycle measured, else the newest one of its werkgebied."""
    from cycle.models import PRODUCT_MODELLEN, Productstatus

    found = []
    for model in PRODUCT_MODELLEN:
        product = (
            model.objects.filter(status=Productstatus.GEPUBLICEERD, cyclus__werkgebied=werkgebied)
            .select_related("cyclus__werkgebied")
            .order_by("-cyclus__jaar")
            .first()
        )
        if product is not None:
            found.append(product)
    if not found:
        sys.exit(f"bench: {werkgebied.slug} has no published product to measure.")
    found.sort(key=lambda p: (p.cyclus.jaar != jaar, -p.cyclus.jaar))
    return found[0]


def _pages(city: dict) -> list[dict]:
    from places.models import Werkgebied, Wijk

    werkgebied = Werkgebied.objects.get(slug=city["werkgebied"])
    wijk = Wijk.objects.filter(werkgebied=werkgebied).order_by("slug").first()
    if wijk is None:
        sys.exit(f"bench: werkgebied {werkgebied.slug} has no wijk.")
    wg = f"/werkgebieden/{werkgebied.slug}"
    product = _published_product(werkgebied, city["jaar"])
    return [
        {"name": "home", "url": "/"},
        {"name": "wijken", "url": "/wijken/"},
        {"name": "werkgebieden", "url": "/werkgebieden/"},
        {"name": "wijk", "url": wijk.get_absolute_url()},
        {"name": "werkgebied", "url": f"{wg}/"},
        {"name": "rollen", "url": f"{wg}/rollen/"},
        {"name": "cyclus", "url": f"{wg}/{city['jaar']}/"},
        {"name": f"{product.SOORT} (gepubliceerd)", "url": product.get_absolute_url()},
        {"name": "lopende cycli", "url": "/lopende-cycli/"},
        {"name": "ter consultatie", "url": "/ter-consultatie/"},
        {"name": "Mijn werk: wijkmanager", "url": "/mijn-werk/", "user": "wijkmanager"},
        {"name": "Mijn werk: accounthouder", "url": "/mijn-werk/", "user": "accounthouder"},
        {"name": "Mijn werk: raad", "url": "/mijn-werk/", "user": "raad"},
    ]


def _count_queries(pages: list[dict]) -> None:
    """Queries per page, cold (empty cache) and warm (the steady state wrk measures), through
    the whole middleware stack with the same sessions; fails on anything but a 200."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if page.get("cookie"):
            client.cookies[settings.SESSION_COOKIE_NAME] = page["cookie"]
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page["url"])
            if response.status_code != 200:
                sys.exit(
                    f"bench: {page['name']} ({page['url']}) answers {response.status_code}"
                    f" {response.get('Location', '')} to the bench, not 200: a harness bug."
                )
            counts.append(len(queries))
        page["queries_cold"], page["queries"] = counts


def _city_size() -> dict:
    from audit.models import AuditEntry
    from cycle.models import PRODUCT_MODELLEN, Werkcyclus
    from people.models import Roltoewijzing, User

    return {
        "users": User.objects.count(),
        "roles": Roltoewijzing.objects.count(),
        "werkcycli": Werkcyclus.objects.count(),
        "products": sum(model.objects.count() for model in PRODUCT_MODELLEN),
        "audit entries": AuditEntry.objects.count(),
    }


def main() -> None:
    django.setup()
    from django.conf import settings

    from people.models import User

    # load_scale's last line: the accounts to measure as, and a busy werkgebied and year.
    city = json.loads(os.environ["BENCH_CITY"])
    pages = _pages(city)
    cookies = {}
    for role in ("wijkmanager", "accounthouder", "raad"):
        user = User.objects.get(email=city[role])
        cookies[role] = _sign_in(user)
    for page in pages:
        if "user" in page:
            page["cookie"] = cookies[page["user"]]
            page["email"] = city[page["user"]]
    _count_queries(pages)
    # The access log also goes to standard output: the marker tells the result apart.
    print(
        "BENCH_PORTAL "
        + json.dumps(
            {
                "city": city,
                "size": _city_size(),
                "pages": pages,
                "cache": settings.CACHES["default"]["BACKEND"],
                "django": django.get_version(),
            }
        )
    )


if __name__ == "__main__":
    main()
