"""The CSRF-only form the page modules share; field validation lives in the services."""

from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm


class CsrfForm(FlaskForm):
    """CSRF only; the service validates the fields."""


def check_csrf() -> None:
    """Refuse a POST whose CSRF token is missing or wrong (400)."""
    if not CsrfForm().validate():
        abort(400)
