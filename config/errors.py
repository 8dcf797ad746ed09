"""Failure pages: 503 while the database cannot be reached, 500 for anything else.

Both pages are standalone templates rendered without the request, so no
context processor runs and nothing touches the database that just failed.

A database error raised by a view (or while its template renders) reaches
``DatabaseUnavailableMiddleware.process_exception``.  One raised inside
another middleware (saving the session, say) has been turned into an error
response before any middleware could see it: Django hands it to
``server_error``, the project's ``handler500``, with the exception still in
``sys.exc_info()``.  Either way the failure is logged once: here for the
first, by Django's request logger (with its traceback) for the second.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

log = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def _page(template_name, **context):
    return loader.render_to_string(
        template_name, {"stylesheet": f"{settings.STATIC_URL}css/callin.css", **context}
    )


def database_unavailable_response():
    response = HttpResponse(_page("503.html", retry_seconds=RETRY_AFTER_SECONDS), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when a view finds the database unreachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        log.error(
            "Database unreachable, answered 503 to %s %s: %s",
            request.method,
            request.path,
            exception,
        )
        response = database_unavailable_response()
        response._has_been_logged = True  # so django.request does not log it a second time
        return response


def server_error(request):
    """handler500: the 503 page for a database error raised outside a view, else 500.html."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable_response()
    return HttpResponseServerError(_page("500.html"))
