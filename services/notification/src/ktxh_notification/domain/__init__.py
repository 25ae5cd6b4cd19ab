"""The notification domain: notices addressed to units, read per user."""

from ktxh_notification.domain.notices import Notice, NoticeDraft, Reader

__all__ = ["Notice", "NoticeDraft", "Reader"]
