"""GB 32100-2015 统一社会信用代码 check character."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive_app.core import uscc


def test_the_standards_example_is_valid() -> None:
    assert uscc.is_valid("91350100M000100Y43")


def test_lower_case_and_spaces_are_normalised() -> None:
    assert uscc.is_valid(" 91350100m000100y43 ")


@pytest.mark.parametrize("code", [
    "91350100M000100Y44",   # wrong check character
    "91350100M000100Y4",    # 17 characters
    "91350100M000100Y433",  # 19 characters
    "91350100M0001O0Y43",   # O is not in the charset
    "",
])
def test_invalid_codes_are_refused(code: str) -> None:
    assert not uscc.is_valid(code)


@given(st.text(alphabet=uscc.CHARSET, min_size=17, max_size=17))
def test_every_body_has_exactly_one_check_character(body: str) -> None:
    valid = [c for c in uscc.CHARSET if uscc.is_valid(body + c)]
    assert valid == [uscc.check_character(body)]
