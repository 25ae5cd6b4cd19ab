"""The catalog vocabulary (``ktxh_vocabulary``) names only fields the contract has, and every
field a user sees in the catalog's REST responses has a Vietnamese label.

Run with ``uv run pytest tests/contracts``.
"""

from __future__ import annotations

import ktxh_vocabulary
from google.protobuf.descriptor import Descriptor
from ktxh.assignment.v1 import assignment_pb2
from ktxh.catalog.v1 import catalog_pb2
from ktxh.submission.v1 import submission_pb2
from ktxh_vocabulary.catalog import CATALOG, FIELDS

_MESSAGES: dict[str, Descriptor] = {
    **catalog_pb2.DESCRIPTOR.message_types_by_name, **assignment_pb2.DESCRIPTOR.message_types_by_name,
    # the report's key tasks, attachments and note (terms declared for the submission service)
    **{n: submission_pb2.DESCRIPTOR.message_types_by_name[n]
       for n in ("TaskProgress", "Attachment", "Submission")},
}
# The catalog items and their parts, as REST shows them (requests and pages are not labelled).
_SHOWN = (
    "Indicator", "IndicatorDimension", "DimensionMember", "LegalDocument", "IndicatorSetItem",
    "IndicatorSetGroup", "IndicatorSet", "KeyTask", "ThematicPlan", "Criterion",
    "ClassificationThreshold", "CriteriaSet", "PeriodTarget", "ReportTemplateColumn",
    "ReportSection", "ReportTemplate", "RelativeDate", "DeadlineRule", "CalendarLeadTime",
    "DeadlineOverride", "Calendar",
    # the assignment service's
    "Decision", "Assignment", "IndicatorTarget", "TaskAssignment", "Milestone",
    "ThematicPlanAssignment", "CriteriaSetAssignment", "Acknowledgement", "CascadeRow", "SubTarget",
)


def test_every_message_term_names_a_field_of_the_contract() -> None:
    unknown = [
        f"{message}.{name}"
        for message, entry in CATALOG.items()
        for name in entry.fields
        if message not in _MESSAGES or name not in _MESSAGES[message].fields_by_name
    ]
    assert unknown == []


def test_every_shown_field_has_a_label() -> None:
    missing = [
        f"{message}.{f.name}"
        for message in _SHOWN
        for f in _MESSAGES[message].fields
        if ktxh_vocabulary.label(message, f.name) is None
    ]
    assert missing == []


def test_message_terms_override_the_field_wide_ones() -> None:
    assert ktxh_vocabulary.label("Indicator", "code") == "Mã chỉ số"
    assert ktxh_vocabulary.label("ReportSection", "code") == "Mã phần"
    assert FIELDS["code"].label == "Mã"
    # a message term without a description takes the field-wide one
    assert ktxh_vocabulary.description("Indicator", "code") == "Mã nghiệp vụ, duy nhất trong tỉnh"
    assert ktxh_vocabulary.description("ReportSection", "code") == "Mã phần, duy nhất trong mẫu"
    # no description: the label is the description
    assert ktxh_vocabulary.description("Indicator", "formula") == "Công thức"
