"""What the copies we hand out must not carry: a PDF may hold attached files (any format, past
the allow-list), JavaScript, actions that run or launch something when it is opened or clicked,
and forms. The 归档章 copy and the 调阅 watermarked copy are made for reading, so they keep the
pages (text, images, internal links and bookmarks) and drop all of that. The original is never
changed (`overlay` works on a copy)."""

from __future__ import annotations

from collections.abc import Iterable

from pypdf.generic import DictionaryObject, NameObject

# Annotations that are attachments, form fields or players of embedded media.
_ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Widget", "/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"}
_CATALOG_KEYS = ("/OpenAction", "/AA", "/AcroForm", "/JavaScript")
_NAME_TREES = ("/EmbeddedFiles", "/JavaScript")
# Actions that stay inside the document.
_SAFE_ACTIONS = {"/GoTo"}


def _drop_unsafe_action(obj: DictionaryObject) -> None:
    obj.pop(NameObject("/AA"), None)
    action = obj.get("/A")
    if action is not None:
        action = action.get_object()
        if not isinstance(action, DictionaryObject) or action.get("/S") not in _SAFE_ACTIONS \
                or "/Next" in action:
            del obj[NameObject("/A")]


def _outline_items(first) -> list[DictionaryObject]:
    items, seen, node = [], set(), first
    stack = [node] if node is not None else []
    while stack:
        node = stack.pop()
        if node is None:
            continue
        ref = getattr(node, "idnum", None)
        item = node.get_object()
        if not isinstance(item, DictionaryObject) or (ref is not None and ref in seen):
            continue
        if ref is not None:
            seen.add(ref)
        items.append(item)
        stack.extend(x for x in (item.get("/Next"), item.get("/First")) if x is not None)
    return items


def strip_active_content(root: DictionaryObject, pages: Iterable[DictionaryObject]) -> None:
    """Remove attached files, JavaScript, actions and forms from a document (its catalog and
    pages), in memory. Done on the reader before the writer clones it, so what is removed is
    not copied at all (not even as an unreferenced object)."""
    for key in _CATALOG_KEYS:
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in _NAME_TREES:
            names.pop(NameObject(key), None)
    outlines = root.get("/Outlines")
    if outlines is not None:
        for item in _outline_items(outlines.get_object().get("/First")):
            _drop_unsafe_action(item)
    for page in pages:
        page.pop(NameObject("/AA"), None)
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = []
        for ref in annots.get_object():
            annot = ref.get_object()
            if not isinstance(annot, DictionaryObject) or annot.get("/Subtype") in _ACTIVE_ANNOTATIONS:
                continue
            _drop_unsafe_action(annot)
            kept.append(ref)
        if kept:
            annots.get_object()[:] = kept
        else:
            del page[NameObject("/Annots")]
