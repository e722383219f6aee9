"""Demo accounts: a recognisable e-mail domain and one shared password, for the local demo only.
The login page lists them only where ``settings.SHOW_DEMO_ACCOUNTS`` is on."""

DEMO_EMAIL_DOMAIN = "@demo.wijkaanpak.nl"
DEMO_PASSWORD = "demo-wijkaanpak"  # noqa: S105 - public by design: a demo password
