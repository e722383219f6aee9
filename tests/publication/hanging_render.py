"""A test-only app for the worker of tests/publication/test_worker_crash.py: its render hangs,
as a worker's does when it is killed mid-render."""

import os
import time
from pathlib import Path

from django.apps import AppConfig


class HangingRenderConfig(AppConfig):
    name = "tests.publication"
    label = "tests_publication_hanging_render"

    def ready(self):
        from publication import pdf

        real_render_pdf = pdf.render_pdf

        def hanging_render_pdf(html: str) -> bytes:
            """Announces in the file PUBLICATIE_TEST_MARKER which version it is rendering (the
            one with this HTML; it has been claimed by now), and would only render if nobody
            killed it within two minutes."""
            from publication.models import Publicatie

            ids = Publicatie.objects.filter(html=html).values_list("pk", flat=True)
            Path(os.environ["PUBLICATIE_TEST_MARKER"]).write_text("\n".join(str(pk) for pk in ids))
            time.sleep(120)
            return real_render_pdf(html)

        # services.pdf_maken looks render_pdf up in publication.pdf at every call.
        pdf.render_pdf = hanging_render_pdf
