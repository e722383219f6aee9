"""Cursor pagination for every list: stable while rows are added, and as fast on the last page
as on the first (no OFFSET)."""

from django.core.exceptions import ValidationError
from django.db import DataError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque, but a client can still forge one: a position that is not a value
        # of the ordering field (letters for a number, a date that is none) is an invalid
        # cursor, a 404 as DRF answers any other, not a server error.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, ValidationError, DataError) as exc:
            raise NotFound(self.invalid_cursor_message) from exc
