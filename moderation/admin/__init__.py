"""The Django admin for callin: a place to look things up, where every change takes
the same path as on the pages (``content`` for essays and comments, ``records`` for
cases and their history, ``rules`` for sanctions, notices, watched words and saved
replies, ``webhooks`` for webhooks and their deliveries).  Django's autodiscovery
imports this package; the modules register.
"""

from . import content, records, rules, webhooks

__all__ = ["content", "records", "rules", "webhooks"]
