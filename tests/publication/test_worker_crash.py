"""A worker killed with SIGKILL in the middle of rendering a PDF: the version stays claimed
until the claim runs out, then the sweep has it rendered, once. The worker is a real ``celery
-A wijkaanpak worker`` in a subprocess (settings: tests/publication/worker_settings.py) whose
render hangs (tests/publication/hanging_render.py)."""

import hashlib
import os
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from cycle.models import Fase
from publication import services, tasks
from publication.models import Pdfstatus, Publicatie
from tests.notices.support import celery_app_on, private_redis, start_worker_process, wait_for
from tests.publication.test_publication import publish

CLAIM_SECONDS = 5
MAP = "publicaties/crooswijk/2027"


def start_worker(*, broker_url: str, marker: Path, media_root: Path, log):
    return start_worker_process(
        settings_module="tests.publication.worker_settings",
        env={
            "PUBLICATIE_TEST_BROKER_URL": broker_url,
            "PUBLICATIE_CLAIM_SECONDS": str(CLAIM_SECONDS),
            "PUBLICATIE_TEST_MARKER": str(marker),
            "PUBLICATIE_TEST_MEDIA_ROOT": str(media_root),
        },
        log=log,
    )


@pytest.mark.django_db(transaction=True)
def test_a_pdf_whose_worker_was_killed_mid_render_is_rendered_once_after_the_claim(
    werkgebied, wijkmanager, make_cycle, tmp_path
):
    marker, media_root = tmp_path / "rendering", tmp_path / "media"
    media_root.mkdir()
    log_path = tmp_path / "worker.log"
    cyclus = make_cycle(werkgebied, jaar=2027, fase=Fase.ANALYSE)
    with (
        private_redis() as broker_url,
        celery_app_on(broker_url, packages=("notices", "publication")),
        open(log_path, "w") as log,
    ):
        worker = start_worker(broker_url=broker_url, marker=marker, media_root=media_root, log=log)
        try:
            publish(cyclus.wijkanalyse, wijkmanager)
            # The kick after the commit queued the render; the worker claims it and starts.
            assert wait_for(marker.exists, timeout=90), log_path.read_text()[-3000:]
            publicatie = Publicatie.objects.get()
            assert marker.read_text() == str(publicatie.pk)
            assert (publicatie.pdf_status, publicatie.pdf_pogingen) == (Pdfstatus.WACHTEND, 1)
            # Claimed by the worker, for its short claim (not the test settings' long one).
            now = timezone.now()
            assert now < publicatie.pdf_bezig_tot <= now + timedelta(seconds=CLAIM_SECONDS)
            assert not publicatie.pdf
            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=30) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)

    publicatie.refresh_from_db()
    # Nobody told the database otherwise, and the dead worker stored nothing anywhere.
    assert (publicatie.pdf_status, publicatie.pdf_pogingen) == (Pdfstatus.WACHTEND, 1)
    assert (publicatie.pdf.name, publicatie.pdf_sha256, publicatie.pdf_grootte) == ("", "", None)
    assert publicatie.pdf_bezig_tot > timezone.now(), "the claim ran out before it was tested"
    assert list(media_root.rglob("*")) == []
    assert not default_storage.exists(MAP)
    # While the dead worker's claim holds, neither a redelivered task nor the sweep takes it.
    assert services.pdf_maken(publicatie_id=publicatie.pk) is False
    assert tasks.pdf_sweep.apply().get() == 0
    publicatie.refresh_from_db()
    assert (publicatie.pdf_status, publicatie.pdf_pogingen) == (Pdfstatus.WACHTEND, 1)
    assert not default_storage.exists(MAP)

    time.sleep(max(0.0, (publicatie.pdf_bezig_tot - timezone.now()).total_seconds()) + 0.1)
    # The beat sweep's task, run here: Celery is eager again, so its kick renders at once.
    assert tasks.pdf_sweep.apply().get() == 1
    publicatie.refresh_from_db()
    assert (publicatie.pdf_status, publicatie.pdf_pogingen) == (Pdfstatus.KLAAR, 2)
    assert publicatie.pdf_bezig_tot is None
    assert publicatie.pdf.name == f"{MAP}/wijkanalyse-v1.pdf"
    with default_storage.open(publicatie.pdf.name) as pdf:
        data = pdf.read()
    assert data.startswith(b"%PDF-")
    assert publicatie.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert publicatie.pdf_grootte == len(data)
    assert default_storage.listdir(MAP) == ([], ["wijkanalyse-v1.pdf"])

    # A duplicate of the task (the killed worker's message, redelivered) changes nothing.
    gemaakt_op = publicatie.pdf_gemaakt_op
    assert tasks.pdf_maken.apply(kwargs={"publicatie_id": publicatie.pk}).get() is False
    assert tasks.pdf_sweep.apply().get() == 0
    publicatie.refresh_from_db()
    assert (publicatie.pdf_status, publicatie.pdf_pogingen) == (Pdfstatus.KLAAR, 2)
    assert publicatie.pdf_gemaakt_op == gemaakt_op
    assert publicatie.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert default_storage.listdir(MAP) == ([], ["wijkanalyse-v1.pdf"])
    assert list(media_root.rglob("*")) == []
    assert settings.PUBLICATIE_CLAIM_SECONDS > CLAIM_SECONDS  # only the worker's was short
