"""Jinja filters every template uses for times and labels, so one style holds on every page.

`cn_date` 2026年12月1日 · `cn_time` 12:13 · `localtime` 2026年12月1日 12:13 (北京时间, see
`archive_app.core.localtime`) · `iso_local` for machine-readable `datetime` attributes ·
`audit_action` / `audit_object` Chinese names from `archive_app.audit.labels`.
"""

from __future__ import annotations

from flask import Flask

from ..audit import labels as audit_labels
from ..core import localtime


def init_app(app: Flask) -> None:
    app.add_template_filter(localtime.cn_date, "cn_date")
    app.add_template_filter(localtime.cn_time, "cn_time")
    app.add_template_filter(localtime.cn_datetime, "localtime")
    app.add_template_filter(localtime.iso_local, "iso_local")
    app.add_template_filter(audit_labels.action_label, "audit_action")
    app.add_template_filter(audit_labels.object_label, "audit_object")
    app.jinja_env.globals["zone_label"] = localtime.zone_label
