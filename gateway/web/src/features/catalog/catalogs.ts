// The catalogs the managing unit keeps, as screens: routes, REST paths, list columns, filters
// and the fields of the detail view and of the form (in display order), with their Vietnamese
// labels (declared here once; value labels come from lib/labels.ts).
//
// Field keys are checked against the REST schema generated from the gateway's OpenAPI document
// (defineCatalog<'Indicator'>): a field renamed in the API is a type error here.
//
// Field types: text, textarea, code, int, decimal, date, bool, enum (options), enums
// (options, several), ref (an indicator code), refs (codes), codes, catalogref, legal (a legal
// document), table (repeated rows with `columns`), dimensions / sections (edited as JSON).
// Flags: required, createOnly (fixed after creation), readOnly (shown, never sent), wide, hint.

import type { Schemas } from '../../lib/api';
import {
  COMPLETION_LEVELS, PERIOD_KINDS, POLARITIES, REPORT_COLUMNS, SCORING_METHODS,
  SPATIAL_AGGREGATIONS, SPATIAL_AGGREGATIONS_SHORT, TIME_AGGREGATIONS, UNIT_KINDS, VALUE_TYPES,
  type Labels,
} from '../../lib/labels';

export type FieldType =
  | 'text' | 'textarea' | 'code' | 'int' | 'decimal' | 'date' | 'bool' | 'enum' | 'enums' | 'ref' | 'refs'
  | 'codes' | 'catalogref' | 'legal' | 'table' | 'dimensions' | 'sections' | 'json' | 'reldate';

export interface ColumnSpec {
  key: string;
  label: string;
  type?: FieldType | 'count' | 'range';
  options?: Labels;
  width?: string;
  main?: boolean;
  to?: string;
}

export interface FieldSpec<K extends string = string> {
  key: K;
  label: string;
  type: FieldType;
  options?: Labels;
  required?: boolean;
  createOnly?: boolean;
  readOnly?: boolean;
  wide?: boolean;
  mono?: boolean;
  hint?: string;
  min?: number;
  max?: number;
  catalog?: string;
  testid?: string;
  columns?: ColumnSpec[];
}

export interface FilterSpec {
  key: string;
  label: string;
  type: 'text' | 'int' | 'enum' | 'catalog';
  options?: Labels;
  catalog?: string;
  placeholder?: string;
}

export interface CatalogDef<K extends string = string> {
  key: string;
  icon: string;
  navLabel?: string;
  route: string;
  path: string;
  title: string;
  singular: string;
  lead: string;
  nameField?: K;
  searchHint?: string;
  importable?: boolean;
  defaults?: Record<string, unknown>;
  columns: Array<ColumnSpec & { key: K }>;
  filters: FilterSpec[];
  sections: Array<{ title: string; fields: Array<FieldSpec<K>> }>;
}

function defineCatalog<S extends keyof Schemas>(def: CatalogDef<keyof Schemas[S] & string>): CatalogDef {
  return def as CatalogDef;
}

const REPORT_PERIOD_KINDS: Labels = {
  month: PERIOD_KINDS.month,
  quarter: PERIOD_KINDS.quarter,
  half_year: PERIOD_KINDS.half_year,
  year: PERIOD_KINDS.year,
  plan_period: PERIOD_KINDS.plan_period,
  point_in_time: PERIOD_KINDS.point_in_time,
};

const LEGAL: FieldSpec<'legal_document'> = { key: 'legal_document', label: 'Căn cứ pháp lý', type: 'legal', wide: true };
const DESCRIPTION: FieldSpec<'description'> = { key: 'description', label: 'Mô tả', type: 'textarea', wide: true };

export const CATALOGS: CatalogDef[] = [
  defineCatalog<'Indicator'>({
    key: 'indicators',
    icon: 'CS',
    route: 'chi-so',
    defaults: { value_type: 'number', polarity: 'higher_is_better', frequencies: ['year'] },
    path: '/indicators',
    title: 'Chỉ số',
    singular: 'chỉ số',
    lead: 'Chỉ tiêu kinh tế – xã hội: đơn vị tính, tần suất, cách tổng hợp theo đơn vị và theo thời gian, chiều tốt.',
    searchHint: 'Tên hoặc mã, không cần dấu (ví dụ: ho ngheo)',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', label: 'Tên chỉ số', main: true },
      { key: 'unit_of_measure', label: 'Đơn vị tính' },
      { key: 'frequencies', label: 'Tần suất', type: 'enums', options: PERIOD_KINDS },
      { key: 'spatial_aggregation', label: 'Tổng hợp', type: 'enum', options: SPATIAL_AGGREGATIONS_SHORT },
    ],
    filters: [
      { key: 'set', label: 'Bộ chỉ số', type: 'catalog', catalog: 'indicator-sets' },
      { key: 'group', label: 'Nhóm', type: 'text', placeholder: 'XIII, D…' },
      { key: 'frequency', label: 'Tần suất', type: 'enum', options: PERIOD_KINDS },
    ],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', label: 'Mã chỉ số', type: 'code', required: true, createOnly: true },
          { key: 'name', label: 'Tên chỉ số', type: 'text', required: true, wide: true },
          { key: 'unit_of_measure', label: 'Đơn vị tính', type: 'text', hint: 'Ví dụ: %, hộ, triệu đồng' },
          { key: 'value_type', label: 'Kiểu giá trị', type: 'enum', options: VALUE_TYPES, required: true },
          { key: 'frequencies', label: 'Tần suất', type: 'enums', options: REPORT_PERIOD_KINDS, required: true, wide: true },
          { key: 'group_code', label: 'Nhóm', type: 'text', hint: 'Ví dụ: XIII, D' },
          { key: 'field', label: 'Lĩnh vực', type: 'text', hint: 'Ví dụ: Kinh tế' },
          { key: 'decimals', label: 'Số chữ số thập phân', type: 'int', min: 0, max: 6 },
        ],
      },
      {
        title: 'Tổng hợp và đánh giá',
        fields: [
          { key: 'spatial_aggregation', label: 'Tổng hợp theo đơn vị', type: 'enum', options: SPATIAL_AGGREGATIONS, required: true },
          { key: 'time_aggregation', label: 'Tổng hợp theo thời gian', type: 'enum', options: TIME_AGGREGATIONS, required: true },
          { key: 'numerator_code', label: 'Chỉ số tử số', type: 'ref', hint: 'Với “Tỷ lệ của tổng”' },
          { key: 'denominator_code', label: 'Chỉ số mẫu số', type: 'ref', hint: 'Với “Tỷ lệ của tổng”' },
          { key: 'scale', label: 'Hệ số nhân', type: 'decimal', hint: '100 cho tỷ lệ %' },
          { key: 'weight_indicator_code', label: 'Chỉ số trọng số', type: 'ref', hint: 'Với “Trung bình có trọng số”' },
          { key: 'formula', label: 'Công thức', type: 'text', wide: true, mono: true, hint: 'Chỉ số tính toán, ví dụ: growth(HP2081.XIII.01) hoặc A / B * 100' },
          { key: 'polarity', label: 'Chiều tốt', type: 'enum', options: POLARITIES },
          { key: 'lower_bound', label: 'Cận dưới', type: 'decimal', hint: 'Với “Trong khoảng là tốt”' },
          { key: 'upper_bound', label: 'Cận trên', type: 'decimal' },
        ],
      },
      {
        title: 'Phân tổ và mô tả',
        fields: [
          { key: 'dimensions', label: 'Phân tổ', type: 'dimensions', wide: true },
          DESCRIPTION,
        ],
      },
    ],
  }),
  defineCatalog<'IndicatorSet'>({
    key: 'indicator-sets',
    icon: 'BC',
    route: 'bo-chi-so',
    path: '/indicator-sets',
    title: 'Bộ chỉ số',
    singular: 'bộ chỉ số',
    lead: 'Bộ chỉ số theo văn bản (ví dụ QĐ 2081/QĐ-UBND): các chỉ số, tần suất, đơn vị thực hiện, lịch báo cáo.',
    importable: true,
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', label: 'Tên bộ chỉ số', main: true },
      { key: 'legal_basis', label: 'Căn cứ' },
      { key: 'items', label: 'Số chỉ số', type: 'count' },
      { key: 'applies_to_kinds', label: 'Áp dụng', type: 'enums', options: UNIT_KINDS },
    ],
    filters: [{ key: 'applies_to_kind', label: 'Áp dụng cho', type: 'enum', options: UNIT_KINDS }],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', label: 'Mã bộ chỉ số', type: 'code', required: true, createOnly: true },
          { key: 'name', label: 'Tên bộ chỉ số', type: 'text', required: true, wide: true },
          LEGAL,
          { key: 'applies_to_kinds', label: 'Áp dụng cho', type: 'enums', options: UNIT_KINDS, required: true, wide: true },
          { key: 'calendar_code', label: 'Lịch báo cáo', type: 'catalogref', catalog: 'calendars' },
          { key: 'consolidating_office', label: 'Đơn vị tổng hợp', type: 'text', hint: 'Mã phòng ban, ví dụ VP' },
          DESCRIPTION,
        ],
      },
      {
        title: 'Nhóm chỉ số',
        fields: [{
          key: 'groups', label: 'Nhóm', type: 'table', wide: true,
          columns: [
            { key: 'code', label: 'Mã nhóm', type: 'text', width: '8em' },
            { key: 'name', label: 'Tên nhóm', type: 'text' },
            { key: 'ordinal', label: 'Thứ tự', type: 'int', width: '6em' },
          ],
        }],
      },
      {
        title: 'Các chỉ số của bộ',
        fields: [{
          key: 'items', label: 'Chỉ số', type: 'table', wide: true, testid: 'set-items',
          columns: [
            { key: 'ordinal', label: 'STT', type: 'text', width: '4em' },
            { key: 'indicator_code', label: 'Chỉ số', type: 'ref', width: '15em' },
            { key: 'group_code', label: 'Nhóm', type: 'text', width: '5em' },
            { key: 'frequencies', label: 'Tần suất', type: 'enums', options: REPORT_PERIOD_KINDS },
            { key: 'responsible_office', label: 'Đơn vị thực hiện', type: 'text', width: '8em' },
            { key: 'calendar_code', label: 'Lịch', type: 'text', width: '9em' },
            { key: 'note', label: 'Ghi chú', type: 'text' },
          ],
        }],
      },
    ],
  }),
  defineCatalog<'KeyTask'>({
    key: 'key-tasks',
    icon: 'NV',
    route: 'nhiem-vu',
    defaults: { year: new Date().getFullYear() },
    path: '/key-tasks',
    title: 'Nhiệm vụ trọng tâm',
    singular: 'nhiệm vụ trọng tâm',
    nameField: 'title',
    lead: 'Nhiệm vụ trọng tâm với đơn vị chủ trì, phối hợp, thời hạn và chỉ số liên quan.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'title', label: 'Nhiệm vụ', main: true },
      { key: 'year', label: 'Năm' },
      { key: 'lead_office', label: 'Chủ trì' },
      { key: 'deadline', label: 'Thời hạn', type: 'date' },
    ],
    filters: [
      { key: 'year', label: 'Năm', type: 'int' },
      { key: 'plan', label: 'Kế hoạch chuyên đề', type: 'catalog', catalog: 'thematic-plans' },
      { key: 'lead_office', label: 'Đơn vị chủ trì', type: 'text', placeholder: 'VP, PKT…' },
    ],
    sections: [{
      title: 'Thông tin chung',
      fields: [
        { key: 'code', label: 'Mã nhiệm vụ', type: 'code', required: true, createOnly: true },
        { key: 'title', label: 'Tên nhiệm vụ', type: 'textarea', required: true, wide: true },
        { key: 'year', label: 'Năm', type: 'int', min: 0, max: 2100 },
        { key: 'deadline', label: 'Thời hạn', type: 'date' },
        { key: 'field', label: 'Lĩnh vực', type: 'text' },
        { key: 'lead_office', label: 'Đơn vị chủ trì', type: 'text', hint: 'Mã phòng ban, ví dụ VP' },
        { key: 'coordinating_offices', label: 'Đơn vị phối hợp', type: 'codes', wide: true, hint: 'Các mã, cách nhau bởi dấu phẩy' },
        { key: 'indicator_codes', label: 'Chỉ số liên quan', type: 'refs', wide: true },
        LEGAL,
        DESCRIPTION,
      ],
    }],
  }),
  defineCatalog<'ThematicPlan'>({
    key: 'thematic-plans',
    icon: 'KH',
    route: 'ke-hoach',
    path: '/thematic-plans',
    title: 'Kế hoạch chuyên đề',
    singular: 'kế hoạch chuyên đề',
    lead: 'Kế hoạch chuyên đề gồm các nhiệm vụ và chỉ số theo dõi.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', label: 'Tên kế hoạch', main: true },
      { key: 'start_date', label: 'Từ ngày', type: 'date' },
      { key: 'end_date', label: 'Đến ngày', type: 'date' },
    ],
    filters: [{ key: 'year', label: 'Năm', type: 'int' }],
    sections: [{
      title: 'Thông tin chung',
      fields: [
        { key: 'code', label: 'Mã kế hoạch', type: 'code', required: true, createOnly: true },
        { key: 'name', label: 'Tên kế hoạch', type: 'textarea', required: true, wide: true },
        { key: 'start_date', label: 'Từ ngày', type: 'date', required: true },
        { key: 'end_date', label: 'Đến ngày', type: 'date', required: true },
        { key: 'issuer', label: 'Cơ quan ban hành', type: 'text' },
        { key: 'field', label: 'Lĩnh vực', type: 'text' },
        { key: 'indicator_set_code', label: 'Bộ chỉ số', type: 'catalogref', catalog: 'indicator-sets' },
        { key: 'key_task_codes', label: 'Nhiệm vụ trọng tâm', type: 'codes', catalog: 'key-tasks', wide: true, hint: 'Các mã nhiệm vụ, cách nhau bởi dấu phẩy' },
        { key: 'indicator_codes', label: 'Chỉ số theo dõi', type: 'refs', wide: true },
        LEGAL,
        DESCRIPTION,
      ],
    }],
  }),
  defineCatalog<'CriteriaSet'>({
    key: 'criteria-sets',
    icon: 'TC',
    route: 'tieu-chi',
    defaults: {
      year: new Date().getFullYear(),
      thresholds: [
        { level: 'excellent', min_score: '90' }, { level: 'good', min_score: '70' },
        { level: 'completed', min_score: '50' }, { level: 'not_completed', min_score: '0' },
      ],
    },
    path: '/criteria-sets',
    title: 'Tiêu chí đánh giá',
    singular: 'bộ tiêu chí đánh giá',
    lead: 'Bộ tiêu chí chấm điểm (riêng cho cơ quan và cho xã), điểm tối đa, cách chấm và ngưỡng xếp loại.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', label: 'Tên bộ tiêu chí', main: true },
      { key: 'year', label: 'Năm' },
      { key: 'applies_to_kinds', label: 'Đối tượng', type: 'enums', options: UNIT_KINDS },
      { key: 'max_total_score', label: 'Tổng điểm' },
    ],
    filters: [
      { key: 'year', label: 'Năm', type: 'int' },
      { key: 'applies_to_kind', label: 'Đối tượng', type: 'enum', options: { agency: UNIT_KINDS.agency, commune: UNIT_KINDS.commune } },
    ],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', label: 'Mã bộ tiêu chí', type: 'code', required: true, createOnly: true },
          { key: 'name', label: 'Tên bộ tiêu chí', type: 'textarea', required: true, wide: true },
          { key: 'year', label: 'Năm', type: 'int', min: 2000, max: 2100 },
          { key: 'applies_to_kinds', label: 'Đối tượng đánh giá', type: 'enums', options: { agency: 'Cơ quan, phòng ban', commune: 'Xã, phường, đặc khu' }, required: true, hint: 'Chọn một' },
          { key: 'max_total_score', label: 'Tổng điểm tối đa', type: 'text', readOnly: true },
          LEGAL,
          DESCRIPTION,
        ],
      },
      {
        title: 'Tiêu chí',
        fields: [{
          key: 'criteria', label: 'Tiêu chí', type: 'table', wide: true,
          columns: [
            { key: 'code', label: 'Mã', type: 'text', width: '7em' },
            { key: 'name', label: 'Tiêu chí', type: 'text' },
            { key: 'max_score', label: 'Điểm tối đa', type: 'decimal', width: '6em' },
            { key: 'scoring_method', label: 'Cách chấm', type: 'enum', options: SCORING_METHODS, width: '14em' },
            { key: 'indicator_set_code', label: 'Bộ chỉ số', type: 'text', width: '8em' },
            { key: 'ordinal', label: 'Thứ tự', type: 'int', width: '5em' },
            { key: 'guidance', label: 'Hướng dẫn chấm', type: 'text' },
          ],
        }],
      },
      {
        title: 'Ngưỡng xếp loại',
        fields: [{
          key: 'thresholds', label: 'Ngưỡng', type: 'table', wide: true,
          columns: [
            { key: 'level', label: 'Mức xếp loại', type: 'enum', options: COMPLETION_LEVELS },
            { key: 'min_score', label: 'Điểm tối thiểu', type: 'decimal', width: '9em' },
          ],
        }],
      },
    ],
  }),
  defineCatalog<'PeriodTarget'>({
    key: 'period-targets',
    icon: '5N',
    navLabel: 'Chỉ tiêu 5 năm',
    route: 'chi-tieu-5-nam',
    path: '/period-targets',
    title: 'Chỉ tiêu giai đoạn 5 năm',
    singular: 'chỉ tiêu giai đoạn',
    nameField: 'indicator_code',
    lead: 'Chỉ tiêu cho giai đoạn kế hoạch 5 năm (2021–2025, 2026–2030) theo nghị quyết.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'indicator_code', label: 'Chỉ số', type: 'ref', main: true },
      { key: 'start_year', label: 'Giai đoạn', type: 'range', to: 'end_year' },
      { key: 'target_value', label: 'Chỉ tiêu' },
      { key: 'org_unit_code', label: 'Đơn vị' },
    ],
    filters: [
      { key: 'start_year', label: 'Năm bắt đầu', type: 'int' },
      { key: 'org_unit_code', label: 'Mã đơn vị', type: 'text' },
    ],
    sections: [{
      title: 'Thông tin chung',
      fields: [
        { key: 'code', label: 'Mã chỉ tiêu', type: 'code', required: true, createOnly: true },
        { key: 'indicator_code', label: 'Chỉ số', type: 'ref', required: true, wide: true },
        { key: 'start_year', label: 'Năm bắt đầu', type: 'int', required: true, min: 2000, max: 2100 },
        { key: 'end_year', label: 'Năm kết thúc', type: 'int', required: true, min: 2000, max: 2100 },
        { key: 'target_value', label: 'Giá trị chỉ tiêu', type: 'decimal' },
        { key: 'org_unit_code', label: 'Mã đơn vị', type: 'text', hint: 'Trống = mọi đơn vị áp dụng bộ chỉ số' },
        { key: 'target_low', label: 'Cận dưới (chỉ tiêu khoảng)', type: 'decimal' },
        { key: 'target_high', label: 'Cận trên (chỉ tiêu khoảng)', type: 'decimal' },
        { key: 'target_text', label: 'Chỉ tiêu định tính', type: 'text', wide: true },
        LEGAL,
        { key: 'note', label: 'Ghi chú', type: 'textarea', wide: true },
      ],
    }],
  }),
  defineCatalog<'Calendar'>({
    key: 'calendars',
    icon: 'LB',
    route: 'lich-bao-cao',
    path: '/calendars',
    title: 'Lịch báo cáo',
    singular: 'lịch báo cáo',
    lead: 'Hạn báo cáo theo loại kỳ, thời gian chốt số liệu (Nghị định 09/2019/NĐ-CP) và hạn nội bộ.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', label: 'Tên lịch', main: true },
      { key: 'rules', label: 'Số quy tắc', type: 'count' },
      { key: 'legal_basis', label: 'Căn cứ' },
    ],
    filters: [],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', label: 'Mã lịch', type: 'code', required: true, createOnly: true },
          { key: 'name', label: 'Tên lịch', type: 'text', required: true, wide: true },
          { key: 'legal_basis', label: 'Căn cứ pháp lý', type: 'text', wide: true },
          DESCRIPTION,
        ],
      },
      {
        title: 'Hạn báo cáo và thời gian chốt số liệu',
        fields: [{
          key: 'rules', label: 'Quy tắc', type: 'table', wide: true, testid: 'calendar-rules',
          columns: [
            { key: 'period_kind', label: 'Loại kỳ', type: 'enum', options: REPORT_PERIOD_KINDS, width: '8em' },
            { key: 'due', label: 'Hạn (tháng, ngày)', type: 'reldate' },
            { key: 'before', label: 'Trước ngày', type: 'bool', width: '5em' },
            { key: 'cutoff_start', label: 'Chốt từ', type: 'reldate' },
            { key: 'cutoff_end', label: 'Chốt đến', type: 'reldate' },
            { key: 'description', label: 'Diễn giải', type: 'text' },
          ],
        }],
      },
      {
        title: 'Hạn nội bộ',
        fields: [{
          key: 'lead_times', label: 'Hạn nội bộ', type: 'table', wide: true,
          columns: [
            { key: 'step', label: 'Mã bước', type: 'text', width: '10em' },
            { key: 'name', label: 'Bước', type: 'text' },
            { key: 'days_before', label: 'Số ngày trước hạn', type: 'int', width: '8em' },
            { key: 'responsible', label: 'Thực hiện', type: 'text', width: '8em' },
          ],
        }],
      },
      {
        title: 'Hạn điều chỉnh cho từng kỳ',
        fields: [{
          key: 'overrides', label: 'Hạn điều chỉnh', type: 'table', wide: true,
          columns: [
            { key: 'period_code', label: 'Kỳ', type: 'text', width: '9em' },
            { key: 'due_date', label: 'Hạn', type: 'date', width: '11em' },
            { key: 'reason', label: 'Lý do', type: 'text' },
          ],
        }],
      },
    ],
  }),
  defineCatalog<'ReportTemplate'>({
    key: 'report-templates',
    icon: 'MB',
    route: 'mau-bao-cao',
    path: '/report-templates',
    title: 'Mẫu báo cáo',
    singular: 'mẫu báo cáo',
    lead: 'Khung báo cáo chuẩn đầu năm: các phần, dòng chỉ số và cột số liệu.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', label: 'Tên mẫu báo cáo', main: true },
      { key: 'period_kinds', label: 'Kỳ', type: 'enums', options: PERIOD_KINDS },
      { key: 'indicator_set_code', label: 'Bộ chỉ số' },
    ],
    filters: [
      { key: 'period_kind', label: 'Loại kỳ', type: 'enum', options: REPORT_PERIOD_KINDS },
      { key: 'set', label: 'Bộ chỉ số', type: 'catalog', catalog: 'indicator-sets' },
    ],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', label: 'Mã mẫu', type: 'code', required: true, createOnly: true },
          { key: 'name', label: 'Tên mẫu báo cáo', type: 'textarea', required: true, wide: true },
          { key: 'period_kinds', label: 'Loại kỳ', type: 'enums', options: REPORT_PERIOD_KINDS, required: true, hint: 'Chọn một', wide: true },
          { key: 'indicator_set_code', label: 'Bộ chỉ số', type: 'catalogref', catalog: 'indicator-sets' },
          DESCRIPTION,
        ],
      },
      {
        title: 'Cột số liệu',
        fields: [{
          key: 'column_specs', label: 'Cột', type: 'table', wide: true,
          columns: [
            { key: 'code', label: 'Mã cột', type: 'text', width: '9em' },
            { key: 'title', label: 'Tiêu đề cột', type: 'text' },
            { key: 'measure', label: 'Nội dung', type: 'enum', options: REPORT_COLUMNS, width: '14em' },
          ],
        }],
      },
      {
        title: 'Các phần và dòng',
        fields: [{ key: 'sections', label: 'Các phần', type: 'sections', wide: true }],
      },
    ],
  }),
];

export const BY_ROUTE: Record<string, CatalogDef> = Object.fromEntries(CATALOGS.map((c) => [c.route, c]));
export const BY_KEY: Record<string, CatalogDef> = Object.fromEntries(CATALOGS.map((c) => [c.key, c]));

/** Every field of a catalog (sections flattened). */
export function fieldsOf(catalog: CatalogDef): FieldSpec[] {
  return catalog.sections.flatMap((s) => s.fields);
}
