from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the services that change things, and sent by the
    workers. A beheerder can look up what was sent to whom, and send a failed notice again."""

    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "kind"]
    date_hierarchy = "created_at"
    list_select_related = True
    readonly_fields = [
        "kind",
        "recipient",
        "subject",
        "body",
        "audit_entry",
        "user",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "last_error",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["resend"]

    def has_module_permission(self, request):
        return request.user.has_perm("notices.view_notice")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("notices.view_notice")

    def has_resend_permission(self, request):
        return request.user.has_perm("notices.resend_notice")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Mislukte berichten opnieuw versturen"), permissions=["resend"])
    def resend(self, request, queryset):
        count = services.notices_resend(
            notice_ids=queryset.values_list("pk", flat=True), actor=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d bericht wordt opnieuw verstuurd.",
                "%(count)d berichten worden opnieuw verstuurd.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
