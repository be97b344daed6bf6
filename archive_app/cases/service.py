"""The doors' entry to the case register: each write in its own transaction, as the actor, with
its audit entry (written by `register`), so the page, the API and the CLI behave alike."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors
from ..core.context import Archive
from ..models import User
from ..organisation.actor import Actor
from . import register, standards, timeline


def _person(session: Session, actor: Actor) -> User:
    """The actor's user row: the access policy decides on the agency and role stored there."""
    user = session.scalar(select(User).where(User.username == actor.username))
    if user is None:
        raise errors.Unauthenticated()
    return user


def receive(archive: Archive, actor: Actor, data: dict[str, Any]) -> str:
    """受理; returns the 办件编号."""
    with archive.db.transaction() as s:
        return register.create(s, _person(s, actor), data).case_no


def add_event(archive: Archive, actor: Actor, case_no: str, data: dict[str, Any]) -> int:
    """An event on a case; returns its id."""
    with archive.db.transaction() as s:
        return register.record_event(s, _person(s, actor), register.get(s, case_no), data).id


def flag(archive: Archive, actor: Actor, case_no: str, key_project: bool, reason: str) -> None:
    """重点项目 on or off for one case (未央 三（三）)."""
    with archive.db.transaction() as s:
        register.set_key_project(s, _person(s, actor), register.get(s, case_no), key_project, reason)


def log_export(archive: Archive, actor: Actor, case_no: str, rows: int) -> None:
    """The PDF 办件全程记录 was handed out: on the audit trail like every access to content."""
    with archive.db.transaction() as s:
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="case.export",
                     object_type="case", object_id=case_no, detail={"format": "pdf", "rows": rows})


def case_as_written(archive: Archive, case_no: str, user: User) -> dict:
    """The API's view of a case — fields, the standard in force, the timeline as `user` may see it —
    read in a new session, so a write the door just made (its own transaction) is in it."""
    with archive.db.session() as s:
        case = register.get(s, case_no)
        body = register.summary(case)
        body["standard"] = standards.describe(register.standard_in_force(s, case))
        body["timeline"] = [e.as_dict() for e in timeline.build(s, case, user)]
        return body
