"""A one-second smoke of `make bench`, so the benchmark never rots: the whole harness runs
(throwaway database, a tiny city, gunicorn for portal and bare page, sessions, wrk) and its table
must list every page with real numbers and no errors. Speed is never asserted: a slow machine
must not fail the suite."""

import os
import re
import subprocess
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    "bare Django page",
    "home",
    "wijken",
    "werkgebieden",
    "wijk",
    "werkgebied",
    "rollen",
    "cyclus",
    "wijkanalyse (openbaar)",
    "wijkagenda (openbaar)",
    "wijkanalyse: wijkmanager",
    "checklist: antwoorden",
    "wijkprogramma (openbaar)",
    "wijkprogramma: wijkmanager",
    "initiatief (openbaar)",
    "cyclus met voortgang (openbaar)",
    "initiatief volgen (formulier)",
    "voortgang: accounthouder",
    "toezeggingen: accounthouder",
    "wijk-MT: wijkmanager",
    "wijkbudget (openbaar)",
    "grootboek: wijkmanager",
    "grootboek (CSV): wijkmanager",
    "wijk-MT: overleggen",
    "wijk-MT: overleg met besluitenlijst",
    "wijkakkoord (openbaar)",
    "wijkakkoord: wijkmanager",
    "participatieplan (openbaar)",
    "adviezen van de wijkraad (openbaar)",
    "twaalfmaandenrapport (openbaar)",
    "twaalfmaandenrapport van de stad: raad",
    "bijeenkomsten van een werkgebied",
    "bijeenkomsten van de stad",
    "bijeenkomsten van de stad (gefilterd)",
    "bijeenkomsten van een werkgebied (iCalendar)",
    "bewonersinitiatieven (openbaar)",
    "bewonersinitiatieven: behandelen",
    "lopende cycli",
    "ter consultatie",
    "consultatie (openbaar)",
    "consultatie: reacties beantwoorden",
    "Mijn werk: wijkmanager",
    "Mijn werk: accounthouder",
    "Mijn werk: raad",
    "Mijn werk: wijkraadslid",
    "Mijn wijk: bewoner",
    "wijkagenda met steun: bewoner",
    "wijkprogramma met steun: bewoner",
    "melding: formulier",
    "melding: formulier voor een wijk",
    "melding: formulier, stap 2",
    "meldingen",
    "melding volgen",
    "meldingen: triage",
    "melding behandelen",
    "Open311: requests",
    "open data: wijken (GeoJSON, gzip)",
    "Open311: requests (gzip)",
    "publicaties",
    "publicatie (versie)",
    "publicaties van een werkgebied",
    "wijkverslagen voor de raad",
    "publicatie (vervangen versie)",
    "publicaties (Atom)",
    "publicaties van een werkgebied (Atom)",
    "open data",
    "open data: wijken (GeoJSON)",
    "bare insert view",
    "melding indienen",
    "API: werkgebieden",
    "API: acties van een werkgebied",
    "API: meldingen",
    "API: budgetten",
    "API-documentatie",
]


def _with_db(url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path=f"/{name}"))


def _rows(table: str) -> dict[str, list[str]]:
    rows = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] not in ("page", "") and not cells[0].startswith("-"):
            rows[cells[0]] = cells
    return rows


def test_make_bench_smoke(tmp_path):
    output = tmp_path / "bench.md"
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wijkaanpak")
    redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    env = {
        **os.environ,
        "BENCH_DURATION": "1",
        "BENCH_WARMUP": "1",
        "BENCH_WORKERS": "2",
        "BENCH_YEARS": "1",
        "BENCH_FACTOR": "1",
        "BENCH_OUTPUT": str(output),
        # Its own database and cache, so a `make bench` running beside the suite is left alone
        # and the committed bench/results/latest.md is never overwritten by smoke numbers.
        # Named after the suite's database, so two suites on their own databases (as helpers
        # run them) do not share one.
        "BENCH_DATABASE_URL": _with_db(
            database, f"{urllib.parse.urlsplit(database).path.strip('/')}_bench_smoke"
        ),
        "BENCH_CACHE_URL": _with_db(redis, "11"),
        "BENCH_BROKER_URL": _with_db(redis, "12"),
        "BENCH_DROP_DB": "1",
        "BENCH_REUSE_DB": "0",
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / "bench.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]

    table = output.read_text()
    assert table in result.stdout  # printed as well as written
    rows = _rows(table)
    names = list(rows)
    for page in PAGES:
        assert page in names, f"{page} missing from the table:\n{table}"
    assert any(name.endswith("(gepubliceerd)") for name in names), table
    assert len(rows) == len(PAGES) + 1, table

    for cells in rows.values():
        _, url, rps, p50, p95, share, errors, queries, meets = cells
        assert url.startswith("`/"), cells
        assert float(rps) > 0, cells
        assert 0 < float(p50) <= float(p95), cells
        assert float(share) > 0, cells
        assert errors == "0", cells
        assert re.fullmatch(r"\d+( \(cold \d+\))?", queries), cells
        assert int(queries.split()[0]) > 0, cells
        assert meets in ("yes", "**no**", "—"), cells
    assert rows["bare Django page"][7] == "1"
    # The submission is POSTed, and compared with the bare insert view (one INSERT).
    assert rows["bare insert view"][7] == "1" and rows["bare insert view"][8] == "—"
    assert rows["melding indienen"][1] == "`/meldingen/nieuw/` POST"
    assert int(rows["melding indienen"][7].split()[0]) > 1

    for heading in ("date", "machine", "commit", "city", "load", "submissions", "target"):
        assert f"- **{heading}**:" in table, table
    assert "rate limit on submissions is lifted" in table
