"""Vietnamese descriptions and labels of the catalog fields and messages for the OpenAPI
document, derived from the one declaration in ``ktxh_vocabulary`` (nothing is declared here).

A field's description goes to the schema's ``description``, its short label to ``x-label``
(which ``scripts/web.py api`` turns into the web UI's field labels). A field without an entry is
simply undocumented.
"""

from __future__ import annotations

from ktxh_vocabulary import description, label, message_doc


def field_doc(message: str, field: str) -> str | None:
    if not field:
        return message_doc(message)
    return description(message, field)


def field_label(message: str, field: str) -> str | None:
    return label(message, field)
