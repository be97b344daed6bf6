"""Issue 17 item 2: a 收文 is found like any record of its receiver — both the sender's record and
the receiver's copy are in search, each readable by its own keeper."""

from __future__ import annotations

from archive_app import search
from archive_app.intake import Actor
from archive_app.registers import pushes
from tests import factories as f


def test_search_shows_the_sent_record_and_the_receivers_copy(archive, org, users, tmp_path, searcher_for) -> None:
    decision = f.file_bytes(archive, tmp_path, f.pdf_bytes("准予劳务派遣经营许可决定书 汉水辰星"), "d.pdf",
                            formed_on="2026-11-20", case_no="SP-2026-0555", applicant="安康市汉水辰星劳务有限公司",
                            title="准予劳务派遣经营许可决定书（汉水辰星）")
    push_id = pushes.send(archive, Actor("spj_corr", "SPJ", "correspondence"), {
        "flow": "approval_result", "receiver": "RSJ", "case_no": "SP-2026-0555", "content": "准予许可",
        "channel": "platform", "record_ids": [decision.record_id]})
    [copy] = pushes.receive(archive, Actor("rsj_corr", "RSJ", "correspondence"), push_id)
    search.drain_all(archive)
    hits = {h.id: h for h in searcher_for("rsj_officer", q="汉水辰星").hits}
    assert set(hits) == {decision.record_id, copy}
    assert hits[copy].custodian == "RSJ" and hits[copy].accessible  # RSJ's own 收文
    assert not hits[decision.record_id].accessible  # SPJ's record stays SPJ's (第十条)
