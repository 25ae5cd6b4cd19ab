"""Progress on the key tasks assigned to a unit, reported in its periodic report (issue 11,
point 2): status, percent done, results, difficulties, proposals. One row per key task of the
form, snapshotted when the report is opened; each row carries its own version (optimistic
locking, like a figure) and every change is kept (who, when, before, after).

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

__all__ = ["TaskProgress", "TaskStatus"]


class TaskStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    OVERDUE = "overdue"  # not done by its deadline
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
