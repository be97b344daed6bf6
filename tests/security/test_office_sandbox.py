"""Issue 11 item 1, second depth: LibreOffice itself reaches nothing. The files here are given to
the converter directly (the intake check that refuses them is bypassed on purpose), so these
tests show the box of `rendition/sandbox.py` alone holds: no request reaches a loopback listener,
and a `file://` picture of the server does not end up in the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from archive_app.rendition import office
from tests.security import hostile

MAKERS = {
    "docx": (hostile.docx_external_image, "docx"),
    "xlsx": (hostile.xlsx_external_image, "xlsx"),
    "odt-in-disguise": (hostile.odt_linked_image, "docx"),
}


def _convert(tmp_path: Path, data: bytes, ext: str, monkeypatch, *, filter_off: bool) -> Path | None:
    if filter_off:  # make LibreOffice really read the ODF content, so only the box stands in its way
        monkeypatch.setattr(office, "INPUT_FILTERS", {})
    src = tmp_path / f"hostile.{ext}"
    src.write_bytes(data)
    work = tmp_path / "work"
    work.mkdir()
    (pdf,) = office.convert_many([src], ext, work, 90)
    return pdf


@pytest.mark.parametrize("label", list(MAKERS))
def test_no_request_leaves_the_converter(soffice, listener, tmp_path, monkeypatch, label) -> None:
    maker, ext = MAKERS[label]
    pdf = _convert(tmp_path, maker(f"{listener.url}/{label}.png"), ext, monkeypatch, filter_off=True)
    assert pdf is not None, "the file itself must still be converted"
    assert "外部" in "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert listener.requests == []


@pytest.mark.parametrize("label", list(MAKERS))
def test_a_file_of_the_server_does_not_reach_the_pdf(soffice, tmp_path, monkeypatch, label) -> None:
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(secret)
    maker, ext = MAKERS[label]
    pdf = _convert(tmp_path, maker(secret.as_uri()), ext, monkeypatch, filter_off=True)
    assert pdf is not None
    images = [img for page in PdfReader(str(pdf)).pages for img in page.images]
    assert images == []


def test_an_odt_named_docx_is_read_as_docx_only(soffice, listener, tmp_path, monkeypatch) -> None:
    """The input filter is fixed by the sniffed kind: OpenDocument content is never parsed."""
    pdf = _convert(tmp_path, hostile.odt_linked_image(f"{listener.url}/x.png"), "docx", monkeypatch,
                   filter_off=False)
    assert pdf is None and listener.requests == []


def test_the_environment_does_not_reach_libreoffice(monkeypatch, tmp_path) -> None:
    """The secret key and database URL stay outside the box; only the run's folders are bound."""
    from archive_app.rendition import sandbox

    monkeypatch.setenv("ARCHIVE_SECRET_KEY", "do-not-leak")
    cmd, env = sandbox.wrap(["/usr/bin/soffice"], readable=[], writable=[tmp_path], env={"HOME": str(tmp_path)})
    assert "do-not-leak" not in " ".join(cmd) and "do-not-leak" not in env.values()
    assert "--unshare-all" in cmd and "--clearenv" in cmd
    assert ["--bind", str(tmp_path), str(tmp_path)] == cmd[cmd.index("--bind"):cmd.index("--bind") + 3]


def test_without_the_box_nothing_is_converted(monkeypatch, tmp_path) -> None:
    """Fail closed: bwrap missing and the box not turned off explicitly → no LibreOffice run."""
    from archive_app.core import errors
    from archive_app.rendition import sandbox

    monkeypatch.setattr(sandbox, "bwrap_binary", lambda: None)
    with pytest.raises(errors.Unavailable, match="bubblewrap"):
        sandbox.wrap(["/usr/bin/soffice"], readable=[], writable=[tmp_path], env={})
    monkeypatch.setenv("ARCHIVE_SOFFICE_SANDBOX", "off")
    assert sandbox.wrap(["/usr/bin/soffice"], readable=[], writable=[], env={})[0] == ["/usr/bin/soffice"]
