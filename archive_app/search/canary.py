"""The start-up canary: is the vectorised engine still reading Whoosh's layout right?

Why: engine.py reads Whoosh's private on-disk format (whoosh_internals.py lists each assumption).
A Whoosh that changed it would not fail loudly — searches would quietly miss records or rank them
wrongly. So when the app or `archive-app init` starts, a small probe index (three segments,
postings longer than one block, re-indexed documents left as deletions, both agencies' content
fields) is built in a temporary folder with the real schema, and a fixed set of compiled queries
is run twice: by the engine and by Whoosh's own execution (whoosh_exec.py). Any difference in the
documents matched, their totals, facets, date order or BM25F term scores — or any error from the
engine — switches this process to Whoosh's execution (slower, same answers) and logs why.

`ARCHIVE_SEARCH_EXECUTOR=whoosh` chooses Whoosh's execution outright; `numpy` (the default) uses
the engine while the canary agrees. The probe runs once per process (about a second).
"""

from __future__ import annotations

import logging
import random
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh import query as wq

from . import engine, schema, whoosh_exec
from .query import Scope, compile_query, parse

log = logging.getLogger(__name__)
EXECUTORS = ("numpy", "whoosh")
_ALPHABET = "审批监管联动档案"  # few characters: common bigrams have several posting blocks
_QUERIES = ("审批", "监管 联动", "审批 OR 档案", '"审批监管"', "联动 -档案", "联动 NOT 审批", "案审批监", "2021*", "监")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    detail: str  # what differed (or "agrees")


_lock = threading.Lock()
_verdict: Verdict | None = None


def _documents(rng: random.Random, start: int, count: int) -> list[dict]:
    docs = []
    for i in range(start, start + count):
        custodian = "SPJ" if i % 4 else "RSJ"
        title = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(3, 8)))
        text = "".join(rng.choice(_ALPHABET + "，") for _ in range(rng.randint(40, 100)))
        year = 2020 + i % 4
        docs.append({
            "id": str(i), "fp": str(i), "custodian": custodian, "matter": "M" + str(i % 3),
            "doc_type": "批复" if i % 2 else "", "retention": "D30", "year": str(year),
            "formed": int(f"{year}{1 + i % 12:02d}{1 + i % 28:02d}"), "title": title,
            "title_exact": title, "doc_no": f"安行审许〔{year}〕{i}号", "applicant": "", "applicant_exact": "",
            "catalogue": "", "codes": f"j001-ws·{year}-d30-x-{i:05d}", schema.content_field(custodian): text})
    return docs


def _build_probe(path: Path):
    """Three segments (merges off), 520 documents, every seventh re-indexed (a deletion)."""
    ix = schema.create(path / "probe", path)
    rng = random.Random(7)
    first = 0
    for size in (400, 90, 30):
        writer = ix.writer()
        for doc in _documents(rng, first, size):
            writer.add_document(**doc)
        writer.commit(merge=False)
        first += size
    writer = ix.writer()
    for doc in _documents(rng, 0, first)[::7]:
        writer.update_document(**doc)
    writer.commit(merge=False)
    return ix


def _compare(searcher) -> str | None:
    """The first disagreement between the engine and Whoosh's execution, or None."""
    scope = Scope("SPJ", {"RSJ": frozenset(range(0, 520, 9))})
    filters = (wq.Term("custodian", "RSJ"), wq.NumericRange("formed", 20210101, 20221231))
    for i, text in enumerate(_QUERIES):
        q = compile_query(parse(text), scope)
        for filterq, scored in ((None, True), (None, False), (filters[i % len(filters)], True)):
            fast = engine.evaluate(searcher, q, filterq, scored=scored)
            slow = whoosh_exec.evaluate(searcher, q, filterq, scored=scored)
            if fast.total != slow.total:
                return f"{text!r}: {fast.total} matches by the engine, {slow.total} by Whoosh"
            if set(fast.top(fast.total)) != set(slow.top(slow.total)):
                return f"{text!r}: different documents"
            if fast.facet("custodian") != slow.facet("custodian"):
                return f"{text!r}: different custodian facets"
            if not scored and fast.top(30, "formed") != slow.top(30, "formed"):
                return f"{text!r}: a different date order"
    terms = wq.Or([wq.Term("title", "审批", boost=3.0), wq.Term("content_spj", "监管")])
    fast, slow = engine.evaluate(searcher, terms), whoosh_exec.evaluate(searcher, terms)
    fast_order, slow_order = fast.top(50), slow.top(50)
    if fast_order != slow_order:
        return "BM25F term ranking differs"
    return None


def probe() -> Verdict:
    """Build the probe index and compare the two executions (no caching)."""
    folder = Path(tempfile.mkdtemp(prefix="archive-canary-"))
    try:
        ix = _build_probe(folder)
        with ix.searcher() as searcher:
            problem = _compare(searcher)
    except Exception as exc:  # an engine that cannot read the layout at all is a disagreement too
        problem = f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Verdict(problem is None, problem or "agrees")


def verdict() -> Verdict:
    """The canary's answer for this process, probed on first use."""
    global _verdict
    with _lock:
        if _verdict is None:
            _verdict = probe()
            if not _verdict.ok:
                log.error("the vectorised search engine disagrees with Whoosh (%s); searching with "
                          "Whoosh's own execution", _verdict.detail)
        return _verdict


def executor(choice: str) -> str:
    """The execution this process uses for the configured choice (Settings.search_executor)."""
    if choice == "whoosh":
        return "whoosh"
    return "numpy" if verdict().ok else "whoosh"


def evaluator(choice: str) -> Callable:
    """engine.evaluate or whoosh_exec.evaluate (same signature, same result interface)."""
    return engine.evaluate if executor(choice) == "numpy" else whoosh_exec.evaluate


def reset() -> None:
    """Forget the verdict (tests; the next use probes again)."""
    global _verdict
    with _lock:
        _verdict = None
