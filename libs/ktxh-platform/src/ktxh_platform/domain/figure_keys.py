"""The text spelling of a figure key, one for every service and file: the indicator code, the
chosen member of each dimension (sorted by dimension) and the kind of figure,
``HP2081.XIII.01[price_basis=comparative]/actual``. It is a column value (submission figures,
reporting facts and targets), a key in messages and exports, and what the connector sends.

Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DEFAULT_KIND", "figure_key_text", "parse_figure_key_text"]

DEFAULT_KIND = "actual"  # a key written without its kind is the actual figure (thực hiện)


def figure_key_text(
    indicator_code: str, members: Iterable[tuple[str, str]] = (), kind: str = DEFAULT_KIND
) -> str:
    dims = ",".join(f"{d}={m}" for d, m in sorted(members))
    return f"{indicator_code}{f'[{dims}]' if dims else ''}/{kind}"


def parse_figure_key_text(text: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """``(indicator code, members, kind)`` of a key's text; without ``/kind`` the kind is
    actual. Reads what `figure_key_text` writes; checking user input is the caller's part."""
    head, slash, kind = text.rpartition("/")
    if not slash:
        head, kind = text, DEFAULT_KIND
    code, _, dims = head.partition("[")
    members = tuple(sorted(
        (d, m) for d, _, m in (part.partition("=") for part in dims.rstrip("]").split(",") if "=" in part)
    ))
    return code, members, kind or DEFAULT_KIND
