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

/** What a missed target (a late task or report) earns: a criterion's `partial_credit`. */
export const PARTIAL_CREDITS: Labels = {
  proportional: 'Theo tỷ lệ đạt được',
  none: 'Không tính điểm',
  stepped: 'Theo bậc',
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

/** How a figure stands against its target (REST `ReportingAchievement`). */
export const ACHIEVEMENT_LABELS: Labels = {
  achieved: 'Đạt', on_track: 'Đúng tiến độ', at_risk: 'Có nguy cơ không đạt', missed: 'Không đạt',
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
