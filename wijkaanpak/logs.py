"""Structured logging: the request id of the request being served, kept in a context variable
so that every log record written while serving it can carry the id (see LOGGING in settings)."""

import logging
import re
from contextvars import ContextVar

# "-" rather than None outside a request (management commands, Celery tasks, start-up), so
# the field is always present and always a string for whoever indexes the logs.
NO_REQUEST = "-"

request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

# An id we did not make ourselves ends up in our logs and headers: only short, plain tokens
# are accepted, so it cannot forge log lines, inject header values or bloat every record.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def is_sane_request_id(value: str | None) -> bool:
    return bool(value) and _SANE_REQUEST_ID.fullmatch(value) is not None


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record as ``record.request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True
