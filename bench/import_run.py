"""One import in a process of its own: ``python -m bench.import_run FILE SLUG WORKDIR``.

Prints JSON: seconds, created, and resident memory before and at its peak (MiB).
"""

import json
import os
import resource
import sys
import time
from pathlib import Path


def main(path, slug, workdir):
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from threads.importers import import_comment_file
    from threads.models import Essay

    replies = (Path(workdir) / "replies.txt").read_text()
    essay = Essay.objects.get(slug=slug)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    created, existing, _ = import_comment_file(essay, path, replies)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "created": created,
                "rss_before_mb": round(before, 1),
                "rss_peak_mb": round(peak, 1),
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
