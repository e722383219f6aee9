"""Cursor pagination for every list: stable while rows are added, and as fast on the last page
as on the first (no OFFSET)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-pk"
