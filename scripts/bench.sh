#!/usr/bin/env bash
# `make bench`: installs the load tool when it is missing, then runs bench/run.py, which starts
# the portal and a bare Django page under gunicorn, loads the city into a throwaway database and
# measures each key page (see bench/run.py for the BENCH_* knobs).
#
# The load tool is wrk (Debian package `wrk`): written in C and event-driven, so on a small
# machine, where the generator competes with the server for the same cores, it takes little of
# what it measures; its Lua hook reports any percentile and counts responses that are not 2xx.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '\nERROR: %s\n' "$*" >&2; exit 1; }

[[ -x "$PYTHON" ]] || die "no Python at $PYTHON; run 'make bench' (it creates .venv) or set PYTHON."

if ! command -v wrk >/dev/null 2>&1; then
    log "missing Debian package: wrk"
    if [[ "$(id -u)" -eq 0 ]]; then
        prefix=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        prefix=(sudo -n)
    else
        die "wrk is missing and this user cannot install it: sudo apt-get install -y wrk"
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${prefix[@]}" apt-get update </dev/null
    "${prefix[@]}" apt-get install -y --no-install-recommends wrk </dev/null
    command -v wrk >/dev/null 2>&1 || die "installing wrk did not provide wrk."
fi

export PYTHON
exec "$PYTHON" "$ROOT/bench/run.py" "$@"
