"""Full-text search across both agencies' archives (Whoosh). Small public surface:

* `search(archive, session, user, Params)` → `Results` (leak-free by construction, see query.py);
  `find(…, channel)` is the same search put on the audit trail (what pages and the API call);
* `drain` / `drain_all` (the single writer, fed by the outbox), `rebuild`, `check`;
* `open_index`, `is_current`, `ensure_index` (rebuild when missing, stale or unreadable),
  `BackgroundIndexer`;
* `canary.verdict` / `canary.executor`: whether the vectorised engine still agrees with Whoosh.
"""

from .indexer import BackgroundIndexer, Drift, check, drain, drain_all, ensure_index, rebuild
from .schema import SCHEMA_VERSION, is_current, open_index
from .searcher import Hit, Params, Results, facet_labels, find, search

__all__ = ["SCHEMA_VERSION", "BackgroundIndexer", "Drift", "Hit", "Params", "Results", "check", "drain",
           "drain_all", "ensure_index", "facet_labels", "find", "is_current", "open_index", "rebuild", "search"]
