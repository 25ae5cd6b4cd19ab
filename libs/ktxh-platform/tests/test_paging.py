import base64

import pytest
from hypothesis import given, strategies as st

from ktxh_platform.domain import InvalidArgument
from ktxh_platform.domain.paging import decode_token, encode_token


@given(st.integers(min_value=0, max_value=10**12))
def test_a_token_reads_back_as_its_offset(offset: int) -> None:
    token = encode_token(offset)
    assert "=" not in token
    assert decode_token(token) == offset


def test_a_padded_token_issued_earlier_still_reads() -> None:
    assert decode_token(base64.urlsafe_b64encode(b"o:100").decode()) == 100


@pytest.mark.parametrize("token", ["garbage!", "bzotMQ", base64.urlsafe_b64encode(b"x:5").decode()])
def test_a_bad_token_names_the_field(token: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        decode_token(token)
    assert [v.field for v in err.value.violations] == ["page_token"]
