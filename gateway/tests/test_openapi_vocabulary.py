"""The OpenAPI document's catalog fields carry the one Vietnamese vocabulary
(``ktxh_vocabulary``): ``description`` for the REST reader, ``x-label`` for the web UI and the
files. Nothing about them is declared in the gateway."""

from __future__ import annotations

import pytest
from ktxh_gateway.app import create_app
from ktxh_vocabulary import description, label


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from ktxh_gateway.settings import GatewaySettings

    settings = GatewaySettings(data_dir=tmp_path_factory.mktemp("gw"))
    return create_app(settings).openapi()["components"]["schemas"]


def test_fields_are_described_and_labelled_from_the_vocabulary(schemas: dict) -> None:
    unit = schemas["Indicator"]["properties"]["unit_of_measure"]
    assert unit["x-label"] == "Đơn vị tính" == label("Indicator", "unit_of_measure")
    assert unit["description"] == description("Indicator", "unit_of_measure")
    code = schemas["Indicator"]["properties"]["code"]
    assert code["x-label"] == "Mã chỉ số"
    assert code["description"] == "Mã nghiệp vụ, duy nhất trong tỉnh"


def test_request_bodies_carry_the_same_labels_as_responses(schemas: dict) -> None:
    for name in ("IndicatorInput", "IndicatorPatchBody"):
        props = schemas[name]["properties"]
        assert props["field"]["x-label"] == "Lĩnh vực"
        assert props["field"]["description"] == 'Lĩnh vực, ví dụ "Kinh tế"'


def test_nested_messages_have_their_own_labels(schemas: dict) -> None:
    assert schemas["IndicatorSetItem"]["properties"]["ordinal"]["x-label"] == "STT"
    assert schemas["IndicatorSetGroup"]["properties"]["ordinal"]["x-label"] == "Thứ tự"
