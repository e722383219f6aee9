"""Project-level error views, rendered in the portal's own layout."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
