"""The template catalogue: `doc_templates/<id>.docx` with `<id>.schema.json` beside it.

The files are written by `doc_templates/build.py` (the source of truth); this module only reads
them. ARCHIVE_TEMPLATES_DIR points elsewhere (tests, a site's own letterheads).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..audit import labels as audit_labels
from ..core import config, errors

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "doc_templates"
FIELD_TYPES = ("string", "text", "date", "integer", "choice", "matter")
# Names a field may not take: the form's own controls (a field called like a button once turned
# every 「预览」 into an issue), the values the system adds, and the templates' loop variables.
RESERVED_NAMES = frozenset({"csrf_token", "agency_name", "doc_no", "date_cn", "print_date_cn", "matter_name",
                            "matter_licence", "matter_approval", "licence_ids", "title_text", "line", "loop"})


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool
    example: object
    allowed: tuple[str, ...] = ()
    max_length: int | None = None
    default: str | None = None  # used when an optional field is left empty

    def to_dict(self) -> dict:
        out = {"name": self.name, "label": self.label, "type": self.type, "required": self.required,
               "example": self.example}
        if self.default:
            out["default"] = self.default
        if self.allowed:
            out["allowed"] = list(self.allowed)
        if self.max_length:
            out["max_length"] = self.max_length
        return out


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    format: str  # file | letter | decision | minutes | form
    series: str  # appended to the 机关代字: 函 → 安行审函〔2026〕12号
    doc_type: str  # 文种, for the catalogue
    retention: str  # default 保管期限
    record_title: str  # Jinja pattern for the record's 题名
    fields: tuple[Field, ...]
    path: Path
    cites: tuple[str, ...] = ()  # keys of archive_app/core/citations.py the letter cites
    issuer: str = "any"  # approving | department | any (documents/issuers.py)
    heading: str | None = None  # the title pattern (Jinja), broken into lines by titles.py

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def example(self) -> dict:
        return {f.name: f.example for f in self.fields if f.example not in (None, "")}

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "format": self.format, "doc_type": self.doc_type,
                "retention": self.retention, "issuer": self.issuer, "cites": list(self.cites),
                "fields": [f.to_dict() for f in self.fields]}


def templates_dir() -> Path:
    return config.templates_dir() or DEFAULT_DIR


@cache
def _load(directory: Path) -> dict[str, Template]:
    found: dict[str, Template] = {}
    for schema_path in sorted(directory.glob("*.schema.json")):
        spec = json.loads(schema_path.read_text(encoding="utf-8"))
        docx = directory / f"{spec['id']}.docx"
        if not docx.is_file():
            raise errors.Unavailable(f"模板文件缺失：{docx.name}")
        fields = tuple(Field(name=f["name"], label=f["label"], type=f["type"], required=f["required"],
                             example=f.get("example"), allowed=tuple(f.get("allowed", ())),
                             max_length=f.get("max_length"), default=f.get("default")) for f in spec["fields"])
        for fld in fields:
            if fld.type not in FIELD_TYPES:
                raise ValueError(f"{schema_path.name}: unknown field type {fld.type!r}")
            if fld.name in RESERVED_NAMES or fld.name.endswith("_cn"):
                raise ValueError(f"{schema_path.name}: field name {fld.name!r} is reserved")
        found[spec["id"]] = Template(spec["id"], spec["title"], spec["format"], spec["series"],
                                     spec["doc_type"], spec["retention"], spec["record_title"], fields, docx,
                                     tuple(spec.get("cites", ())), spec.get("issuer", "any"),
                                     spec.get("heading"))
        if found[spec["id"]].issuer not in ("approving", "department", "any"):
            raise ValueError(f"{schema_path.name}: unknown issuer role {spec.get('issuer')!r}")
    return found


def all_templates() -> list[Template]:
    return list(_load(templates_dir()).values())


def get(template_id: str) -> Template:
    """The template, or NOT_FOUND naming the ids that exist."""
    found = _load(templates_dir())
    if template_id not in found:
        raise errors.NotFound(f"没有编号为「{template_id}」的公文模板。可用模板：" + "、".join(found))
    return found[template_id]


# The audit page names a document's template by its title (issue 16 item 3).
audit_labels.register_values("template", lambda: {t.id: t.title for t in all_templates()})
