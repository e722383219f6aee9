#!/usr/bin/env bash
# Runs the full test gate for wijkaanpak: ruff, Django system checks (test settings), a
# migrations check, the production deploy check, then pytest. Called by `make test`;
# arguments are passed on to pytest (`make test PYTEST_ARGS="-k journey -x"`).
#
# The test settings need PostgreSQL. The database is chosen in this order:
#   1. DATABASE_URL, when it is set in the environment;
#   2. a server already answering on WIJKAANPAK_PG_HOST:WIJKAANPAK_PG_PORT
#      (default 127.0.0.1:5432), as postgres://postgres@HOST:PORT/wijkaanpak (trust auth);
#   3. a disposable cluster started from the newest /usr/lib/postgresql/*/bin in .pgtest/,
#      on a free port, trust auth, listening on 127.0.0.1 only; stopped and removed on exit.
#
# Environment knobs (all optional):
#   PYTHON                      interpreter to use (default: .venv/bin/python)
#   WIJKAANPAK_PG_HOST/PORT     where to look for a running server (default 127.0.0.1/5432)
#   WIJKAANPAK_PG_BINDIR        PostgreSQL server binaries for the disposable cluster
#                               (default: newest /usr/lib/postgresql/*/bin)
#   WIJKAANPAK_SKIP_CHROMIUM=1  do not check for / install /usr/bin/chromium
#
# Special first argument:
#   --db-only   choose (and if needed start) the database, print DATABASE_URL, check that it
#               accepts connections, then stop again. Runs no checks and no tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PG_HOST="${WIJKAANPAK_PG_HOST:-127.0.0.1}"
PG_PORT="${WIJKAANPAK_PG_PORT:-5432}"
PG_DBNAME="wijkaanpak"
PGTEST_ROOT="$ROOT/.pgtest"

DB_ONLY=0
if [[ "${1:-}" == "--db-only" ]]; then
    DB_ONLY=1
    shift
fi

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

if [[ ! -x "$PYTHON" ]]; then
    die "no Python at $PYTHON; run 'make test' (it creates .venv) or set PYTHON."
fi

# --------------------------------------------------------------------------- helpers
as_root_cmd() {
    # Prints the prefix needed to run a command as root, or fails.
    if [[ "$(id -u)" -eq 0 ]]; then
        echo ""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        echo "sudo -n"
    else
        return 1
    fi
}

port_answers() {
    # Is a PostgreSQL server accepting connections on $1:$2?
    local host="$1" port="$2"
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$host" -p "$port" -t 3 </dev/null
    else
        "$PYTHON" - "$host" "$port" <<'PY'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3).close()
except OSError:
    sys.exit(1)
PY
    fi
}

free_port() {
    "$PYTHON" - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

ensure_database() {
    # Creates the database named in DATABASE_URL when it does not exist yet (pytest-django
    # creates its own test_ database, but `makemigrations --check` connects to this one).
    # Exits non-zero with a message when the server cannot be reached at all.
    "$PYTHON" - "$DATABASE_URL" <<'PY'
import sys

import environ
import psycopg
from psycopg import sql

cfg = environ.Env.db_url_config(sys.argv[1])
if cfg["ENGINE"] != "django.db.backends.postgresql":
    sys.exit(f"DATABASE_URL is not a PostgreSQL URL ({cfg['ENGINE']}); the tests need PostgreSQL.")
params = {
    "host": cfg.get("HOST") or None,
    "port": cfg.get("PORT") or None,
    "user": cfg.get("USER") or None,
    "password": cfg.get("PASSWORD") or None,
    "connect_timeout": 10,
}
params = {k: v for k, v in params.items() if v is not None}
name = cfg["NAME"]
try:
    psycopg.connect(dbname=name, **params).close()
    sys.exit(0)
except psycopg.OperationalError as exc:
    first_error = exc
try:
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"==> created database {name}", file=sys.stderr)
except psycopg.Error as exc:
    sys.exit(f"cannot use the database at DATABASE_URL: {first_error}\n{exc}")
PY
}

# --------------------------------------------------------------- disposable cluster
PG_CLUSTER_DIR=""
PG_BIN=""
PG_RUN_AS=()

pg_as_owner() {
    # Runs a command as the cluster's owner: ourselves, or 'postgres' when we are root.
    # (Paths are absolute; start in / because the owner may not be allowed into the checkout.)
    if [[ "${PG_RUN_AS[0]:-}" == "su" ]]; then
        (cd / && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    elif [[ ${#PG_RUN_AS[@]} -gt 0 ]]; then
        (cd / && "${PG_RUN_AS[@]}" "$@")
    else
        "$@"
    fi
}

stop_cluster() {
    if [[ -n "$PG_CLUSTER_DIR" && -d "$PG_CLUSTER_DIR" ]]; then
        if [[ -f "$PG_CLUSTER_DIR/data/postmaster.pid" ]]; then
            log "stopping the disposable PostgreSQL cluster"
            pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -m fast -w stop \
                >/dev/null 2>&1 </dev/null || true
        fi
        rm -rf "$PG_CLUSTER_DIR"
    fi
}

cleanup_stale_clusters() {
    # A run that was killed hard may have left a server behind; stop and remove it.
    local dir pid
    [[ -d "$PGTEST_ROOT" ]] || return 0
    for dir in "$PGTEST_ROOT"/run-*; do
        [[ -d "$dir" ]] || continue
        pid="${dir##*/run-}"
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            continue  # another test run is still using it
        fi
        if [[ -f "$dir/data/postmaster.pid" ]]; then
            pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop \
                >/dev/null 2>&1 </dev/null || true
        fi
        rm -rf "$dir"
    done
}

start_cluster() {
    if [[ -n "${WIJKAANPAK_PG_BINDIR:-}" ]]; then
        PG_BIN="$WIJKAANPAK_PG_BINDIR"
    else
        PG_BIN="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    fi
    if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" || ! -x "$PG_BIN/pg_ctl" ]]; then
        die "the tests need PostgreSQL, and none answers on $PG_HOST:$PG_PORT.
       No PostgreSQL server binaries were found either (looked for
       ${WIJKAANPAK_PG_BINDIR:-/usr/lib/postgresql/*/bin}/initdb and pg_ctl).
       Fix one of:
         - install the Debian package:  sudo apt-get install -y postgresql
           (the tests then start a throw-away cluster by themselves), or
         - point DATABASE_URL at a PostgreSQL server you may create databases on:
           DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/wijkaanpak make test"
    fi

    # initdb refuses to run as root: then the cluster belongs to the 'postgres' user.
    PG_RUN_AS=()
    local owner=""
    if [[ "$(id -u)" -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            die "running as root, and there is no 'postgres' user to own a disposable cluster
       (initdb refuses to run as root). Install the Debian package 'postgresql', run as an
       ordinary user, or set DATABASE_URL."
        fi
        owner="postgres"
        if command -v runuser >/dev/null 2>&1; then
            PG_RUN_AS=(runuser -u postgres --)
        elif command -v sudo >/dev/null 2>&1; then
            PG_RUN_AS=(sudo -n -u postgres --)
        else
            PG_RUN_AS=(su)
        fi
    fi

    mkdir -p "$PGTEST_ROOT"
    cleanup_stale_clusters

    PG_CLUSTER_DIR="$PGTEST_ROOT/run-$$"
    rm -rf "$PG_CLUSTER_DIR"
    mkdir -p "$PG_CLUSTER_DIR"
    if [[ -n "$owner" ]]; then
        chown "$owner" "$PG_CLUSTER_DIR"
        if ! pg_as_owner test -w "$PG_CLUSTER_DIR"; then
            # The checkout lies where 'postgres' cannot reach (e.g. under /root): use /tmp.
            rm -rf "$PG_CLUSTER_DIR"
            PG_CLUSTER_DIR="$(mktemp -d /tmp/wijkaanpak-pgtest.XXXXXX)"
            chown "$owner" "$PG_CLUSTER_DIR"
        fi
    fi
    trap stop_cluster EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    local sockdir="$PG_CLUSTER_DIR/sock"
    # Unix socket paths are limited to ~107 bytes; fall back to a short directory.
    if (( ${#sockdir} > 80 )); then
        sockdir="$(mktemp -d /tmp/wijkaanpak-pgsock.XXXXXX)"
        [[ -z "$owner" ]] || chown "$owner" "$sockdir"
    fi
    pg_as_owner mkdir -p "$PG_CLUSTER_DIR/data" "$sockdir"

    local port
    port="$(free_port)"
    log "starting a disposable PostgreSQL cluster ($PG_BIN) in $PG_CLUSTER_DIR on 127.0.0.1:$port"
    if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_CLUSTER_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 --no-locale >"$PG_CLUSTER_DIR/initdb.log" 2>&1 </dev/null; then
        cat "$PG_CLUSTER_DIR/initdb.log" >&2
        die "initdb failed (log above)."
    fi
    if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -w -t 60 \
        -l "$PG_CLUSTER_DIR/data/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $sockdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null </dev/null; then
        cat "$PG_CLUSTER_DIR/data/server.log" >&2 || true
        die "the disposable PostgreSQL cluster did not start (log above)."
    fi
    DATABASE_URL="postgres://postgres@127.0.0.1:$port/$PG_DBNAME"
}

# ----------------------------------------------------------------- choose database
if [[ -n "${DATABASE_URL:-}" ]]; then
    log "using DATABASE_URL from the environment"
elif port_answers "$PG_HOST" "$PG_PORT"; then
    DATABASE_URL="postgres://postgres@$PG_HOST:$PG_PORT/$PG_DBNAME"
    log "using the PostgreSQL server on $PG_HOST:$PG_PORT"
else
    log "no PostgreSQL server answers on $PG_HOST:$PG_PORT"
    start_cluster
fi
export DATABASE_URL
ensure_database

if [[ "$DB_ONLY" -eq 1 ]]; then
    echo "DATABASE_URL=$DATABASE_URL"
    exit 0
fi

# ------------------------------------------------------- Debian packages the tests use
# chromium: the browser journeys; gettext: the check that the translations are complete.
missing=()
if [[ "${WIJKAANPAK_SKIP_CHROMIUM:-0}" != "1" && ! -x /usr/bin/chromium ]]; then
    missing+=(chromium)
fi
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
if [[ ${#missing[@]} -gt 0 ]]; then
    log "missing Debian packages: ${missing[*]}"
    if prefix="$(as_root_cmd)"; then
        log "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        $prefix apt-get update </dev/null
        $prefix apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
    else
        die "missing Debian packages and this user cannot install them:
         sudo apt-get update && sudo apt-get install -y ${missing[*]}
       (for chromium only: or set WIJKAANPAK_SKIP_CHROMIUM=1 and deselect the browser tests)."
    fi
    if [[ "${WIJKAANPAK_SKIP_CHROMIUM:-0}" != "1" ]]; then
        [[ -x /usr/bin/chromium ]] || die "installing chromium did not provide /usr/bin/chromium."
    fi
    command -v xgettext >/dev/null 2>&1 || die "installing gettext did not provide xgettext."
fi

# --------------------------------------------------------------------------- checks
log "ruff check ."
"$PYTHON" -m ruff check .

log "manage.py check (test settings)"
"$PYTHON" manage.py check --settings=wijkaanpak.settings.test </dev/null

log "manage.py makemigrations --check --dry-run (test settings)"
"$PYTHON" manage.py makemigrations --check --dry-run --settings=wijkaanpak.settings.test </dev/null

log "manage.py check --deploy --fail-level WARNING (production settings, fake environment)"
DEPLOY_SECRET="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')"
# The security knobs are set explicitly (to the production defaults) so that a developer's
# .env, which base.py reads for missing variables, cannot weaken what is checked here.
env \
    DJANGO_SETTINGS_MODULE=wijkaanpak.settings.production \
    DJANGO_SECRET_KEY="$DEPLOY_SECRET" \
    DJANGO_ALLOWED_HOSTS=wijkaanpak.example \
    DATABASE_URL="$DATABASE_URL" \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
    DJANGO_DEBUG=False \
    DJANGO_SECURE_SSL_REDIRECT=True \
    DJANGO_SECURE_HSTS_SECONDS=31536000 \
    "$PYTHON" manage.py check --deploy --fail-level WARNING </dev/null

log "pytest $*"
export DJANGO_ALLOW_ASYNC_UNSAFE=true
"$PYTHON" -m pytest "$@" </dev/null
