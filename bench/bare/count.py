"""Counts the bare page's queries the way bench/portal.py counts the portal's (run by
bench/run.py as ``python -m bench.bare.count`` with the bare settings)."""

import sys

import django


def main() -> None:
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        if response.status_code != 200:
            sys.exit(f"bench: the bare page answers {response.status_code}, not 200")
        counts.append(len(queries))
    print(f"BENCH_BARE {counts[0]} {counts[1]}")


if __name__ == "__main__":
    main()
