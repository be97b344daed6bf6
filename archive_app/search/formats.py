"""A postings format whose positions numpy can read a block at a time.

Whoosh's stock `Positions` format pickles each posting's position deltas, so reading positions
means one `pickle.loads` per document — the largest cost of phrase queries over common words
(BENCHMARKS.md). Here a posting's value is its absolute positions as little-endian uint32, so the
values of a whole posting block join into one buffer that `numpy.frombuffer` reads at once
(`engine.py`). Whoosh's own matchers still work: the decode methods below are the usual interface.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict

from whoosh.analysis import Composable
from whoosh.formats import Format, tokens

_LITTLE = sys.byteorder == "little"


def encode_positions(positions: list[int]) -> bytes:
    values = array("I", positions)
    if not _LITTLE:
        values.byteswap()
    return values.tobytes()


def decode_positions(value: bytes) -> list[int]:
    values = array("I")
    values.frombytes(value)
    if not _LITTLE:
        values.byteswap()
    return values.tolist()


class RawPositions(Format):
    """Frequency, weight and positions; positions stored raw (uint32 LE) per posting."""

    def word_values(self, value: str, analyzer: Composable, **kwargs):
        poses: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        kwargs["positions"], kwargs["boosts"] = True, True
        for t in tokens(value, analyzer, kwargs):
            poses[t.text].append(t.pos)
            weights[t.text] += t.boost
        for word, poslist in poses.items():
            yield word, len(poslist), weights[word] * self.field_boost, encode_positions(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return len(valuestring) // 4

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(pos, 1.0) for pos in decode_positions(valuestring)]

    def combine(self, vs: list[bytes]) -> bytes:
        return encode_positions(sorted({p for v in vs for p in decode_positions(v)}))
