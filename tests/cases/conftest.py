"""Users of both agencies for the case register tests (SPJ approves LWPQ since the transfer date,
RSJ supervises it and approved it before; RSJ approves TSGS itself)."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def people(archive, org) -> dict[str, str]:
    """username → API token, for officers, clerks, correspondence staff and admins of both agencies."""
    from archive_app.organisation.users import create_token, create_user

    tokens = {}
    with archive.db.transaction() as s:
        for agency in ("SPJ", "RSJ"):
            for role in ("officer", "clerk", "correspondence", "admin"):
                name = f"{agency.lower()}_{role}"
                create_user(s, name, agency, role, PASSWORD)
                tokens[name] = create_token(s, name)
    return tokens
