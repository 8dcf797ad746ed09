"""Sessions read from Redis, kept in the database: Django's ``cached_db`` engine, failing
open and never stale (``SESSION_ENGINE`` when ``REDIS_URL`` is set).

Every signed-in request reads its session.  From the database that was a query and the
decoding of the signed data, an eighth of a kept thread page's CPU; from Redis it is one
round trip.  ``cached_db`` keeps the database the record (a session outlives a Redis
restart) and writes it first, but as it stands it turns an unreachable Redis into a 500
(storing what it read, signing out) and cannot tell an old copy from a current one.
This subclass changes only its cache calls:

- they fail open through ``cache_health`` (one warning, not one per request): the session
  is read from the database and written there, as with the ``db`` engine;
- a copy is kept under the page cache's epoch, which a process that failed to reach Redis
  replaces once it answers (``page_cache.in_touch``), and for ``CACHE_SECONDS`` at most: a
  sign-out whose delete did not reach Redis never lets the old copy sign anyone in after
  that (the same bound as a version token's, ``page_cache.TOKEN_SECONDS``).
"""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import cache

from . import page_cache

CACHE_SECONDS = page_cache.TOKEN_SECONDS


class SessionStore(cached_db.SessionStore):
    def load(self):
        epoch, data = self.kept()
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self.keep(epoch, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def kept(self):
        """(the current epoch or None, the session's kept data if kept under it or None)."""
        if not page_cache.in_touch():
            return None, None
        found = page_cache.call(cache.get_many, [self.cache_key, page_cache.EPOCH])
        if found is None:
            return None, None
        epoch, kept = found.get(page_cache.EPOCH), found.get(self.cache_key)
        if epoch is None:  # (Redis started empty: an epoch made once, by whoever is first)
            page_cache.call(cache.add, page_cache.EPOCH, page_cache.new_token(), None)
            return page_cache.call(cache.get, page_cache.EPOCH), None
        if kept is None or kept[0] != epoch:
            return epoch, None
        return epoch, kept[1]

    def keep(self, epoch, data, expiry_age):
        if epoch is not None and expiry_age > 0:
            seconds = min(expiry_age, CACHE_SECONDS)
            page_cache.call(cache.set, self.cache_key, (epoch, data), seconds)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        if page_cache.in_touch():
            epoch = page_cache.call(cache.get, page_cache.EPOCH)
            self.keep(epoch, self._session, self.get_expiry_age())

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is not None:  # (a failure: the epoch is replaced, see the docstring)
            page_cache.call(cache.delete, self.cache_key_prefix + session_key)

    def exists(self, session_key):
        return DBStore.exists(self, session_key)  # the record, whatever the cache says
