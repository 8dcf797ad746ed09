"""Scoring a long run of batches ahead in worker processes while the caller writes.

Scoring a long comment costs more than parsing and writing it, so once a second
batch shows the input is long, the batches are scored ahead in worker processes
while the caller goes on reading and writing; on two cores the two overlap.

The workers start from a *forkserver*: a fresh, single-threaded process that has
this package (and numpy) imported, and forks each worker on request.  Forking the
caller itself would copy only its calling thread, and a lock that another of its
threads held at that moment (a threaded server's, a progress bar's monitor) would
stay held in the child for good; through the forkserver the caller's threads do
not matter.  Each worker reads the classifier's cached numbers itself, which keeps
them out of the caller.
"""

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice

from .scoring import score_texts

# What the forkserver imports once, so that a worker it forks starts ready to score.
PRELOAD = ["heat.scoring", "numpy"]
# A background worker's priority below its caller's: a core to itself for the caller on two
# cores, yet a fair share for the workers on a busy machine (at 10 they stalled there).
BACKGROUND_NICENESS = 3


def _worker_context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # no effect once the forkserver runs
    return context


def worker_pool(workers, *, background=False):
    """A pool of ``workers`` scoring processes (from the forkserver, see above).

    ``background``: the workers run at a lower priority (``os.nice``), so a caller
    that keeps a core busy itself (an import that parses and writes) keeps it,
    and the workers take what the caller leaves idle.
    """
    options = {"initializer": os.nice, "initargs": (BACKGROUND_NICENESS,)} if background else {}
    return ProcessPoolExecutor(workers, mp_context=_worker_context(), **options)


def _bodies(batch):
    return [item.body for item in batch]


def score_batches(batches, *, workers, texts_of=_bodies):
    """Yield ``(batch, [(heat, signals), …])`` for each batch, in order.

    ``texts_of(batch)`` gives the texts to score of a batch (its items' ``body`` by
    default; a loader leaves out the comments that are already there).
    One batch, or ``workers`` < 1, is scored here, batch by batch; otherwise the
    batches are scored ahead in ``workers`` processes, one batch at most waiting
    for the caller, and the workers stop when the caller stops (or fails).
    """
    batches = iter(batches)
    start = list(islice(batches, 2))
    if len(start) < 2 or workers < 1:
        for batch in chain(start, batches):
            yield batch, score_texts(texts_of(batch))
        return
    pool = worker_pool(workers)
    pending = deque()
    try:
        for batch in chain(start, batches):
            pending.append((batch, pool.submit(score_texts, texts_of(batch))))
            if len(pending) > workers:  # one batch is written while the workers score
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(cancel_futures=True)
