"""REST shapes of the notification inbox (``/api/v1/notifications``); field names are the
proto's (`ktxh.notification.v1.Notification`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Notification(BaseModel):
    """One notice to the caller's unit, with the caller's own read state."""

    id: str
    unit_id: str = Field(description="Id của đơn vị nhận thông báo")
    title: str = Field(description="Tiêu đề")
    body: str = Field(description="Nội dung")
    link: str = Field(description="Đường dẫn màn hình liên quan, vd. #/duoc-giao/{assignment_id}")
    source_event_type: str = Field(description="Loại sự kiện nguồn")
    source_event_id: str = Field(description="Mã sự kiện nguồn (sự kiện đầu tiên)")
    item_count: int = Field(description="Số nội dung gộp trong thông báo")
    created_at: datetime = Field(description="Thời điểm sự kiện (đầu tiên)")
    updated_at: datetime = Field(description="Thời điểm sự kiện mới nhất")
    read: bool = Field(description="Người dùng đã đọc")
    read_at: datetime | None = Field(description="Thời điểm người dùng đọc")


class NotificationPage(BaseModel):
    items: list[Notification]
    unread_count: int = Field(description="Số thông báo chưa đọc (tất cả các trang)")
    next_page_token: str


class MarkAllReadResult(BaseModel):
    marked: int = Field(description="Số thông báo vừa được đánh dấu đã đọc")
