from django.apps import AppConfig
from django.core import checks

from . import ratelimits


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        checks.register(ratelimits.check_shared_cache, checks.Tags.caches)
        # Models are loaded by now: webhooks can follow the audit log.
        from . import page_cache, webhooks  # noqa: PLC0415

        webhooks.connect()
        page_cache.connect()
