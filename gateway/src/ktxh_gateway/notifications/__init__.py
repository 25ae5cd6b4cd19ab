"""REST for the notification inbox: ``/api/v1/notifications``."""
