"""One page of a listing: the rows shown, the total and where the page sits (catalogue, 办件 list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def count_and_clamp(session: Session, query: Select, page: int, per_page: int) -> tuple[int, int]:
    """The rows `query` matches, and `page` kept within 1…last page (a page past the end shows the last)."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    return total, min(max(1, page), pages)
