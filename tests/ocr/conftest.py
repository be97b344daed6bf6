"""OCR tests search as a user, like the search tests."""

from tests.search.conftest import searcher_for

__all__ = ["searcher_for"]
