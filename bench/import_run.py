"""One import in a process of its own: ``python -m bench.import_run FILE SLUG WORKDIR SCORING``.

SCORING is "on" (heat scoring as the app runs by default: batches scored in worker
processes while this one writes) or "off".

Prints JSON: seconds, created, and resident memory before and at its peak (MiB).

Peak memory is the process's VmHWM (Linux), which starts afresh at exec;
getrusage's ru_maxrss would carry over the parent's peak (the whole bench).
"""

import json
import os
import sys
import time
from pathlib import Path


def resident_mb():
    """(current, peak) resident memory of this process in MiB."""
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))


def main(path, slug, workdir, scoring):
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.HEAT_SCORING = scoring == "on"
    import heat  # noqa: F401  (the import loads it: part of the baseline)
    from threads.importing.loading import import_comment_file
    from threads.models import Essay

    replies = (Path(workdir) / "replies.txt").read_text()
    essay = Essay.objects.get(slug=slug)
    before, _ = resident_mb()
    start = time.perf_counter()
    created, existing, _ = import_comment_file(essay, path, replies)
    seconds = time.perf_counter() - start
    _, peak = resident_mb()
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
    main(*sys.argv[1:5])
