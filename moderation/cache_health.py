"""Calls to the shared cache that fail open: with Redis unreachable, a page is made from
the database and a rate limit lets the request through, never a 500.

Each process logs one warning when the cache stops answering (per purpose: pages, rate
limits) and one line when it answers again, not one per request.
"""

import logging

from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What Django's Redis backend raises when the server is down or slow (a refused or
# timed-out connection is a RedisError; a socket error can surface as OSError).
CACHE_ERRORS = (RedisError, OSError)

_failing = set()  # purposes whose last cache call failed, in this process


def failing(purpose):
    """Whether the last cache call for ``purpose`` in this process failed."""
    return purpose in _failing


def cache_call(purpose, call, *args, default=None, **kwargs):
    """``call(*args, **kwargs)``, or ``default`` when the cache fails; ``purpose`` says in
    the log what goes on without it (e.g. "pages are made from the database")."""
    try:
        result = call(*args, **kwargs)
    except CACHE_ERRORS as exc:
        if purpose not in _failing:
            _failing.add(purpose)
            log.warning("The cache is unreachable (%s): %s until it answers.", exc, purpose)
        return default
    if purpose in _failing:
        _failing.discard(purpose)
        log.warning("The cache answers again (%s no more).", purpose)
    return result
