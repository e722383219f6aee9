"""Counts the bare page's and the bare insert view's queries the way bench/portal.py counts
the portal's, and gets the CSRF cookie and token that wrk replays to the insert view (run by
bench/run.py as ``python -m bench.bare.count`` with the bare settings). Prints one JSON object
after the marker BENCH_BARE."""

import json
import re
import sys
from urllib.parse import urlencode

import django

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _count(client, method: str, url: str, expect: int, **kwargs) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, **kwargs)
        if response.status_code != expect:
            sys.exit(
                f"bench: bare {method.upper()} {url} answers {response.status_code}, not {expect}"
            )
        counts.append(len(queries))
    return counts


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    page = _count(client, "get", "/", 200)
    form = client.get("/invoegen/")
    token = TOKEN.search(form.content.decode())
    cookie = client.cookies.get(settings.CSRF_COOKIE_NAME)
    if form.status_code != 200 or token is None or cookie is None:
        sys.exit("bench: the bare insert form gives no CSRF cookie and token")
    data = {"tekst": "Losse stoeptegel voor nummer 12.", "csrfmiddlewaretoken": token[1]}
    insert = _count(client, "post", "/invoegen/", 302, data=data)
    result = {
        "page": page,
        "insert": insert,
        "insert_body": urlencode(data),
        "insert_cookie": f"{settings.CSRF_COOKIE_NAME}={cookie.value}",
    }
    print("BENCH_BARE " + json.dumps(result))


if __name__ == "__main__":
    main()
