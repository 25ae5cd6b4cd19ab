"""Search that ignores Vietnamese diacritics and case.

``normalize("Tỷ lệ hộ nghèo theo chuẩn đa chiều") == "ty le ho ngheo theo chuan da chieu"``.
Store ``normalize(name)`` in an indexed column (``search_text``) and match the normalized
query with ``LIKE '%...%'`` per word, or use ``matches``/``search`` in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from ktxh_platform.domain.text import fold

__all__ = ["matches", "normalize", "score", "search", "search_text", "tokens"]

T = TypeVar("T")

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str | None) -> str:
    """``fold`` (lower case, no diacritics, đ -> d), then punctuation -> spaces."""
    return _NON_WORD.sub(" ", fold(text or "")).strip()


def tokens(text: str | None) -> list[str]:
    return normalize(text).split()


def search_text(*parts: str | None) -> str:
    """The normalized text to store for an item: e.g. code, name, description together."""
    return " ".join(p for p in (normalize(x) for x in parts) if p)


def score(query: str, *texts: str | None) -> int:
    """0 = no match. Every query word must start a word of the text (prefix match, so
    "ngh" finds "nghèo"); a text containing the whole query as a phrase ranks higher, one
    starting with it higher still."""
    q = tokens(query)
    if not q:
        return 1
    hay = search_text(*texts)
    words = hay.split()
    for t in q:
        if not any(w.startswith(t) for w in words):
            return 0
    phrase = " ".join(q)
    s = 10
    if f" {phrase} " in f" {hay} ":
        s += 20
    elif phrase in hay:
        s += 10
    if hay.startswith(phrase):
        s += 5
    return s


def matches(query: str, *texts: str | None) -> bool:
    return score(query, *texts) > 0


def search(items: Iterable[T], query: str, key: Callable[[T], Iterable[str | None]]) -> list[T]:
    """Items matching ``query``, best first (stable for equal scores)."""
    scored = [(score(query, *key(it)), i, it) for i, it in enumerate(items)]
    return [it for s, _, it in sorted((x for x in scored if x[0] > 0),
                                      key=lambda x: (-x[0], x[1]))]
