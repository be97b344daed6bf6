"""Cases as a search result type (archive_app/cases/search.py): Chinese full text on applicant and
case fields through the search package; the leak rules of search/query.py unchanged — a case
carries catalogue data only, so no word of a record's content can find, count or rank a case."""

from __future__ import annotations

from tests import factories as f
from tests.helpers import bearer

SECRET = "夔牛监管暗访笔录"  # a phrase only inside RSJ's record content


def _cases(client, token, **query) -> list[str]:
    resp = client.get("/api/v1/cases", query_string=query, headers=bearer(token))
    assert resp.status_code == 200, resp.get_json()
    return sorted(c["case_no"] for c in resp.get_json()["items"])


def test_full_text_on_applicant_and_case_fields(client, people) -> None:
    spj = bearer(people["spj_officer"])
    for no, applicant in [("LWPQ-2026-0001", "安康市汉江人力资源有限公司"), ("LWPQ-2026-0002", "汉阴县秦巴劳务派遣有限公司"),
                          ("LWPQ-2026-0003", "旬阳市人才服务中心")]:
        assert client.post("/api/v1/cases", headers=spj, json={"case_no": no, "matter": "LWPQ", "applicant": applicant,
                                                               "received_on": "2026-03-02"}).status_code == 201
    client.post("/api/v1/cases/LWPQ-2026-0003/events", headers=spj, json={
        "kind": "decision", "date": "2026-03-20", "summary": "准予", "decision": "准予许可",
        "certificate_no": "陕劳派6109002026003"})
    token = people["rsj_officer"]
    assert _cases(client, token, q="汉江") == ["LWPQ-2026-0001"]
    assert _cases(client, token, q="秦巴劳务") == ["LWPQ-2026-0002"]
    assert len(_cases(client, token, q="劳务派遣经营许可")) == 3  # the matter name is a case field too
    assert _cases(client, token, q="汉 -汉阴") == ["LWPQ-2026-0001"]
    assert _cases(client, token, q="陕劳派6109002026003") == ["LWPQ-2026-0003"]  # 许可证号, updated by the event
    assert _cases(client, token, q="准予许可") == ["LWPQ-2026-0003"]
    assert _cases(client, token, q="人力 OR 人才", matter="LWPQ") == ["LWPQ-2026-0001", "LWPQ-2026-0003"]
    assert _cases(client, token, q="人才", status="received") == []  # filters still apply
    bad = client.get("/api/v1/cases", query_string={"q": '"汉江'}, headers=bearer(token))
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "VALIDATION"


def test_a_record_word_never_finds_a_case(client, people, archive, tmp_path) -> None:
    from archive_app.intake import Actor

    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(SECRET), "a.pdf", formed_on="2021-06-28",
                       title="劳务派遣经营许可申请书", case_no="LWPQ-2021-0011", applicant="安康市秦巴劳务派遣有限公司",
                       actor=Actor("rsj_clerk", "RSJ"))
    from archive_app.search import drain_all

    drain_all(archive)
    for user in ("rsj_officer", "spj_officer"):
        assert _cases(client, people[user], q=SECRET) == []
        assert _cases(client, people[user], q="秦巴") == ["LWPQ-2021-0011"]  # a case opened by a filing
        found = client.get("/api/v1/search", query_string={"q": SECRET}, headers=bearer(people[user])).get_json()
        assert found["cases"] == [] and found["cases_total"] == 0
        assert [h["id"] for h in found["hits"]] == ([rec.record_id] if user == "rsj_officer" else [])
    both = client.get("/api/v1/search", query_string={"q": "秦巴"}, headers=bearer(people["spj_officer"])).get_json()
    assert [c["case_no"] for c in both["cases"]] == ["LWPQ-2021-0011"] and both["cases_total"] == 1


def test_the_search_page_shows_case_hits(client, people) -> None:
    from tests.helpers import login

    client.post("/api/v1/cases", headers=bearer(people["spj_officer"]), json={
        "case_no": "LWPQ-2026-0009", "matter": "LWPQ", "applicant": "紫阳县富硒劳务有限公司", "received_on": "2026-03-02"})
    login(client, "rsj_officer")
    html = client.get("/search", query_string={"q": "富硒"}).get_data(as_text=True)
    assert 'data-testid="case-hits"' in html and 'href="/cases/LWPQ-2026-0009"' in html
    listed = client.get("/cases/", query_string={"q": "富硒"}).get_data(as_text=True)
    assert "LWPQ-2026-0009" in listed and "共 1 件" in listed


def test_applicant_filter_through_the_index_and_the_database_agree(client, people, archive) -> None:
    from archive_app.cases import search as case_search

    spj = bearer(people["spj_officer"])
    for no, applicant in [("A-1", "安康市汉江人力资源有限公司"), ("A-2", "汉阴县汉江劳务有限公司"), ("A-3", "旬阳市人才服务中心")]:
        client.post("/api/v1/cases", headers=spj, json={"case_no": no, "matter": "LWPQ", "applicant": applicant,
                                                        "received_on": "2026-03-02"})
    assert sorted(case_search.applicant_ids(archive, "汉江")) != []
    assert case_search.applicant_ids(archive, "汉江", limit=1) is None  # too many: the database filters
    assert _cases(client, people["rsj_officer"], applicant="汉江") == ["A-1", "A-2"]
    assert _cases(client, people["rsj_officer"], applicant="江人力") == ["A-1"]
