// Every Vietnamese label of a value the user sees (REST enums, roles, unit kinds, field names
// of the import/export shape), declared once. Catalog field labels live with the catalog
// definitions (features/catalog/catalogs.ts), which take their value labels from here.

export type Labels = Record<string, string>;

export const KIND_LABELS: Labels = {
  province: 'Tỉnh/Thành phố',
  district: 'Huyện (cũ)',
  commune: 'Xã/Phường',
  agency: 'Sở/Ngành',
  office: 'Phòng/Ban',
  front: 'Ủy ban MTTQ',
};

/** Display order of kinds among siblings (server order is kept within a kind). */
export const KIND_ORDER = ['province', 'agency', 'front', 'district', 'commune', 'office'];

/** Kinds that never have child units in practice (children are not fetched lazily). */
export const LEAF_KINDS = new Set(['office', 'front']);

/** The kind most often created under a parent of the given kind. */
export const DEFAULT_CHILD_KIND: Labels = {
  '': 'province', province: 'commune', district: 'commune', commune: 'office', agency: 'office',
};

export const ROLE_LABELS: Labels = {
  province_admin: 'Quản trị tỉnh',
  system_admin: 'Quản trị hệ thống',
  planning_officer: 'Cán bộ kế hoạch',
  data_entry: 'Nhập liệu',
  consolidator: 'Tổng hợp',
  unit_leader: 'Lãnh đạo đơn vị',
  front_member: 'Thành viên MTTQ',
  leadership: 'Lãnh đạo tỉnh',
  integration: 'Tích hợp hệ thống',
};

export const kindLabel = (kind: string | null | undefined): string => (kind ? KIND_LABELS[kind] ?? kind : '');
export const roleLabel = (role: string): string => ROLE_LABELS[role] ?? role;

/** Roles worth showing (drops Keycloak's technical default roles). */
export function displayRoles(roles: string[] | undefined): string[] {
  return (roles ?? []).filter(
    (r) => r && r !== 'offline_access' && r !== 'uma_authorization' && !r.startsWith('default-roles-'),
  );
}

export const VALUE_TYPES: Labels = {
  number: 'Số', integer: 'Số nguyên', percent: 'Tỷ lệ (%)', money: 'Tiền', boolean: 'Có/Không', text: 'Văn bản',
};

export const SPATIAL_AGGREGATIONS: Labels = {
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
export const SPATIAL_AGGREGATIONS_SHORT: Labels = { ...SPATIAL_AGGREGATIONS, ratio: 'Tỷ lệ của tổng', recompute: 'Theo công thức' };

export const TIME_AGGREGATIONS: Labels = {
  flow: 'Cộng dồn',
  stock: 'Số cuối kỳ',
  rate: 'Tính lại từ thành phần',
  average: 'Trung bình',
  none: 'Không tổng hợp',
};

export const POLARITIES: Labels = {
  higher_is_better: 'Cao hơn là tốt',
  lower_is_better: 'Thấp hơn là tốt',
  within_range: 'Trong khoảng là tốt',
  neutral: 'Không đánh giá',
};

export const PERIOD_KINDS: Labels = {
  month: 'Tháng',
  quarter: 'Quý',
  half_year: '6 tháng',
  nine_months: '9 tháng',
  year: 'Năm',
  plan_period: '5 năm',
  point_in_time: 'Thời điểm',
};

export const UNIT_KINDS = KIND_LABELS;

export const SCORING_METHODS: Labels = {
  manual: 'Chấm điểm trực tiếp',
  indicator_achievement: 'Theo kết quả thực hiện chỉ tiêu',
  task_completion: 'Theo tỷ lệ nhiệm vụ hoàn thành đúng hạn',
  timeliness: 'Theo tính kịp thời của báo cáo',
};

export const COMPLETION_LEVELS: Labels = {
  excellent: 'Hoàn thành xuất sắc nhiệm vụ',
  good: 'Hoàn thành tốt nhiệm vụ',
  completed: 'Hoàn thành nhiệm vụ',
  not_completed: 'Không hoàn thành nhiệm vụ',
};

export const TARGET_COMPARISONS: Labels = {
  at_least: 'Đạt trở lên', at_most: 'Không quá', equal: 'Bằng', range: 'Trong khoảng',
};

export const REPORT_COLUMNS: Labels = {
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

export const CALENDAR_STAGES: Labels = {
  office_input: 'Phòng ban nhập số liệu', consolidation: 'Tổng hợp', approval: 'Lãnh đạo phê duyệt',
};

export function label(map: Labels, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  return map[String(value)] ?? String(value);
}

export function labels(map: Labels, values: unknown[] | null | undefined): string {
  return (values ?? []).map((v) => label(map, v)).join(' / ');
}

// ------------------------------------------------------------------ history (import/export shape)

/** Field names of the JSON import/export shape (what `changed_fields` and definitions use). */
export const HISTORY_FIELDS: Labels = {
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

const DOMAIN_VALUES: Record<string, Labels> = {
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

export function historyFieldLabel(key: string): string {
  return HISTORY_FIELDS[key] ?? key.replace(/_/g, ' ');
}

/** A value of the import/export shape as short Vietnamese text. */
export function historyValue(key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const map = DOMAIN_VALUES[key];
  if (Array.isArray(value)) {
    if (!value.length) return '—';
    if (value.every((v) => typeof v !== 'object')) return value.map((v) => (map ? label(map, v) : v)).join(', ');
    return `${value.length} mục`;
  }
  if (typeof value === 'object') {
    const v = value as Record<string, string>;
    if (v.number) return [v.number, v.issued_on && `ngày ${v.issued_on}`].filter(Boolean).join(' ');
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  return map ? label(map, value) : String(value);
}
