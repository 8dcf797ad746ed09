"""Heat scoring for a site import (``site_loading``), and reading its posts' HTML: while
the file is read, and then while its spaces are written.

Why not ``heat.score_batches`` alone: a site import reads the whole file before
it writes anything (a bad record must leave nothing written), and a space's
posts are spread over the file.  Scored in file order with the reader waiting
for the workers, reading took as long as scoring, and then one core idled
while the spaces were written.  Here the reader never waits for a worker: a
batch goes to the workers when one is free for it (a worker also turns the
posts' HTML into text, ``texts_and_heat``: reading is the critical path),
and otherwise to the spool as it is, unscored, its HTML not yet read.  Those
posts are finished space by space, in the order the spaces are written, a few
jobs ahead of the writer, so it finds a space's texts and scores ready when it
gets to it.  Those workers read the posts from the spool file themselves (the
writer reads each post from it once, as it writes it).  A post's HTML may be
read that late because its text cannot be too long (``sites.text_fits``; the
reader reads any other itself): nothing can fail once a space is written.
The workers run at a lower priority (``heat.workers.worker_pool``): parsing
and writing keep their core, and scoring takes what they leave of both.

Memory stays bounded: the reader's window holds a few batches of posts, the
writer's a few jobs' texts and scores.  One batch, or no workers, is scored here.
"""

import json
import os
from collections import deque
from itertools import chain, islice

from heat.scoring import score_texts
from heat.workers import worker_pool

from .sites import post_text
from .spool import spooled_record

AHEAD = 1  # batches queued for the workers while the file is read, beyond one each
# Jobs scored ahead of the writer, for each worker: enough that the workers bank time
# while the writer waits on the disk, few enough that their scores take little memory.
WRITE_AHEAD = 4


def _heat(texts):
    """``score_texts`` with each text's signals as the JSON the database keeps (encoded
    here, in a worker: the writer only passes it on, see ``loading.JSONText``)."""
    return [(heat, json.dumps(signals)) for heat, signals in score_texts(texts)]


def texts_and_heat(posts, file):
    """The texts of a batch of posts as read, and the scores of those wanted (what a worker
    runs while the file is read).  ``posts``: (PostHTML or None, body, wanted) each; a post
    that came as HTML gets ``post_text`` of it.  An empty text is not scored."""
    texts = [post_text(html, file) if html else body for html, body, _ in posts]
    wanted = [text for text, (_, _, want) in zip(texts, posts, strict=True) if want and text]
    return texts, _heat(wanted)


def finish_spooled(path, places, file):
    """(text, score) of each post at ``places`` in a spool file (what a worker runs while
    the spaces are written: the caller sends no text).  ``text`` is ``post_text`` of a
    post spooled with its HTML, None for a post spooled with its text."""
    with open(path, "rb") as stream:
        posts = [spooled_record(stream.fileno(), place) for place in places]
    texts = [post_text(post.html, file) if post.html else None for post in posts]
    bodies = [post.body if text is None else text for post, text in zip(posts, texts, strict=True)]
    return list(zip(texts, _heat(bodies), strict=True))


def _cores():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class SiteScoring:
    """Scores a site import's posts with up to ``workers`` worker processes (see above).

    At most one worker for each core but one: the reader and the writer are the
    critical path and keep a core to themselves (with one worker per core, two on
    two cores, the reader shared its core and ran a third of the time slower).
    ``path``: the spool file; ``file``: the export's name (for messages); ``size``: the
    most posts a worker finishes at once while the spaces are written.
    """

    def __init__(self, workers, path, file, size):
        self.workers = min(workers, max(1, _cores() - 1))
        self.path, self.file, self.size = path, file, size
        self.window = self.workers + AHEAD
        self.lookahead = max(1, self.workers * WRITE_AHEAD)
        self.pool = None

    def while_reading(self, batches, posts_of):
        """Yield ``(batch, done)`` for each batch, not in order: ``done`` is
        ``texts_and_heat(posts_of(batch), file)``, or None when the batch is left to
        ``while_writing``."""
        batches = iter(batches)
        start = list(islice(batches, 2))
        if len(start) < 2 or self.workers < 1:
            for batch in chain(start, batches):
                yield batch, texts_and_heat(posts_of(batch), self.file)
            return
        self.pool = worker_pool(self.workers, background=True)
        queued = deque()
        for batch in chain(start, batches):
            while queued and queued[0][1].done():
                done, future = queued.popleft()
                yield done, future.result()
            if len(queued) < self.window:
                job = self.pool.submit(texts_and_heat, posts_of(batch), self.file)
                queued.append((batch, job))
            else:
                yield batch, None
        while queued:
            done, future = queued.popleft()
            yield done, (None if future.cancel() else future.result())

    def while_writing(self, spaces, unfinished):
        """Yield ``(space, {index: (text, score)})`` for each of ``spaces``, in order: the
        ``finish_spooled`` of ``unfinished(space)``, a list of (index, place in the spool)
        of its posts.

        The writer waits for the workers rather than score here: the scorer's model
        in this process would add more memory than a small file takes."""
        pending, queued = deque(), 0
        for space in spaces:
            wanted = unfinished(space)
            jobs = [
                self._job(wanted[at : at + self.size]) for at in range(0, len(wanted), self.size)
            ]
            pending.append((space, jobs))
            queued += len(jobs)
            while pending and queued - len(pending[0][1]) >= self.lookahead:
                queued -= len(pending[0][1])
                yield self._gathered(*pending.popleft())
        while pending:
            yield self._gathered(*pending.popleft())

    def _job(self, part):
        places = [place for _, place in part]
        if self.pool is None:
            return part, places  # finished here, when the writer gets to it
        return part, self.pool.submit(finish_spooled, self.path, places, self.file)

    def _gathered(self, space, jobs):
        finished = {}
        for part, job in jobs:
            found = job.result() if self.pool else finish_spooled(self.path, job, self.file)
            finished.update(zip((index for index, _ in part), found, strict=True))
        return space, finished

    def close(self):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
