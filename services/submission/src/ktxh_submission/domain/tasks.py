"""Progress on the key tasks assigned to a unit, reported in its periodic report (issue 11,
point 2): status, percent done, results, difficulties, proposals. One row per key task of the
form, snapshotted when the report is opened and reported by the task's lead office (the
consolidating office writes every row). Each row carries its own version (optimistic locking,
like a figure) and every change is kept (who, when, before, after).

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = ["TaskChange", "TaskInput", "TaskProgress", "TaskStatus"]

MAX_TEXT = 4000


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"  # behind schedule
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return {
            "not_started": "Chưa triển khai", "in_progress": "Đang thực hiện",
            "done": "Đã hoàn thành", "overdue": "Chậm tiến độ", "stopped": "Tạm dừng",
        }[self]


@dataclass
class TaskProgress:
    key_task_id: str
    key_task_code: str
    name: str
    deadline: date | None = None
    status: TaskStatus = TaskStatus.NOT_STARTED
    percent_done: int = 0
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    version: int = 0
    updated_by: str = ""
    updated_at: datetime | None = None
    office_code: str = ""

    def content(self) -> dict[str, object]:
        """What the unit reports (the history's before/after)."""
        d = asdict(self)
        return {k: (v.value if isinstance(v, TaskStatus) else v) for k, v in d.items()
                if k in ("status", "percent_done", "results", "difficulties", "proposals")}


@dataclass(frozen=True)
class TaskInput:
    """One row as a caller saves it, with the version it read."""

    key_task_code: str
    status: str
    percent_done: int = 0
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    expected_version: int = 0


@dataclass(frozen=True)
class TaskChange:
    key_task_code: str
    before: dict[str, object]
    after: dict[str, object]
    actor: str
    at: datetime
    version: int
