"""GET /api/v1/search and the search page."""

from __future__ import annotations

from tests.helpers import bearer, login
from tests.search.conftest import add_records


def test_api_search_shape_and_leaks(client, archive, users) -> None:
    ids = add_records(archive, [{"title": "劳务派遣经营许可决定书", "text": "内部核查意见", "custodian": "SPJ",
                                 "matter": "TSGS"},
                                {"title": "监管记录", "text": "内部核查意见", "custodian": "RSJ", "matter": "TSGS"}])
    body = client.get("/api/v1/search", query_string={"q": "核查意见"}, headers=bearer(users["rsj_officer"])).get_json()
    assert body["total"] == 1 and body["hits"][0]["id"] == ids[1]
    assert "<mark>核查意见</mark>" in body["hits"][0]["snippet"] and body["hits"][0]["accessible"] is True
    other = client.get("/api/v1/search", query_string={"q": "劳务派遣"}, headers=bearer(users["rsj_officer"])).get_json()
    assert [(h["id"], h["snippet"], h["accessible"]) for h in other["hits"]] == [(ids[0], None, False)]
    assert set(other["facets"]) == {"custodian", "matter", "year", "doc_type"}


def test_api_search_errors_are_400_not_500(client, users) -> None:
    for params in ({"q": '"unbalanced'}, {"q": "x" * 10_000}, {"q": "a", "sort": "random"},
                   {"q": "", "date_from": "yesterday"}, {"q": "OR"}, {"q": "a", "page": 100000}):
        resp = client.get("/api/v1/search", query_string=params, headers=bearer(users["spj_officer"]))
        assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "VALIDATION", params


def test_search_page_shows_highlights_facets_and_lookup_links(client, archive, users) -> None:
    ids = add_records(archive, [{"title": "人力资源服务许可证", "text": "核发人力资源服务许可证一份", "custodian": "SPJ"},
                                {"title": "人力资源服务许可证注销", "text": "注销", "custodian": "RSJ"}])
    login(client, "spj_officer")
    html = client.get("/search", query_string={"q": "人力资源"}).get_data(as_text=True)
    assert "共找到 2 件" in html and "<mark>人力资源</mark>" in html
    assert f"/lookups/new?records={ids[1]}" in html  # the other agency's record: ask for a lookup
    bad = client.get("/search", query_string={"q": '"人力'}).get_data(as_text=True)
    assert "引号不成对" in bad
