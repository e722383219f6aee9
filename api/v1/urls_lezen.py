"""The read-only endpoints of /api/v1/."""

urlpatterns = []
