"""Server-rendered staff pages (the journey board). Pages are added by the journey stage."""
from werkzeug.wrappers import Response


def serve(service, request, path: str) -> Response:
    return Response("not found", status=404, content_type="text/plain")
