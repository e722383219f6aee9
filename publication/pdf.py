"""The archival PDF of a frozen snapshot: PDF/A-3a (tagged, with the document's language,
title and author from the HTML), rendered by WeasyPrint without touching the network or the
file system. Runs in the Celery worker, never in a web request."""

import hashlib

from weasyprint import HTML
from weasyprint.urls import URLFetcher

# PDF/A-3, conformance level A: archival, every font embedded, an sRGB output intent, and a
# structure tree (tags) so that the text can be read aloud and reflowed.
PDF_VARIANT = "pdf/a-3a"


class ExternalResourceRefused(ValueError):
    """The snapshot referred to something outside itself; it is left out of the PDF."""


class DataOnlyURLFetcher(URLFetcher):
    """Fetches ``data:`` URLs only. A snapshot is self-contained by design; anything else
    (``http:``, ``https:``, ``file:``, ...) would make the archive depend on the network or
    leak the server's files, so it is refused. WeasyPrint logs the refusal and renders the
    rest (``fail_on_errors`` stays off)."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)

    def fetch(self, url, headers=None):
        if not url.lstrip().lower().startswith("data:"):
            raise ExternalResourceRefused(f"External resource refused: {url[:200]}")
        return super().fetch(url, headers)


def render_pdf(html: str) -> bytes:
    """The PDF/A-3a of the standalone document ``html`` (see ``publication.snapshot``).

    The catalog's ``/Lang`` comes from ``<html lang>``, the title from ``<title>``, the author
    from ``<meta name="author">``; headings become bookmarks. With HarfBuzz-Subset (as in the
    Docker image) the same HTML gives the same bytes; with WeasyPrint's fontTools fallback the
    embedded fonts carry the time of rendering. Either way the checksum of the stored file,
    not of a re-render, is the identity of a version."""
    document = HTML(string=html, base_url=None, url_fetcher=DataOnlyURLFetcher())
    return document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_tags=True,
        # Fonts are subset (the default): the full DejaVu fonts would add ~1 MB per file.
        uncompressed_pdf=False,
    )


def pdf_sha256(data: bytes) -> str:
    """The hex SHA-256 of a PDF: its identity in the archive and its HTTP ETag."""
    return hashlib.sha256(data).hexdigest()
