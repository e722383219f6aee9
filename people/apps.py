from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Mensen en rollen")

    def ready(self):
        from axes.signals import user_locked_out

        from notices.services import register_renderer

        from . import emails, services

        register_renderer(services.PASSWORD_LINK_KIND, emails.render_password_link)
        self._bewoners()

        def record_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
            services.login_locked_out(username=username or "", ip_address=ip_address)

        user_locked_out.connect(record_lockout, dispatch_uid="people.record_lockout", weak=False)

        # On sign-in the previous sign-in is kept (as ``vorige_login``) before ``last_login``
        # becomes now, in one update instead of Django's own.
        from django.contrib.auth import user_logged_in
        from django.contrib.auth.models import update_last_login

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(
            services.login_recorded, dispatch_uid="people.login_recorded", weak=False
        )

        # Clusters and partners are edited in the admin without a service and appear on the
        # public roles pages: their changes invalidate cached pages like any state change.
        from pagecache.services import invalidate_on_change

        from .models import Cluster, Partner, Roltoewijzing

        invalidate_on_change(Cluster, Partner)
        # Role changes are audited (which bumps the version) by ``people.services``; this
        # covers any other writer too, as the kept roles of signed-in users depend on it.
        invalidate_on_change(Roltoewijzing)

    def _bewoners(self):
        """Residents' own place: sign-up mails, notification mails, "Mijn wijk"."""
        from notices.services import register_renderer

        from . import emails, notificaties, services_bewoners
        from .mijn_wijk import register_mijn_wijk_section
        from .secties import berichten_sectie

        register_renderer(services_bewoners.KIND_AANMELDEN, emails.render_aanmelden)
        register_renderer(services_bewoners.KIND_AL_ACCOUNT, emails.render_al_account)
        register_renderer(notificaties.KIND_NOTIFICATIE, notificaties.render_notificatie)
        register_renderer(notificaties.KIND_OVERZICHT, notificaties.render_overzicht)
        register_mijn_wijk_section("berichten", berichten_sectie, volgorde=10)
