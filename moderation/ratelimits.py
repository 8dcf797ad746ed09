"""Rate limits on flagging, replying and signing in, counted by django-ratelimit.

django-ratelimit's ``get_usage`` does the counting (an atomic ``cache.add`` then
``cache.incr`` per key and window) in the cache the settings give: Redis when
``REDIS_URL`` is set, this process's memory otherwise.  This module keeps
callin's contract around it: limits come from ``settings.CALLIN_RATE_LIMITS``
at request time (tests lower them with ``override_settings``); a request over
a limit gets ``templates/429.html`` with status 429 and a ``Retry-After``
header, and changes nothing; the client address comes from
``settings.CALLIN_CLIENT_IP_HEADER`` when set.

Signing in counts failed attempts only, so switching accounts never runs into
the limit.  The limit is checked before the attempt and a failure counted
after it, so attempts running at the same moment can each pass the check: at
most one extra try per concurrent request, which the few worker processes and
the password hash's cost keep small.

``django_ratelimit`` is not in ``INSTALLED_APPS``: its own system check calls
local memory an error, which is right for several processes and wrong for
one; ``check_shared_cache`` (registered by ``moderation.apps``) warns only
when several workers would each count alone.
"""

import ipaddress
import logging
import re
from functools import wraps

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .cache_health import cache_call

log = logging.getLogger(__name__)

RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CACHE_ALIAS = "default"  # django-ratelimit's RATELIMIT_USE_CACHE default
PER_PROCESS_BACKENDS = ("django.core.cache.backends.locmem.LocMemCache",)
IPV6_PREFIX = 64  # one subscriber usually holds a whole /64: count it as one address

NOT_COUNTING = "rate limits are not counting (every request goes through)"

_warned_per_process = False


def parse_rate(rate):
    """ "20/h" -> (20, 3600); "10/5m" -> (10, 300); None or "" -> None (no limit).

    Stricter than django-ratelimit's own reading, which takes "20/hour" for
    "20/h" and fails with an AttributeError on "x/h".
    """
    if not rate:
        return None
    match = RATE.match(str(rate))
    if not match:
        raise ValueError(f"Rate limit {rate!r} is not of the form COUNT/PERIOD, e.g. 20/h.")
    count, multiple, unit = int(match[1]), int(match[2] or 1), match[3]
    return count, multiple * UNITS[unit]


def rate_of(group, request):
    """django-ratelimit's ``rate`` callable: the group's limit as set right now."""
    return parse_rate(settings.CALLIN_RATE_LIMITS.get(group))


def client_ip(request):
    """The client's address: the proxy header's first address when one is configured."""
    header = getattr(settings, "CALLIN_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    address = value.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return str(parsed)


def user_key(group, request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def login_key(group, request):
    username = str(request.POST.get("username", ""))[:150].strip().lower()
    return f"ip:{client_ip(request)}|user:{username}"


def ip_key(group, request):
    return f"ip:{client_ip(request)}"


def usage(request, group, key, *, increment):
    """django-ratelimit's count for ``group``; None when the group has no limit, or when
    the cache is unreachable (the request goes through; the log says limits are off)."""
    _warn_once_if_per_process()
    return cache_call(
        NOT_COUNTING, get_usage, request, group=group, key=key, rate=rate_of, increment=increment
    )


def retry_after(found):
    # time_left is 0 at a window's last second and -1 when the cache failed.
    return max(1, found["time_left"])


def too_many(request, seconds, what):
    log.warning("rate limit: %s from %s", what, client_ip(request))
    response = render(
        request,
        "429.html",
        {"what": what, "retry_minutes": max(1, -(-seconds // 60))},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def limit(group, what, key=user_key, methods=("POST",)):
    """Decorate a view: over ``group``'s rate, answer 429 instead of running it.

    Every request in ``methods`` counts, refused ones too.  ``key(group,
    request)`` names whom the limit counts: the signed-in account, or the address.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                found = usage(request, group, key, increment=True)
                if found is not None and found["should_limit"]:
                    return too_many(request, retry_after(found), what)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


LOGIN_LIMITS = (("login", login_key), ("login_ip", ip_key))


def limit_failed_logins(view):
    """Decorate a sign-in view: only failed attempts count, per address and username
    ("login") and per address ("login_ip").

    A POST the view answers with a redirect signed someone in; any other answer
    (the form again, with its error) is a failure.  At the limit even the right
    password waits for the window to end.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        for group, key in LOGIN_LIMITS:
            found = usage(request, group, key, increment=False)
            if found is not None and found["count"] >= found["limit"]:
                return too_many(request, retry_after(found), "sign-in attempts")
        response = view(request, *args, **kwargs)
        if not 300 <= response.status_code < 400:
            for group, key in LOGIN_LIMITS:
                usage(request, group, key, increment=True)
        return response

    return wrapped


def _warn_once_if_per_process():
    global _warned_per_process
    if _warned_per_process or not isinstance(caches[CACHE_ALIAS], LocMemCache):
        return
    _warned_per_process = True
    log.warning(
        "Rate limits are counted in this process's memory: each worker process counts "
        "its own. Set REDIS_URL so that all processes share one count."
    )


def check_shared_cache(app_configs, **kwargs):
    """Warn at start-up when several workers would each keep their own counts."""
    workers = getattr(settings, "CALLIN_WORKERS", 1)
    backend = settings.CACHES.get(CACHE_ALIAS, {}).get("BACKEND")
    if workers <= 1 or backend not in PER_PROCESS_BACKENDS:
        return []
    return [
        checks.Warning(
            f"Rate limits are counted in each process's memory, and {workers} worker "
            f"processes will serve requests: each counts alone, so every limit is in "
            f"effect {workers} times higher.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so the workers share one count.",
            id="callin.W001",
        )
    ]


limit_flags = limit("flag", "flags")
limit_replies = limit("reply", "comments")
