// Vietnamese labels of the oversight statuses (declared once for these screens).
export const COMMENT_STATUS: Record<string, string> = { open: 'Chờ trả lời', responded: 'Đã trả lời', closed: 'Đã đóng' };
export const REPORT_STATUS: Record<string, string> = { draft: 'Dự thảo', filed: 'Đã gửi' };
export const RECOMMENDATION_STATUS: Record<string, string> = { open: 'Chờ trả lời', answered: 'Đã trả lời', resolved: 'Đã giải quyết' };
export const OVERDUE = 'Quá hạn';
export const STATUS_CLASS: Record<string, string> = {
  open: 'status-upcoming', responded: 'status-active', answered: 'status-active', resolved: 'status-retired',
  closed: 'status-retired', draft: 'status-upcoming', filed: 'status-active', overdue: 'status-ending',
};
/** The assignment service's status of a cited assignment (Citation.status). */
export const CITED_STATUS: Record<string, string> = { ISSUED: 'Đã giao, chưa xác nhận nhận', ACKNOWLEDGED: 'Đơn vị đã nhận' };
