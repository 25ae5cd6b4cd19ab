"""KTXH notification service: the in-app inbox, fed by the events of other services."""
