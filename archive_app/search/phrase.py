"""The phrase query node for the bigram fields, and its matcher for Whoosh's own execution.

Searches run through `engine.py`, which evaluates phrases with array operations. This matcher is
what Whoosh uses when it executes the node itself (the engine's fallback, tests): the term
postings are intersected first, and for each candidate document the positions are checked with
set arithmetic — the phrase occurs where position p of word 0, p+1 of word 1, … all exist —
instead of Whoosh's span machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce

from whoosh import query as wq
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher


class PhraseMatcher(WrappingMatcher):
    def __init__(self, open_leaves: Callable[[], list], boost: float = 1.0, leaves: list | None = None) -> None:
        self.open_leaves = open_leaves
        self.leaves = leaves if leaves is not None else open_leaves()
        super().__init__(reduce(IntersectionMatcher, self.leaves), boost)
        self._advance()

    def _aligned(self) -> bool:
        starts = set(self.leaves[0].value_as("positions"))
        for offset, leaf in enumerate(self.leaves[1:], 1):
            starts &= {p - offset for p in leaf.value_as("positions")}
            if not starts:
                return False
        return True

    def _advance(self) -> None:
        while self.child.is_active() and not self._aligned():
            self.child.next()

    def copy(self) -> PhraseMatcher:
        """Whoosh's posting matchers cannot be copied: re-open them and move to the same document."""
        twin = PhraseMatcher(self.open_leaves, self.boost)
        if self.is_active() and twin.is_active() and twin.id() < self.id():
            twin.skip_to(self.id())
        return twin

    def replace(self, minquality: float = 0) -> PhraseMatcher:
        return self if self.is_active() else NullMatcher()

    def supports_block_quality(self) -> bool:
        return False

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def next(self) -> None:
        self.child.next()
        self._advance()

    def skip_to(self, id: int) -> None:
        self.child.skip_to(id)
        self._advance()

    def score(self) -> float:
        return self.child.score() * self.boost


class FastPhrase(wq.Phrase):
    """Drop-in for `whoosh.query.Phrase` (slop 1, positions in the field)."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema or not all((fieldname, w) in searcher.reader() for w in self.words):
            return NullMatcher()
        weighting = context.weighting if context else None

        def open_leaves() -> list:
            return [searcher.postings(fieldname, w, weighting=weighting) for w in self.words]

        leaves = open_leaves()
        if not all(leaf.supports("positions") for leaf in leaves):
            return super().matcher(searcher, context)
        return PhraseMatcher(open_leaves, self.boost, leaves)
