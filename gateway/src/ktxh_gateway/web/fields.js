// Form inputs and read-only renderings of catalog fields (see catalogs.js for the types).

import { h } from './dom.js';
import { label } from './labels.js';
import { formatDate } from './text.js';

// Fields of nested rows that the server computes (ids resolved from codes, group names).
const COMPUTED = new Set(['indicator_id', 'indicator_ids', 'group_name']);

/** A copy of `value` without the computed fields, at any depth. */
export function stripComputed(value) {
  if (Array.isArray(value)) return value.map(stripComputed);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !COMPUTED.has(k)).map(([k, v]) => [k, stripComputed(v)]));
  }
  return value;
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${(uid += 1)}`;

const splitCodes = (text) => String(text ?? '').split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

function emptyLegal(v) {
  return !v || !(v.number || v.issued_on || v.issuer || v.title);
}

/** "2081/QĐ-UBND ngày 03/06/2026 của UBND thành phố Hải Phòng" */
export function legalText(v) {
  if (emptyLegal(v)) return '';
  const parts = [v.number || 'Văn bản'];
  if (v.issued_on) parts.push(`ngày ${formatDate(v.issued_on)}`);
  if (v.issuer) parts.push(`của ${v.issuer}`);
  return parts.join(' ');
}

/** A relative date of a calendar rule: {month_offset: -1, day: 15} → "ngày 15 tháng trước". */
export function relDateText(v) {
  if (!v || !v.day) return '—';
  const off = Number(v.month_offset || 0);
  let month;
  if (off === 0) month = 'tháng cuối kỳ';
  else if (off === -1) month = 'tháng trước tháng cuối kỳ';
  else if (off === 1) month = 'tháng sau tháng cuối kỳ';
  else month = off < 0 ? `${-off} tháng trước tháng cuối kỳ` : `${off} tháng sau tháng cuối kỳ`;
  return `ngày ${v.day} ${month}`;
}

// ------------------------------------------------------------------ read-only values

/**
 * A field's value for the detail view.
 * @param {object} field  the field spec
 * @param {*} value
 * @param {object} ctx  {indicatorName(code), link(catalogKey, code)}
 */
export function renderValue(field, value, ctx) {
  const none = () => h('span', { class: 'muted' }, '—');
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) {
    return none();
  }
  switch (field.type) {
    case 'code':
      return h('code', { class: 'code-chip' }, value);
    case 'enum':
      return label(field.options, value);
    case 'enums':
      return h('span', { class: 'chips' }, ...value.map((v) => h('span', { class: 'chip' }, label(field.options, v))));
    case 'date':
      return formatDate(value);
    case 'bool':
      return value ? 'Có' : 'Không';
    case 'int':
    case 'decimal':
      return String(value);
    case 'ref':
      return refLink(value, ctx);
    case 'refs':
      return h('ul', { class: 'ref-list' }, ...value.map((c) => h('li', {}, refLink(c, ctx))));
    case 'catalogref':
      return ctx.link(field.catalog, value);
    case 'codes':
      return field.catalog
        ? h('span', { class: 'chips' }, ...value.map((c) => ctx.link(field.catalog, c)))
        : h('span', { class: 'chips' }, ...value.map((c) => h('code', { class: 'chip chip-code' }, c)));
    case 'legal':
      if (emptyLegal(value)) return none();
      return h('span', {}, legalText(value), value.title ? h('span', { class: 'muted legal-title' }, ` — ${value.title}`) : null);
    case 'table':
      return renderTable(field, value, ctx);
    case 'dimensions':
      return h('ul', { class: 'dim-list' }, ...value.map((d) => h('li', {},
        h('strong', {}, d.name || d.code), ': ',
        (d.members ?? []).map((m) => m.name || m.code).join(', '))));
    case 'sections':
      return renderSections(value, ctx);
    case 'textarea':
      return h('span', { class: 'prewrap' }, value);
    default:
      return String(value);
  }
}

function refLink(code, ctx) {
  const name = ctx.indicatorName(code);
  return h('a', { href: `#/chi-so/${encodeURIComponent(code)}`, class: 'ref-link' },
    h('code', {}, code), name ? h('span', {}, ` ${name}`) : null);
}

function cellValue(col, value, ctx) {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return '';
  switch (col.type) {
    case 'enum':
      return label(col.options, value);
    case 'enums':
      return value.map((v) => label(col.options, v)).join(' / ');
    case 'bool':
      return value ? '✓' : '';
    case 'date':
      return formatDate(value);
    case 'reldate':
      return relDateText(value);
    case 'ref':
      return refLink(value, ctx);
    default:
      return String(value);
  }
}

function renderTable(field, rows, ctx) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table data-table-compact', 'data-testid': field.testid ?? `table-${field.key}` },
      h('thead', {}, h('tr', {}, ...field.columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {},
        ...field.columns.map((c) => h('td', { class: c.type === 'ref' ? 'cell-ref' : null }, cellValue(c, row[c.key], ctx))))))));
}

function renderSections(sections, ctx) {
  return h('div', { class: 'sections-view' }, ...sections.map((s) => h('section', { class: 'section-view' },
    h('h4', {}, s.title || s.code),
    h('ol', { class: 'section-rows' }, ...(s.rows ?? []).map((r) => h('li', { style: { '--indent': r.indent || 0 } },
      // a labelled row ("Theo giá so sánh") shows its label and the indicator's code only
      r.indicator_code && r.label
        ? [h('span', {}, `${r.label} `), h('a', { href: `#/chi-so/${encodeURIComponent(r.indicator_code)}`, class: 'ref-link ref-code-only', title: ctx.indicatorName(r.indicator_code) ?? '' }, h('code', {}, r.indicator_code))]
        : r.indicator_code ? refLink(r.indicator_code, ctx) : h('strong', {}, r.label)))))));
}

// ------------------------------------------------------------------ inputs

/**
 * An input for a field. Returns {el, input, get, focus}: `el` is the control (without
 * label), `get()` the value to send.
 */
export function createInput(field, value, ctx) {
  const id = nextId(`f-${field.key}`);
  const testid = `form-${field.key}`;
  const common = { id, name: field.key, 'data-testid': testid, 'aria-describedby': `${id}-hint ${id}-error` };
  switch (field.type) {
    case 'textarea': {
      const el = h('textarea', { ...common, class: 'input textarea', rows: 3 });
      el.value = value ?? '';
      return { id, el, get: () => el.value.trim() };
    }
    case 'int': {
      const el = h('input', { ...common, type: 'number', class: 'input', step: 1, min: field.min, max: field.max, inputmode: 'numeric' });
      el.value = value ?? '';
      return {
        id, el,
        get: () => (el.value === '' ? (field.key === 'decimals' ? null : 0) : Number.parseInt(el.value, 10)),
      };
    }
    case 'date': {
      const el = h('input', { ...common, type: 'date', class: 'input' });
      el.value = value ?? '';
      return { id, el, get: () => el.value || null };
    }
    case 'bool': {
      const el = h('input', { ...common, type: 'checkbox', class: 'checkbox' });
      el.checked = Boolean(value);
      return { id, el: h('label', { class: 'check-label' }, el, ' Có'), get: () => el.checked, focusEl: el };
    }
    case 'enum': {
      const el = h('select', { ...common, class: 'input' },
        h('option', { value: '' }, field.required ? '— Chọn —' : '— Không —'),
        ...Object.entries(field.options).map(([v, l]) => h('option', { value: v }, l)));
      el.value = value ?? '';
      return { id, el, get: () => el.value || null };
    }
    case 'enums': {
      const selected = new Set(value ?? []);
      const boxes = Object.entries(field.options).map(([v, l]) => {
        const box = h('input', { type: 'checkbox', value: v, 'data-testid': `${testid}-${v}` });
        box.checked = selected.has(v);
        return { v, box, el: h('label', { class: 'check-chip' }, box, h('span', {}, l)) };
      });
      const el = h('div', { class: 'check-group', role: 'group', id, 'data-testid': testid, 'aria-describedby': `${id}-hint ${id}-error` },
        ...boxes.map((b) => b.el));
      return { id, el, get: () => boxes.filter((b) => b.box.checked).map((b) => b.v), focusEl: boxes[0]?.box };
    }
    case 'ref': {
      const el = h('input', { ...common, class: 'input input-mono', list: 'indicator-codes', autocomplete: 'off', spellcheck: 'false' });
      el.value = value ?? '';
      const name = h('span', { class: 'ref-name muted' });
      const update = () => {
        name.textContent = ctx.indicatorName(el.value.trim()) ?? '';
      };
      el.addEventListener('input', update);
      update();
      return { id, el: h('div', { class: 'ref-input' }, el, name), get: () => el.value.trim(), focusEl: el };
    }
    case 'catalogref': {
      const el = h('select', { ...common, class: 'input' }, h('option', { value: '' }, '— Không —'));
      const fill = (options) => {
        const keep = value ?? '';
        el.replaceChildren(h('option', { value: '' }, '— Không —'),
          ...options.map((o) => h('option', { value: o.code }, `${o.code} — ${o.name}`)));
        if (keep && !options.some((o) => o.code === keep)) el.append(h('option', { value: keep }, keep));
        el.value = keep;
      };
      fill([]);
      ctx.options(field.catalog).then(fill, () => fill([]));
      return { id, el, get: () => el.value };
    }
    case 'refs':
    case 'codes': {
      const el = h('textarea', { ...common, class: 'input textarea input-mono', rows: 2, spellcheck: 'false' });
      el.value = (value ?? []).join(', ');
      return { id, el, get: () => splitCodes(el.value) };
    }
    case 'legal': {
      const v = value ?? {};
      const parts = {
        number: h('input', { class: 'input', id, placeholder: 'Số hiệu, ví dụ 2081/QĐ-UBND', 'data-testid': `${testid}-number` }),
        issued_on: h('input', { class: 'input', type: 'date', 'aria-label': 'Ngày ban hành', 'data-testid': `${testid}-issued_on` }),
        issuer: h('input', { class: 'input', placeholder: 'Cơ quan ban hành', 'data-testid': `${testid}-issuer` }),
        title: h('input', { class: 'input', placeholder: 'Trích yếu', 'data-testid': `${testid}-title` }),
      };
      for (const [k, input] of Object.entries(parts)) input.value = v[k] ?? '';
      const el = h('div', { class: 'legal-grid', 'data-testid': testid },
        parts.number, parts.issued_on, parts.issuer, parts.title);
      return {
        id, el, focusEl: parts.number,
        get: () => {
          const out = Object.fromEntries(Object.entries(parts).map(([k, input]) => [k, input.value.trim() || (k === 'issued_on' ? null : '')]));
          return emptyLegal(out) ? null : out;
        },
      };
    }
    case 'table':
      return tableInput(field, value ?? [], ctx, id, testid);
    case 'dimensions':
    case 'sections':
    case 'json': {
      const text = value && value.length ? JSON.stringify(stripComputed(value), null, 2) : '';
      const el = h('textarea', { ...common, class: 'input textarea input-mono', rows: text ? Math.min(16, text.split('\n').length + 1) : 3, spellcheck: 'false' });
      el.value = text;
      return {
        id, el,
        get: () => {
          const text = el.value.trim();
          if (!text) return [];
          try {
            return JSON.parse(text);
          } catch {
            throw new FieldInputError(field.key, 'JSON không hợp lệ: kiểm tra dấu ngoặc và dấu phẩy.');
          }
        },
      };
    }
    default: {
      const el = h('input', {
        ...common, class: `input${field.type === 'code' || field.mono ? ' input-mono' : ''}`,
        autocomplete: 'off', spellcheck: field.type === 'code' ? 'false' : null,
        inputmode: field.type === 'decimal' ? 'decimal' : null,
      });
      el.value = value ?? '';
      return { id, el, get: () => el.value.trim() };
    }
  }
}

export class FieldInputError extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

function cellInput(col, value, ctx) {
  switch (col.type) {
    case 'enum': {
      const el = h('select', { class: 'input input-sm', 'aria-label': col.label },
        h('option', { value: '' }, '—'),
        ...Object.entries(col.options).map(([v, l]) => h('option', { value: v }, l)));
      el.value = value ?? '';
      return { el, get: () => el.value || null };
    }
    case 'enums': {
      const selected = new Set(value ?? []);
      const boxes = Object.entries(col.options).map(([v, l]) => {
        const box = h('input', { type: 'checkbox', value: v, 'aria-label': l });
        box.checked = selected.has(v);
        return { v, box, el: h('label', { class: 'check-chip check-chip-sm' }, box, h('span', {}, l)) };
      });
      return { el: h('div', { class: 'check-group check-group-sm' }, ...boxes.map((b) => b.el)), get: () => boxes.filter((b) => b.box.checked).map((b) => b.v) };
    }
    case 'bool': {
      const el = h('input', { type: 'checkbox', 'aria-label': col.label });
      el.checked = Boolean(value);
      return { el, get: () => el.checked };
    }
    case 'int': {
      const el = h('input', { class: 'input input-sm', type: 'number', step: 1, 'aria-label': col.label });
      el.value = value ?? '';
      return { el, get: () => (el.value === '' ? 0 : Number.parseInt(el.value, 10)) };
    }
    case 'date': {
      const el = h('input', { class: 'input input-sm', type: 'date', 'aria-label': col.label });
      el.value = value ?? '';
      return { el, get: () => el.value || null };
    }
    case 'reldate': {
      const month = h('input', { class: 'input input-sm input-tiny', type: 'number', step: 1, min: -24, max: 24, 'aria-label': `${col.label}: số tháng so với tháng cuối kỳ`, title: 'Số tháng so với tháng cuối kỳ (0 = tháng cuối kỳ, -1 = tháng trước)' });
      const day = h('input', { class: 'input input-sm input-tiny', type: 'number', step: 1, min: 1, max: 31, 'aria-label': `${col.label}: ngày`, title: 'Ngày trong tháng' });
      month.value = value ? value.month_offset ?? 0 : '';
      day.value = value?.day || '';
      return {
        el: h('div', { class: 'reldate' }, h('span', { class: 'muted' }, 'th'), month, h('span', { class: 'muted' }, 'ng'), day),
        get: () => (day.value === '' ? null : { month_offset: Number.parseInt(month.value || '0', 10), day: Number.parseInt(day.value, 10) }),
      };
    }
    case 'ref': {
      const el = h('input', { class: 'input input-sm input-mono', list: 'indicator-codes', 'aria-label': col.label, spellcheck: 'false', title: ctx.indicatorName(value) ?? '' });
      el.value = value ?? '';
      return { el, get: () => el.value.trim() };
    }
    default: {
      const el = h('input', { class: 'input input-sm', 'aria-label': col.label, inputmode: col.type === 'decimal' ? 'decimal' : null });
      el.value = value ?? '';
      return { el, get: () => el.value.trim() };
    }
  }
}

function tableInput(field, rows, ctx, id, testid) {
  const body = h('tbody');
  const entries = [];
  const addRow = (row = {}) => {
    const cells = field.columns.map((c) => ({ key: c.key, ...cellInput(c, row[c.key], ctx) }));
    const tr = h('tr', {}, ...cells.map((c) => h('td', {}, c.el)));
    const entry = { row, cells, tr };
    const remove = h('button', {
      type: 'button', class: 'icon-button icon-button-sm', 'aria-label': 'Xóa dòng', title: 'Xóa dòng',
      onclick: () => {
        entries.splice(entries.indexOf(entry), 1);
        tr.remove();
      },
    }, '×');
    tr.append(h('td', { class: 'cell-action' }, remove));
    entries.push(entry);
    body.append(tr);
    return entry;
  };
  for (const row of rows) addRow(row);
  const el = h('div', { class: 'table-editor', id, 'data-testid': testid },
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data-table data-table-compact data-table-edit' },
        h('thead', {}, h('tr', {},
          ...field.columns.map((c) => h('th', { scope: 'col', style: c.width ? { width: c.width } : null }, c.label)),
          h('th', { class: 'cell-action' }, h('span', { class: 'visually-hidden' }, 'Xóa')))),
        body)),
    h('button', {
      type: 'button', class: 'btn btn-sm', 'data-testid': `${testid}-add`,
      onclick: () => addRow().cells[0]?.el.querySelector?.('input,select')?.focus?.() ?? null,
    }, '+ Thêm dòng'));
  return {
    id, el,
    // Keep the fields the editor does not show (e.g. responsible_kind) from the original row;
    // drop the ones the server computes.
    get: () => entries.map((e) => ({ ...stripComputed(e.row), ...Object.fromEntries(e.cells.map((c) => [c.key, c.get()])) })),
  };
}

