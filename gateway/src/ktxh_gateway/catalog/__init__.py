"""REST for the catalogs (indicators, indicator sets, key tasks, thematic plans, criteria sets,
period targets, report templates, calendars), their history, deadlines, import and export."""

from ktxh_gateway.catalog.endpoints import routers as _item_routers
from ktxh_gateway.catalog.files import router as _files_router

routers = [_files_router, *_item_routers]
