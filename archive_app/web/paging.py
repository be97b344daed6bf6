"""Paging for lists (issue 16 item 7): the same 上一页 / 第 N / M 页 / 下一页 on every page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

PER_PAGE = 50


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    pages: int
    total: int
    per_page: int


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def paginate_list(items: list, per_page: int = PER_PAGE, page: int | None = None) -> Page:
    """One page of a list already in memory (registers computed in Python)."""
    page = page or page_number()
    total = len(items)
    pages = max(1, -(-total // per_page))
    page = min(page, pages)
    return Page(items[(page - 1) * per_page: page * per_page], page, pages, total, per_page)


def list_args() -> dict:
    """The current filters without the page number, for the pager's links."""
    return {k: v for k, v in request.args.items() if k != "page"}
