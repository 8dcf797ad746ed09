"""The readers' pages for anonymous readers from the cache, never stale, with conditional GET.

Every change to what a space's pages show bumps ``Essay.version`` in the writer's own
transaction (``threads.kept`` and, for context notes, here).  Where a cached copy is
looked up depends on the cache:

- Each process's memory (no ``REDIS_URL``): a copy is keyed by the version read from
  the database on every request (one query on an index), as no other process can tell
  this one's memory that a page changed.
- Redis, shared by every process: once the writer's transaction commits
  (``threads.kept.space_changed``), the space's and the site's tokens in Redis are
  replaced by fresh random ones.  A copy is kept under its path with the token it was
  made under (read before the page's data) and the epoch; ``KeptPageMiddleware``,
  right after WhiteNoise, serves it when both still match: one Redis round trip, no
  session, no URL resolution, no query.  A token is only ever replaced, never reused,
  so writers committing in any order, and a page made while a write commits, are
  never served after the write's response.  A process that fails to reach Redis
  makes its pages from the database and, once Redis answers, replaces the epoch, so
  no copy kept before is served again (a write may have gone unreported meanwhile).
  Tokens last TOKEN_SECONDS, so a write whose process died between its commit and
  the callback shows by then.  A Redis that restarts must come back empty (no
  persistence), or with a new ``CALLIN_CACHE_PREFIX``.

A copy also expires when something on it ends by itself (a fold, a pause, the slow
mode: ``threads.queries.page_changes_at``).

Only requests without a session or messages cookie are served from the cache: their
page shows no name, no form token and no message.  Their ETag is a digest of the page
(a 304 when it matches); ``Cache-Control`` lets a shared cache keep them but revalidate
each time (docs/proxy-cache.md).  Every other request is rendered as before and marked
``private, no-cache``; all carry ``Vary: Cookie``.
"""

import hashlib
import math
import re
import secrets
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags, quote_etag

from threads.kept import space_changed, space_touch

from . import cache_health
from .cache_health import cache_call
from .models import Annotation

PURPOSE = "pages are made from the database"
# Query strings a cached page may have (anything else is rendered, not stored).
CACHEABLE_QUERY = re.compile(r"^(page=\d{1,6})?$")
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie storage
SITE = "site"  # the scope of pages that show every space (the list of spaces)
# Part of the data keys: a new layout of the kept data (2: a thread's carries its signed-in
# list) takes new keys, so what a process of the code before kept is never read.
DATA_LAYOUT = 2
EPOCH = "kept:epoch"  # replaced after a process lost touch with Redis: see in_touch
# A scope's token lasts this long at most: whatever a write could not report (its
# process died between commit and callback) shows after it, at the latest.
TOKEN_SECONDS = 300
_scopes = {}  # path -> the scope its kept copy was made under, learned in this process
RETRY_SECONDS = 1.0
_lost = None  # when a call to Redis last failed, until it answers and the epoch is replaced


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
    return seconds_until(getattr(response, "changes_at", None))


def seconds_until(changes_at):
    most = settings.CALLIN_PAGE_CACHE_SECONDS
    if changes_at is None:
        return most
    return min(most, math.floor((changes_at - timezone.now()).total_seconds()))


def versions_shared():
    """Whether the page versions live in the cache (Redis, shared by every process)."""
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


def token_key(scope):
    return f"kept:version:{scope}"


def page_key(path):
    return f"kept:page:{path}"


def data_key(path):
    return f"kept:data{DATA_LAYOUT}:{path}"


def new_token():
    return secrets.token_hex(8)


def call(method, *args, default=None):
    """A page-cache call to the cache (failing open); a failure marks the process as
    having lost touch with it."""
    global _lost
    result = cache_call(PURPOSE, method, *args, default=default)
    if cache_health.failing(PURPOSE):
        _lost = time.monotonic()
    return result


def in_touch():
    """Whether Redis answers (asked again at most every RETRY_SECONDS once it failed,
    the pages meanwhile made from the database without waiting on it).  The first time
    it answers again, the epoch is replaced, so nothing kept before is served: a write
    this process could not report may lie behind any of it."""
    global _lost
    if _lost is not None:
        if time.monotonic() - _lost < RETRY_SECONDS:
            return False
        _lost = None
        call(cache.set, EPOCH, new_token(), None)
    return _lost is None


def current_stamp(scope):
    """(the epoch, the scope's token), each made if missing, or None if Redis fails."""
    if _lost is not None:
        return None
    keys = [EPOCH, token_key(scope)]
    found = call(cache.get_many, keys)
    if found is not None and len(found) < len(keys):
        for key in set(keys) - set(found):
            call(cache.add, key, new_token(), None if key == EPOCH else TOKEN_SECONDS)
        found = call(cache.get_many, keys)
    if found is None or len(found) < len(keys):
        return None
    return found[EPOCH], found[token_key(scope)]


def replace_tokens(scopes):
    """Give ``scopes`` fresh tokens (if Redis fails, the epoch is replaced once it answers)."""
    call(cache.set_many, {token_key(scope): new_token() for scope in scopes}, TOKEN_SECONDS)


def space_changed_receiver(sender, essay_id, **kwargs):
    if versions_shared():
        replace_tokens([SITE, essay_id])


def remember_scope(path, scope):
    if len(_scopes) > 10_000:  # paths come from readers: bounded
        _scopes.clear()
    _scopes[path] = scope


def kept_value(key, path):
    """The value kept at ``key`` (for the page at ``path``) if the epoch and the token it
    was made under are still current (versions in Redis only), else None: one round trip
    when this process knows the path's scope."""
    if not in_touch():
        return None
    scope = _scopes.get(path)
    keys = [key, EPOCH] + ([] if scope is None else [token_key(scope)])
    found = call(cache.get_many, keys, default={})
    kept = found.get(key)
    if kept is None:
        return None
    kept_scope, stamp, value = kept
    if kept_scope != scope:
        remember_scope(path, kept_scope)
        found[token_key(kept_scope)] = call(cache.get, token_key(kept_scope))
    current = (found.get(EPOCH), found.get(token_key(kept_scope)))
    return value if None not in current and current == stamp else None


def kept_response(request):
    """The kept copy of the anonymous page at the request's path, if current, or None."""
    path = request.get_full_path()
    kept = kept_value(page_key(path), path)
    return None if kept is None else public(request, *kept)


def kept_data(request, version_of, make):
    """``make()``'s value for the page at the request's path, kept in the cache under the
    page's version like an anonymous page, for every reader (signed-in ones too): what
    the database says, not what it is shown to whom.  ``make`` returns (value, the time
    it changes by itself or None); ``version_of()`` as for ``anonymous_page``."""
    path = request.get_full_path()
    if not CACHEABLE_QUERY.match(request.META.get("QUERY_STRING", "")):
        return make()[0]
    shared = versions_shared()
    if shared and (kept := kept_value(data_key(path), path)) is not None:
        return kept
    # (Read once a request: ``anonymous_page`` may have read it already.)
    scope, version = getattr(request, "page_version", None) or version_of()
    if shared:
        remember_scope(path, scope)
        stamp = current_stamp(scope)  # read before the data
        key = data_key(path)
    else:
        key = f"pagedata{DATA_LAYOUT}:{scope}.{version}:{path}"
        if (kept := cache_call(PURPOSE, cache.get, key)) is not None:
            return kept
    value, changes_at = make()
    seconds = seconds_until(changes_at)
    if seconds > 0 and not (shared and stamp is None):
        call(cache.set, key, (scope, stamp, value) if shared else value, seconds)
    return value


class KeptPageMiddleware:
    """Serve an anonymous reader's page from its kept copy before the session, the
    URLs and the view (versions in Redis only); place it right after WhiteNoise.  Adds
    what the middleware it skips would (X-Frame-Options, Content-Length)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if versions_shared() and served_from_cache(request):
            request.kept_page_tried = True
            response = kept_response(request)
            if response is not None:
                response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
                if response.status_code == 200:
                    response.headers["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)


def anonymous_page(version_of):
    """Decorate a reader's page view; ``version_of(**kwargs)`` gives the page's scope
    (an essay's pk, or SITE) and its version in the database (and raises Http404 for no
    such page).  The view may set ``response.changes_at``."""

    def decorate(view):
        @wraps(view)
        def page(request, *args, **kwargs):
            if not served_from_cache(request):
                return personal(view(request, *args, **kwargs))
            shared = versions_shared()
            tried = getattr(request, "kept_page_tried", False)
            if shared and not tried and (kept := kept_response(request)) is not None:
                return kept
            scope, version = request.page_version = version_of(**kwargs)
            path = request.get_full_path()
            if shared:
                remember_scope(path, scope)
                stamp = current_stamp(scope)  # read before the page's data
                key = page_key(path)
            else:
                key = f"page:{scope}.{version}:{path}"
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
            if seconds > 0 and not (shared and stamp is None):
                stored = (scope, stamp, kept) if shared else kept
                call(cache.set, key, stored, seconds)
            return public(request, *kept)

        return page

    return decorate


def annotation_saved(sender, instance, **kwargs):
    """A context note added or retracted changes its thread's pages."""
    space_touch(essay_id=instance.comment.essay_id)


def connect():
    post_save.connect(annotation_saved, sender=Annotation, dispatch_uid="moderation.page_cache")
    space_changed.connect(space_changed_receiver, dispatch_uid="moderation.page_cache")
