"""Who acts: the one value every service receives as its `actor` argument.

Built in one place from a signed-in user (`Actor.from_user`) or for the console
(`Actor.console`), so pages, the API and the CLI name the same person the same way
on the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    """Who acts. `agency_code` None means the console (an administrator at the server)."""

    username: str
    agency_code: str | None
    role: str = "clerk"

    @classmethod
    def from_user(cls, user: Any) -> Actor:
        """The actor for a signed-in `User` (pages and API)."""
        return cls(user.username, user.agency.code, user.role)

    @classmethod
    def console(cls, agency_code: str | None = None, name: str = "console") -> Actor:
        """An administrator at the server, optionally acting for one agency."""
        return cls(name, agency_code, "admin")
