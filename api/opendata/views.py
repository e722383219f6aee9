"""The open data page and its downloads.

Each file is computed once per public version and kept in the shared cache
(``pagecache.services.memoised``): the portal's caching with exact invalidation. Every audited
change (a new melding, a step of an action, a publication, a Wijkprofiel import, an edit of the
places in the admin) bumps that version in its own transaction, so a download is never older
than the last committed change, and nothing is computed again while nothing changes. A warm
download costs one query (reading the version); a cold one a fixed handful, whatever the size.

Not a Celery task that writes files: the files would have to be written again after every
such change (meldingen come in all day), a task runs after the commit so a download could lag
behind the change it follows, and files need storage shared by every web node and a cleanup;
the cache already has all of that. Not ``cache_public_page`` for the files either: it serves
anonymous visitors only, while a memoised body serves everyone. The page itself is a public
page like the others.
"""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from pagecache.services import compressed_response_headers, memoised, memoised_body

from . import datasets


def _jaren() -> dict[str, list[int]]:
    return memoised("opendata:jaren", datasets.jaren)


def bestandsnaam(dataset: str, jaar: int, formaat: str) -> str:
    return f"wijkaanpak-rotterdam-{dataset}-{jaar}.{formaat}"


class OpenDataView(TemplateView):
    """Per set: what it holds, every field with its meaning and unit, source, licence, how
    often it changes, and the files per year."""

    template_name = "api/opendata/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        jaren = _jaren()
        sets = []
        for dataset in datasets.DATASETS.values():
            bestanden = [
                (
                    jaar,
                    [
                        (
                            datasets.FORMAAT_NAMEN[formaat],
                            reverse(
                                "opendata-download",
                                kwargs={"dataset": dataset.slug, "jaar": jaar, "formaat": formaat},
                            ),
                        )
                        for formaat in dataset.formaten
                    ],
                )
                for jaar in jaren.get(dataset.slug, [])
            ]
            sets.append({"dataset": dataset, "bestanden": bestanden})
        context.update(sets=sets, cc0=datasets.CC0, cc_by=datasets.CC_BY)
        return context


@require_safe
def download(request, dataset: str, jaar: int, formaat: str):
    """One file; 404 for a set, year or format that does not exist."""
    gevonden = datasets.DATASETS.get(dataset)
    if gevonden is None or formaat not in gevonden.formaten:
        raise Http404
    if jaar not in _jaren().get(gevonden.slug, ()):
        raise Http404
    sleutel = f"opendata:{gevonden.slug}:{jaar}:{formaat}"
    # Compressed once and kept too for a client that accepts it (the GeoJSON shrinks to a
    # quarter). A file holds no secret and nothing from the request.
    inhoud, gecomprimeerd = memoised_body(
        request, sleutel, lambda: datasets.bestand(gevonden, jaar, formaat)
    )
    response = compressed_response_headers(
        HttpResponse(inhoud, content_type=datasets.CONTENT_TYPES[formaat]), gecomprimeerd
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=bestandsnaam(gevonden.slug, jaar, formaat)
    )
    return response
