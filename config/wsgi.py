import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Load the heat classifier now (about a second), not during a reader's first reply.
from moderation import heat  # noqa: E402

if heat.enabled():
    heat.warm_up()
