"""The type of an upload comes from its bytes: allowed formats pass, executables and anything
else are refused with a Vietnamese message, whatever the file is called."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ktxh_document.domain.content import DOCX, JPEG, PDF, PNG, XLSX, detect_content_type
from ktxh_platform.domain import InvalidArgument
from ktxh_testing.pdf_signing import plain_pdf


def ooxml(main_type: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/main.xml" ContentType="{main_type}"/></Types>',
        )
        z.writestr("main.xml", "<x/>")
    return buf.getvalue()


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "upload"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (plain_pdf(), PDF),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, PNG),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, JPEG),
        (ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"), DOCX),
        (ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), XLSX),
    ],
)
def test_allowed_types_are_detected_from_the_bytes(tmp_path, data, expected):
    # the name says .txt: it does not matter
    assert detect_content_type(write(tmp_path, data), "ghi-chu.txt").content_type == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"MZ\x90\x00" + b"\0" * 100, "tệp chạy Windows"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 100, "tệp chạy Linux"),
        (b"#!/bin/sh\nrm -rf /\n", "tệp lệnh"),
    ],
)
def test_a_renamed_executable_is_refused_whatever_its_name(tmp_path, data, words):
    with pytest.raises(InvalidArgument) as err:
        detect_content_type(write(tmp_path, data), "Quyết định giao chỉ tiêu.pdf")
    message = err.value.violations[0].message
    assert err.value.violations[0].field == "file"
    assert words in message and "không được phép tải lên" in message
    assert "Quyết định giao chỉ tiêu.pdf" in message


@pytest.mark.parametrize(
    "data",
    [
        b"just some text",
        b"<html><script>alert(1)</script></html>",
        ooxml("application/vnd.ms-excel.sheet.macroEnabled.main+xml"),  # .xlsm
        b"PK\x03\x04not really a zip",
    ],
)
def test_anything_not_on_the_allow_list_is_refused(tmp_path, data):
    with pytest.raises(InvalidArgument) as err:
        detect_content_type(write(tmp_path, data), "bao-cao.docx")
    assert "Chỉ nhận: PDF, Word (.docx), Excel (.xlsx), PNG, JPEG" in err.value.message


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(InvalidArgument, match="rỗng"):
        detect_content_type(write(tmp_path, b""), "a.pdf")
