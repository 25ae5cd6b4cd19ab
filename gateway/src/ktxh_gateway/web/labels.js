// Vietnamese labels of the catalog values: the REST enums (proto names without prefix, lower
// case) and the field names and values of the JSON import/export shape used by the history.

import { KIND_LABELS } from './text.js';

export const VALUE_TYPES = {
  number: 'Số', integer: 'Số nguyên', percent: 'Tỷ lệ (%)', money: 'Tiền', boolean: 'Có/Không', text: 'Văn bản',
};

export const SPATIAL_AGGREGATIONS = {
  sum: 'Tổng',
  ratio: 'Tỷ lệ của tổng (tử số / mẫu số)',
  weighted_average: 'Trung bình có trọng số',
  average: 'Trung bình',
  min: 'Nhỏ nhất',
  max: 'Lớn nhất',
  recompute: 'Tính lại theo công thức',
  none: 'Không tổng hợp',
};

/** Short forms for tables. */
export const SPATIAL_AGGREGATIONS_SHORT = { ...SPATIAL_AGGREGATIONS, ratio: 'Tỷ lệ của tổng', recompute: 'Theo công thức' };

export const TIME_AGGREGATIONS = {
  flow: 'Cộng dồn',
  stock: 'Số cuối kỳ',
  rate: 'Tính lại từ thành phần',
  average: 'Trung bình',
  none: 'Không tổng hợp',
};

export const POLARITIES = {
  higher_is_better: 'Cao hơn là tốt',
  lower_is_better: 'Thấp hơn là tốt',
  within_range: 'Trong khoảng là tốt',
  neutral: 'Không đánh giá',
};

export const PERIOD_KINDS = {
  month: 'Tháng',
  quarter: 'Quý',
  half_year: '6 tháng',
  nine_months: '9 tháng',
  year: 'Năm',
  plan_period: '5 năm',
  point_in_time: 'Thời điểm',
};

export const UNIT_KINDS = KIND_LABELS;

export const SCORING_METHODS = {
  manual: 'Chấm điểm trực tiếp',
  indicator_achievement: 'Theo kết quả thực hiện chỉ tiêu',
  task_completion: 'Theo tỷ lệ nhiệm vụ hoàn thành đúng hạn',
  timeliness: 'Theo tính kịp thời của báo cáo',
};

export const COMPLETION_LEVELS = {
  excellent: 'Hoàn thành xuất sắc nhiệm vụ',
  good: 'Hoàn thành tốt nhiệm vụ',
  completed: 'Hoàn thành nhiệm vụ',
  not_completed: 'Không hoàn thành nhiệm vụ',
};

export const TARGET_COMPARISONS = {
  at_least: 'Đạt trở lên', at_most: 'Không quá', equal: 'Bằng', range: 'Trong khoảng',
};

export const REPORT_COLUMNS = {
  target: 'Kế hoạch',
  actual: 'Thực hiện',
  year_to_date: 'Lũy kế từ đầu năm',
  same_period_last_year: 'Cùng kỳ năm trước',
  estimate: 'Ước thực hiện',
  percent_of_target: 'So với kế hoạch (%)',
  percent_of_same_period: 'So với cùng kỳ (%)',
  note: 'Thuyết minh',
  period_target: 'Chỉ tiêu giai đoạn',
};

export const CALENDAR_STAGES = {
  office_input: 'Phòng ban nhập số liệu', consolidation: 'Tổng hợp', approval: 'Lãnh đạo phê duyệt',
};

export function label(map, value) {
  if (value === null || value === undefined || value === '') return '';
  return map[value] ?? String(value);
}

export function labels(map, values) {
  return (values ?? []).map((v) => label(map, v)).join(' / ');
}

// ------------------------------------------------------------------ history (import/export shape)

/** Field names of the JSON import/export shape (what `changed_fields` and definitions use). */
export const HISTORY_FIELDS = {
  code: 'Mã',
  name: 'Tên',
  title: 'Tiêu đề',
  unit: 'Đơn vị tính',
  value_type: 'Kiểu giá trị',
  frequencies: 'Tần suất',
  unit_aggregation: 'Tổng hợp theo đơn vị',
  time_aggregation: 'Tổng hợp theo thời gian',
  polarity: 'Chiều tốt',
  weight_indicator: 'Chỉ số trọng số',
  numerator: 'Chỉ số tử số',
  denominator: 'Chỉ số mẫu số',
  scale: 'Hệ số nhân',
  lower_bound: 'Cận dưới',
  upper_bound: 'Cận trên',
  dimensions: 'Phân tổ',
  formula: 'Công thức',
  sector: 'Lĩnh vực',
  group: 'Nhóm',
  decimals: 'Số chữ số thập phân',
  description: 'Mô tả',
  legal_basis: 'Căn cứ pháp lý',
  applies_to: 'Áp dụng cho',
  members: 'Các chỉ số của bộ',
  groups: 'Các nhóm',
  calendar_code: 'Lịch báo cáo',
  consolidating_office: 'Đơn vị tổng hợp',
  year: 'Năm',
  due_date: 'Thời hạn',
  lead_office: 'Đơn vị chủ trì',
  coordinating_offices: 'Đơn vị phối hợp',
  indicator_codes: 'Các chỉ số',
  start: 'Từ ngày',
  end: 'Đến ngày',
  issuer: 'Cơ quan ban hành',
  task_codes: 'Các nhiệm vụ',
  indicator_set_code: 'Bộ chỉ số',
  subject: 'Đối tượng đánh giá',
  criteria: 'Các tiêu chí',
  thresholds: 'Ngưỡng xếp loại',
  indicator_code: 'Chỉ số',
  start_year: 'Năm bắt đầu',
  end_year: 'Năm kết thúc',
  target_value: 'Giá trị chỉ tiêu',
  target_low: 'Cận dưới',
  target_high: 'Cận trên',
  target_text: 'Chỉ tiêu định tính',
  org_unit_code: 'Đơn vị',
  note: 'Ghi chú',
  frequency: 'Tần suất',
  sections: 'Các phần',
  columns: 'Các cột',
  deadline_rules: 'Hạn báo cáo',
  cutoff_rules: 'Thời gian chốt số liệu',
  lead_times: 'Hạn nội bộ',
  overrides: 'Hạn điều chỉnh',
};

const DOMAIN_VALUES = {
  value_type: VALUE_TYPES,
  unit_aggregation: {
    sum: 'Tổng', average: 'Trung bình', weighted_average: 'Trung bình có trọng số',
    ratio_of_sums: 'Tỷ lệ của tổng', min: 'Nhỏ nhất', max: 'Lớn nhất', none: 'Không tổng hợp',
    recompute: 'Tính lại theo công thức',
  },
  time_aggregation: {
    sum: 'Cộng dồn', last: 'Số cuối kỳ', average: 'Trung bình', recompute: 'Tính lại từ thành phần',
  },
  polarity: {
    higher_better: 'Cao hơn là tốt', lower_better: 'Thấp hơn là tốt',
    within_range: 'Trong khoảng là tốt', neutral: 'Không đánh giá',
  },
  frequencies: {
    month: 'Tháng', quarter: 'Quý', half_year: '6 tháng', year: 'Năm', five_year: '5 năm',
    point_in_time: 'Thời điểm',
  },
  applies_to: UNIT_KINDS,
  subject: { agency: 'Cơ quan, phòng ban', commune: 'Xã, phường, đặc khu' },
};
DOMAIN_VALUES.frequency = DOMAIN_VALUES.frequencies;

export function historyFieldLabel(key) {
  return HISTORY_FIELDS[key] ?? key.replace(/_/g, ' ');
}

/** A value of the import/export shape as short Vietnamese text. */
export function historyValue(key, value) {
  if (value === null || value === undefined || value === '') return '—';
  const map = DOMAIN_VALUES[key];
  if (Array.isArray(value)) {
    if (!value.length) return '—';
    if (value.every((v) => typeof v !== 'object')) return value.map((v) => (map ? label(map, v) : v)).join(', ');
    return `${value.length} mục`;
  }
  if (typeof value === 'object') {
    if (value.number) return [value.number, value.issued_on && `ngày ${value.issued_on}`].filter(Boolean).join(' ');
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  return map ? label(map, value) : String(value);
}
