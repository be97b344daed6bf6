"""Extracted text is cleaned once, where the parse stage hands it over: PDFs (and other files)
can yield NUL and other C0 control characters, which PostgreSQL cannot store in a text column
(psycopg DataError) and which mean nothing to search or a reader. Tab and newline stay; a
carriage return becomes a newline; lone surrogates (undecodable in UTF-8) are dropped."""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """`text` without C0 controls other than tab and newline."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
