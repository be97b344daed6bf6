"""Document tests run the real LibreOffice; without it they fail with the reason."""

from __future__ import annotations

import pytest

from archive_app.intake import Actor
from archive_app.rendition.office import soffice_binary

SPJ_STAFF = Actor("spj_correspondence", "SPJ", "correspondence")
RSJ_STAFF = Actor("rsj_correspondence", "RSJ", "correspondence")


@pytest.fixture
def soffice() -> str:
    binary = soffice_binary()
    if not binary:
        pytest.fail("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    return binary
