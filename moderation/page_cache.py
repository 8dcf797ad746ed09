"""The readers' pages for anonymous readers from the cache, never stale, with conditional GET.

A cached copy is keyed by the page's version, read from the database on every request
(one query on an index: ``Essay.version``, bumped in the writer's own transaction by
``threads.kept`` and, for context notes, here), so a change is seen by the very next
request of any process, whatever the cache (Redis, or each process's memory) and even
if the cache lost or missed a write.  A copy also expires when something on it ends by
itself (a fold, a pause, the slow mode: ``threads.queries.page_changes_at``).

Only requests without a session or messages cookie are served from the cache: their
page shows no name, no form token and no message.  Their ETag is a digest of the page
(a 304 when it matches); ``Cache-Control`` lets a shared cache keep them but revalidate
each time (docs/proxy-cache.md).  Every other request is rendered as before and marked
``private, no-cache``; all carry ``Vary: Cookie``.
"""

import hashlib
import math
import re
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag

from threads.kept import space_touch

from .cache_health import cache_call
from .models import Annotation

PURPOSE = "pages are made from the database"
# Query strings a cached page may have (anything else is rendered, not stored).
CACHEABLE_QUERY = re.compile(r"^(page=\d{1,6})?$")
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage


def served_from_cache(request):
    cookies = {settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE}
    return (
        request.method in ("GET", "HEAD")
        and not cookies.intersection(request.COOKIES)
        and CACHEABLE_QUERY.match(request.META.get("QUERY_STRING", ""))
    )


def personal(response):
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def public(request, etag, content, content_type):
    if etag in parse_etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type=content_type)
    response["ETag"] = etag
    max_age = settings.CALLIN_PUBLIC_MAX_AGE
    revalidate = {} if max_age else {"must_revalidate": True}
    patch_cache_control(response, public=True, max_age=max_age, **revalidate)
    patch_vary_headers(response, ["Cookie"])
    return response


def seconds_to_keep(response):
    """How long a rendered page may be kept: until it changes by itself, at most a day."""
    changes_at = getattr(response, "changes_at", None)
    most = settings.CALLIN_PAGE_CACHE_SECONDS
    if changes_at is None:
        return most
    return min(most, math.floor((changes_at - timezone.now()).total_seconds()))


def anonymous_page(version_of):
    """Decorate a reader's page view; ``version_of(**kwargs)`` gives the page's version
    (and raises Http404 for no such page).  The view may set ``response.changes_at``."""

    def decorate(view):
        @wraps(view)
        def page(request, *args, **kwargs):
            if not served_from_cache(request):
                return personal(view(request, *args, **kwargs))
            key = f"page:{version_of(**kwargs)}:{request.get_full_path()}"
            kept = cache_call(PURPOSE, cache.get, key)
            if kept is not None:
                return public(request, *kept)
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.cookies:
                return personal(response)
            content = response.content
            etag = quote_etag(hashlib.blake2b(content, digest_size=12).hexdigest())
            kept = (etag, content, response["Content-Type"])
            seconds = seconds_to_keep(response)
            if seconds > 0:
                cache_call(PURPOSE, cache.set, key, kept, seconds)
            return public(request, *kept)

        return page

    return decorate


def annotation_saved(sender, instance, **kwargs):
    """A context note added or retracted changes its thread's pages."""
    space_touch(essay_id=instance.comment.essay_id)


def connect():
    post_save.connect(annotation_saved, sender=Annotation, dispatch_uid="moderation.page_cache")
