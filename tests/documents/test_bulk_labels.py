"""Bulk sheets may title their columns in Chinese (issue 16 item 9): the sample CSV does."""

from __future__ import annotations

from archive_app import documents
from archive_app.documents.bulk import field_names


def test_columns_titled_by_chinese_labels_are_read_as_field_names() -> None:
    template = documents.get("approval-result-letter")
    example = template.example()
    by_label = {f.label: example.get(f.name, "") for f in template.fields}
    assert len({f.label for f in template.fields}) == len(template.fields)  # labels are unambiguous
    row = field_names(template, by_label)
    assert row == {f.name: example.get(f.name, "") for f in template.fields}
    first = template.fields[0]
    assert field_names(template, {f"{first.label}（{first.name}）": "x"}) == {first.name: "x"}
    assert field_names(template, {first.name: "y"}) == {first.name: "y"}  # English names still work


def test_the_sample_csv_has_chinese_headers(client, users, archive) -> None:
    from archive_app.organisation.users import create_user
    from tests.conftest import PASSWORD
    from tests.helpers import login

    with archive.db.transaction() as s:
        create_user(s, "spj_corr", "SPJ", "correspondence", PASSWORD)
    login(client, "spj_corr")
    body = client.get("/documents/sample/approval-result-letter.csv").get_data().decode("utf-8-sig")
    header = body.splitlines()[0].split(",")
    assert header == [f.label for f in documents.get("approval-result-letter").fields]
