"""`make bench`: how callin's pages, writes and imports hold up as threads and queues grow.

``python -m bench`` (``make bench``; ``--quick`` for ``make bench-quick``) builds
seeded synthetic data in a database of its own (see ``bench.settings``), prints
a table and writes ``var/bench/results.json`` with the median of several runs
of each measure.
"""
