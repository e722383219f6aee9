"""City-scale data: a generated, deterministic Rotterdam of many years, on top of the real
places, for the query-count tests and the benchmark (``manage.py load_scale``).

For every werkgebied there is one cycle per programme year, ending at the year after the one
being carried out: the newest cycles are in analyse, agenda or programma, those of the current
year in uitvoering (a few already in verantwoording), older ones afgerond (a few overdue in
verantwoording). Products carry Dutch-looking text where they were worked on, versions, and
dates consistent with their cycle; the audit log holds their history exactly as
``cycle.services`` writes it (``cycle.created``, ``cycle.transition``, ``cycle.product_edit``,
``cycle.product_transition``, ``cycle.taakverdeling``), and the outbox the notices those steps
send. Accounts of every role have unusable passwords and addresses in
:data:`SCALE_EMAIL_DOMAIN`, except the fixed benchmark accounts (:data:`BENCH_EMAILS`), which
get a password only when one is asked for.

``factor`` multiplies what can grow: accounts of every role, edits per product (and so audit
entries and versions) and, through the recipients, notices. Cycles stay one per werkgebied per
year (a database constraint). Everything is drawn from ``random.Random`` streams seeded with
the seed and a name: the dates, titles, texts and states of a cycle come from streams of their
own werkgebied and year, so they are the same whatever the factor, the number of years or the
number of werkgebieden built.

Rows are written with PostgreSQL's COPY (psycopg 3), not per row and not through the services:
``auto_now_add`` would stamp every audit entry, cycle and notice with the moment of loading,
and the history must be spread over the years. COPY only inserts, so the audit log stays
append-only.

Extending it
------------
Later features add their own data in a module ``<app>/scale.py``; :func:`generate` imports
those of every installed app (``autodiscover_modules("scale")``) and runs their steps after the
ones they name, so ``cycle`` never imports them::

    from cycle.scale import register

    def meldingen_clear(ctx):
        Melding.objects.all().delete()

    @register("participation.meldingen", after=("cycle",), clear=meldingen_clear)
    def meldingen(ctx):
        rows = []
        for cyclus in ctx.cycli:  # ScaleCycle: pk, werkgebied, jaar, fase, producten
            for _ in range(ctx.rng.randint(20, 40) * ctx.factor):
                ...
        ctx.copy(Melding, ["id", "werkgebied", ...], rows)

A step is ``fn(ctx)`` with a :class:`ScaleContext`: ``ctx.rng`` (the step's own seeded stream,
so adding a step never changes what the others make; ``ctx.rng_for(*parts)`` for more),
``ctx.factor``, ``ctx.years``, ``ctx.jaren``, ``ctx.today``, ``ctx.werkgebieden``,
``ctx.users`` and ``ctx.roles`` (by role code), ``ctx.holders(...)`` (who held a role where, on
a date), ``ctx.cycli``, the writers ``ctx.audit.add(...)`` and ``ctx.notices.add(...)``,
``ctx.copy(model, fields, rows)``, ``ctx.reserve_ids(model, n)`` and ``ctx.data`` to hand
things to later steps. ``clear(ctx)`` removes what the step made: ``replace=True`` runs the
clears in reverse order before building again."""

import datetime
import json
import random
import time
import unicodedata
import zoneinfo
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules

from audit.models import AuditEntry
from notices.models import Notice
from notices.services import one_line
from pagecache.services import bump
from people.models import Cluster, Rol, Roltoewijzing, User
from places.models import Gebied, Werkgebied

from .models import (
    FASE_VOLGORDE,
    PRODUCT_MODELLEN,
    PRODUCT_PER_SOORT,
    PRODUCT_VAN_FASE,
    Fase,
    Opsteller,
    Productstatus,
    Taakverdeling,
    Vaststelling,
    Werkcyclus,
    delft_kalender,
)

DEFAULT_SEED = 2026
# A reserved top-level domain (RFC 2606): no message to these accounts can ever be delivered.
SCALE_EMAIL_DOMAIN = "schaal.wijkaanpak.invalid"
# The fixed benchmark accounts. The wijkmanager, wijkraadslid and bewoner belong to the
# benchmark werkgebied, the accounthouder to its gebied (cluster Stadsbeheer where it exists).
BENCH_EMAILS = {
    rol: f"bench.{rol}@{SCALE_EMAIL_DOMAIN}"
    for rol in ("wijkmanager", "wijkraadslid", "accounthouder", "raad", "beheerder", "bewoner")
}
# Section texts of a product that was worked on are this long (characters).
SECTIE_MIN, SECTIE_MAX = 300, 3000


class ScaleDataError(Exception):
    """The city cannot be generated here; the message says why (Dutch, for the command)."""


# ------------------------------------------------------------------------------ registry


@dataclass(frozen=True)
class Step:
    name: str
    fn: Callable[["ScaleContext"], None]
    after: tuple[str, ...] = ()
    clear: Callable[["ScaleContext"], None] | None = None


class Registry:
    """The steps that build the city, run in dependency order (ties: registration order)."""

    def __init__(self, steps: Iterable[Step] = ()):
        self._steps: dict[str, Step] = {step.name: step for step in steps}

    def register(self, name: str, *, after: Sequence[str] = (), clear=None):
        def decorator(fn):
            existing = self._steps.get(name)
            # Importing a module twice registers the same function again, which is harmless.
            if existing is not None and (existing.fn.__module__, existing.fn.__qualname__) != (
                fn.__module__,
                fn.__qualname__,
            ):
                raise ImproperlyConfigured(f"A scale step named {name!r} is already registered.")
            self._steps[name] = Step(name=name, fn=fn, after=tuple(after), clear=clear)
            return fn

        return decorator

    def copy(self) -> "Registry":
        return Registry(self._steps.values())

    def ordered(self) -> list[Step]:
        for step in self._steps.values():
            for dependency in step.after:
                if dependency not in self._steps:
                    raise ImproperlyConfigured(
                        f"Scale step {step.name!r} runs after {dependency!r}, which is not "
                        "registered."
                    )
        pending, done, order = dict(self._steps), set(), []
        while pending:
            ready = [s for s in pending.values() if all(d in done for d in s.after)]
            if not ready:
                raise ImproperlyConfigured(
                    "Scale steps wait for each other in a circle: " + ", ".join(pending)
                )
            order.append(ready[0])
            done.add(ready[0].name)
            del pending[ready[0].name]
        return order


registry = Registry()
register = registry.register

# Content that hangs from a product as rows of its own (the themes of a wijkanalyse, the
# points of a wijkagenda) is written by a later step (cycle/scale_inhoud.py), but its edits
# went through the edit guard like those of the texts: they belong in the product's history
# and raise its version. A planner per product type draws, from the product's own stream,
# what its content will be, as an object with ``bewerkingen`` (how many edits it took); the
# builder places those edits among the others and keeps them as ``ScaleProduct.slots``.
inhoud_planners: dict[str, Callable[[random.Random, str], object]] = {}


# ----------------------------------------------------------------------- bulk writing


def reserve_ids(model, n: int) -> list[int]:
    """``n`` primary keys from the table's own sequence, so rows written with COPY can be
    referred to before they exist, and ordinary inserts later never collide with them."""
    if n <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (values in the order of ``fields``, model field names) with COPY."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    count = 0
    with connection.cursor() as cursor:
        sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


class _Writer:
    """Buffers rows of one model and writes them with COPY in chunks."""

    model: type
    fields: tuple[str, ...]
    CHUNK = 20_000

    def __init__(self, counts: Counter):
        self._counts = counts
        self._rows: list[tuple] = []

    def _append(self, row: tuple) -> None:
        self._rows.append(row)
        if len(self._rows) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._counts[self.model._meta.label] += copy_rows(self.model, self.fields, self._rows)
            self._rows = []


@dataclass(frozen=True)
class ScaleUser:
    pk: int
    email: str
    naam: str

    @property
    def label(self) -> str:
        # As audit_log writes it: the name, or the address when there is none.
        return self.naam or self.email


class AuditWriter(_Writer):
    """Audit entries shaped as ``audit.services.audit_log`` writes them."""

    model = AuditEntry
    fields = (
        "id",
        "action",
        "actor",
        "actor_label",
        "actor_naam",
        "actor_rol",
        "timestamp",
        "content_type",
        "object_id",
        "data",
    )

    def __init__(self, counts: Counter):
        super().__init__(counts)
        self._ids: deque[int] = deque()
        self._content_types: dict[type, int] = {}

    def add(
        self,
        *,
        action: str,
        actor: ScaleUser | None,
        actor_rol: str,
        target_model,
        object_id: int,
        data: dict,
        timestamp: datetime.datetime,
    ) -> int:
        """Queue one entry about the object ``target_model``/``object_id``; return its id."""
        if not self._ids:
            self._ids.extend(reserve_ids(AuditEntry, self.CHUNK))
        pk = self._ids.popleft()
        content_type = self._content_types.get(target_model)
        if content_type is None:
            content_type = ContentType.objects.get_for_model(target_model).pk
            self._content_types[target_model] = content_type
        self._append(
            (
                pk,
                action,
                actor.pk if actor else None,
                actor.label if actor else "",
                actor.naam if actor else "",
                actor_rol,
                timestamp,
                content_type,
                str(object_id),
                json.dumps(data),
            )
        )
        return pk


class NoticeWriter(_Writer):
    """Outbox rows as ``notices.services.notice_create`` writes them, already sent (or, for a
    few, failed for good): a pending row would make a running sweep mail the reserved domain."""

    model = Notice
    fields = (
        "kind",
        "recipient",
        "subject",
        "body",
        "audit_entry",
        "user",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "created_at",
    )
    FAILED_SHARE = 0.005

    def __init__(self, counts: Counter, rng: random.Random):
        super().__init__(counts)
        self._rng = rng

    def add(
        self,
        *,
        kind: str,
        recipients: Iterable[ScaleUser],
        subject: str,
        body: str,
        audit_entry_id: int,
        created_at: datetime.datetime,
    ) -> None:
        subject = one_line(subject)
        for user in recipients:
            if self._rng.random() < self.FAILED_SHARE:
                self._append(
                    (
                        kind,
                        user.email,
                        subject,
                        body,
                        audit_entry_id,
                        user.pk,
                        Notice.Status.FAILED,
                        settings.NOTICE_MAX_ATTEMPTS,
                        created_at + datetime.timedelta(hours=6),
                        None,
                        "SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable",
                        created_at,
                    )
                )
            else:
                sent = created_at + datetime.timedelta(seconds=self._rng.uniform(2, 90))
                self._append(
                    (
                        kind,
                        user.email,
                        subject,
                        body,
                        audit_entry_id,
                        user.pk,
                        Notice.Status.SENT,
                        1,
                        created_at,
                        sent,
                        "",
                        created_at,
                    )
                )


# ---------------------------------------------------------------------- the context


@dataclass(frozen=True)
class ScaleRole:
    """One role assignment as made, with its period (``tot`` None: still valid)."""

    user: ScaleUser
    rol: str
    vanaf: datetime.date
    tot: datetime.date | None = None
    werkgebied_id: int | None = None
    gebied_id: int | None = None
    cluster_id: int | None = None

    def active(self, on: datetime.date) -> bool:
        return self.vanaf <= on and (self.tot is None or on <= self.tot)


@dataclass(frozen=True)
class Slot:
    """One edit of a product's content (a theme, an agendapunt…) in its history: when, the
    version it made and who made it. The builder places it; the step that writes the content
    writes its row and its log entry (see :data:`inhoud_planners`)."""

    at: datetime.datetime
    versie: int
    actor: ScaleUser
    rol: str


@dataclass
class ScaleProduct:
    model: type
    pk: int
    titel: str
    status: str
    versie: int
    vastgesteld_op: datetime.datetime | None
    gepubliceerd_op: datetime.datetime | None
    # When it went to consultation (None: not, or adopted straight away): content that the
    # adoption check asks for must be complete by then (see cycle/scale_programma.py).
    geconsulteerd_op: datetime.datetime | None = None
    # The plan its content planner drew (None: no content of its own) and the edits kept
    # for it, in order; when it was worked on (first edit to adoption or last edit).
    inhoud: object = None
    slots: list[Slot] = field(default_factory=list)
    venster: tuple[datetime.datetime, datetime.datetime] | None = None

    @property
    def soort(self) -> str:
        return self.model.SOORT


@dataclass
class ScaleCycle:
    pk: int
    werkgebied: Werkgebied
    jaar: int
    fase: str
    aangemaakt_op: datetime.datetime
    producten: dict[str, ScaleProduct] = field(default_factory=dict)


@dataclass
class ScaleContext:
    seed: int
    factor: int
    years: int
    until_year: int
    today: datetime.date
    # The werkgebieden being built (by name), and all of them: draws that spread states over
    # werkgebieden use all, so a city of fewer werkgebieden has the same cycles in those.
    werkgebieden: list[Werkgebied]
    alle_werkgebieden: list[Werkgebied]
    gebieden: list[Gebied]
    clusters: list[Cluster]
    bench_password: str | None = None
    rng: random.Random = field(default_factory=random.Random)
    users: dict[str, list[ScaleUser]] = field(default_factory=dict)
    roles: dict[str, list[ScaleRole]] = field(default_factory=dict)
    cycli: list[ScaleCycle] = field(default_factory=list)
    accounts: dict[str, str] = field(default_factory=dict)
    bench: dict = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.audit = AuditWriter(self.counts)
        self.notices = NoticeWriter(self.counts, self.rng_for("notices"))
        self._by_werkgebied: dict[int, list[ScaleRole]] = {}
        self._by_gebied: dict[int, list[ScaleRole]] = {}
        self._city_wide: list[ScaleRole] = []

    @property
    def jaren(self) -> list[int]:
        return list(range(self.until_year - self.years + 1, self.until_year + 1))

    @property
    def huidig_jaar(self) -> int:
        """The programme year being carried out now."""
        return self.until_year - 1

    @property
    def begin(self) -> datetime.date:
        """When the accounts start: before the first cycle's analysis."""
        return datetime.date(self.jaren[0] - 1, 1, 1)

    def rng_for(self, *parts) -> random.Random:
        # A str seed is hashed with SHA-512: the same stream on every run and machine.
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))  # noqa: S311

    def moment(self, day: datetime.date, rng: random.Random) -> datetime.datetime:
        """A moment in office hours on ``day``, in the portal's time zone."""
        return datetime.datetime(
            day.year,
            day.month,
            day.day,
            rng.randint(8, 16),
            rng.randrange(60),
            rng.randrange(60),
            tzinfo=self.tz,
        )

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.tz).date()

    def copy(self, model, fields: Sequence[str], rows: Iterable[Sequence]) -> int:
        count = copy_rows(model, fields, rows)
        self.counts[model._meta.label] += count
        return count

    def reserve_ids(self, model, n: int) -> list[int]:
        return reserve_ids(model, n)

    def add_roles(self, roles: Iterable[ScaleRole]) -> None:
        for role in roles:
            self.roles.setdefault(role.rol, []).append(role)
            if role.werkgebied_id is not None:
                self._by_werkgebied.setdefault(role.werkgebied_id, []).append(role)
            elif role.gebied_id is not None:
                self._by_gebied.setdefault(role.gebied_id, []).append(role)
            else:
                self._city_wide.append(role)

    def holders(
        self, rollen, *, werkgebied: Werkgebied | None, on: datetime.date, city_wide=()
    ) -> list[ScaleUser]:
        """Who held one of ``rollen`` for ``werkgebied`` (directly or through its gebied), or
        one of ``city_wide`` anywhere, on ``on``; by e-mail address, each once (as
        ``cycle.notifications`` picks recipients)."""
        found: dict[str, ScaleUser] = {}
        scoped = []
        if werkgebied is not None:
            scoped = self._by_werkgebied.get(werkgebied.pk, []) + self._by_gebied.get(
                werkgebied.gebied_id, []
            )
        for role in scoped:
            if role.rol in rollen and role.active(on):
                found[role.user.email] = role.user
        for role in self._city_wide:
            if role.rol in city_wide and role.active(on):
                found[role.user.email] = role.user
        return [found[email] for email in sorted(found)]

    def flush(self) -> None:
        self.audit.flush()
        self.notices.flush()


@dataclass
class Summary:
    seed: int
    years: int
    factor: int
    jaren: list[int]
    today: datetime.date
    counts: dict[str, int]
    accounts: dict[str, str]
    werkgebied: str
    jaar: int
    seconds: float

    def bench(self) -> dict:
        """What the benchmark harness reads: the accounts to sign in as and a busy cycle."""
        return {
            "wijkmanager": self.accounts["wijkmanager"],
            "wijkraadslid": self.accounts["wijkraadslid"],
            "accounthouder": self.accounts["accounthouder"],
            "raad": self.accounts["raad"],
            "bewoner": self.accounts["bewoner"],
            "werkgebied": self.werkgebied,
            "jaar": self.jaar,
        }


# ------------------------------------------------------------------------ generate


def scale_users():
    return User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}")


def generate(
    *,
    years: int,
    factor: int,
    seed: int = DEFAULT_SEED,
    until_year: int | None = None,
    werkgebieden: int | None = None,
    replace: bool = False,
    bench_password: str | None = None,
    today: datetime.date | None = None,
    steps: Registry | None = None,
) -> Summary:
    """Build the city in one transaction and return what was made.

    ``until_year`` is the newest programme year (default: next year); the city stands as on
    ``today`` (default: today), or, when ``until_year`` is not next year, on 15 November of
    the year before it. ``werkgebieden`` builds only the first so many by name (tests). With
    ``replace`` every cycle, its products and their log, and the generated accounts go first.
    ``steps`` replaces the registered steps (tests of the registry). Raises
    :class:`ScaleDataError` where that is not allowed or not possible."""
    started = time.perf_counter()
    if not settings.SCALE_DATA_ALLOWED:
        raise ScaleDataError(
            "Schaalgegevens worden met deze instellingen niet geladen (SCALE_DATA_ALLOWED staat "
            "uit; lokaal en in de tests staat het aan). Alleen voor een eigen, wegwerpbare "
            "benchmarkdatabase: zet WIJKAANPAK_ALLOW_SCALE_DATA=1."
        )
    if connection.vendor != "postgresql":
        raise ScaleDataError("load_scale werkt alleen met PostgreSQL (het schrijft met COPY).")
    if years < 1 or factor < 1:
        raise ScaleDataError("--years en --factor moeten minstens 1 zijn.")
    if today is None:
        today = timezone.localdate()
        if until_year is not None and until_year != today.year + 1:
            today = datetime.date(until_year - 1, 11, 15)
    until_year = until_year or today.year + 1
    if steps is None:
        autodiscover_modules("scale")
        steps = registry
    ordered = steps.ordered()

    with transaction.atomic():
        alle = list(Werkgebied.objects.select_related("gebied").order_by("naam", "pk"))
        if not alle:
            raise ScaleDataError("Laad eerst de plaatsen: manage.py import_rotterdam")
        clusters = list(Cluster.objects.order_by("naam", "pk"))
        if not clusters:
            raise ScaleDataError(
                "Er zijn geen clusters; die zet de migratie people 0002 neer (manage.py migrate)."
            )
        gekozen = alle[:werkgebieden] if werkgebieden else alle
        gebied_ids = {wg.gebied_id for wg in gekozen}
        ctx = ScaleContext(
            seed=seed,
            factor=factor,
            years=years,
            until_year=until_year,
            today=today,
            werkgebieden=gekozen,
            alle_werkgebieden=alle,
            gebieden=list(Gebied.objects.filter(pk__in=gebied_ids).order_by("naam", "pk")),
            clusters=clusters,
            bench_password=bench_password,
        )
        if replace:
            for step in reversed(ordered):
                if step.clear is not None:
                    step.clear(ctx)
        elif scale_users().exists():
            raise ScaleDataError(
                f"Deze database bevat al schaalgegevens (accounts @{SCALE_EMAIL_DOMAIN}). "
                "Gebruik --replace om ze te vervangen."
            )
        elif Werkcyclus.objects.exists():
            raise ScaleDataError(
                "Deze database bevat al werkcycli (bijvoorbeeld de demo). Gebruik --replace om "
                "alle cycli, hun producten en hun logregels te vervangen."
            )
        for step in ordered:
            ctx.rng = ctx.rng_for("step", step.name)
            step.fn(ctx)
            ctx.flush()
        # Rows written with COPY bypass audit_log, which would have bumped the public version:
        # cached public pages from before must not be served.
        bump()
    return Summary(
        seed=seed,
        years=years,
        factor=factor,
        jaren=ctx.jaren,
        today=today,
        counts=dict(sorted(ctx.counts.items())),
        accounts=dict(ctx.accounts),
        werkgebied=ctx.bench.get("werkgebied", ""),
        jaar=ctx.bench.get("jaar", 0),
        seconds=time.perf_counter() - started,
    )


# -------------------------------------------------------------------------- people


def _lijst(text: str, sep: str = "|") -> list[str]:
    return text.split(sep)


VOORNAMEN = _lijst(
    "Fatima Mohamed Sanne Daan Emma Noah Aylin Yusuf Priya Kevin Lotte Jeroen Ingrid Bram Sevda "
    "Hatice Mustafa Anouk Roel Esther Joost Wilma Gerda Kees Jan Piet Marieke Naima Rachid Deniz "
    "Mehmet Shirley Ricardo Tamara Ravi Chantal Dirk Sophie Lucas Julia Thijs Femke Mila Sem "
    "Zeynep Omar Ilse Wouter Nadia Hamza Anton Bea Ruud Wendy Gert-Jan Soufiane Ayşe Marloes",
    " ",
)
ACHTERNAMEN = _lijst(
    "de Vries|Jansen|van den Berg|Bakker|Visser|Smit|de Jong|Yılmaz|El Amrani|Kaya|Pinas|Martina|"
    "Bouzid|van Dijk|Hendriks|Mulder|de Graaf|Koç|Öztürk|Boukhari|Groen|van Leeuwen|Dekker|"
    "Verhoeven|Brouwer|Peters|Sedney|Doelwijt|Ramdin|Tahiri|Chaouch|van der Meer|Kok|Bos|"
    "Vermeulen|Ait Ouali|Çelik|Lie|Tjon A Fong|Janssen|Schouten|van Wijk|Rozendaal|Kraaijeveld"
)


def _mail_part(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore")
    return "".join(ch for ch in ascii_text.decode().lower() if ch.isalnum())


class _People:
    """Accounts and their roles, written with two bulk inserts."""

    def __init__(self, ctx: ScaleContext, reeks: str = ""):
        self.ctx = ctx
        # Told apart in the addresses of another step's accounts (their numbers start again).
        self.reeks = reeks
        self.users: list[User] = []
        self.specs: list[tuple[int, dict]] = []  # (index in users, role fields)
        self.unusable = make_password(None)

    def person(self, rng: random.Random, *, naamloos_kans: float = 0.0) -> int:
        voornaam, achternaam = rng.choice(VOORNAMEN), rng.choice(ACHTERNAMEN)
        index = len(self.users)
        email = (
            f"{_mail_part(voornaam)}.{_mail_part(achternaam)}.{self.reeks}{index + 1}"
            f"@{SCALE_EMAIL_DOMAIN}"
        )
        naam = "" if rng.random() < naamloos_kans else f"{voornaam} {achternaam}"
        return self._add(email, naam)

    def bench(self, rol: str, naam: str) -> int:
        index = self._add(BENCH_EMAILS[rol], naam)
        if self.ctx.bench_password:
            self.users[index].password = make_password(self.ctx.bench_password)
        self.ctx.accounts[rol] = BENCH_EMAILS[rol]
        return index

    def _add(self, email: str, naam: str) -> int:
        self.users.append(
            User(
                email=email,
                naam=naam,
                # Every generated account has the same unusable hash: nobody can sign in with it,
                # and hashing tens of thousands of random strings would only cost time.
                password=self.unusable,
                date_joined=datetime.datetime.combine(
                    self.ctx.begin, datetime.time(9), tzinfo=self.ctx.tz
                ),
            )
        )
        return len(self.users) - 1

    def role(self, index: int, rol: str, *, vanaf=None, tot=None, **scope) -> None:
        self.specs.append(
            (index, {"rol": rol, "vanaf": vanaf or self.ctx.begin, "tot": tot, **scope})
        )

    def save(self) -> None:
        User.objects.bulk_create(self.users, batch_size=2000)
        self.ctx.counts[User._meta.label] += len(self.users)
        scale_users = [ScaleUser(pk=u.pk, email=u.email, naam=u.naam) for u in self.users]
        assignments, roles = [], []
        for index, spec in self.specs:
            user = self.users[index]
            scope = {k: spec.get(k) for k in ("werkgebied_id", "gebied_id", "cluster_id")}
            assignments.append(
                Roltoewijzing(
                    user=user,
                    rol=spec["rol"],
                    geldig_vanaf=spec["vanaf"],
                    geldig_tot=spec["tot"],
                    **scope,
                )
            )
            roles.append(
                ScaleRole(
                    user=scale_users[index],
                    rol=spec["rol"],
                    vanaf=spec["vanaf"],
                    tot=spec["tot"],
                    **scope,
                )
            )
        Roltoewijzing.objects.bulk_create(assignments, batch_size=5000)
        self.ctx.counts[Roltoewijzing._meta.label] += len(assignments)
        per_rol: dict[str, dict[int, ScaleUser]] = {}
        for role in roles:
            per_rol.setdefault(role.rol, {})[role.user.pk] = role.user
        for rol, users in per_rol.items():
            self.ctx.users.setdefault(rol, []).extend(users.values())
        self.ctx.add_roles(roles)


def _left_on(rng: random.Random, ctx: ScaleContext) -> datetime.date:
    """A date someone stepped down: after a year, at least two months before today."""
    first = ctx.begin + datetime.timedelta(days=365)
    last = ctx.today - datetime.timedelta(days=60)
    if last <= first:
        return last if last >= ctx.begin else ctx.begin
    return first + datetime.timedelta(days=rng.randrange((last - first).days))


def people_clear(ctx: ScaleContext) -> None:
    # Their roles go with them; later steps have cleared what else pointed at them.
    scale_users().delete()


@register("people", clear=people_clear)
def people(ctx: ScaleContext) -> None:
    """Per werkgebied 1–2 wijkmanagers, 7–9 wijkraadsleden (and some who left) and 20–60
    bewoners; per gebied an accounthouder per cluster and sometimes a wijkmanager for the whole
    gebied; 45 raad members and 3 beheerders; all times ``factor``. Plus the benchmark
    accounts."""
    f = ctx.factor
    made = _People(ctx)
    bench_wg = ctx.werkgebieden[0]
    for wg in ctx.werkgebieden:
        rng = ctx.rng_for("people", wg.slug)
        for i in range(rng.choice((1, 1, 2)) * f):
            # The first stays; a second is a colleague or a predecessor who has left.
            tot = _left_on(rng, ctx) if i > 0 and rng.random() < 0.4 else None
            made.role(made.person(rng), Rol.WIJKMANAGER, tot=tot, werkgebied_id=wg.pk)
        for _ in range(rng.randint(7, 9) * f):
            made.role(made.person(rng), Rol.WIJKRAADSLID, werkgebied_id=wg.pk)
        for _ in range(rng.randint(0, 2) * f):
            tot = _left_on(rng, ctx)
            made.role(made.person(rng), Rol.WIJKRAADSLID, tot=tot, werkgebied_id=wg.pk)
        for _ in range(rng.randint(20, 60) * f):
            vanaf = ctx.begin + datetime.timedelta(
                days=rng.randrange(max(1, (ctx.today - ctx.begin).days))
            )
            made.role(
                made.person(rng, naamloos_kans=0.25), Rol.BEWONER, vanaf=vanaf, werkgebied_id=wg.pk
            )
    werkgebieden_per_gebied = Counter(wg.gebied_id for wg in ctx.alle_werkgebieden)
    for gebied in ctx.gebieden:
        rng = ctx.rng_for("people", gebied.slug)
        for cluster in ctx.clusters:
            for _ in range(f):
                made.role(
                    made.person(rng), Rol.ACCOUNTHOUDER, gebied_id=gebied.pk, cluster_id=cluster.pk
                )
        if werkgebieden_per_gebied[gebied.pk] >= 3 and rng.random() < 0.3:
            for _ in range(f):
                made.role(made.person(rng), Rol.WIJKMANAGER, gebied_id=gebied.pk)
    rng = ctx.rng_for("people", "stad")
    for _ in range(45 * f):
        made.role(made.person(rng), Rol.RAAD)
    for _ in range(3 * f):
        made.role(made.person(rng), Rol.BEHEERDER)

    cluster = next((c for c in ctx.clusters if c.slug == "stadsbeheer"), ctx.clusters[0])
    made.role(
        made.bench("wijkmanager", "Bench Wijkmanager"), Rol.WIJKMANAGER, werkgebied_id=bench_wg.pk
    )
    made.role(
        made.bench("wijkraadslid", "Bench Wijkraadslid"),
        Rol.WIJKRAADSLID,
        werkgebied_id=bench_wg.pk,
    )
    made.role(
        made.bench("accounthouder", "Bench Accounthouder"),
        Rol.ACCOUNTHOUDER,
        gebied_id=bench_wg.gebied_id,
        cluster_id=cluster.pk,
    )
    made.role(made.bench("raad", "Bench Raadslid"), Rol.RAAD)
    made.role(made.bench("beheerder", "Bench Beheerder"), Rol.BEHEERDER)
    made.role(made.bench("bewoner", "Bench Bewoner"), Rol.BEWONER, werkgebied_id=bench_wg.pk)
    made.save()


# ---------------------------------------------------------------------------- texts

ONDERWERPEN = _lijst(
    "De wijkraad|Bewoners|Het wijknetwerk|De gemeente|Stadsbeheer|De woningcorporatie|"
    "Het buurthuis|Jongerenwerkers|Ondernemers in de winkelstraat|De wijkagent|"
    "Ouders van de basisschool|Vrijwilligers|Het wijk-MT|Het welzijnswerk|"
    "De bewonersorganisatie|Huurders|Ouderen in de wijk|De werkgroep groen|De clusters|"
    "Het bewonersplatform"
)
WERKWOORDEN = _lijst(
    "vragen aandacht voor|werken samen aan|signaleren problemen met|willen verbetering van|"
    "onderzoeken|bespreken|pakken aan|organiseren acties rond|zien kansen voor|"
    "maken zich zorgen over|dragen bij aan|evalueren|ondersteunen|geven voorrang aan|"
    "houden toezicht op"
)
ZAKEN = _lijst(
    "het zwerfafval rond de winkelstraat|de veiligheid van de schoolroutes|"
    "de speelplekken in de binnenhoven|het groen langs de singel|"
    "de verlichting bij de parkeergarage|eenzaamheid onder ouderen|"
    "overlast van jongeren op het plein|de staat van de portieken|"
    "de toegankelijkheid van het buurthuis|het onderhoud van de stoepen|"
    "de inzameling van grofvuil|de oversteekplaatsen bij de tramhalte|"
    "taallessen voor nieuwe bewoners|de energierekening van huurders|schuldhulp in de wijk|"
    "de sportvelden|het aantal bewonersinitiatieven|de samenwerking met de woningcorporatie|"
    "geluidsoverlast in de nacht|fietsparkeren bij het station|de hittestress in de straten|"
    "de wachtlijsten voor de sportclub"
)
BEPALINGEN = _lijst(
    "in de komende maanden|samen met de wijkraad|volgens de wijkschouw van het voorjaar|"
    "zoals de cijfers van het Wijkprofiel laten zien|binnen het wijkbudget|"
    "met hulp van vrijwilligers|na de bewonersavond in het buurthuis|in overleg met de clusters|"
    "voor het einde van het jaar|in elke buurt van het werkgebied|"
    "waar de sociale index achterblijft|met voorrang voor de binnenhoven"
)
INITIATIEVEN = _lijst(
    "Schoonmaakacties met bewoners|Schoolzones herinrichten|Speelplek-ontwerpsessies|"
    "Buurtpreventie-app|Geveltuinen in de zijstraten|Taalcafé in het buurthuis|"
    "Ouderenbezoek door vrijwilligers|Straatvoetbaltoernooi|Energiecoaches voor huurders|"
    "Extra verlichting bij de tramhalte|Wijkschouw met de wijkagent|Boomspiegels adopteren"
)
ONDERTITELS = _lijst(
    "Schoon, heel en veilig|Samen sterker in de wijk|Ruimte voor jong en oud|"
    "Een wijk om trots op te zijn|Groen, veilig en betrokken|Werk aan de wijk|"
    "Van signaal naar resultaat|Bewoners aan zet|Elkaar kennen, elkaar helpen"
)
REDENEN = (
    "Alle acties van het programma zijn uitgevoerd; de verantwoording begint.",
    "De wijkraad wil het verslag vóór de jaarwisseling bespreken.",
    "De laatste acties lopen door in het programma van volgend jaar.",
)
# Sections written as lists (money) rather than prose. The initiatives of a programme are
# rows of their own (cycle/scale_programma.py).
LIJST_SECTIES = {"bestedingsvoorstel", "jaarrekening"}


def _zin(rng: random.Random) -> str:
    vorm = rng.random()
    if vorm < 0.45:
        zin = f"{rng.choice(ONDERWERPEN)} {rng.choice(WERKWOORDEN)} {rng.choice(ZAKEN)}"
    elif vorm < 0.8:
        zin = (
            f"{rng.choice(ONDERWERPEN)} {rng.choice(WERKWOORDEN)} {rng.choice(ZAKEN)}, "
            f"{rng.choice(BEPALINGEN)}"
        )
    else:
        zin = f"Het doel is {rng.choice(ZAKEN)} {rng.choice(BEPALINGEN)} te verbeteren"
    return zin + "."


def _regel(rng: random.Random, veld: str) -> str:
    bedrag = rng.randrange(500, 40_000, 250)
    return f"- {rng.choice(INITIATIEVEN)}: € {bedrag:,}".replace(",", ".") + f". {_zin(rng)}"


def tekst(rng: random.Random, veld: str = "", minimum=SECTIE_MIN, maximum=SECTIE_MAX) -> str:
    """Dutch-looking text of ``minimum``–``maximum`` characters in whole sentences (lines for
    the list-like sections)."""
    doel = rng.randint(minimum, maximum)
    delen: list[str] = []
    lengte = 0
    while lengte < doel:
        if veld in LIJST_SECTIES:
            deel, scheiding = _regel(rng, veld), "\n"
        else:
            deel = _zin(rng)
            scheiding = "\n\n" if delen and rng.random() < 0.2 else " "
        extra = len(deel) + (len(scheiding) if delen else 0)
        if lengte + extra > maximum and lengte >= minimum:
            break
        delen.append((scheiding if delen else "") + deel)
        lengte += extra
    return "".join(delen)[:maximum]


# ---------------------------------------------------------------------------- cycles

# Plain strings: they are written to rows and JSON as they are.
C, K, V, G = (
    s.value
    for s in (
        Productstatus.CONCEPT,
        Productstatus.CONSULTATIE,
        Productstatus.VASTGESTELD,
        Productstatus.GEPUBLICEERD,
    )
)
ANALYSE, AGENDA, PROGRAMMA, UITVOERING, VERANTWOORDING, KLAAR = (f.value for f in Fase)
STATUS_VOLGORDE = {C: 0, K: 1, V: 2, G: 3}
# Where the cycles of a year stand, by the year's distance to the year being carried out:
# ((phase, status of the product that phase works on), weight).
STANDEN = {
    1: [
        ((ANALYSE, C), 3),
        ((ANALYSE, K), 2),
        ((ANALYSE, V), 1),
        ((AGENDA, C), 2),
        ((AGENDA, K), 2),
        ((AGENDA, V), 1),
        ((PROGRAMMA, C), 2),
        ((PROGRAMMA, K), 2),
        ((PROGRAMMA, V), 1),
    ],
    0: [
        ((UITVOERING, V), 3),
        ((UITVOERING, G), 9),
        ((VERANTWOORDING, C), 1),
        ((VERANTWOORDING, K), 1),
    ],
    -1: [
        ((KLAAR, G), 16),
        ((VERANTWOORDING, C), 1),
        ((VERANTWOORDING, K), 1),
        ((VERANTWOORDING, V), 1),
        ((VERANTWOORDING, G), 1),
    ],
}
AFGEROND = [((KLAAR, G), 1)]
OVERGANGEN = [  # (transition, from, to), in cycle order
    ("naar_agenda", ANALYSE, AGENDA),
    ("naar_programma", AGENDA, PROGRAMMA),
    ("naar_uitvoering", PROGRAMMA, UITVOERING),
    ("naar_verantwoording", UITVOERING, VERANTWOORDING),
    ("afronden", VERANTWOORDING, KLAAR),
]
WERKFASE_NAMEN = [ANALYSE, AGENDA, PROGRAMMA, UITVOERING, VERANTWOORDING]
CYCLE_FIELDS = [
    "id",
    "werkgebied",
    "jaar",
    "fase",
    *[f"{fase}_{deel}" for fase in WERKFASE_NAMEN for deel in ("begin", "eind")],
    *[f"{fase}_{deel}" for fase in WERKFASE_NAMEN for deel in ("gestart", "afgerond")],
    "versie",
    "aangemaakt_op",
    "gewijzigd_op",
]
PRODUCT_FIELDS = [
    "id",
    "cyclus",
    "titel",
    "status",
    "versie",
    "gewijzigd_op",
    "vastgesteld_op",
    "besluitreferentie",
    "gepubliceerd_op",
    "correctie_reden",
]


def _spread(rng: random.Random, n: int, options) -> list:
    """``n`` states in the proportions of ``options``, each at least once where ``n`` allows,
    shuffled."""
    total = sum(weight for _, weight in options)
    exact = [n * weight / total for _, weight in options]
    counts = [int(x) for x in exact]
    if n >= len(options):
        counts = [max(1, c) for c in counts]
    while sum(counts) < n:
        i = max(range(len(counts)), key=lambda j: exact[j] - counts[j])
        counts[i] += 1
    while sum(counts) > n:
        i = max(range(len(counts)), key=lambda j: counts[j] - exact[j])
        counts[i] -= 1
    states = [
        state for (state, _), count in zip(options, counts, strict=True) for _ in range(count)
    ]
    rng.shuffle(states)
    return states


def _plans(ctx: ScaleContext) -> dict[tuple[int, int], tuple[str, str]]:
    """(phase, status of its product) of every cycle, spread over all werkgebieden per year.
    The benchmark werkgebied is carrying out a published programme (or, with one year only,
    drafting one) while drafting next year's (so its accounthouder has initiatives to report
    on and initiatives waiting for a toezegging)."""
    plans = {}
    for jaar in ctx.jaren:
        options = STANDEN.get(jaar - ctx.huidig_jaar, AFGEROND)
        states = _spread(ctx.rng_for("plan", jaar), len(ctx.alle_werkgebieden), options)
        for wg, state in zip(ctx.alle_werkgebieden, states, strict=True):
            plans[(wg.pk, jaar)] = state
    bench = ctx.werkgebieden[0]
    jaar = ctx.huidig_jaar if ctx.huidig_jaar in ctx.jaren else ctx.until_year
    gewenst = {jaar: (UITVOERING, G) if jaar == ctx.huidig_jaar else (PROGRAMMA, C)}
    if jaar == ctx.huidig_jaar and ctx.until_year in ctx.jaren:
        gewenst[ctx.until_year] = (PROGRAMMA, C)
    for jaar_, state in gewenst.items():
        if plans[(bench.pk, jaar_)] != state:
            # Swap with a werkgebied that has it, so the spread stays as drawn.
            other = next(
                (wg for wg in ctx.alle_werkgebieden if plans[(wg.pk, jaar_)] == state), None
            )
            if other is not None:
                plans[(other.pk, jaar_)] = plans[(bench.pk, jaar_)]
            plans[(bench.pk, jaar_)] = state
    ctx.bench.update(werkgebied=bench.slug, jaar=jaar)
    return plans


def _statuses(fase: str, status: str, rng: random.Random) -> dict[str, str]:
    """The status of each product of a cycle in ``fase`` whose current product has
    ``status``: earlier ones adopted (mostly also published), later ones untouched."""
    result = {}
    huidig = PRODUCT_VAN_FASE.get(fase)
    for model in PRODUCT_MODELLEN:
        fase_index = FASE_VOLGORDE[model.WERKFASEN[0]]
        if fase == KLAAR:
            result[model.SOORT] = G
        elif model is huidig:
            result[model.SOORT] = status
        elif fase_index < FASE_VOLGORDE[fase]:
            result[model.SOORT] = G if rng.random() < 0.85 else V
        else:
            result[model.SOORT] = C
    return result


def taakverdeling_clear(ctx: ScaleContext) -> None:
    made = list(
        AuditEntry.objects.filter(
            action="cycle.taakverdeling",
            content_type=ContentType.objects.get_for_model(Taakverdeling),
            actor__email__endswith=f"@{SCALE_EMAIL_DOMAIN}",
        ).values_list("pk", "object_id")
    )
    _delete_audit_entries(ids=[pk for pk, _ in made])
    Taakverdeling.objects.filter(pk__in=[int(object_id) for _, object_id in made]).delete()


def _delete_audit_entries(*, ids=(), content_types=()) -> None:
    """Remove log entries (and their notices) of data that is being removed. The log is
    append-only for the portal; this is the one place that deletes from it, and only what
    the generator's --replace takes away."""
    Notice.objects.filter(audit_entry__in=list(ids)).delete()
    Notice.objects.filter(audit_entry__content_type__in=list(content_types)).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE id = ANY(%s) OR content_type_id = ANY(%s)",
            [list(ids), list(content_types)],
        )


def _taakverdelingen(ctx: ScaleContext) -> dict[int, tuple[str, str]]:
    """Some werkgebieden work as Rotterdam does since 2022 (the wijkraad writes the report,
    the college adopts); set by a beheerder before the first cycle. Existing rows stay."""
    rng = ctx.rng_for("taakverdeling")
    keuzes = {}
    for wg in ctx.alle_werkgebieden:
        r = rng.random()
        if r < 0.2:
            keuzes[wg.pk] = (Opsteller.WIJKRAAD, Vaststelling.COLLEGE)
        elif r < 0.35:
            keuzes[wg.pk] = (Opsteller.WIJKRAAD, Vaststelling.WIJKMANAGER)
        elif r < 0.45:
            keuzes[wg.pk] = (Opsteller.WIJKMANAGER, Vaststelling.COLLEGE)
    bestaand = {
        t.werkgebied_id: (t.wijkverslag_opsteller, t.vaststelling)
        for t in Taakverdeling.objects.filter(werkgebied__in=ctx.werkgebieden)
    }
    nieuw = [
        Taakverdeling(
            werkgebied=wg, wijkverslag_opsteller=keuzes[wg.pk][0], vaststelling=keuzes[wg.pk][1]
        )
        for wg in ctx.werkgebieden
        if wg.pk in keuzes and wg.pk not in bestaand
    ]
    Taakverdeling.objects.bulk_create(nieuw)
    ctx.counts[Taakverdeling._meta.label] += len(nieuw)
    beheerders = ctx.users.get(Rol.BEHEERDER, [])
    for taak in nieuw:
        moment = ctx.moment(ctx.begin + datetime.timedelta(days=rng.randint(20, 60)), rng)
        ctx.audit.add(
            action="cycle.taakverdeling",
            actor=rng.choice(beheerders),
            actor_rol=Rol.BEHEERDER.value,
            target_model=Taakverdeling,
            object_id=taak.pk,
            data={
                "werkgebied": taak.werkgebied_id,
                "wijkverslag_opsteller": taak.wijkverslag_opsteller,
                "vaststelling": taak.vaststelling,
            },
            timestamp=moment,
        )
    result = {wg.pk: (Opsteller.WIJKMANAGER, Vaststelling.WIJKMANAGER) for wg in ctx.werkgebieden}
    result.update({t.werkgebied_id: (t.wijkverslag_opsteller, t.vaststelling) for t in nieuw})
    result.update(bestaand)
    return result


@dataclass
class _Event:
    at: datetime.datetime
    kind: str  # "created", "transition", "edit", "inhoud", "consult", "adopt", "publish"
    soort: str = ""
    data: dict = field(default_factory=dict)


class _CycleBuilder:
    """One cycle: its natural history after the Delft calendar, cut where its plan says it
    stands, squeezed before today where it ran ahead, written as rows and log entries."""

    def __init__(self, ctx, wg, jaar, plan, taak, labels, cyclus_id, product_ids):
        self.ctx, self.wg, self.jaar, self.taak, self.labels = ctx, wg, jaar, taak, labels
        self.fase, status = plan
        self.cyclus_id, self.product_ids = cyclus_id, product_ids
        # Streams of this cycle alone: dates, states and texts do not depend on the factor.
        self.rd = ctx.rng_for("cycle.dates", wg.slug, jaar)
        self.rt = ctx.rng_for("cycle.text", wg.slug, jaar)
        self.re = ctx.rng_for("cycle.edits", wg.slug, jaar)
        self.ra = ctx.rng_for("cycle.actors", wg.slug, jaar)
        self.statuses = _statuses(self.fase, status, ctx.rng_for("plan", wg.slug, jaar))
        self.cal = delft_kalender(jaar)

    def _around(self, day, lo, hi):
        return self.ctx.moment(day + datetime.timedelta(days=self.rd.randint(lo, hi)), self.rd)

    def _later(self, moment, lo_hours, hi_hours):
        return moment + datetime.timedelta(hours=self.rd.uniform(lo_hours, hi_hours))

    def _natural(self) -> dict:
        """When everything would happen in a cycle that runs its full course."""
        t = {"created": self._around(self.cal["analyse_begin"], -30, 20)}
        start = t["created"]
        for model, eind, min_dagen, overgang in (
            (PRODUCT_MODELLEN[0], "analyse_eind", 60, "naar_agenda"),
            (PRODUCT_MODELLEN[1], "agenda_eind", 21, "naar_programma"),
            (PRODUCT_MODELLEN[2], "programma_eind", 45, "naar_uitvoering"),
        ):
            adopt = max(
                self._around(self.cal[eind], -20, 20), start + datetime.timedelta(min_dagen)
            )
            self._product_times(t, model.SOORT, start, adopt)
            start = self._later(adopt, 2, 24 * 8)
            if overgang == "naar_uitvoering":
                start = max(start, self._around(self.cal["uitvoering_begin"], -10, 12))
            t[overgang] = start
        t["naar_verantwoording"] = max(
            self._around(self.cal["verantwoording_begin"], -20, 30),
            start + datetime.timedelta(days=300),
        )
        start = t["naar_verantwoording"]
        adopt = max(
            self._around(self.cal["verantwoording_eind"], -20, 40),
            start + datetime.timedelta(days=60),
        )
        self._product_times(t, "wijkverslag", start, adopt)
        t["afronden"] = self._later(
            max(t["wijkverslag.publish"], t["wijkprogramma.publish"]), 2, 24 * 14
        )
        return t

    def _product_times(self, t, soort, start, adopt):
        t[f"{soort}.start"] = start
        t[f"{soort}.adopt"] = adopt
        # Most products go to consultation first; a few are adopted straight away.
        t[f"{soort}.consult"] = (
            start + (adopt - start) * self.rd.uniform(0.55, 0.85)
            if self.rd.random() < 0.85
            else None
        )
        t[f"{soort}.publish"] = self._later(adopt, 20, 24 * 30)
        # How far a product still being drafted has got, as a share of its phase.
        t[f"{soort}.progress"] = self.rd.uniform(0.2, 0.9)

    def _events(self, t) -> list[_Event]:
        fase_index = FASE_VOLGORDE[self.fase]
        events = [_Event(t["created"], "created")]
        # The edges of the history, whatever the number of edits in it (which grows with the
        # factor): squeezing by them keeps the dates of a cycle the same at any factor.
        self.anchors = [t["created"]]
        for index, (overgang, van, naar) in enumerate(OVERGANGEN, start=1):
            if index <= fase_index:
                events.append(
                    _Event(
                        t[overgang],
                        "transition",
                        data={"overgang": overgang, "van": van, "naar": naar},
                    )
                )
        for model in PRODUCT_MODELLEN:
            soort = model.SOORT
            if FASE_VOLGORDE[model.WERKFASEN[0]] > fase_index:
                continue
            status = self.statuses[soort]
            rank = STATUS_VOLGORDE[status]
            start, adopt, consult = t[f"{soort}.start"], t[f"{soort}.adopt"], t[f"{soort}.consult"]
            if status == K and consult is None:
                consult = start + (adopt - start) * 0.6
            if rank >= STATUS_VOLGORDE[V]:
                end = adopt
            else:
                share = t[f"{soort}.progress"]
                if status == K:
                    share = max(share, (consult - start) / (adopt - start) + 0.05)
                end = start + (adopt - start) * min(share, 0.95)
                if status == C:
                    consult = None
            if consult is not None and rank >= STATUS_VOLGORDE[K]:
                events.append(_Event(consult, "consult", soort, {"van": C}))
            if rank >= STATUS_VOLGORDE[V]:
                events.append(_Event(adopt, "adopt", soort, {"van": K if consult else C}))
            if status == G:
                events.append(_Event(t[f"{soort}.publish"], "publish", soort))
            events.extend(self._edit_events(soort, start, end, consult))
            self.anchors.append(end)
        self.anchors += [e.at for e in events if e.kind not in ("edit", "inhoud")]
        return events

    def _edit_events(self, soort, start, end, consult) -> list[_Event]:
        """The product's edits: the first ones fill its title and sections, before any
        consultation; the rest rework one or two parts, some during the consultation."""
        model = PRODUCT_PER_SOORT[soort]
        status = self.statuses[soort]
        secties = self._filled_sections(model, status)
        self.filled[soort] = secties
        eerste = [[veld] for veld in secties]
        if self.new_titles[soort] and eerste:
            eerste[0].insert(0, "titel")
        aantal = self.re.randint(30, 100) * self.ctx.factor
        if STATUS_VOLGORDE[status] < STATUS_VOLGORDE[V]:
            aantal = round(aantal * self.re.uniform(0.2, 0.9))
        planner = inhoud_planners.get(soort)
        if planner is not None:
            # From a stream of the product's own: its content is the same at any factor.
            plan = planner(self.ctx.rng_for("cycle.inhoud", self.wg.slug, self.jaar, soort), status)
            self.plans[soort] = plan
            n_inhoud = plan.bewerkingen
        else:
            n_inhoud = 0
        aantal = max(aantal, len(eerste) + n_inhoud)
        velden_keuze = [*secties, *(["titel"] if self.new_titles[soort] else [])]
        velden = list(eerste)
        for _ in range(aantal - len(eerste) - n_inhoud):
            velden.append(
                self.re.sample(velden_keuze, k=min(len(velden_keuze), self.re.choice((1, 1, 1, 2))))
            )
        # The content's edits (None) come after the first texts, between the other edits.
        for _ in range(n_inhoud):
            velden.insert(self.re.randint(len(eerste), len(velden)), None)
        voor = consult if consult is not None else end
        span_voor = (voor - start).total_seconds()
        span_na = (end - voor).total_seconds()
        n_voor = max(len(eerste), round(aantal * 0.75)) if consult is not None else aantal
        n_voor = min(n_voor, aantal)
        times = sorted(self.re.uniform(0, span_voor) for _ in range(n_voor))
        times += sorted(span_voor + self.re.uniform(0, span_na) for _ in range(aantal - n_voor))
        return [
            _Event(start + datetime.timedelta(seconds=offset), "inhoud", soort)
            if v is None
            else _Event(
                start + datetime.timedelta(seconds=offset),
                "edit",
                soort,
                {
                    "product": soort,
                    "velden": sorted(v, key=self._field_order(model)),
                    "versie": i + 2,
                },
            )
            for i, (offset, v) in enumerate(zip(times, velden, strict=True))
        ]

    @staticmethod
    def _field_order(model):
        order = {name: i for i, name in enumerate(("titel", *model.SECTIES))}
        return order.__getitem__

    def _filled_sections(self, model, status) -> list[str]:
        """Which sections have text: all required ones once it went to consultation, most
        optional ones; a concept being drafted has some (at least one)."""
        if status == C:
            gevuld = [s for s in model.SECTIES if self.rt.random() < 0.7]
        else:
            gevuld = [
                s for s in model.SECTIES if s in model.VERPLICHTE_SECTIES or self.rt.random() < 0.85
            ]
        # A product without required sections (the agenda: its points are its content) still
        # says something in words.
        return gevuld or [model.SECTIES[0]]

    def _squeeze(self, events: list[_Event]) -> None:
        """Move a history that ran past today back before it, keeping its order and shape:
        the plan says where the cycle stands, whatever today's date."""
        tz = self.ctx.tz
        # Up to the day before: "today" may be the real today, whose office hours lie ahead.
        limit = datetime.datetime.combine(self.ctx.today, datetime.time(0), tzinfo=tz)
        first, last = min(self.anchors), max(self.anchors)
        if last <= limit:
            return
        end = limit - datetime.timedelta(hours=self.rd.uniform(1, 72))
        span = datetime.timedelta(days=30 + 45 * FASE_VOLGORDE[self.fase])
        # Never before the accounts that act in it existed.
        earliest = datetime.datetime.combine(self.ctx.begin, datetime.time(9), tzinfo=tz)
        begin = min(first, max(end - span, earliest))
        scale = (end - begin) / (last - first)
        for event in events:
            event.at = begin + (event.at - first) * scale

    def _office_hours(self, events: list[_Event]) -> None:
        """People work by day: each day's 24 hours are mapped onto 08:00–18:00, which keeps
        every event on its day and in its order."""
        for event in events:
            local = event.at.astimezone(self.ctx.tz)
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            share = (local - midnight).total_seconds() / 86400
            event.at = midnight + datetime.timedelta(hours=8 + 10 * share)

    def build(self):
        ctx = self.ctx
        self.new_titles = {m.SOORT: self.rt.random() < 0.6 for m in PRODUCT_MODELLEN}
        self.filled: dict[str, list[str]] = {}
        self.plans: dict[str, object] = {}
        events = self._events(self._natural())
        self._squeeze(events)
        self._office_hours(events)
        events.sort(key=lambda e: e.at)
        created = events[0].at

        titels, teksten = {}, {}
        for model in PRODUCT_MODELLEN:
            soort = model.SOORT
            titel = self.labels["titel"][soort]
            if soort in self.filled:
                if self.new_titles[soort]:
                    titel = f"{titel}: {self.rt.choice(ONDERTITELS)}"
                teksten[soort] = {s: tekst(self.rt, s) for s in self.filled[soort]}
            titels[soort] = titel

        cyclus = ScaleCycle(
            pk=self.cyclus_id,
            werkgebied=self.wg,
            jaar=self.jaar,
            fase=self.fase,
            aangemaakt_op=created,
        )
        producten = {
            m.SOORT: ScaleProduct(
                model=m,
                pk=self.product_ids[m],
                titel=titels[m.SOORT],
                status=self.statuses[m.SOORT],
                versie=1,
                vastgesteld_op=None,
                gepubliceerd_op=None,
            )
            for m in PRODUCT_MODELLEN
        }
        cyclus.producten = producten
        for soort, plan in self.plans.items():
            producten[soort].inhoud = plan
        for event in events:
            if event.kind in ("edit", "inhoud", "consult", "adopt"):
                product = producten[event.soort]
                first = product.venster[0] if product.venster else event.at
                product.venster = (first, event.at)
        gewijzigd = {soort: created for soort in producten}
        besluit = {}
        werkelijk = {"analyse_gestart": ctx.local_date(created)}
        cyclus_gewijzigd, cyclus_versie = created, 1
        self.authors: dict[str, ScaleUser] = {}
        self.candidates: dict[str, list[ScaleUser]] = {}
        self.windows: dict[str, tuple[datetime.date, datetime.date]] = {}
        for event in events:
            if event.kind in ("edit", "inhoud", "consult"):
                dag = ctx.local_date(event.at)
                first, last = self.windows.get(event.soort, (dag, dag))
                self.windows[event.soort] = (min(first, dag), max(last, dag))

        for event in events:
            dag = ctx.local_date(event.at)
            if event.kind == "created":
                actor, rol = self._runner(dag)
                ctx.audit.add(
                    action="cycle.created",
                    actor=actor,
                    actor_rol=rol,
                    target_model=Werkcyclus,
                    object_id=self.cyclus_id,
                    data={"jaar": self.jaar},
                    timestamp=event.at,
                )
            elif event.kind == "transition":
                van, naar = event.data["van"], event.data["naar"]
                reden = ""
                if event.data["overgang"] == "naar_verantwoording" and dag <= datetime.date(
                    self.jaar, 12, 31
                ):
                    reden = self.rd.choice(REDENEN)
                werkelijk[f"{van}_afgerond"] = dag
                if naar != KLAAR:
                    werkelijk[f"{naar}_gestart"] = dag
                cyclus_versie += 1
                cyclus_gewijzigd = event.at
                actor, rol = self._runner(dag)
                entry = ctx.audit.add(
                    action="cycle.transition",
                    actor=actor,
                    actor_rol=rol,
                    target_model=Werkcyclus,
                    object_id=self.cyclus_id,
                    data={
                        "overgang": event.data["overgang"],
                        "van": van,
                        "naar": naar,
                        "reden": reden,
                    },
                    timestamp=event.at,
                )
                self._transition_notices(entry, actor, naar, event.at, dag)
            else:
                product = producten[event.soort]
                model = product.model
                gewijzigd[event.soort] = event.at
                # Every edit and every step raises the product's version, as the services do.
                product.versie += 1
                if event.kind == "inhoud":
                    actor, rol = self._drafter(event.soort, dag)
                    product.slots.append(Slot(event.at, product.versie, actor, rol))
                    continue
                if event.kind == "edit":
                    event.data["versie"] = product.versie
                    actor, rol = self._drafter(event.soort, dag)
                    ctx.audit.add(
                        action="cycle.product_edit",
                        actor=actor,
                        actor_rol=rol,
                        target_model=model,
                        object_id=product.pk,
                        data=event.data,
                        timestamp=event.at,
                    )
                    continue
                if event.kind == "consult":
                    overgang, van, naar = "ter_consultatie", C, K
                    actor, rol = self._drafter(event.soort, dag)
                    product.geconsulteerd_op = event.at
                elif event.kind == "adopt":
                    overgang, van, naar = "vaststellen", event.data["van"], V
                    actor, rol = self._runner(dag)
                    product.vastgesteld_op = event.at
                else:
                    overgang, van, naar = "publiceren", V, G
                    actor, rol = self._runner(dag)
                    product.gepubliceerd_op = event.at
                data = {
                    "product": event.soort,
                    "overgang": overgang,
                    "van": van,
                    "naar": naar,
                    "reden": "",
                }
                if naar == V and self.taak[1] == Vaststelling.COLLEGE:
                    besluit[event.soort] = f"B&W {dag.year}/{self.rd.randrange(1, 2000):04d}"
                    data["besluit"] = besluit[event.soort]
                entry = ctx.audit.add(
                    action="cycle.product_transition",
                    actor=actor,
                    actor_rol=rol,
                    target_model=model,
                    object_id=product.pk,
                    data=data,
                    timestamp=event.at,
                )
                if naar == G:
                    self._published_notices(entry, actor, product, event.at, dag)

        cycle_row = [self.cyclus_id, self.wg.pk, self.jaar, self.fase]
        cycle_row += [self.cal[name] for name in CYCLE_FIELDS[4:14]]
        cycle_row += [werkelijk.get(name) for name in CYCLE_FIELDS[14:24]]
        cycle_row += [cyclus_versie, created, cyclus_gewijzigd]
        product_rows = {}
        for model in PRODUCT_MODELLEN:
            p = producten[model.SOORT]
            secties = teksten.get(model.SOORT, {})
            product_rows[model] = (
                p.pk,
                self.cyclus_id,
                p.titel,
                p.status,
                p.versie,
                gewijzigd[model.SOORT],
                p.vastgesteld_op,
                besluit.get(model.SOORT, ""),
                p.gepubliceerd_op,
                "",
                *[secties.get(s, "") for s in model.SECTIES],
            )
        return cyclus, cycle_row, product_rows

    # Who acts: those running the cycle (its wijkmanagers, now and then a beheerder) take
    # the steps; the drafters (the wijkraad for its report where it writes it) edit.

    def _runner(self, dag) -> tuple[ScaleUser, str]:
        if self.ra.random() < 0.03:
            beheerders = self.ctx.holders(
                [Rol.BEHEERDER], werkgebied=None, on=dag, city_wide=[Rol.BEHEERDER]
            )
            if beheerders:
                return self.ra.choice(beheerders), Rol.BEHEERDER.value
        managers = self.ctx.holders([Rol.WIJKMANAGER], werkgebied=self.wg, on=dag)
        return self.ra.choice(managers), Rol.WIJKMANAGER.value

    def _drafter(self, soort, dag) -> tuple[ScaleUser, str]:
        wijkraad = soort == "wijkverslag" and self.taak[0] == Opsteller.WIJKRAAD
        rol = Rol.WIJKRAADSLID if wijkraad else Rol.WIJKMANAGER
        if not wijkraad and self.ra.random() < 0.02:
            beheerders = self.ctx.holders([], werkgebied=None, on=dag, city_wide=[Rol.BEHEERDER])
            return self.ra.choice(beheerders), Rol.BEHEERDER.value
        candidates = self.candidates.get(soort)
        if candidates is None:
            # Those who held the role all through the drafting (roles are periods, so holding
            # it on its first and last day is enough): one lookup per product, not per edit.
            first, last = self.windows[soort]
            on_first = self.ctx.holders([rol], werkgebied=self.wg, on=first)
            on_last = {u.pk for u in self.ctx.holders([rol], werkgebied=self.wg, on=last)}
            candidates = self.candidates[soort] = [u for u in on_first if u.pk in on_last]
        if not candidates:  # handed over while drafting: whoever held the role that day
            return self.ra.choice(self.ctx.holders([rol], werkgebied=self.wg, on=dag)), rol.value
        # One main author per product, with colleagues now and then.
        author = self.authors.setdefault(soort, self.ra.choice(candidates))
        if self.ra.random() < 0.2:
            author = self.ra.choice(candidates)
        return author, rol.value

    def _transition_notices(self, entry, actor, naar, moment, dag):
        ontvangers = [
            u
            for u in self.ctx.holders(
                [Rol.WIJKMANAGER, Rol.WIJKRAADSLID], werkgebied=self.wg, on=dag
            )
            if u.pk != actor.pk
        ]
        cyclus = f"{self.wg.naam} {self.jaar}"
        fase = self.labels["fase"][naar]
        self.ctx.notices.add(
            kind="cycle.transition",
            recipients=ontvangers,
            subject=f"Werkcyclus {cyclus}: nu in fase {fase}",
            body=(
                f"{actor.naam or 'Het portaal'} heeft de werkcyclus {cyclus} naar de fase {fase} "
                f"gebracht.\n\nBekijk de stand van de cyclus op {self.labels['cyclus_url']}"
            ),
            audit_entry_id=entry,
            created_at=moment,
        )

    def _published_notices(self, entry, actor, product, moment, dag):
        ontvangers = [
            u
            for u in self.ctx.holders(
                [Rol.WIJKRAADSLID, Rol.WIJKMANAGER],
                werkgebied=self.wg,
                on=dag,
                city_wide=[Rol.RAAD],
            )
            if u.pk != actor.pk
        ]
        url = self.labels["product_url"][product.soort]
        self.ctx.notices.add(
            kind="cycle.published",
            recipients=ontvangers,
            subject=f"Gepubliceerd: {product.titel}",
            body=f"{product.titel} is gepubliceerd en staat op {url}",
            audit_entry_id=entry,
            created_at=moment,
        )


def cycle_clear(ctx: ScaleContext) -> None:
    # Every cycle goes (the generator makes them all), so the log of every cycle and product.
    _delete_audit_entries(
        content_types=[
            ContentType.objects.get_for_model(model).pk for model in (Werkcyclus, *PRODUCT_MODELLEN)
        ]
    )
    Werkcyclus.objects.all().delete()
    taakverdeling_clear(ctx)


@register("cycle", after=("people",), clear=cycle_clear)
def cycli(ctx: ScaleContext) -> None:
    """The cycles of every werkgebied and year with their products, history and notices, and
    the task division of some werkgebieden."""
    plans = _plans(ctx)
    taken = _taakverdelingen(ctx)
    paren = [(wg, jaar) for wg in ctx.werkgebieden for jaar in ctx.jaren]
    cyclus_ids = ctx.reserve_ids(Werkcyclus, len(paren))
    product_ids = {model: ctx.reserve_ids(model, len(paren)) for model in PRODUCT_MODELLEN}
    with translation.override(settings.LANGUAGE_CODE):
        fase_labels = {fase.value: str(fase.label) for fase in Fase}
        titels = {m.SOORT: str(m._meta.verbose_name).capitalize() for m in PRODUCT_MODELLEN}
    cycle_rows, product_rows = [], {model: [] for model in PRODUCT_MODELLEN}
    for i, (wg, jaar) in enumerate(paren):
        kwargs = {"slug": wg.slug, "jaar": jaar}
        labels = {
            "fase": fase_labels,
            "titel": {soort: f"{titel} {wg.naam} {jaar}" for soort, titel in titels.items()},
            "cyclus_url": settings.SITE_URL + reverse("werkcyclus-detail", kwargs=kwargs),
            "product_url": {
                m.SOORT: settings.SITE_URL
                + reverse("product-detail", kwargs={**kwargs, "soort": m.SOORT})
                for m in PRODUCT_MODELLEN
            },
        }
        builder = _CycleBuilder(
            ctx,
            wg,
            jaar,
            plans[(wg.pk, jaar)],
            taken[wg.pk],
            labels,
            cyclus_ids[i],
            {model: product_ids[model][i] for model in PRODUCT_MODELLEN},
        )
        cyclus, cycle_row, rows = builder.build()
        ctx.cycli.append(cyclus)
        cycle_rows.append(cycle_row)
        for model, row in rows.items():
            product_rows[model].append(row)
    ctx.copy(Werkcyclus, CYCLE_FIELDS, cycle_rows)
    for model, rows in product_rows.items():
        ctx.copy(model, [*PRODUCT_FIELDS, *model.SECTIES], rows)


# The content of the analysis and the agenda registers its planners and its step, and so
# does the programme's (its initiatives, their execution and knelpunten); the wijk-MT's
# meetings and the wijkakkoorden follow those.
from . import scale_akkoord, scale_inhoud, scale_programma, scale_wijkmt  # noqa: E402, F401
