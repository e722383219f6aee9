"""The part of `make bench` that runs inside the portal (its production settings, the bench
database): signs the bench users in, picks the pages to measure and counts their queries.

Run by bench/run.py as ``python -m bench.portal`` with the portal's environment; reads the city
(the last line of ``load_scale``) from BENCH_CITY and prints one JSON object after the marker
BENCH_PORTAL (the access log shares standard output). A melding of the measured werkgebied is
picked from the database here, as the published product is.

A page with ``"method": "POST"`` is a form submission: its query count is that of a real
submission (the meldingen it makes stay in the database, like those wrk makes), its success is
``expect`` (a redirect) to a URL matching ``location``, and it leaves the urlencoded ``body``
with a CSRF token and the ``csrf`` cookie that goes with it, for wrk to replay.
"""

import json
import os
import re
import sys
from importlib import import_module
from urllib.parse import urlencode

import django

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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


def _gepubliceerd(model, werkgebied, jaar):
    """The published ``model`` (a wijkanalyse, a wijkagenda) of the cycle measured, else the
    newest one of its werkgebied, else the newest one in the city (a city of one year)."""
    from cycle.models import Productstatus

    gepubliceerd = model.objects.filter(status=Productstatus.GEPUBLICEERD).select_related(
        "cyclus__werkgebied"
    )
    product = (
        gepubliceerd.filter(cyclus__werkgebied=werkgebied, cyclus__jaar=jaar).first()
        or gepubliceerd.filter(cyclus__werkgebied=werkgebied).order_by("-cyclus__jaar").first()
        or gepubliceerd.order_by("-cyclus__jaar", "cyclus__werkgebied__naam").first()
    )
    if product is None:
        sys.exit(f"bench: the city has no published {model.SOORT} to measure.")
    return product


def _nieuwste_cyclus(werkgebied):
    """The newest cycle of the measured werkgebied: its analysis is the one being drafted
    or just adopted, with its checklist answered."""
    from cycle.models import Werkcyclus

    cyclus = (
        Werkcyclus.objects.filter(werkgebied=werkgebied)
        .select_related("werkgebied", "wijkanalyse")
        .order_by("-jaar")
        .first()
    )
    if cyclus is None:
        sys.exit(f"bench: werkgebied {werkgebied.slug} has no cycle.")
    return cyclus


def _publicatie(werkgebied):
    """The newest published version in the measured werkgebied."""
    from publication.models import Publicatie

    publicatie = (
        Publicatie.objects.filter(werkgebied=werkgebied)
        .select_related("werkgebied")
        .order_by("-gepubliceerd_op", "-pk")
        .first()
    )
    if publicatie is None:
        sys.exit(
            f"bench: werkgebied {werkgebied.slug} has no publication to measure "
            "(load_scale makes them: publication/scale.py)."
        )
    return publicatie


def _vervangen_publicatie(werkgebied):
    """A version 1 that a correction replaced (the newest), in the measured werkgebied where
    it has one, else anywhere in the city."""
    from django.db.models import Exists, OuterRef

    from publication.models import Publicatie

    opvolger = Publicatie.objects.filter(
        product_type=OuterRef("product_type"), product_id=OuterRef("product_id"), versie=2
    )
    vervangen = (
        Publicatie.objects.filter(Exists(opvolger), versie=1)
        .select_related("werkgebied")
        .order_by("-gepubliceerd_op", "-pk")
    )
    publicatie = vervangen.filter(werkgebied=werkgebied).first() or vervangen.first()
    if publicatie is None:
        sys.exit(
            "bench: the city has no corrected publication to measure "
            "(load_scale makes them: publication/scale.py)."
        )
    return publicatie


def _programma_openbaar(werkgebied, jaar):
    """A wijkprogramma the public reads (in consultation or published) of the cycle measured,
    else the newest of its werkgebied, else the newest in the city (a city of one year has no
    published one)."""
    from cycle.models import Productstatus, Wijkprogramma

    openbaar = Wijkprogramma.objects.filter(
        status__in=[Productstatus.CONSULTATIE, Productstatus.GEPUBLICEERD]
    ).select_related("cyclus__werkgebied")
    programma = (
        openbaar.filter(cyclus__werkgebied=werkgebied, cyclus__jaar=jaar).first()
        or openbaar.filter(cyclus__werkgebied=werkgebied).order_by("-cyclus__jaar").first()
        or openbaar.order_by("-cyclus__jaar", "cyclus__werkgebied__naam").first()
    )
    if programma is None:
        sys.exit("bench: the city has no public wijkprogramma to measure.")
    return programma


def _initiatief(programma):
    """The initiative of ``programma`` with the longest history of progress (its page lists
    it), else its first."""
    from django.db.models import Count

    from cycle.models import Initiatief

    initiatief = (
        Initiatief.objects.filter(wijkprogramma=programma)
        .annotate(updates=Count("voortgang"))
        .order_by("-updates", "pk")
        .first()
    )
    if initiatief is None:
        sys.exit(
            f"bench: {programma} has no initiative to measure "
            "(load_scale makes them: cycle/scale_programma.py)."
        )
    return initiatief


def _open_data_geojson() -> str:
    """The GeoJSON of the wijken in the newest Wijkprofiel year (api/opendata)."""
    from places.models import WijkprofielScore

    jaar = WijkprofielScore.objects.order_by("-jaar").values_list("jaar", flat=True).first()
    if jaar is None:
        sys.exit("bench: the city has no Wijkprofiel figures for the open data.")
    return f"/open-data/wijken/{jaar}.geojson"


def _overleg_url(werkgebied) -> str:
    """The newest meeting of the measured werkgebied's wijk-MT (its besluitenlijst)."""
    from cycle.models import Overleg

    overleg = Overleg.objects.filter(werkgebied=werkgebied).order_by("-datum", "-pk").first()
    if overleg is None:
        sys.exit(
            f"bench: werkgebied {werkgebied.slug} has no wijk-MT meeting to measure "
            "(load_scale makes them: cycle/scale_wijkmt.py)."
        )
    return f"/werkgebieden/{werkgebied.slug}/wijk-mt/overleggen/{overleg.pk}/"


def _melding(werkgebied):
    """A melding being handled in the measured werkgebied (the newest one), else its newest."""
    from participation.models import Melding, Meldingstatus

    meldingen = Melding.objects.filter(werkgebied=werkgebied).order_by("-ingediend_op", "-pk")
    melding = (
        meldingen.filter(
            hoofdmelding__isnull=True,
            status__in=[Meldingstatus.IN_BEHANDELING, Meldingstatus.DOORGEZET],
        ).first()
        or meldingen.first()
    )
    if melding is None:
        sys.exit(
            f"bench: werkgebied {werkgebied.slug} has no melding to measure "
            "(load_scale makes them: participation/scale.py)."
        )
    return melding


def _akkoord_pages(werkgebied, jaar) -> list[dict]:
    """The published wijkakkoord covering ``jaar`` (with every year's contributions), for the
    public and for its wijkmanager."""
    from cycle.models import Wijkakkoord

    akkoord = (
        Wijkakkoord.objects.select_related("werkgebied")
        .filter(werkgebied=werkgebied, startjaar__lte=jaar, eindjaar__gte=jaar)
        .filter(status="gepubliceerd")
        .first()
    )
    if akkoord is None:
        sys.exit(f"bench: werkgebied {werkgebied.slug} has no published wijkakkoord for {jaar}.")
    url = akkoord.get_absolute_url()
    return [
        {"name": "wijkakkoord (openbaar)", "url": url},
        {"name": "wijkakkoord: wijkmanager", "url": url, "user": "wijkmanager"},
    ]


def _consultatie_pages(werkgebied) -> list[dict]:
    """The busiest consultation of the city for the public page, and the busiest of the
    measured werkgebied for its wijkmanager's moderation list."""
    from django.db.models import Count

    from participation.models import Consultatie

    def busiest(qs):
        return (
            qs.select_related("cyclus__werkgebied")
            .annotate(n=Count("reacties"))
            .order_by("-n", "pk")
            .first()
        )

    stad = busiest(Consultatie.objects.all())
    if stad is None:
        sys.exit("bench: the city has no consultation (load_scale makes them).")
    pages = [{"name": "consultatie (openbaar)", "url": stad.get_absolute_url()}]
    eigen = busiest(Consultatie.objects.filter(cyclus__werkgebied=werkgebied))
    if eigen is not None:
        pages.append(
            {
                "name": "consultatie: reacties beantwoorden",
                "url": eigen.get_absolute_url() + "reacties/",
                "user": "wijkmanager",
            }
        )
    return pages


def _pages(city: dict) -> list[dict]:
    from django.urls import reverse

    from participation.models import Thema
    from places.models import Werkgebied, Wijk

    werkgebied = Werkgebied.objects.get(slug=city["werkgebied"])
    wijk = Wijk.objects.filter(werkgebied=werkgebied).order_by("slug").first()
    if wijk is None:
        sys.exit(f"bench: werkgebied {werkgebied.slug} has no wijk.")
    wg = f"/werkgebieden/{werkgebied.slug}"
    product = _published_product(werkgebied, city["jaar"])
    melding = _melding(werkgebied)
    thema = Thema.objects.filter(actief=True).order_by("volgorde", "pk").first()
    if thema is None:
        sys.exit("bench: there is no active theme to report a melding under.")
    from cycle.models import Wijkagenda, Wijkanalyse

    nieuwste = _nieuwste_cyclus(werkgebied)
    nieuwste_url = f"{wg}/{nieuwste.jaar}"
    from cycle.models import Wijkprogramma

    programma = _programma_openbaar(werkgebied, city["jaar"])
    initiatief = _initiatief(programma)
    eigen_programma = Wijkprogramma.objects.select_related("cyclus__werkgebied").get(
        cyclus__werkgebied=werkgebied, cyclus__jaar=city["jaar"]
    )
    return [
        {"name": "home", "url": "/"},
        {"name": "wijken", "url": "/wijken/"},
        {"name": "werkgebieden", "url": "/werkgebieden/"},
        {"name": "wijk", "url": wijk.get_absolute_url()},
        {"name": "werkgebied", "url": f"{wg}/"},
        {"name": "rollen", "url": f"{wg}/rollen/"},
        {"name": "cyclus", "url": f"{wg}/{city['jaar']}/"},
        {"name": f"{product.SOORT} (gepubliceerd)", "url": product.get_absolute_url()},
        {
            "name": "wijkanalyse (openbaar)",
            "url": _gepubliceerd(Wijkanalyse, werkgebied, city["jaar"]).get_absolute_url(),
        },
        {
            "name": "wijkagenda (openbaar)",
            "url": _gepubliceerd(Wijkagenda, werkgebied, city["jaar"]).get_absolute_url(),
        },
        {
            "name": "wijkanalyse: wijkmanager",
            "url": nieuwste.wijkanalyse.get_absolute_url(),
            "user": "wijkmanager",
        },
        {
            "name": "checklist: antwoorden",
            "url": f"{nieuwste_url}/checklist/antwoorden/",
            "user": "wijkmanager",
        },
        {"name": "wijkprogramma (openbaar)", "url": programma.get_absolute_url()},
        {
            "name": "wijkprogramma: wijkmanager",
            "url": eigen_programma.get_absolute_url(),
            "user": "wijkmanager",
        },
        {
            "name": "initiatief (openbaar)",
            "url": reverse(
                "initiatief-detail",
                kwargs={
                    "slug": programma.cyclus.werkgebied.slug,
                    "jaar": programma.cyclus.jaar,
                    "pk": initiatief.pk,
                },
            ),
        },
        # The public cycle page of the programme's year, with its initiatives' progress.
        {
            "name": "cyclus met voortgang (openbaar)",
            "url": reverse(
                "werkcyclus-detail",
                kwargs={"slug": programma.cyclus.werkgebied.slug, "jaar": programma.cyclus.jaar},
            ),
        },
        {
            "name": "initiatief volgen (formulier)",
            "url": reverse(
                "initiatief-volgen",
                kwargs={
                    "slug": programma.cyclus.werkgebied.slug,
                    "jaar": programma.cyclus.jaar,
                    "pk": initiatief.pk,
                },
            ),
        },
        {
            "name": "voortgang: accounthouder",
            "url": "/mijn-werk/voortgang/",
            "user": "accounthouder",
        },
        {
            "name": "toezeggingen: accounthouder",
            "url": "/mijn-werk/toezeggingen/",
            "user": "accounthouder",
        },
        {"name": "wijk-MT: wijkmanager", "url": f"{wg}/wijk-mt/", "user": "wijkmanager"},
        # The wijkbudget of the busy year: public totals, the ledger and its CSV export.
        {"name": "wijkbudget (openbaar)", "url": f"{wg}/budget/{city['jaar']}/"},
        {
            "name": "grootboek: wijkmanager",
            "url": f"{wg}/budget/{city['jaar']}/grootboek/",
            "user": "wijkmanager",
        },
        {
            "name": "grootboek (CSV): wijkmanager",
            "url": f"{wg}/budget/{city['jaar']}/grootboek.csv",
            "user": "wijkmanager",
        },
        *_akkoord_pages(werkgebied, city["jaar"]),
        # The participation plan of the newest cycle and the wijkraad's advice.
        {"name": "participatieplan (openbaar)", "url": f"{nieuwste_url}/participatie/plan/"},
        {"name": "adviezen van de wijkraad (openbaar)", "url": f"{wg}/adviezen/"},
        {
            "name": "wijk-MT: overleggen",
            "url": f"{wg}/wijk-mt/overleggen/",
            "user": "wijkmanager",
        },
        {
            "name": "wijk-MT: overleg met besluitenlijst",
            "url": _overleg_url(werkgebied),
            "user": "accounthouder",
        },
        {
            "name": "twaalfmaandenrapport (openbaar)",
            "url": reverse(
                "twaalfmaanden",
                kwargs={"slug": programma.cyclus.werkgebied.slug, "jaar": programma.cyclus.jaar},
            ),
        },
        {
            "name": "twaalfmaandenrapport van de stad: raad",
            "url": reverse("stadsoverzicht", kwargs={"jaar": programma.cyclus.jaar}),
            "user": "raad",
        },
        {"name": "bijeenkomsten van een werkgebied", "url": f"{wg}/bijeenkomsten/"},
        {"name": "bijeenkomsten van de stad", "url": "/bijeenkomsten/"},
        {
            "name": "bijeenkomsten van de stad (gefilterd)",
            "url": "/bijeenkomsten/?soort=wijkschouw",
        },
        {"name": "bijeenkomsten van een werkgebied (iCalendar)", "url": f"{wg}/bijeenkomsten.ics"},
        # Bewonersinitiatieven: the public list of awards and the deciders' list.
        {"name": "bewonersinitiatieven (openbaar)", "url": f"{wg}/bewonersinitiatieven/"},
        {
            "name": "bewonersinitiatieven: behandelen",
            "url": f"{wg}/bewonersinitiatieven/behandelen/",
            "user": "wijkmanager",
        },
        {"name": "lopende cycli", "url": "/lopende-cycli/"},
        {"name": "ter consultatie", "url": "/ter-consultatie/"},
        *_consultatie_pages(werkgebied),
        {"name": "Mijn werk: wijkmanager", "url": "/mijn-werk/", "user": "wijkmanager"},
        {"name": "Mijn werk: accounthouder", "url": "/mijn-werk/", "user": "accounthouder"},
        {"name": "Mijn werk: raad", "url": "/mijn-werk/", "user": "raad"},
        {"name": "Mijn werk: wijkraadslid", "url": "/mijn-werk/", "user": "wijkraadslid"},
        {"name": "Mijn wijk: bewoner", "url": "/mijn-wijk/", "user": "bewoner"},
        # Residents' support: the counts against the plan's draagvlak and their own buttons.
        {
            "name": "wijkagenda met steun: bewoner",
            "url": _gepubliceerd(Wijkagenda, werkgebied, city["jaar"]).get_absolute_url(),
            "user": "bewoner",
        },
        {
            "name": "wijkprogramma met steun: bewoner",
            "url": programma.get_absolute_url(),
            "user": "bewoner",
        },
        {"name": "melding: formulier", "url": "/meldingen/nieuw/"},
        {"name": "melding: formulier voor een wijk", "url": f"/meldingen/nieuw/?wijk={wijk.slug}"},
        {
            "name": "melding: formulier, stap 2",
            "url": f"/meldingen/nieuw/?wijk={wijk.slug}&thema={thema.slug}",
        },
        {"name": "meldingen", "url": "/meldingen/"},
        {"name": "publicaties", "url": "/publicaties/"},
        {"name": "publicatie (versie)", "url": _publicatie(werkgebied).get_absolute_url()},
        {
            "name": "publicatie (vervangen versie)",
            "url": _vervangen_publicatie(werkgebied).get_absolute_url(),
        },
        {
            "name": "publicaties van een werkgebied",
            "url": f"/publicaties/?werkgebied={werkgebied.slug}",
        },
        {"name": "publicaties (Atom)", "url": "/publicaties/atom.xml"},
        {
            "name": "publicaties van een werkgebied (Atom)",
            "url": f"/publicaties/{werkgebied.slug}/atom.xml",
        },
        {
            "name": "wijkverslagen voor de raad",
            "url": f"/publicaties/{city['jaar'] - 1}/wijkverslagen/",
        },
        {"name": "melding volgen", "url": f"/meldingen/{melding.code}/"},
        {"name": "meldingen: triage", "url": f"{wg}/meldingen/", "user": "wijkmanager"},
        {
            "name": "melding behandelen",
            "url": f"/meldingen/{melding.code}/behandelen/",
            "user": "wijkmanager",
        },
        {"name": "open data", "url": "/open-data/"},
        {"name": "open data: wijken (GeoJSON)", "url": _open_data_geojson()},
        {"name": "Open311: requests", "url": "/open311/v2/requests.json"},
        # The two large bodies (about 0.7 MB each at city scale) as browsers and HTTP libraries
        # ask for them: compressed (kept compressed, so no work per request).
        {
            "name": "open data: wijken (GeoJSON, gzip)",
            "url": _open_data_geojson(),
            "headers": {"Accept-Encoding": "gzip"},
        },
        {
            "name": "Open311: requests (gzip)",
            "url": "/open311/v2/requests.json",
            "headers": {"Accept-Encoding": "gzip"},
        },
        # The open API (issue 13): JSON lists, cursor-paginated, as another system reads them.
        {"name": "API: werkgebieden", "url": "/api/v1/werkgebieden/"},
        {
            "name": "API: acties van een werkgebied",
            "url": f"/api/v1/acties/?werkgebied={werkgebied.slug}",
        },
        {"name": "API: meldingen", "url": "/api/v1/meldingen/"},
        {"name": "API: budgetten", "url": "/api/v1/budgetten/"},
        {"name": "API-documentatie", "url": "/api/v1/docs/"},
        # Last: every submission adds a melding (in the wijk measured above) and bumps the
        # public version, which would empty the page cache under the other pages.
        {
            "name": "melding indienen",
            "url": "/meldingen/nieuw/",
            "method": "POST",
            "form_url": f"/meldingen/nieuw/?wijk={wijk.slug}&thema={thema.slug}",
            "form": {
                "tekst": "Naast de ondergrondse containers staan al dagen vuilniszakken.",
                "thema": str(thema.pk),
                "wijk": str(wijk.pk),
                "plek": "Putselaan 12",
                "betreft_groep": "0",
                "email": "",
                "website": "",
            },
            "expect": 302,
            "location": r"/meldingen/[A-Z2-9]{5}-[A-Z2-9]{5}/",
            "baseline": "bare insert view",
        },
    ]


def _form_errors(html: str) -> str:
    """The error texts a form page shows, for the message when a submission is refused."""
    blocks = re.findall(
        r'class="[^"]*(?:invalid-feedback|alert-danger|errorlist)[^"]*"[^>]*>(.*?)</(?:span|div|ul)>',
        html,
        re.S,
    )
    return " | ".join(" ".join(re.sub(r"<[^>]+>", " ", b).split()) for b in blocks)[:800]


def _submit(page: dict) -> None:
    """A form submission as a browser makes it: the form's page for a CSRF cookie and token
    (checked, as in production), then the POST, twice, counted like a page."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    form = client.get(page["form_url"])
    token = TOKEN.search(form.content.decode())
    cookie = client.cookies.get(settings.CSRF_COOKIE_NAME)
    if form.status_code != 200 or token is None or cookie is None:
        sys.exit(
            f"bench: {page['name']}: the form ({page['form_url']}) answers {form.status_code} "
            "without a CSRF token and cookie: a harness bug."
        )
    data = {**page["form"], "csrfmiddlewaretoken": token[1]}
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(page["url"], data)
        location = response.get("Location", "")
        if response.status_code != page["expect"] or not re.fullmatch(page["location"], location):
            sys.exit(
                f"bench: {page['name']} (POST {page['url']}) answers {response.status_code} "
                f"{location}, not {page['expect']} to {page['location']}: a harness bug (or "
                f"the rate limit, MELDING_RATE). {_form_errors(response.content.decode())}"
            )
        counts.append(len(queries))
    page["queries_cold"], page["queries"] = counts
    page["body"] = urlencode(data)
    page["csrf"] = f"{settings.CSRF_COOKIE_NAME}={cookie.value}"


def _count_queries(pages: list[dict]) -> None:
    """Queries per page, cold (empty cache) and warm (the steady state wrk measures), through
    the whole middleware stack with the same sessions; fails on anything but a 200 (for a
    form submission: its redirect)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        if page.get("method") == "POST":
            _submit(page)
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        if page.get("cookie"):
            client.cookies[settings.SESSION_COOKIE_NAME] = page["cookie"]
        counts = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page["url"])
                if response.streaming:
                    # A streamed export queries while it is read (the CSV of the ledger).
                    b"".join(response.streaming_content)
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
    from participation.models import Melding
    from people.models import Roltoewijzing, User

    return {
        "users": User.objects.count(),
        "roles": Roltoewijzing.objects.count(),
        "werkcycli": Werkcyclus.objects.count(),
        "products": sum(model.objects.count() for model in PRODUCT_MODELLEN),
        "meldingen": Melding.objects.count(),
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
    for role in ("wijkmanager", "wijkraadslid", "accounthouder", "raad", "bewoner"):
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
