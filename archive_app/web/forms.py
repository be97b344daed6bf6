"""The CSRF-only form the page modules share; field validation lives in the services."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect
from flask_wtf import FlaskForm

from ..core import errors
from . import wake_indexer


class CsrfForm(FlaskForm):
    """CSRF only; the service validates the fields."""


def check_csrf() -> None:
    """Refuse a POST whose CSRF token is missing or wrong (400)."""
    if not CsrfForm().validate():
        abort(400)


def flash_error(exc, failure: str = "未能完成") -> None:
    """An error banner that leads with the message; the code (DESIGN.md §4) is a small grey
    reference for support, not part of the sentence (issue 16 item 4)."""
    flash({"text": f"{failure}：{exc.message}", "code": exc.code}, "error")


def run_form_action(action: Callable[[], object], success: str | Callable[[object], str], back: str,
                    failure: str = "未能完成"):
    """The one form-action helper: check CSRF, run a service call from a form, flash the outcome
    (`success`, or `success(result)` to name what was done), and redirect: to the URL the action
    returns if it returns one, else to `back`."""

    check_csrf()
    try:
        result = action()
    except errors.ArchiveError as exc:
        flash_error(exc, failure)
        return redirect(back)
    wake_indexer()
    flash(success(result) if callable(success) else success, "success")
    return redirect(result if isinstance(result, str) else back)
