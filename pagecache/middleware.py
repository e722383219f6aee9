from .services import read_only_request


class ReadOnlyRequestMiddleware:
    """A GET or HEAD reads the public version at most once (see ``read_only_request``): a
    signed-in page that keeps several fragments under it asks the database once, not once
    per fragment. Other methods read it afresh every time and keep nothing under it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with read_only_request():
            return self.get_response(request)
