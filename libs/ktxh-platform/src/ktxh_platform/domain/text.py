"""Vietnamese-aware text folding for search: "Tỷ lệ hộ nghèo" and "ty le ho ngheo" match."""

from __future__ import annotations

import unicodedata

# letters that do not decompose under NFD
_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o",
                        "æ": "ae", "Æ": "ae", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse whitespace."""

    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())
