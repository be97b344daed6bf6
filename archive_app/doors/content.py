"""The HTTP response for stored content: the service (`records.delivery.open_content`) decides,
watermarks and audits; the door only streams what it returned."""

from __future__ import annotations

import io

from flask import Response, send_file

from ..records.delivery import Content


def send(content: Content, as_attachment: bool) -> Response:
    """A Flask response for `content`."""
    source = io.BytesIO(content.data) if content.data is not None else content.path
    return send_file(source, mimetype=content.media_type, as_attachment=as_attachment,
                     download_name=content.download_name, max_age=0)
