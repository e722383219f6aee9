"""Settings of the bare page. Imports nothing from the portal on purpose: what the bare page
costs must not move when the portal's settings do. What it shares with the portal is the stack:
PostgreSQL from DATABASE_URL with the same persistent connections, gunicorn, DEBUG off."""

import os
from pathlib import Path

import environ

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Only for the bare insert view's table (see bench/bare/models.py).
    "bench.bare",
]

# Django's default list (startproject), so the baseline is what any Django page pays.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bench.bare.urls"
WSGI_APPLICATION = "bench.bare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The portal keeps connections open (CONN_MAX_AGE) and health-checks them; a baseline that
# opened a connection per request would be slower than the portal's floor and flatter it.
DATABASES = {
    "default": {
        **environ.Env.db_url_config(os.environ["DATABASE_URL"]),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}

USE_TZ = True
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
LANGUAGE_CODE = "nl"
