"""档号 and 件号 (DA/T 22-2015): format, parsing, allocation without gaps or duplicates."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from archive_app.models import FilingCounter
from archive_app.records import archival_code
from archive_app.records.archival_code import ArchivalCode


def test_format_matches_the_standard_example() -> None:
    assert str(ArchivalCode("J001", 2026, "D30", "SPB", 1)) == "J001-WS·2026-D30-SPB-0001"


def test_parse_round_trips_and_accepts_a_typed_dot() -> None:
    code = archival_code.parse("j001-ws.2026-d30-spb-0012")
    assert code == ArchivalCode("J001", 2026, "D30", "SPB", 12)
    assert archival_code.parse(str(code)) == code


@pytest.mark.parametrize("bad", ["", "J001-2026-D30-SPB-0001", "J001-WS·2026-D20-SPB-0001",
                                 "J001-WS·26-D30-SPB-0001", "J001-WS·2026-D30-SPB-1"])
def test_parse_refuses_malformed_codes(bad: str) -> None:
    assert archival_code.parse(bad) is None


def test_allocation_is_sequential_per_fonds_year_retention_unit(archive) -> None:
    with archive.db.transaction() as s:
        a = [archival_code.allocate(s, "J001", 2026, "D30", "SWK").item for _ in range(3)]
        b = archival_code.allocate(s, "J001", 2026, "D10", "SWK").item
        c = archival_code.allocate(s, "J001", 2025, "D30", "SWK").item
    assert (a, b, c) == ([1, 2, 3], 1, 1)


def test_a_rolled_back_allocation_gives_its_number_back(archive) -> None:
    with archive.db.transaction() as s:
        archival_code.allocate(s, "J001", 2026, "D30", "SWK")
    with pytest.raises(RuntimeError), archive.db.transaction() as s:
        archival_code.allocate(s, "J001", 2026, "D30", "SWK")
        raise RuntimeError("refused after allocation")
    with archive.db.transaction() as s:
        assert archival_code.allocate(s, "J001", 2026, "D30", "SWK").item == 2


def test_parallel_writers_get_distinct_numbers_without_gaps(archive) -> None:
    def take(_: int) -> int:
        with archive.db.transaction() as s:
            return archival_code.allocate(s, "J001", 2026, "D30", "SWK").item

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(take, range(64)))
    assert sorted(numbers) == list(range(1, 65))
    with archive.db.session() as s:
        assert s.scalar(select(FilingCounter.last_no)) == 64
