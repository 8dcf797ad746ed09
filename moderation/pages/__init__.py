"""The pages, by audience: ``readers``, ``moderators`` (with ``cases``, the case page)
and ``organizers`` (with ``watched_words``).  Views parse input, call one function of
the layers below and render; their URL confs are ``moderation.thread_urls``,
``moderation.urls`` and ``moderation.organize_urls``."""
