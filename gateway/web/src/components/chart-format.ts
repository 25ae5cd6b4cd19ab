// Number and date formatting for charts (Intl vi-VN), usable without loading ECharts.
import { formatNumber } from '../lib/vn';

const monthFmt = new Intl.DateTimeFormat('vi-VN', { month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

export const chartFormat = {
  number: (v: number | string) => formatNumber(v, 2),
  month: (v: number | string | Date) => monthFmt.format(new Date(v)),
};
