"""Rate limits over Django's cache: flagging, replying and signing in.

A small fixed-window counter (``cache.add`` then ``cache.incr``, both atomic
on Redis and in local memory), so it works with the cache the settings give:
Redis when ``REDIS_URL`` is set, local memory otherwise.  Limits come from
``settings.CALLIN_RATE_LIMITS`` at request time, so tests can lower them with
``override_settings``.  A request over a limit gets ``templates/429.html``
with status 429 and a ``Retry-After`` header, and changes nothing.
"""

import hashlib
import logging
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

log = logging.getLogger(__name__)

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CACHE_ALIAS = "default"


def parse_rate(rate):
    """ "20/h" -> (20, 3600); "10/5m" -> (10, 300); None or "" -> None (no limit)."""
    if not rate:
        return None
    match = RATE.match(str(rate))
    if not match:
        raise ValueError(f"Rate limit {rate!r} is not of the form COUNT/PERIOD, e.g. 20/h.")
    count, multiple, unit = int(match[1]), int(match[2] or 1), match[3]
    return count, multiple * UNITS[unit]


def client_ip(request):
    header = getattr(settings, "CALLIN_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    # A proxy header may list several addresses; the first is the client's.
    return value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(group, key, now=None):
    """Count one request for (group, key); returns (allowed, seconds until the window ends)."""
    limit = parse_rate(settings.CALLIN_RATE_LIMITS.get(group))
    if limit is None:
        return True, 0
    count, period = limit
    now = int(now if now is not None else time.time())
    window = now // period
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cache_key = f"callin:rl:{group}:{digest}:{period}:{window}"
    cache = caches[CACHE_ALIAS]
    retry_after = period - now % period
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        used = 1
    return used <= count, retry_after


def too_many(request, retry_after, what):
    log.warning("rate limit: %s from %s", what, client_ip(request))
    response = render(
        request,
        "429.html",
        {"what": what, "retry_minutes": max(1, -(-retry_after // 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def _user_key(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def limit(group, what, key=_user_key, methods=("POST",), also=()):
    """Decorate a view: over ``group``'s rate, answer 429 instead of running it.

    ``key(request)`` names whom the limit counts (default: the signed-in
    account, or the address); ``also`` lists more (group, key) pairs checked
    with it, e.g. a per-address limit beside a per-username one.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                for name, key_of in ((group, key), *also):
                    allowed, retry_after = hit(name, key_of(request))
                    if not allowed:
                        return too_many(request, retry_after, what)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _login_key(request):
    username = str(request.POST.get("username", ""))[:150].strip().lower()
    return f"ip:{client_ip(request)}|user:{username}"


def _ip_key(request):
    return f"ip:{client_ip(request)}"


limit_flags = limit("flag", "flags")
limit_replies = limit("reply", "comments")
limit_logins = limit("login", "sign-in attempts", key=_login_key, also=[("login_ip", _ip_key)])
