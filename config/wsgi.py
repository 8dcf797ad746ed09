import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Load the heat classifier now (about a second), not during a reader's first reply.
import heat  # noqa: E402
from threads.scoring import heat_scoring_on  # noqa: E402

if heat_scoring_on():
    heat.load_classifier()
