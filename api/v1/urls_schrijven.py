"""The write endpoints of /api/v1/ (an API key per user; If-Match with the version)."""

urlpatterns = []
