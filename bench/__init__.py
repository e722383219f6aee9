"""`make bench`: the portal and a bare Django page under gunicorn on the same stack, measured with
wrk (see run.py). Never part of the portal's URLs or settings."""
