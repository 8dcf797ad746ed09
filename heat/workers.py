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
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import chain, islice
from operator import attrgetter

from .scoring import score_texts

# What the forkserver imports once, so that a worker it forks starts ready to score.
PRELOAD = ["heat.scoring", "numpy"]


def _worker_context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # no effect once the forkserver runs
    return context


def score_batches(batches, *, workers, text_of=attrgetter("body")):
    """Yield ``(batch, [(heat, signals), …])`` for each batch, in order.

    ``text_of`` gives the text of one item of a batch (its ``body`` by default).
    One batch, or ``workers`` < 1, is scored here, batch by batch; otherwise the
    batches are scored ahead in ``workers`` processes, one batch at most waiting
    for the caller, and the workers stop when the caller stops (or fails).
    """
    batches = iter(batches)
    start = list(islice(batches, 2))
    if len(start) < 2 or workers < 1:
        for batch in chain(start, batches):
            yield batch, score_texts(map(text_of, batch))
        return
    pool = ProcessPoolExecutor(workers, mp_context=_worker_context())
    pending = deque()
    try:
        for batch in chain(start, batches):
            pending.append((batch, pool.submit(score_texts, [text_of(c) for c in batch])))
            if len(pending) > workers:  # one batch is written while the workers score
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(cancel_futures=True)
