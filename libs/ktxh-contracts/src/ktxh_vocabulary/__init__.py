"""The Vietnamese vocabulary of the KTXH contracts, declared once.

Every field a user sees has its label (short, for form fields, XLSX headers, table columns)
and its description (longer, for the REST schema) declared here, keyed by the field's one name
(the proto / REST / file name). Everything else derives from this package:

- the gateway's OpenAPI document (field ``description`` and ``x-label``),
- the catalog service's XLSX headers,
- the web UI's form labels (``gateway/web/src/lib/field-labels.ts``, generated from the
  OpenAPI ``x-label`` values by ``scripts/web.py api``; CI checks it is not stale).

Pure Python, no protobuf: the gateway and every layer of a service may import it.
"""

from ktxh_vocabulary.catalog import CATALOG, description, label, message_doc

__all__ = ["CATALOG", "description", "label", "message_doc"]
