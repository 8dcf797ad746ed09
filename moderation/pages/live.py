"""Live pages for several moderators: the queue's rows and an open case page poll a small
part every few seconds (htmx) with the ETag of what they show.  While nothing changed the
answer is a 304 after one query, the last event's id (``queries.moderation_clock``):
every flag, new case, claim and action leaves an event, so a new id is a change to show.
"""

import hashlib
import json
import time

from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags, quote_etag

from .. import queries

# How often the pages poll (htmx "every …"): a change shows within this plus a request.
POLL_SECONDS = 3


def etag(request, clock, *parts):
    """The ETag of what ``request`` would show at event ``clock``; the minute is in it so
    that "3 minutes ago" on a page nobody acts on still moves on."""
    minute = int(time.time() // 60)
    raw = "|".join(str(part) for part in (clock, request.user.pk, minute, *parts))
    return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:24])


def _headers(tag):
    """What a polling element sends: its ETag as If-None-Match (htmx ``hx-headers``)."""
    return {"live_etag": tag, "live_headers": json.dumps({"If-None-Match": tag})}


def queue_headers(request):
    """The ETag of the queue's rows for the request's filters (one query)."""
    query = request.GET.urlencode()
    tag = etag(request, queries.moderation_clock(), "queue", query)
    return {**_headers(tag), "live_query": query, "poll_seconds": POLL_SECONDS}


def case_headers(request, pk, since=None):
    """The ETag of a case page's live part, drawn at event ``since`` (one query)."""
    clock = queries.moderation_clock()
    since = clock if since is None else since
    tag = etag(request, clock, "case", pk, since)
    return {**_headers(tag), "since": since, "poll_seconds": POLL_SECONDS}


def unchanged(request, tag):
    return tag in parse_etags(request.headers.get("If-None-Match", ""))


def _uncached(response, tag):
    response["ETag"] = tag
    # Never from a cache without asking: the answer depends on the moderator and the moment.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def not_modified(tag):
    return _uncached(HttpResponseNotModified(), tag)


def respond(response, tag):
    return _uncached(response, tag)
