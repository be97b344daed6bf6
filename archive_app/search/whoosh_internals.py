"""Every read of Whoosh's private names and on-disk layout, in one place.

Why: the vectorised engine (engine.py) reads posting lists, field lengths and columns in one piece
instead of through Whoosh's per-document matchers (BENCHMARKS.md: 10-50x faster). Whoosh does not
promise these layouts, so they are pinned (`whoosh-reloaded==2.7.5` in setup.cfg), touched only
here, and checked when the app starts: `canary.py` runs the engine against Whoosh's own execution
on a small probe index and switches to Whoosh's execution (`ARCHIVE_SEARCH_EXECUTOR=whoosh`) when
they disagree. No other module may import a private Whoosh name or `whoosh.codec`.

The layout assumptions (whoosh-reloaded 2.7.5, codec W3):

1. Term info. `reader.term_info(field, text)` is a `W3TermInfo`; `is_inlined()` says the postings
   of a term in one document live in the term dictionary (`inlined_postings()` → ids, weights,
   values); otherwise `extent()` gives (offset, length) into the postings file — whoosh-reloaded
   returns the length as a one-element tuple.
2. Postings file. `reader._terms._postfile.get(offset, length)` returns the term's whole posting
   list: the 4-byte `WHOOSH3_HEADER_MAGIC`, then blocks, each a big-endian int32 size (negative
   for the last block), a pickled header `(count, last document, max weight, compression level,
   min length, max length)`, then the pickled — zlib-compressed when the level is non-zero —
   `(document deltas within the block, weights, values)`; weights are `None` (all 1), one float
   (all equal) or a sequence; values are a tuple of byte strings (our `RawPositions`) or `None`.
3. Field lengths. `reader._perdoc._cached_reader("_<field>_len", LENGTHS_COLUMN)` is a fixed-width
   byte column: `_dbfile.get(_basepos, _count)` is one byte per document (documents after the last
   with a length are absent = 0); a byte maps to a length through `byte_to_length`.
4. Columns. `reader._perdoc._get_column_file(field)` → (file, offset, length) of a sortable
   field's column; the field's `column_type.reader(file, offset, length, doc_count)` reads it from
   any file object (a `BufferFile` over the bytes); trailing default values are not stored.
5. Table of contents. `index._read_toc()` gives the current segments (compared by segment id and
   deletion count to reuse readers); a segment reader is `SegmentReader(storage, schema, segment,
   generation=…)` and has `segment()`; the empty index's reader has no `_terms`.
6. Pickled classes. The table of contents pickles the schema, so the index names
   `archive_app.search.analysis.CJKTokenizer` and `archive_app.search.formats.RawPositions` by
   module path: moving or renaming them makes an existing index unreadable (an unpickling error),
   and the index is then rebuilt from the database (`indexer.ensure_index`).
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

# A length byte → the field length it stands for (assumption 3).
LENGTHS = np.asarray([byte_to_length(i) for i in range(256)], dtype=np.float32)
_INT = struct.Struct("!i")
# What reading a pickled index structure raises when a class moved or the bytes are not a pickle.
UNPICKLING_ERRORS = (pickle.UnpicklingError, AttributeError, ImportError, EOFError, IndexError, TypeError,
                     ValueError, struct.error)

Raw = tuple[np.ndarray, np.ndarray, tuple[bytes, ...] | None]  # documents, weights, position values
_NOTHING: Raw = (np.zeros(0, np.int32), np.zeros(0, np.float32), ())


def read_postings(reader, fieldname: str, text: str, only: np.ndarray | None = None) -> Raw:
    """A term's postings in a segment as (ascending documents, weights, raw values); deletions are
    not applied. With `only` (ascending document numbers), blocks that cannot hold any of them are
    skipped undecoded (assumptions 1 and 2)."""
    try:
        info = reader.term_info(fieldname, text)
    except TermNotFound:
        return _NOTHING
    if info.is_inlined():
        block_ids, block_weights, block_values = info.inlined_postings()
        return (np.asarray(block_ids, dtype=np.int32), np.asarray(block_weights, dtype=np.float32),
                tuple(block_values) if block_values and block_values[0] is not None else None)
    offset, length = info.extent()
    length = length[0] if isinstance(length, tuple) else length
    raw = reader._terms._postfile.get(offset, length)
    buf = io.BytesIO(raw)
    if buf.read(4) != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"unexpected postings layout for {fieldname}:{text!r}")
    ids, weights, values = [], [], []
    below = -1  # every document of the current block is above this number
    while True:
        size = _INT.unpack(buf.read(4))[0]
        start = buf.tell()
        # Whoosh's own index files, written by our writer; Whoosh unpickles them the same way.
        n, maxid, _, compression, _, _ = pickle.load(buf)  # noqa: S301
        at = np.searchsorted(only, below, side="right") if only is not None else 0
        if only is None or (at < len(only) and only[at] <= maxid):
            data = raw[buf.tell():start + abs(size)]
            block_ids, block_weights, block_values = pickle.loads(  # noqa: S301 — as above
                zlib.decompress(data) if compression else data)
            ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))  # deltas within the block
            if block_weights is None:
                weights.append(np.ones(n, np.float32))
            elif isinstance(block_weights, float):
                weights.append(np.full(n, block_weights, np.float32))
            else:
                weights.append(np.asarray(block_weights, dtype=np.float32))
            if isinstance(block_values, tuple):
                values.extend(block_values)
        if size < 0:  # the last block
            break
        buf.seek(start + size)
        below = maxid
    docs = np.concatenate(ids).astype(np.int32) if ids else _NOTHING[0]
    return docs, np.concatenate(weights) if weights else _NOTHING[1], tuple(values) or None


def length_bytes(reader, fieldname: str, n: int) -> np.ndarray:
    """Each document's length byte of a field (assumption 3), read in one piece."""
    column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    raw = np.zeros(n, np.uint8)
    if column is not None and column._count:
        stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), np.uint8)
        raw[:len(stored)] = stored[:n]
    return raw


def column_values(reader, fieldname: str) -> list:
    """Every document's raw column value (assumption 4). The column's bytes are read in one piece
    and Whoosh's column reader runs over them in memory (over the file it makes a read per
    document)."""
    column = reader.schema[fieldname].column_type
    colfile, offset, length = reader._perdoc._get_column_file(fieldname)
    try:
        data = colfile.get(offset, length)
    finally:
        colfile.close()
    n = reader.doc_count_all()
    values = list(column.reader(BufferFile(data), 0, length, n))
    return values + [column.default_value()] * (n - len(values))  # trailing defaults are not stored


def is_segment_reader(reader) -> bool:
    """A reader over one segment's files (the empty index's reader has none; assumption 5)."""
    return getattr(reader, "segment", lambda: None)() is not None and hasattr(reader, "_terms")


def read_toc(ix):
    """The index's current table of contents: its segments and schema (assumption 5)."""
    return ix._read_toc()
