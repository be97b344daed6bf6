"""Local (北京) time for people, UTC for storage.

Every timestamp is stored as naive UTC (`db.utcnow`). Staff read times as 北京时间 and the
第六条 hand-over of supervision (《安康市集中审批与监管协调联动实施办法（试行）》) starts at the
moment of 签收, so every place a person reads a time — pages, letters, reports, CSV/XLSX exports —
converts to the configured zone (`ARCHIVE_TIMEZONE`, default Asia/Shanghai). The API gives ISO 8601
with the zone's offset (`2026-12-01T12:13:01+08:00`). Pages use one style: dates `2026年12月1日`,
times `12:13`; the DA/T 22 `YYYYMMDD` form is used only where that standard asks for it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import config

DEFAULT_ZONE = "Asia/Shanghai"
_zone: ZoneInfo | None = None


def zone_by_name(name: str) -> ZoneInfo:
    """The zone called `name`; a clear error for a misspelt ARCHIVE_TIMEZONE."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"ARCHIVE_TIMEZONE「{name}」不是有效的时区名称（如 Asia/Shanghai）。") from exc


def configure(name: str | None) -> None:
    """Set the display zone for this process (called when the archive opens its settings)."""
    global _zone
    _zone = zone_by_name(name or DEFAULT_ZONE)


def zone() -> ZoneInfo:
    """The display zone: as configured, else ARCHIVE_TIMEZONE, else Asia/Shanghai."""
    if _zone is None:
        configure(config.timezone_name() or DEFAULT_ZONE)
    assert _zone is not None
    return _zone


def _parse(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value


def to_local(value: datetime | str) -> datetime:
    """A stored timestamp (naive UTC, aware, or an ISO string such as the audit log's) in local time."""
    dt = _parse(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(zone())


def today() -> date:
    """Today's date where people are (北京时间): a 签收 at 07:00 in Beijing is dated that day, not the
    day before as the server's UTC clock would have it — letters, deadlines and watermarks use this."""
    return datetime.now(zone()).date()


def cn_date(value: date | datetime | str | None) -> str:
    """`2026年12月1日`; a datetime is converted to local time first; None → 「—」."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = _parse(value) if "T" in value or ":" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = to_local(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def cn_time(value: datetime | str | None) -> str:
    """`12:13` in local time."""
    if value is None or value == "":
        return "—"
    return to_local(value).strftime("%H:%M")


def cn_datetime(value: datetime | str | None, seconds: bool = False) -> str:
    """`2026年12月1日 12:13` in local time (with `:05` seconds when asked)."""
    if value is None or value == "":
        return "—"
    local = to_local(value)
    return f"{local.year}年{local.month}月{local.day}日 {local.strftime('%H:%M:%S' if seconds else '%H:%M')}"


def iso_local(value: datetime | str | None) -> str | None:
    """ISO 8601 with the local offset for the API: `2026-12-01T12:13:01+08:00`."""
    if value is None or value == "":
        return None
    return to_local(value).isoformat(timespec="seconds")


def export_datetime(value: datetime | str | None) -> str:
    """Local time in exports (CSV/XLSX): `2026-12-01 12:13:01`, sortable, with the zone named in the header."""
    if value is None or value == "":
        return ""
    return to_local(value).strftime("%Y-%m-%d %H:%M:%S")


def zone_label() -> str:
    """How headers name the zone: 「北京时间」 for Asia/Shanghai, else the zone's name."""
    name = zone().key
    return "北京时间" if name in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC") else name
