# Developer entry points for wijkaanpak.
#   make run    - zero-setup demo on http://127.0.0.1:8000 (SQLite, eager Celery, demo data)
#   make test   - the full gate: ruff, Django checks, migrations check, deploy check, pip-audit
#                 of requirements.lock, pytest (PostgreSQL and Redis found or started)
#                 (extra pytest arguments: make test PYTEST_ARGS="-k budget -x")
#   make lint   - ruff only
#   make lock   - re-pin requirements.lock and requirements-dev.lock from pyproject.toml
#                 (keeps existing pins; make lock PIP_COMPILE_ARGS=--upgrade for the newest)
#   make clean  - remove caches, the disposable test cluster and collected static files
#   make bench  - the portal's key pages under gunicorn (production settings, PostgreSQL, Redis)
#                 against a bare Django page, with wrk; table in bench/results/latest.md
#                 (knobs: BENCH_DURATION=10 BENCH_YEARS=10 BENCH_FACTOR=1 BENCH_WORKERS=5)

SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
INSTALL_STAMP := $(VENV)/.wijkaanpak-installed
PYTHON_BOOTSTRAP ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
PYTEST_ARGS ?=
PIP_COMPILE_ARGS ?=

# Unattended-friendly: no pip self-update nag, no prompts from apt.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DEBIAN_FRONTEND := noninteractive

.PHONY: run test lint install venv clean lock bench

venv: $(PY)

$(PY):
	@test -n "$(PYTHON_BOOTSTRAP)" || { echo "Neither python3.11 nor python3 found on PATH." >&2; exit 1; }
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)

# The exact versions of the dev lock (checked against their hashes), then the project itself
# without dependencies. Runs again when pyproject.toml or the lock changes (or the venv is new).
$(INSTALL_STAMP): pyproject.toml requirements-dev.lock | $(PY)
	@# One retry without pip's cache: a download cut short or a damaged cache entry fails the hash
	@# check once (seen in CI), and a second failure is real.
	$(PY) -m pip install --require-hashes -r requirements-dev.lock || \
		$(PY) -m pip install --no-cache-dir --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --no-deps -e .
	@touch $@

install: $(INSTALL_STAMP)

run: install
	@# The .mo files are committed: recompile only where msgfmt exists (and there is a .po).
	@if command -v msgfmt >/dev/null 2>&1 && \
		find . -path ./$(VENV) -prune -o -path '*/locale/*' -name '*.po' -print | grep -q .; then \
		echo "$(PY) manage.py compilemessages"; \
		$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=.pgtest --ignore=node_modules --ignore=staticfiles; \
	fi
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_rotterdam
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	PYTHON=$(CURDIR)/$(PY) scripts/run-tests.sh $(PYTEST_ARGS)

# A benchmark, not a test: it reports, and fails only when the harness itself fails (a page
# that does not answer 200, a server that does not start). The BENCH_* knobs are passed on as
# environment variables; see bench/run.py for all of them.
bench: install
	PYTHON=$(CURDIR)/$(PY) scripts/bench.sh

lint: install
	$(VENV)/bin/ruff check .

# Both locks are resolved against PyPI itself, whatever index or mirror pip is configured with
# here, so that their hashes are those of the files the Docker build downloads. The dev lock is
# constrained by the runtime lock: development runs the versions production runs.
LOCK_ENV := env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS \
	PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"
PIP_COMPILE := $(LOCK_ENV) $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	--index-url https://pypi.org/simple $(PIP_COMPILE_ARGS)

lock: | $(PY)
	@test -x $(VENV)/bin/pip-compile || $(PY) -m pip install "pip-tools>=7.4,<8"
	$(PIP_COMPILE) --output-file requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.lock \
		--output-file requirements-dev.lock pyproject.toml

clean:
	rm -rf .pytest_cache .ruff_cache test-results staticfiles *.egg-info
	@if [ -d .pgtest ]; then \
		for d in .pgtest/run-*; do \
			[ -f "$$d/data/postmaster.pid" ] || continue; \
			pid=$$(head -n 1 "$$d/data/postmaster.pid"); \
			echo "stopping leftover test PostgreSQL (pid $$pid)"; \
			kill -INT "$$pid" 2>/dev/null || continue; \
			for i in $$(seq 20); do kill -0 "$$pid" 2>/dev/null || break; sleep 0.5; done; \
		done; \
		rm -rf .pgtest; \
	fi
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
