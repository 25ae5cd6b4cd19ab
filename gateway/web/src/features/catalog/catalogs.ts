// The catalogs the managing unit keeps, as screens: routes, REST paths, list columns, filters
// and the fields of the detail view and of the form (in display order).
//
// Field labels are not declared here: they come from FIELD_LABELS (lib/field-labels.ts, generated
// from the gateway's OpenAPI `x-label`, declared once in libs/ktxh-contracts/src/ktxh_vocabulary),
// by the schema given to defineCatalog and, for a table, by its `message`. A list column may give
// a shorter header of its own (`label`); a filter named after a field takes the field's label,
// other filters (query parameters such as `set`) declare theirs.
// Value labels come from lib/labels.ts.
//
// Field keys are checked against the REST schema generated from the gateway's OpenAPI document
// (defineCatalog('Indicator', …)): a field renamed in the API is a type error here.
//
// Field types: text, textarea, code, int, decimal, date, bool, enum (options), enums
// (options, several), ref (an indicator code), refs (codes), codes, catalogref, legal (a legal
// document), table (repeated rows with `columns`), dimensions / sections (edited as JSON),
// steps (a criterion's credit steps, edited in a table cell as "90:75; 70:50").
// Flags: required, createOnly (fixed after creation), readOnly (shown, never sent), wide, hint.

import type { Schemas } from '../../lib/api';
import { FIELD_LABELS } from '../../lib/field-labels';
import {
  COMPLETION_LEVELS, PARTIAL_CREDITS, PERIOD_KINDS, POLARITIES, REPORT_COLUMNS, SCORING_METHODS,
  SPATIAL_AGGREGATIONS, SPATIAL_AGGREGATIONS_SHORT, TIME_AGGREGATIONS, UNIT_KINDS, VALUE_TYPES,
  type Labels,
} from '../../lib/labels';

export type FieldType =
  | 'text' | 'textarea' | 'code' | 'int' | 'decimal' | 'date' | 'bool' | 'enum' | 'enums' | 'ref' | 'refs'
  | 'codes' | 'catalogref' | 'legal' | 'table' | 'dimensions' | 'sections' | 'json' | 'reldate' | 'steps';

/** A message whose field labels are declared (the keys of FIELD_LABELS). */
export type LabelledMessage = keyof typeof FIELD_LABELS;

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

// What a definition writes: the same without labels (taken from FIELD_LABELS), a list column
// or a filter named after a field may still give a shorter header of its own; a table names the
// message of its rows.
type ColumnDef = Omit<ColumnSpec, 'label'> & { label?: string };
type FieldDef<K extends string = string> = Omit<FieldSpec<K>, 'label' | 'columns'> & {
  message?: LabelledMessage;
  columns?: ColumnDef[];
};
type FilterDef = Omit<FilterSpec, 'label'> & { label?: string };
type CatalogInput<K extends string> = Omit<CatalogDef<K>, 'columns' | 'filters' | 'sections'> & {
  columns: Array<ColumnDef & { key: K }>;
  filters: FilterDef[];
  sections: Array<{ title: string; fields: Array<FieldDef<K>> }>;
};

function labelOf(message: LabelledMessage, key: string): string {
  const labels: Partial<Record<string, string>> = FIELD_LABELS[message];
  const found = labels[key];
  if (!found) throw new Error(`No label declared for ${message}.${key} (ktxh_vocabulary)`);
  return found;
}

function defineCatalog<S extends keyof Schemas & LabelledMessage>(
  schema: S, def: CatalogInput<keyof Schemas[S] & string>,
): CatalogDef {
  const column = (message: LabelledMessage) => (c: ColumnDef): ColumnSpec => ({ ...c, label: c.label ?? labelOf(message, c.key) });
  return {
    ...def,
    columns: def.columns.map(column(schema)),
    filters: def.filters.map((f) => ({ ...f, label: f.label ?? labelOf(schema, f.key) })),
    sections: def.sections.map((section) => ({
      title: section.title,
      fields: section.fields.map(({ message, columns, ...f }): FieldSpec => ({
        ...f,
        label: labelOf(schema, f.key),
        ...(columns ? { columns: columns.map(column(message ?? schema)) } : {}),
      })),
    })),
  };
}

const REPORT_PERIOD_KINDS: Labels = {
  month: PERIOD_KINDS.month,
  quarter: PERIOD_KINDS.quarter,
  half_year: PERIOD_KINDS.half_year,
  year: PERIOD_KINDS.year,
  plan_period: PERIOD_KINDS.plan_period,
  point_in_time: PERIOD_KINDS.point_in_time,
};

const LEGAL: FieldDef<'legal_document'> = { key: 'legal_document', type: 'legal', wide: true };
const DESCRIPTION: FieldDef<'description'> = { key: 'description', type: 'textarea', wide: true };

export const CATALOGS: CatalogDef[] = [
  defineCatalog('Indicator', {
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
      { key: 'name', main: true },
      { key: 'unit_of_measure',  },
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
          { key: 'code', type: 'code', required: true, createOnly: true },
          { key: 'name', type: 'text', required: true, wide: true },
          { key: 'unit_of_measure', type: 'text', hint: 'Ví dụ: %, hộ, triệu đồng' },
          { key: 'value_type', type: 'enum', options: VALUE_TYPES, required: true },
          { key: 'frequencies', type: 'enums', options: REPORT_PERIOD_KINDS, required: true, wide: true },
          { key: 'group_code', type: 'text', hint: 'Ví dụ: XIII, D' },
          { key: 'field', type: 'text', hint: 'Ví dụ: Kinh tế' },
          { key: 'decimals', type: 'int', min: 0, max: 6 },
        ],
      },
      {
        title: 'Tổng hợp và đánh giá',
        fields: [
          { key: 'spatial_aggregation', type: 'enum', options: SPATIAL_AGGREGATIONS, required: true },
          { key: 'time_aggregation', type: 'enum', options: TIME_AGGREGATIONS, required: true },
          { key: 'numerator_code', type: 'ref', hint: 'Với “Tỷ lệ của tổng”' },
          { key: 'denominator_code', type: 'ref', hint: 'Với “Tỷ lệ của tổng”' },
          { key: 'scale', type: 'decimal', hint: '100 cho tỷ lệ %' },
          { key: 'weight_indicator_code', type: 'ref', hint: 'Với “Trung bình có trọng số”' },
          { key: 'formula', type: 'text', wide: true, mono: true, hint: 'Chỉ số tính toán, ví dụ: growth(HP2081.XIII.01) hoặc A / B * 100' },
          { key: 'polarity', type: 'enum', options: POLARITIES },
          { key: 'lower_bound', type: 'decimal', hint: 'Với “Trong khoảng là tốt”' },
          { key: 'upper_bound', type: 'decimal' },
        ],
      },
      {
        title: 'Phân tổ và mô tả',
        fields: [
          { key: 'dimensions', type: 'dimensions', wide: true },
          DESCRIPTION,
        ],
      },
    ],
  }),
  defineCatalog('IndicatorSet', {
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
      { key: 'name', main: true },
      { key: 'legal_basis', label: 'Căn cứ' },
      { key: 'items', label: 'Số chỉ số', type: 'count' },
      { key: 'applies_to_kinds', label: 'Áp dụng', type: 'enums', options: UNIT_KINDS },
    ],
    filters: [{ key: 'applies_to_kind', label: 'Áp dụng cho', type: 'enum', options: UNIT_KINDS }],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', type: 'code', required: true, createOnly: true },
          { key: 'name', type: 'text', required: true, wide: true },
          LEGAL,
          { key: 'applies_to_kinds', type: 'enums', options: UNIT_KINDS, required: true, wide: true },
          { key: 'calendar_code', type: 'catalogref', catalog: 'calendars' },
          { key: 'consolidating_office', type: 'text', hint: 'Mã phòng ban, ví dụ VP' },
          DESCRIPTION,
        ],
      },
      {
        title: 'Nhóm chỉ số',
        fields: [{
          key: 'groups', type: 'table', message: 'IndicatorSetGroup', wide: true,
          columns: [
            { key: 'code', type: 'text', width: '8em' },
            { key: 'name', type: 'text' },
            { key: 'ordinal', type: 'int', width: '6em' },
          ],
        }],
      },
      {
        title: 'Các chỉ số của bộ',
        fields: [{
          key: 'items', type: 'table', message: 'IndicatorSetItem', wide: true, testid: 'set-items',
          columns: [
            { key: 'ordinal', type: 'text', width: '4em' },
            { key: 'indicator_code', type: 'ref', width: '15em' },
            { key: 'group_code', type: 'text', width: '5em' },
            { key: 'frequencies', type: 'enums', options: REPORT_PERIOD_KINDS },
            { key: 'responsible_office', type: 'text', width: '8em' },
            { key: 'calendar_code', type: 'text', width: '9em' },
            { key: 'note', type: 'text' },
          ],
        }],
      },
    ],
  }),
  defineCatalog('KeyTask', {
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
      { key: 'year',  },
      { key: 'lead_office', label: 'Chủ trì' },
      { key: 'deadline', type: 'date' },
    ],
    filters: [
      { key: 'year', type: 'int' },
      { key: 'plan', label: 'Kế hoạch chuyên đề', type: 'catalog', catalog: 'thematic-plans' },
      { key: 'lead_office', type: 'text', placeholder: 'VP, PKT…' },
    ],
    sections: [{
      title: 'Thông tin chung',
      fields: [
        { key: 'code', type: 'code', required: true, createOnly: true },
        { key: 'title', type: 'textarea', required: true, wide: true },
        { key: 'year', type: 'int', min: 0, max: 2100 },
        { key: 'deadline', type: 'date' },
        { key: 'field', type: 'text' },
        { key: 'lead_office', type: 'text', hint: 'Mã phòng ban, ví dụ VP' },
        { key: 'coordinating_offices', type: 'codes', wide: true, hint: 'Các mã, cách nhau bởi dấu phẩy' },
        { key: 'indicator_codes', type: 'refs', wide: true },
        LEGAL,
        DESCRIPTION,
      ],
    }],
  }),
  defineCatalog('ThematicPlan', {
    key: 'thematic-plans',
    icon: 'KH',
    route: 'ke-hoach',
    path: '/thematic-plans',
    title: 'Kế hoạch chuyên đề',
    singular: 'kế hoạch chuyên đề',
    lead: 'Kế hoạch chuyên đề gồm các nhiệm vụ và chỉ số theo dõi.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', main: true },
      { key: 'start_date', type: 'date' },
      { key: 'end_date', type: 'date' },
    ],
    filters: [{ key: 'year', label: 'Năm', type: 'int' }],
    sections: [{
      title: 'Thông tin chung',
      fields: [
        { key: 'code', type: 'code', required: true, createOnly: true },
        { key: 'name', type: 'textarea', required: true, wide: true },
        { key: 'start_date', type: 'date', required: true },
        { key: 'end_date', type: 'date', required: true },
        { key: 'issuer', type: 'text' },
        { key: 'field', type: 'text' },
        { key: 'indicator_set_code', type: 'catalogref', catalog: 'indicator-sets' },
        { key: 'key_task_codes', type: 'codes', catalog: 'key-tasks', wide: true, hint: 'Các mã nhiệm vụ, cách nhau bởi dấu phẩy' },
        { key: 'indicator_codes', type: 'refs', wide: true },
        LEGAL,
        DESCRIPTION,
      ],
    }],
  }),
  defineCatalog('CriteriaSet', {
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
      { key: 'name', main: true },
      { key: 'year',  },
      { key: 'applies_to_kinds', label: 'Đối tượng', type: 'enums', options: UNIT_KINDS },
      { key: 'max_total_score', label: 'Tổng điểm' },
    ],
    filters: [
      { key: 'year', type: 'int' },
      { key: 'applies_to_kind', label: 'Đối tượng', type: 'enum', options: { agency: UNIT_KINDS.agency, commune: UNIT_KINDS.commune } },
    ],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', type: 'code', required: true, createOnly: true },
          { key: 'name', type: 'textarea', required: true, wide: true },
          { key: 'year', type: 'int', min: 2000, max: 2100 },
          { key: 'applies_to_kinds', type: 'enums', options: { agency: 'Cơ quan, phòng ban', commune: 'Xã, phường, đặc khu' }, required: true, hint: 'Chọn một' },
          { key: 'max_total_score', type: 'text', readOnly: true },
          LEGAL,
          DESCRIPTION,
        ],
      },
      {
        title: 'Tiêu chí',
        fields: [{
          key: 'criteria', type: 'table', message: 'Criterion', wide: true,
          columns: [
            { key: 'code', type: 'text', width: '7em' },
            { key: 'name', type: 'text' },
            { key: 'max_score', type: 'decimal', width: '6em' },
            { key: 'scoring_method', type: 'enum', options: SCORING_METHODS, width: '14em' },
            { key: 'indicator_set_code', type: 'text', width: '8em' },
            { key: 'mandatory', type: 'bool', width: '6em' },
            { key: 'partial_credit', type: 'enum', options: PARTIAL_CREDITS, width: '12em' },
            { key: 'credit_steps', type: 'steps', width: '9em' },
            { key: 'ordinal', type: 'int', width: '5em' },
            { key: 'guidance', type: 'text' },
          ],
        }],
      },
      {
        title: 'Ngưỡng xếp loại',
        fields: [{
          key: 'thresholds', type: 'table', message: 'ClassificationThreshold', wide: true,
          columns: [
            { key: 'level', type: 'enum', options: COMPLETION_LEVELS },
            { key: 'min_score', type: 'decimal', width: '9em' },
          ],
        }],
      },
    ],
  }),
  defineCatalog('PeriodTarget', {
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
      { key: 'indicator_code', type: 'ref', main: true },
      { key: 'start_year', label: 'Giai đoạn', type: 'range', to: 'end_year' },
      { key: 'target_value', label: 'Chỉ tiêu' },
      { key: 'org_unit_code', label: 'Đơn vị' },
    ],
    filters: [
      { key: 'start_year', type: 'int' },
      { key: 'org_unit_code', type: 'text' },
    ],
    sections: [{
      title: 'Thông tin chung',
      fields: [
        { key: 'code', type: 'code', required: true, createOnly: true },
        { key: 'indicator_code', type: 'ref', required: true, wide: true },
        { key: 'start_year', type: 'int', required: true, min: 2000, max: 2100 },
        { key: 'end_year', type: 'int', required: true, min: 2000, max: 2100 },
        { key: 'target_value', type: 'decimal' },
        { key: 'org_unit_code', type: 'text', hint: 'Trống = mọi đơn vị áp dụng bộ chỉ số' },
        { key: 'target_low', type: 'decimal' },
        { key: 'target_high', type: 'decimal' },
        { key: 'target_text', type: 'text', wide: true },
        LEGAL,
        { key: 'note', type: 'textarea', wide: true },
      ],
    }],
  }),
  defineCatalog('Calendar', {
    key: 'calendars',
    icon: 'LB',
    route: 'lich-bao-cao',
    path: '/calendars',
    title: 'Lịch báo cáo',
    singular: 'lịch báo cáo',
    lead: 'Hạn báo cáo theo loại kỳ, thời gian chốt số liệu (Nghị định 09/2019/NĐ-CP) và hạn nội bộ.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', main: true },
      { key: 'rules', label: 'Số quy tắc', type: 'count' },
      { key: 'legal_basis', label: 'Căn cứ' },
    ],
    filters: [],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', type: 'code', required: true, createOnly: true },
          { key: 'name', type: 'text', required: true, wide: true },
          { key: 'legal_basis', type: 'text', wide: true },
          DESCRIPTION,
        ],
      },
      {
        title: 'Hạn báo cáo và thời gian chốt số liệu',
        fields: [{
          key: 'rules', type: 'table', message: 'DeadlineRule', wide: true, testid: 'calendar-rules',
          columns: [
            { key: 'period_kind', type: 'enum', options: REPORT_PERIOD_KINDS, width: '8em' },
            { key: 'due', type: 'reldate' },
            { key: 'before', type: 'bool', width: '5em' },
            { key: 'cutoff_start', type: 'reldate' },
            { key: 'cutoff_end', type: 'reldate' },
            { key: 'description', type: 'text' },
          ],
        }],
      },
      {
        title: 'Hạn nội bộ',
        fields: [{
          key: 'lead_times', type: 'table', message: 'CalendarLeadTime', wide: true,
          columns: [
            { key: 'step', type: 'text', width: '10em' },
            { key: 'name', type: 'text' },
            { key: 'days_before', type: 'int', width: '8em' },
            { key: 'responsible', type: 'text', width: '8em' },
          ],
        }],
      },
      {
        title: 'Hạn điều chỉnh cho từng kỳ',
        fields: [{
          key: 'overrides', type: 'table', message: 'DeadlineOverride', wide: true,
          columns: [
            { key: 'period_code', type: 'text', width: '9em' },
            { key: 'due_date', type: 'date', width: '11em' },
            { key: 'reason', type: 'text' },
          ],
        }],
      },
    ],
  }),
  defineCatalog('ReportTemplate', {
    key: 'report-templates',
    icon: 'MB',
    route: 'mau-bao-cao',
    path: '/report-templates',
    title: 'Mẫu báo cáo',
    singular: 'mẫu báo cáo',
    lead: 'Khung báo cáo chuẩn đầu năm: các phần, dòng chỉ số và cột số liệu.',
    columns: [
      { key: 'code', label: 'Mã', type: 'code' },
      { key: 'name', main: true },
      { key: 'period_kinds', label: 'Kỳ', type: 'enums', options: PERIOD_KINDS },
      { key: 'indicator_set_code',  },
    ],
    filters: [
      { key: 'period_kind', label: 'Loại kỳ', type: 'enum', options: REPORT_PERIOD_KINDS },
      { key: 'set', label: 'Bộ chỉ số', type: 'catalog', catalog: 'indicator-sets' },
    ],
    sections: [
      {
        title: 'Thông tin chung',
        fields: [
          { key: 'code', type: 'code', required: true, createOnly: true },
          { key: 'name', type: 'textarea', required: true, wide: true },
          { key: 'period_kinds', type: 'enums', options: REPORT_PERIOD_KINDS, required: true, hint: 'Chọn một', wide: true },
          { key: 'indicator_set_code', type: 'catalogref', catalog: 'indicator-sets' },
          DESCRIPTION,
        ],
      },
      {
        title: 'Cột số liệu',
        fields: [{
          key: 'column_specs', type: 'table', message: 'ReportTemplateColumn', wide: true,
          columns: [
            { key: 'code', type: 'text', width: '9em' },
            { key: 'title', type: 'text' },
            { key: 'measure', type: 'enum', options: REPORT_COLUMNS, width: '14em' },
          ],
        }],
      },
      {
        title: 'Các phần và dòng',
        fields: [{ key: 'sections', type: 'sections', wide: true }],
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

/** The catalog of an item kind as the service names it (`indicator_set`, `changed_fields` of an import plan). */
export const BY_ITEM_KIND: Record<string, CatalogDef> = Object.fromEntries(
  CATALOGS.map((c) => [c.key.replace(/-/g, '_').replace(/s$/, ''), c]),
);

// A revision's definition and changed fields use the field names of the REST schema, so the
// catalog's own field specs label them and format their values.

/** The label of a field of a revision's definition. */
export function changedFieldLabel(catalog: CatalogDef | undefined, key: string): string {
  const spec = catalog && fieldsOf(catalog).find((f) => f.key === key);
  return spec?.label ?? key.replace(/_/g, ' ');
}

/** A value of a revision's definition as short Vietnamese text. */
export function changedFieldValue(catalog: CatalogDef | undefined, key: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  const options = catalog && fieldsOf(catalog).find((f) => f.key === key)?.options;
  const one = (v: unknown): string => (options ? options[String(v)] ?? String(v) : String(v));
  if (Array.isArray(value)) {
    if (!value.length) return '—';
    if (value.every((v) => typeof v !== 'object')) return value.map(one).join(', ');
    return `${value.length} mục`;
  }
  if (typeof value === 'object') {
    const v = value as Record<string, string>;
    if (v.number) return [v.number, v.issued_on && `ngày ${v.issued_on}`].filter(Boolean).join(' ');
    return JSON.stringify(value);
  }
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  return one(value);
}
