"""A site import's spool: its records in a temporary file, read back one by one.

A site import reads the whole export before it writes a space (``site_loading``),
and a space's posts are spread over the file; the spool keeps them on disk rather
than in memory, and only their places in it stay in memory.
"""

import os
import pickle
import tempfile

from .sites import SitePost, SiteSpace

LENGTH_BITS = 32  # a place is a record's offset and length in one int: offset << 32 | length


class Spool:
    """Records pickled one after another in a temporary file, read back by place.

    A record goes as the tuple of its fields (a third of the time of pickling the
    dataclass itself).  It is read back with one ``pread`` of its exact bytes: posts
    are read out of file order, and a seek and a buffered read cost twice as much (a
    map of the file would count its pages in the import's memory).  The file has a
    name: scoring workers read posts from it (``spooled_record``)."""

    def __init__(self):
        self.named = tempfile.NamedTemporaryFile(prefix="callin-import-")
        self.file, self.path = self.named.file, self.named.name
        self.size = 0

    def add(self, record):
        """Spool ``record``; returns its place."""
        data = pickle.dumps(
            (isinstance(record, SitePost), *vars(record).values()), pickle.HIGHEST_PROTOCOL
        )
        self.file.write(data)
        place = self.size << LENGTH_BITS | len(data)
        self.size += len(data)
        return place

    def finish(self):
        """No more records: the file holds them all, for this process and the workers."""
        self.file.flush()

    def get(self, place):
        return spooled_record(self.file.fileno(), place)

    def close(self):
        self.named.close()


def spooled_record(fd, place):
    """The record spooled at ``place`` in the spool file open as ``fd``."""
    post, *values = pickle.loads(
        os.pread(fd, place & ((1 << LENGTH_BITS) - 1), place >> LENGTH_BITS)
    )
    return (SitePost if post else SiteSpace)(*values)
