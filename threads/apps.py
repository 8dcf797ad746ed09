from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "threads"
    verbose_name = "Discussion spaces"

    def ready(self):
        # Models are loaded by now: counts and page versions follow every save.
        from . import kept  # noqa: PLC0415

        kept.connect()
