# syntax=docker/dockerfile:1
# One image for the web process (gunicorn), the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=wijkaanpak.settings.production

# WeasyPrint renders PDFs with Pango/HarfBuzz through fontconfig and needs at least one font;
# gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        shared-mime-info \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 wijkaanpak \
    && useradd --system --uid 10001 --gid wijkaanpak --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin wijkaanpak

WORKDIR /app

# Dependencies first (from the lock file alone), so a code change does not reinstall them:
# the exact versions `make lock` pinned, each checked against its hash. The project's apps are
# not packaged: they run from /app (PYTHONPATH).
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .

# Translations and static files are built into the image. The settings module needs these
# variables to import; they are dummies that exist only for this build step.
RUN export DJANGO_SECRET_KEY=build-only-not-a-secret \
        DJANGO_ALLOWED_HOSTS=localhost \
        DATABASE_URL=postgres://build:build@localhost:5432/build \
        CELERY_BROKER_URL=redis://localhost:6379/0 \
        DJANGO_SITE_URL=https://build.invalid \
    && if find . -path '*/locale/*' -name '*.po' | grep -q .; then \
        python manage.py compilemessages --ignore=.venv --ignore=node_modules; \
    fi \
    && python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown wijkaanpak:wijkaanpak /app/media
# /app/media holds uploaded files and rendered PDFs (DJANGO_MEDIA_ROOT). docker compose mounts
# a named volume there; a new volume takes this directory's owner, so the app user can write.

USER wijkaanpak

EXPOSE 8000

# Worker count: set WEB_CONCURRENCY (gunicorn reads it); more flags via GUNICORN_CMD_ARGS.
# No gunicorn access log: the portal logs every request itself, as JSON with its request id.
CMD ["gunicorn", "wijkaanpak.wsgi:application", "--bind", "0.0.0.0:8000"]
