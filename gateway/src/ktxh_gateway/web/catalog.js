// The catalog screens: browse (search without diacritics, filters, date), detail with the
// history of versions, create / edit with an effective date, retire; for calendars the
// deadlines of a period; for indicator sets export and import (import.js).

import { ApiError } from './api.js';
import { BY_KEY, fieldsOf } from './catalogs.js';
import { debounce, h } from './dom.js';
import { FieldInputError, createInput, legalText, renderValue, stripComputed } from './fields.js';
import { ImportScreen } from './import.js';
import { PERIOD_KINDS, historyFieldLabel, historyValue } from './labels.js';
import { findFolded, foldQuery, formatDate, formatDateTime, numberFormat } from './text.js';
import { randomUUID } from './oidc.js';

const PAGE_SIZE = 50;

const VN_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Việt Nam, YYYY-MM-DD (the date the services use for "today"). */
export function todayIso() {
  return VN_DATE.format(new Date());
}

function dayAfter(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Status of an item as read (the revision in force on the date asked). `nextRetired`: whether
 * the revision after it is a retirement (known from the history; unknown in lists).
 */
export function itemStatus(item, { today = todayIso(), nextRetired = null } = {}) {
  if (item.retired) return { key: 'retired', label: 'Ngừng sử dụng' };
  if (item.valid_from && item.valid_from > today) return { key: 'upcoming', label: 'Sắp có hiệu lực' };
  if (item.valid_to && item.valid_to < today) return { key: 'ended', label: 'Hết hiệu lực' };
  if (item.valid_to && nextRetired) {
    return { key: 'ending', label: `Hiệu lực đến ${formatDate(item.valid_to)}` };
  }
  if (item.valid_to) {
    return { key: 'active', label: 'Đang hiệu lực', next: `Thay đổi từ ${formatDate(dayAfter(item.valid_to))}` };
  }
  return { key: 'active', label: 'Đang hiệu lực' };
}

function statusBadge(item, testid, opts) {
  const s = itemStatus(item, opts);
  return h('span', { class: 'status-wrap', 'data-testid': testid },
    h('span', { class: `status status-${s.key}` }, s.label),
    s.next ? h('span', { class: 'status status-upcoming' }, s.next) : null);
}

/** `text` with the (folded) query highlighted: the phrase, or else each word. */
function highlight(text, query) {
  const q = foldQuery(query);
  const source = String(text ?? '');
  if (!q) return [source];
  const phrase = findFolded(source, q);
  const ranges = (phrase ? [phrase] : q.split(' ').map((w) => findFolded(source, w)).filter(Boolean))
    .sort((a, b) => a[0] - b[0]);
  const out = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    out.push(source.slice(at, start), h('mark', {}, source.slice(start, end)));
    at = end;
  }
  out.push(source.slice(at));
  return out;
}

const problemMessage = (err, fallback) => [err?.title || fallback, err?.detail].filter(Boolean).join(': ');

export class CatalogScreens {
  /**
   * @param {HTMLElement} root  the <section id="view-catalog">
   * @param {{api, canEdit: boolean, toast: (m: string) => void, onApiError: (e) => void, setTitle: (t: string) => void}} opts
   */
  constructor(root, opts) {
    this.root = root;
    this.api = opts.api;
    this.canEdit = opts.canEdit;
    this.toast = opts.toast;
    this.onApiError = opts.onApiError;
    this.setTitle = opts.setTitle;
    this.seq = 0;
    this.listState = new Map(); // catalog key -> {q, filters, asOf, includeRetired}
    this.indicators = null; // Promise<Map code -> indicator>
    this.indicatorMap = new Map();
    this.optionCache = new Map();
    this.importScreen = new ImportScreen(this);
    this.ctx = {
      indicatorName: (code) => this.indicatorMap.get(code)?.name ?? null,
      link: (catalogKey, code) => {
        const c = BY_KEY[catalogKey];
        return c ? h('a', { href: `#/${c.route}/${encodeURIComponent(code)}`, class: 'ref-link' }, h('code', {}, code)) : code;
      },
      options: (catalogKey) => this.options(catalogKey),
    };
  }

  // ---------------------------------------------------------------- shared data

  /** Every indicator (code -> item), loaded once, for names and the code pickers. */
  loadIndicators(force = false) {
    if (this.indicators && !force) return this.indicators;
    this.indicators = (async () => {
      const map = new Map();
      let pageToken;
      for (let guard = 0; guard < 40; guard += 1) {
        const page = await this.api.listCatalog('/indicators', { page_size: 500, page_token: pageToken, include_retired: true });
        for (const item of page.items ?? []) map.set(item.code, item);
        pageToken = page.next_page_token;
        if (!pageToken) break;
      }
      this.indicatorMap = map;
      const list = document.getElementById('indicator-codes') ?? document.body.appendChild(h('datalist', { id: 'indicator-codes' }));
      list.replaceChildren(...[...map.values()].map((i) => h('option', { value: i.code }, i.name)));
      return map;
    })().catch((err) => {
      this.indicators = null;
      throw err;
    });
    return this.indicators;
  }

  /** [{code, name}] of a catalog (for filters and pickers), cached. */
  options(catalogKey) {
    if (!this.optionCache.has(catalogKey)) {
      const c = BY_KEY[catalogKey];
      const p = this.api.listCatalog(c.path, { page_size: 500 })
        .then((page) => (page.items ?? []).map((i) => ({ code: i.code, name: i[c.nameField ?? 'name'] ?? '' })))
        .catch((err) => {
          this.optionCache.delete(catalogKey);
          throw err;
        });
      this.optionCache.set(catalogKey, p);
    }
    return this.optionCache.get(catalogKey);
  }

  invalidate(catalog) {
    this.optionCache.delete(catalog.key);
    if (catalog.key === 'indicators' || catalog.key === 'indicator-sets') this.indicators = null;
  }

  // ---------------------------------------------------------------- routing

  /** route: {catalog, code, action: 'list'|'detail'|'new'|'edit'|'import', asOf} */
  async show(route) {
    const token = (this.seq += 1);
    const { catalog } = route;
    this.current = route;
    this.setRoot(h('div', { class: 'view-center view-loading-inline' },
      h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('p', {}, 'Đang tải…')));
    this.loadIndicators().catch(() => {});
    try {
      if (route.action === 'import') {
        this.setTitle(`Nhập bộ chỉ số`);
        this.importScreen.render(token);
      } else if (route.action === 'new') {
        this.setTitle(`Thêm ${catalog.singular}`);
        await this.renderForm(token, catalog, null);
      } else if (route.action === 'edit') {
        const item = await this.api.getCatalog(catalog.path, route.code);
        if (token !== this.seq) return;
        this.setTitle(`Sửa ${catalog.singular} ${route.code}`);
        await this.renderForm(token, catalog, item);
      } else if (route.code) {
        await this.renderDetail(token, catalog, route.code, route.asOf);
      } else {
        this.setTitle(catalog.title);
        this.renderList(token, catalog);
      }
    } catch (err) {
      if (token !== this.seq) return;
      this.onApiError(err);
      console.error(err);
      this.renderError(catalog, err);
    }
  }

  /** Replace the screen's content (null / false children are skipped). */
  setRoot(...children) {
    this.root.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  isCurrent(token) {
    return token === this.seq;
  }

  renderError(catalog, err) {
    const notFound = err instanceof ApiError && err.status === 404;
    this.setRoot(
      this.breadcrumb(catalog, this.current?.code),
      h('div', { class: 'card message-card message-card-left', role: 'alert', 'data-testid': 'catalog-error' },
        h('h1', { class: 'message-title' }, notFound ? `Không tìm thấy ${catalog.singular}` : (err.title || 'Đã có lỗi xảy ra')),
        h('p', { class: 'muted' }, notFound ? `Không có ${catalog.singular} mã “${this.current?.code}”.` : (err.detail || '')),
        h('div', { class: 'actions actions-left' },
          h('a', { class: 'btn', href: `#/${catalog.route}` }, `Về danh sách ${catalog.title.toLowerCase()}`),
          notFound ? null : h('button', { type: 'button', class: 'btn btn-primary', onclick: () => this.show(this.current) }, 'Thử lại'))));
  }

  breadcrumb(catalog, code, extra) {
    return h('nav', { class: 'breadcrumb', 'aria-label': 'Vị trí' },
      h('a', { href: `#/${catalog.route}` }, catalog.title),
      code ? [h('span', { 'aria-hidden': 'true' }, '›'), h('a', { href: `#/${catalog.route}/${encodeURIComponent(code)}` }, code)] : null,
      extra ? [h('span', { 'aria-hidden': 'true' }, '›'), h('span', { 'aria-current': 'page' }, extra)] : null);
  }

  // ---------------------------------------------------------------- list

  stateOf(catalog) {
    if (!this.listState.has(catalog.key)) {
      this.listState.set(catalog.key, { q: '', filters: {}, asOf: '', includeRetired: false });
    }
    return this.listState.get(catalog.key);
  }

  renderList(token, catalog) {
    const state = this.stateOf(catalog);
    const addButton = this.canEdit
      ? h('a', { class: 'btn btn-primary', href: `#/${catalog.route}/moi`, 'data-testid': 'catalog-add' },
        h('span', { class: 'btn-icon', 'aria-hidden': 'true' }, '+'), ` Thêm ${catalog.singular}`)
      : null;
    const importButton = this.canEdit && catalog.importable
      ? h('a', { class: 'btn', href: `#/${catalog.route}/nhap`, 'data-testid': 'catalog-import' }, 'Nhập từ Excel')
      : null;

    const search = h('input', {
      type: 'search', id: 'catalog-search', class: 'input', 'data-testid': 'catalog-search',
      placeholder: catalog.searchHint ?? 'Tên hoặc mã, không cần dấu', autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': 'catalog-summary',
    });
    search.value = state.q;
    const asOf = h('input', { type: 'date', id: 'catalog-as-of', class: 'input', 'data-testid': 'catalog-as-of' });
    asOf.value = state.asOf;
    const retired = h('input', { type: 'checkbox', id: 'catalog-retired', 'data-testid': 'catalog-include-retired' });
    retired.checked = state.includeRetired;

    const filterEls = catalog.filters.map((f) => {
      const id = `filter-${f.key}`;
      let input;
      if (f.type === 'enum') {
        input = h('select', { id, class: 'input', 'data-testid': id },
          h('option', { value: '' }, 'Tất cả'), ...Object.entries(f.options).map(([v, l]) => h('option', { value: v }, l)));
      } else if (f.type === 'catalog') {
        input = h('select', { id, class: 'input', 'data-testid': id }, h('option', { value: '' }, 'Tất cả'));
        this.options(f.catalog).then((opts) => {
          input.append(...opts.map((o) => h('option', { value: o.code }, o.code)));
          input.value = state.filters[f.key] ?? '';
        }, () => {});
      } else {
        input = h('input', {
          id, class: 'input input-narrow', 'data-testid': id, placeholder: f.placeholder ?? '',
          type: f.type === 'int' ? 'number' : 'text', autocomplete: 'off',
        });
      }
      input.value = state.filters[f.key] ?? '';
      input.addEventListener(f.type === 'enum' || f.type === 'catalog' ? 'change' : 'input', debounce(() => {
        state.filters[f.key] = input.value.trim();
        load();
      }, f.type === 'enum' || f.type === 'catalog' ? 0 : 300));
      return h('div', { class: 'field' }, h('label', { for: id }, f.label), input);
    });

    const summary = h('p', { class: 'search-summary', id: 'catalog-summary', 'data-testid': 'catalog-summary', 'aria-live': 'polite' });
    const tbody = h('tbody');
    const table = h('table', { class: 'data-table', 'data-testid': 'catalog-table' },
      h('thead', {}, h('tr', {},
        ...catalog.columns.map((c) => h('th', { scope: 'col', class: c.main ? 'col-main' : null }, c.label)),
        h('th', { scope: 'col' }, 'Hiệu lực từ'),
        h('th', { scope: 'col' }, 'Trạng thái'))),
      tbody);
    const more = h('button', { type: 'button', class: 'btn', 'data-testid': 'catalog-more', hidden: true }, 'Xem thêm');
    const empty = h('div', { class: 'empty-state', 'data-testid': 'catalog-empty', hidden: true });
    const loading = h('div', { class: 'tree-state', hidden: true }, h('div', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }), ' Đang tải…');
    const errorBox = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'catalog-list-error', hidden: true });

    this.setRoot(
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', { id: 'page-title', 'data-testid': 'catalog-title' }, catalog.title),
          h('p', { class: 'muted page-lead' }, catalog.lead)),
        h('div', { class: 'page-actions' }, importButton, addButton)),
      h('div', { class: 'toolbar card', role: 'search', 'aria-label': `Tìm và lọc ${catalog.title.toLowerCase()}` },
        h('div', { class: 'field field-grow' }, h('label', { for: 'catalog-search' }, `Tìm ${catalog.singular}`),
          h('div', { class: 'search-wrap' }, search)),
        ...filterEls,
        h('div', { class: 'field' }, h('label', { for: 'catalog-as-of' }, 'Thời điểm'), asOf,
          h('span', { class: 'hint' }, 'Trống: hiện hành')),
        h('div', { class: 'field field-check' }, h('label', { class: 'check-label', for: 'catalog-retired' }, retired, ' Gồm cả mục ngừng sử dụng'))),
      h('section', { class: 'card list-card', 'aria-labelledby': 'page-title' },
        summary, errorBox, loading, h('div', { class: 'table-wrap' }, table), empty,
        h('div', { class: 'list-foot' }, more)));

    let pageToken = '';
    let shown = 0;
    let loadSeq = 0;
    const row = (item) => {
      const href = `#/${catalog.route}/${encodeURIComponent(item.code)}${state.asOf ? `?ngay=${state.asOf}` : ''}`;
      const cells = catalog.columns.map((c) => {
        const v = item[c.key];
        let content;
        if (c.main) {
          const text = c.type === 'ref' ? `${v} ${this.ctx.indicatorName(v) ?? ''}`.trim() : (v ?? '');
          content = h('a', { href, class: 'row-link', 'data-testid': `catalog-link-${item.code}` }, highlight(text, state.q));
        } else if (c.key === 'code') {
          content = h('code', {}, highlight(v, state.q));
        } else if (c.type === 'count') {
          content = numberFormat.format((v ?? []).length);
        } else if (c.type === 'range') {
          content = v ? `${v}–${item[c.to]}` : '';
        } else if (c.type === 'date') {
          content = formatDate(v);
        } else if (c.type === 'enum') {
          content = v ? (c.options[v] ?? v) : '';
        } else if (c.type === 'enums') {
          content = (v ?? []).map((x) => c.options[x] ?? x).join(' / ');
        } else {
          content = v ?? '';
        }
        const cls = c.main ? 'col-main' : (['enum', 'enums', 'date', 'range', 'code'].includes(c.type) || c.key === 'code' ? 'nowrap' : null);
        return h('td', { class: cls }, content);
      });
      const tr = h('tr', { 'data-testid': `catalog-row-${item.code}`, class: item.retired ? 'is-retired' : null },
        ...cells, h('td', { class: 'nowrap' }, formatDate(item.valid_from)), h('td', {}, statusBadge(item)));
      tr.addEventListener('click', (e) => {
        if (e.target.closest('a')) return;
        location.hash = href;
      });
      return tr;
    };

    const load = async (append = false) => {
      const mine = (loadSeq += 1);
      if (!append) {
        pageToken = '';
        shown = 0;
      }
      const query = {
        q: state.q, as_of: state.asOf, include_retired: state.includeRetired ? 'true' : '',
        page_size: PAGE_SIZE, page_token: append ? pageToken : '',
        ...Object.fromEntries(Object.entries(state.filters).filter(([, v]) => v)),
      };
      loading.hidden = false;
      errorBox.hidden = true;
      table.setAttribute('aria-busy', 'true');
      try {
        const page = await this.api.listCatalog(catalog.path, query);
        if (mine !== loadSeq || !this.isCurrent(token)) return;
        if (catalog.columns.some((c) => c.type === 'ref')) await this.loadIndicators().catch(() => {});
        if (!append) tbody.replaceChildren();
        for (const item of page.items ?? []) tbody.append(row(item));
        shown += (page.items ?? []).length;
        pageToken = page.next_page_token;
        more.hidden = !pageToken;
        const total = page.total ?? shown;
        const filtered = state.q || Object.values(state.filters).some(Boolean);
        summary.classList.toggle('is-empty', total === 0);
        if (total === 0) {
          summary.textContent = filtered ? `Không tìm thấy ${catalog.singular} nào phù hợp.` : '';
        } else {
          summary.textContent = `${filtered ? 'Tìm thấy' : 'Có'} ${numberFormat.format(total)} ${catalog.singular}`
            + (shown < total ? ` (đang hiển thị ${numberFormat.format(shown)}).` : '.');
        }
        empty.hidden = total !== 0;
        empty.replaceChildren(h('p', {}, filtered ? 'Không có kết quả. Thử bỏ bớt bộ lọc hoặc tìm bằng từ khác.' : `Chưa có ${catalog.singular} nào.`));
        if (!filtered && addButton) empty.append(h('p', { class: 'muted' }, `Bấm “Thêm ${catalog.singular}”${importButton ? ' hoặc “Nhập từ Excel”' : ''} để bắt đầu.`));
      } catch (err) {
        if (mine !== loadSeq) return;
        this.onApiError(err);
        errorBox.replaceChildren(h('strong', {}, err.title || 'Không tải được danh sách'), ' ', err.detail || '',
          h('div', {}, h('button', { type: 'button', class: 'btn btn-sm', onclick: () => load() }, 'Thử lại')));
        errorBox.hidden = false;
      } finally {
        if (mine === loadSeq) {
          loading.hidden = true;
          table.removeAttribute('aria-busy');
        }
      }
    };

    search.addEventListener('input', debounce(() => {
      state.q = search.value;
      load();
    }, 250));
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && search.value) {
        search.value = '';
        state.q = '';
        load();
      } else if (e.key === 'Enter') {
        const first = tbody.querySelector('a.row-link');
        if (first) first.focus();
      }
    });
    asOf.addEventListener('change', () => {
      state.asOf = asOf.value;
      load();
    });
    retired.addEventListener('change', () => {
      state.includeRetired = retired.checked;
      load();
    });
    more.addEventListener('click', () => load(true));
    load();
    search.focus();
  }

  // ---------------------------------------------------------------- detail

  async renderDetail(token, catalog, code, asOf) {
    const [item, history] = await Promise.all([
      this.api.getCatalog(catalog.path, code, { asOf }),
      this.api.catalogHistory(catalog.path, code).catch((err) => {
        this.onApiError(err);
        return { error: err, revisions: [] };
      }),
    ]);
    await this.loadIndicators().catch(() => {});
    if (!this.isCurrent(token)) return;
    const nameKey = catalog.nameField ?? 'name';
    const title = nameKey === 'indicator_code'
      ? `${item.indicator_code} ${this.ctx.indicatorName(item.indicator_code) ?? ''}`.trim()
      : item[nameKey];
    this.setTitle(`${item.code} · ${catalog.title}`);

    const revisions = history.revisions ?? [];
    const last = revisions[revisions.length - 1];
    const retiredFrom = last?.retired ? last.valid_from : null;
    const actions = [];
    if (catalog.key === 'indicator-sets') {
      actions.push(
        h('button', { type: 'button', class: 'btn', 'data-testid': 'export-xlsx', onclick: (e) => this.export(e.currentTarget, item, 'xlsx', asOf) }, 'Xuất Excel'),
        h('button', { type: 'button', class: 'btn', 'data-testid': 'export-json', onclick: (e) => this.export(e.currentTarget, item, 'json', asOf) }, 'Xuất JSON'),
      );
    }
    if (this.canEdit && !asOf && !retiredFrom) {
      actions.push(
        h('a', { class: 'btn btn-primary', href: `#/${catalog.route}/${encodeURIComponent(code)}/sua`, 'data-testid': 'edit-button' }, 'Sửa'),
        h('button', { type: 'button', class: 'btn btn-danger-outline', 'data-testid': 'retire-button', onclick: () => this.openRetire(catalog, item) }, 'Ngừng sử dụng'),
      );
    }
    const retiredBanner = retiredFrom
      ? h('div', { class: 'banner-inline banner-retired', 'data-testid': 'retired-banner' },
        h('span', {}, retiredFrom > todayIso()
          ? `${catalog.singular[0].toUpperCase()}${catalog.singular.slice(1)} này sẽ ngừng sử dụng từ ngày ${formatDate(retiredFrom)}.`
          : `${catalog.singular[0].toUpperCase()}${catalog.singular.slice(1)} này đã ngừng sử dụng từ ngày ${formatDate(retiredFrom)}.`),
        last.reason ? h('span', { class: 'muted' }, `Lý do: ${last.reason}`) : null)
      : null;

    const asOfBanner = asOf
      ? h('div', { class: 'banner-inline', 'data-testid': 'as-of-banner' },
        h('span', {}, `Đang xem phiên bản có hiệu lực tại ngày ${formatDate(asOf)}.`),
        h('a', { href: `#/${catalog.route}/${encodeURIComponent(code)}`, class: 'btn btn-sm' }, 'Xem phiên bản hiện hành'))
      : null;

    const isEmpty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length)
      || (typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => !x));
    const sections = catalog.sections.map((section) => {
      // empty optional fields are left out (a sum indicator has no numerator, no bounds...)
      const shown = section.fields.filter((f) => f.required || f.type === 'table' || !isEmpty(item[f.key]));
      if (!shown.length) return null;
      const dl = h('dl', { class: 'field-list' });
      for (const f of shown) {
        const value = item[f.key];
        const wide = f.wide || f.type === 'table' || f.type === 'sections';
        const bare = f.type === 'table' && shown.length === 1;
        dl.append(h('div', { class: `field-item${wide ? ' field-item-wide' : ''}` },
          h('dt', { class: bare ? 'visually-hidden' : null }, f.label), h('dd', { 'data-testid': `value-${f.key}` }, renderValue(f, value, this.ctx))));
      }
      return h('section', { class: 'card detail-card' }, h('h2', { class: 'card-title' }, section.title), dl);
    });

    const meta = h('section', { class: 'card detail-card' }, h('h2', { class: 'card-title' }, 'Hiệu lực'),
      h('dl', { class: 'field-list' },
        ...[
          ['valid-from', 'Hiệu lực từ ngày', formatDate(item.valid_from) || '—'],
          ['valid-to', 'Hiệu lực đến ngày', item.valid_to ? formatDate(item.valid_to) : 'Chưa xác định'],
          ['revision', 'Phiên bản đang xem', item.revision ? `${item.revision}` : '—'],
          ['updated', 'Cập nhật', item.audit?.updated_at ? `${formatDateTime(item.audit.updated_at)}${item.audit.updated_by ? ` bởi ${item.audit.updated_by}` : ''}` : '—'],
        ].map(([k, l, v]) => h('div', { class: 'field-item' }, h('dt', {}, l), h('dd', { 'data-testid': `value-${k}` }, v)))));

    const aside = [this.historyPanel(catalog, code, history, item, asOf)];
    if (catalog.key === 'calendars') aside.unshift(this.deadlinePanel(item));
    if (catalog.key === 'indicators') aside.unshift(await this.setsOfIndicator(item).catch(() => null));

    this.setRoot(
      this.breadcrumb(catalog, null, item.code),
      h('div', { class: 'page-head detail-head' },
        h('div', { class: 'detail-title-wrap' },
          h('div', { class: 'detail-kicker' }, h('code', { class: 'code-chip', 'data-testid': 'item-code' }, item.code), statusBadge(item, 'item-status', { nextRetired: revisions.find((r) => r.number > (item.revision ?? 0) && !r.superseded)?.retired ?? null })),
          h('h1', { id: 'page-title', 'data-testid': 'item-title' }, title),
          catalog.key === 'indicator-sets' && legalText(item.legal_document)
            ? h('p', { class: 'muted page-lead' }, `Căn cứ: ${legalText(item.legal_document)}`) : null),
        h('div', { class: 'page-actions' }, ...actions)),
      asOfBanner,
      retiredBanner,
      h('div', { class: 'detail-layout' },
        h('div', { class: 'detail-main' }, ...sections.filter(Boolean), meta),
        h('aside', { class: 'detail-aside' }, ...aside.filter(Boolean))));
  }

  async setsOfIndicator(item) {
    const page = await this.api.listCatalog('/indicator-sets', { page_size: 100 });
    const sets = (page.items ?? []).filter((s) => (s.items ?? []).some((i) => i.indicator_code === item.code));
    if (!sets.length) return null;
    return h('section', { class: 'card side-card', 'data-testid': 'indicator-sets-of' },
      h('h2', { class: 'card-title' }, 'Thuộc bộ chỉ số'),
      h('ul', { class: 'plain-list' }, ...sets.map((s) => {
        const m = s.items.find((i) => i.indicator_code === item.code);
        return h('li', {}, this.ctx.link('indicator-sets', s.code), ' ',
          h('span', { class: 'muted' }, [m.ordinal && `STT ${m.ordinal}`, m.responsible_office, (m.frequencies ?? []).map((f) => PERIOD_KINDS[f] ?? f).join(' / ')].filter(Boolean).join(' · ')));
      })));
  }

  historyPanel(catalog, code, history, shownItem, asOf) {
    const revisions = history.revisions ?? [];
    const today = todayIso();
    const items = revisions.slice().reverse().map((rev, idxFromEnd) => {
      const index = revisions.length - 1 - idxFromEnd;
      const previous = index > 0 ? revisions[index - 1] : null;
      let state;
      if (rev.superseded) state = { key: 'superseded', label: 'Bị thay thế' };
      else if (rev.valid_from > today) state = { key: 'upcoming', label: 'Sắp có hiệu lực' };
      else if (!rev.valid_to || rev.valid_to >= today) state = rev.retired ? { key: 'retired', label: 'Ngừng sử dụng' } : { key: 'active', label: 'Đang hiệu lực' };
      else state = { key: 'ended', label: 'Đã hết hiệu lực' };
      const action = { created: 'Tạo mới', revised: 'Sửa đổi', retired: 'Ngừng sử dụng', reinstated: 'Dùng lại' }[rev.action] ?? rev.action;
      const changes = previous && rev.action !== 'retired'
        ? (rev.changed_fields ?? []).map((f) => h('li', { 'data-testid': `history-change-${rev.number}-${f}` },
          h('span', { class: 'change-field' }, historyFieldLabel(f)), ': ',
          h('span', { class: 'change-before' }, historyValue(f, previous.definition?.[f])), ' → ',
          h('span', { class: 'change-after' }, historyValue(f, rev.definition?.[f]))))
        : [];
      const viewing = shownItem.revision === rev.number;
      const range = rev.superseded
        ? 'Chưa từng có hiệu lực'
        : `Hiệu lực từ ${formatDate(rev.valid_from)}${rev.valid_to ? ` đến ${formatDate(rev.valid_to)}` : ''}`;
      return h('li', { class: `timeline-item timeline-${state.key}${viewing ? ' is-viewing' : ''}`, 'data-testid': `history-item-${rev.number}` },
        h('div', { class: 'timeline-head' },
          h('strong', {}, `Phiên bản ${rev.number}`), ' · ', action,
          h('span', { class: `status status-${state.key}` }, state.label)),
        h('p', { class: 'timeline-range', 'data-testid': `history-range-${rev.number}` }, range),
        h('p', { class: 'muted timeline-meta' }, [rev.author, formatDateTime(rev.recorded_at)].filter(Boolean).join(' · ')),
        rev.reason ? h('p', { class: 'timeline-reason' }, `Lý do: ${rev.reason}`) : null,
        changes.length ? h('ul', { class: 'change-list' }, ...changes) : null,
        !rev.superseded && !viewing
          ? h('a', {
            class: 'link-button timeline-view', 'data-testid': `history-view-${rev.number}`,
            href: `#/${catalog.route}/${encodeURIComponent(code)}?ngay=${rev.valid_from}`,
          }, 'Xem phiên bản này')
          : (viewing ? h('span', { class: 'muted timeline-view' }, asOf ? 'Đang xem' : 'Đang hiển thị') : null));
    });
    return h('section', { class: 'card side-card', 'data-testid': 'history', 'aria-labelledby': 'history-title' },
      h('h2', { class: 'card-title', id: 'history-title' }, 'Lịch sử thay đổi'),
      history.error
        ? h('p', { class: 'field-error' }, problemMessage(history.error, 'Không tải được lịch sử'))
        : items.length ? h('ol', { class: 'timeline' }, ...items) : h('p', { class: 'muted' }, 'Chưa có lịch sử.'));
  }

  deadlinePanel(calendar) {
    const now = new Date();
    const kind = h('select', { class: 'input', 'data-testid': 'deadline-kind', 'aria-label': 'Loại kỳ' },
      h('option', { value: 'M' }, 'Tháng'), h('option', { value: 'Q' }, 'Quý'), h('option', { value: 'H' }, '6 tháng'), h('option', { value: 'Y' }, 'Năm'));
    const number = h('input', { class: 'input input-tiny', type: 'number', min: 1, max: 12, 'data-testid': 'deadline-number', 'aria-label': 'Số kỳ' });
    number.value = now.getMonth() + 1;
    const year = h('input', { class: 'input input-year', type: 'number', min: 2000, max: 2100, 'data-testid': 'deadline-year', 'aria-label': 'Năm' });
    year.value = now.getFullYear();
    const out = h('div', { class: 'deadline-result', 'data-testid': 'deadline-result', 'aria-live': 'polite' });
    const periodCode = () => {
      const n = Number(number.value);
      const y = year.value;
      switch (kind.value) {
        case 'M': return `${y}-M${String(n).padStart(2, '0')}`;
        case 'Q': return `${y}-Q${n}`;
        case 'H': return `${y}-H${n}`;
        default: return `${y}`;
      }
    };
    const syncNumber = () => {
      const max = { M: 12, Q: 4, H: 2, Y: 1 }[kind.value];
      number.max = max;
      number.disabled = kind.value === 'Y';
      if (Number(number.value) > max) number.value = max;
    };
    kind.addEventListener('change', syncNumber);
    const compute = async () => {
      out.replaceChildren(h('span', { class: 'muted' }, 'Đang tính…'));
      try {
        const r = await this.api.deadlines(calendar.code, periodCode());
        out.replaceChildren(
          h('p', { class: 'deadline-period' }, r.period_label || r.period?.code || periodCode()),
          h('dl', { class: 'deadline-list' },
            h('div', { class: 'deadline-row deadline-main' }, h('dt', {}, 'Hạn báo cáo'), h('dd', { 'data-testid': 'deadline-due' }, formatDate(r.due_date))),
            r.cutoff_start ? h('div', { class: 'deadline-row' }, h('dt', {}, 'Thời gian chốt số liệu'), h('dd', { 'data-testid': 'deadline-cutoff' }, `${formatDate(r.cutoff_start)} – ${formatDate(r.cutoff_end)}`)) : null,
            (r.internal_deadlines ?? []).length ? h('p', { class: 'deadline-sub' }, 'Hạn nội bộ') : null,
            ...(r.internal_deadlines ?? []).map((d) => h('div', { class: 'deadline-row' },
              h('dt', {}, d.name || d.step, d.responsible ? h('span', { class: 'muted' }, ` (${d.responsible})`) : null),
              h('dd', {}, formatDate(d.due_date))))));
      } catch (err) {
        this.onApiError(err);
        out.replaceChildren(h('p', { class: 'field-error' }, problemMessage(err, 'Không tính được hạn'),
          ...(err.problem?.errors ?? []).map((e) => h('span', {}, ` ${e.message}`))));
      }
    };
    syncNumber();
    queueMicrotask(compute);
    return h('section', { class: 'card side-card', 'data-testid': 'deadline-panel' },
      h('h2', { class: 'card-title' }, 'Tính hạn báo cáo'),
      h('div', { class: 'inline deadline-form' }, kind, number, year,
        h('button', { type: 'button', class: 'btn', 'data-testid': 'deadline-compute', onclick: compute }, 'Tính')),
      out);
  }

  async export(button, item, format, asOf) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = 'Đang xuất…';
    try {
      const { blob, filename } = await this.api.download(`/indicator-sets/${encodeURIComponent(item.code)}/export`, { format, as_of: asOf });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: filename, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      this.toast(`Đã xuất “${filename}”.`);
    } catch (err) {
      this.onApiError(err);
      this.toast(problemMessage(err, 'Không xuất được tệp'));
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  // ---------------------------------------------------------------- retire

  openRetire(catalog, item) {
    const validTo = h('input', { type: 'date', class: 'input', id: 'retire-valid-to', 'data-testid': 'retire-valid-to' });
    validTo.value = todayIso();
    const reason = h('textarea', { class: 'input textarea', id: 'retire-reason', 'data-testid': 'retire-reason', rows: 3, maxlength: 1000 });
    const error = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'retire-error', hidden: true });
    const confirm = h('button', { type: 'submit', class: 'btn btn-danger', 'data-testid': 'retire-confirm' }, 'Ngừng sử dụng');
    const dialog = h('dialog', { class: 'dialog', 'data-testid': 'retire-dialog', 'aria-labelledby': 'retire-title' });
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    const form = h('form', { novalidate: true },
      h('div', { class: 'dialog-head' }, h('h2', { id: 'retire-title' }, `Ngừng sử dụng ${catalog.singular}`),
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Đóng', onclick: close }, '×')),
      h('p', {}, h('code', { class: 'code-chip' }, item.code), ' ', item[catalog.nameField ?? 'name'] ?? ''),
      h('p', { class: 'muted' }, 'Mục danh mục không bị xóa: số liệu đã báo cáo vẫn giữ nguyên định nghĩa. Từ ngày sau ngày cuối hiệu lực, mục không còn được dùng cho kỳ báo cáo mới.'),
      error,
      h('div', { class: 'form-grid' },
        h('div', { class: 'field' }, h('label', { for: 'retire-valid-to' }, 'Ngày cuối còn hiệu lực'), validTo),
        h('div', { class: 'field field-wide' }, h('label', { for: 'retire-reason' }, 'Lý do'), reason)),
      h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'btn', onclick: close }, 'Hủy'), confirm));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      confirm.disabled = true;
      error.hidden = true;
      try {
        await this.api.retireCatalog(catalog.path, item.code, item.version, {
          valid_to: validTo.value || null, reason: reason.value.trim(),
        });
        close();
        this.invalidate(catalog);
        this.toast(`Đã ngừng sử dụng ${catalog.singular} “${item.code}”.`);
        this.show(this.current);
      } catch (err) {
        this.onApiError(err);
        error.replaceChildren(h('strong', {}, err.status === 412 ? 'Dữ liệu đã được người khác sửa, vui lòng tải lại.' : (err.title || 'Không thực hiện được')),
          ' ', err.status === 412 ? '' : (err.detail || ''),
          ...(err.problem?.errors ?? []).map((fe) => h('div', {}, fe.message)));
        error.hidden = false;
      } finally {
        confirm.disabled = false;
      }
    });
    dialog.append(form);
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    validTo.focus();
  }

  // ---------------------------------------------------------------- create / edit

  async renderForm(token, catalog, item) {
    const editing = Boolean(item);
    const fields = fieldsOf(catalog);
    const inputs = new Map();
    const errorEls = new Map();
    const formError = h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'catalog-form-error', hidden: true });

    const sectionEls = catalog.sections.map((section) => {
      const grid = h('div', { class: 'form-grid form-grid-3' });
      for (const f of section.fields) {
        if (f.readOnly) continue;
        const fixed = editing && f.createOnly;
        const input = createInput(f, editing ? item[f.key] : catalog.defaults?.[f.key], this.ctx);
        const control = input.focusEl ?? input.el.querySelector?.('input,select,textarea') ?? input.el;
        if (fixed && 'readOnly' in control) {
          control.readOnly = true;
          control.classList.add('is-fixed');
        }
        inputs.set(f.key, { field: f, input, control });
        const err = h('p', { class: 'field-error', id: `${input.id}-error`, 'data-testid': `catalog-field-error-${f.key}`, hidden: true });
        errorEls.set(f.key, err);
        const wide = f.wide || f.type === 'table' || f.type === 'sections' || f.type === 'dimensions';
        grid.append(h('div', { class: `field${wide ? ' field-wide' : ''}` },
          ['enums', 'table', 'legal'].includes(f.type)
            ? h('span', { class: 'field-label', id: `${input.id}-label` }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null)
            : h('label', { for: input.id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
          input.el,
          f.hint || fixed ? h('span', { class: 'hint', id: `${input.id}-hint` }, fixed ? 'Mã không đổi sau khi tạo' : f.hint) : null,
          f.type === 'dimensions' ? h('span', { class: 'hint' }, 'JSON, ví dụ: [{"code": "price_basis", "name": "Loại giá", "members": [{"code": "comparative", "name": "Giá so sánh"}, {"code": "current", "name": "Giá hiện hành"}]}]') : null,
          err));
      }
      return h('section', { class: 'card form-card' }, h('h2', { class: 'card-title' }, section.title), grid);
    });

    // effective date: valid_from on create, effective_from on edit
    const effective = h('input', { type: 'date', class: 'input', id: 'form-effective', 'data-testid': editing ? 'form-effective-from' : 'form-valid-from', required: editing });
    effective.value = editing ? todayIso() : '';
    const reason = h('textarea', { class: 'input textarea', id: 'form-reason', 'data-testid': 'form-reason', rows: 2, maxlength: 1000 });
    const effErr = h('p', { class: 'field-error', 'data-testid': editing ? 'catalog-field-error-effective_from' : 'catalog-field-error-valid_from', hidden: true });
    errorEls.set(editing ? 'effective_from' : 'valid_from', effErr);
    const effectiveCard = h('section', { class: 'card form-card form-card-effective' },
      h('h2', { class: 'card-title' }, 'Hiệu lực'),
      h('div', { class: 'form-grid form-grid-3' },
        h('div', { class: 'field' },
          h('label', { for: 'form-effective' }, 'Hiệu lực từ ngày', editing ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
          effective,
          h('span', { class: 'hint' }, editing
            ? 'Các kỳ báo cáo trước ngày này vẫn dùng phiên bản cũ.'
            : 'Trống: từ hôm nay.'),
          effErr),
        editing ? h('div', { class: 'field field-span-2' }, h('label', { for: 'form-reason' }, 'Lý do thay đổi'), reason) : null));

    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'form-submit' }, editing ? 'Lưu thay đổi' : `Thêm ${catalog.singular}`);
    const cancelHref = editing ? `#/${catalog.route}/${encodeURIComponent(item.code)}` : `#/${catalog.route}`;
    const form = h('form', { class: 'catalog-form', novalidate: true, 'data-testid': 'catalog-form' },
      formError, ...sectionEls, effectiveCard,
      h('div', { class: 'form-actions' },
        h('a', { class: 'btn', href: cancelHref, 'data-testid': 'form-cancel' }, 'Hủy'), submit));

    if (!this.isCurrent(token)) return;
    this.setRoot(
      this.breadcrumb(catalog, editing ? item.code : null, editing ? 'Sửa' : 'Thêm mới'),
      h('div', { class: 'page-head' }, h('div', {},
        h('h1', { id: 'page-title' }, editing ? `Sửa ${catalog.singular}` : `Thêm ${catalog.singular}`),
        editing ? h('p', { class: 'muted page-lead' }, h('code', { class: 'code-chip' }, item.code), ` ${item[catalog.nameField ?? 'name'] ?? ''}`) : null)),
      form);

    const clearErrors = () => {
      formError.hidden = true;
      formError.replaceChildren();
      for (const el of errorEls.values()) {
        el.hidden = true;
        el.textContent = '';
      }
      for (const { control } of inputs.values()) control.removeAttribute?.('aria-invalid');
      effective.removeAttribute('aria-invalid');
    };
    const showFieldError = (path, message) => {
      const key = String(path).replace(/^body\./, '').split(/[.[]/)[0];
      const el = errorEls.get(key);
      if (!el) return false;
      const where = String(path).slice(key.length).replace(/^\./, '');
      el.textContent = `${el.textContent ? `${el.textContent} ` : ''}${where ? `(${where}) ` : ''}${message}`;
      el.hidden = false;
      (inputs.get(key)?.control ?? (key === 'effective_from' || key === 'valid_from' ? effective : null))?.setAttribute?.('aria-invalid', 'true');
      return true;
    };

    let attempt = { signature: null, key: null };
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors();
      const values = {};
      let invalid = false;
      for (const [key, { field, input }] of inputs) {
        try {
          values[key] = input.get();
        } catch (err) {
          if (!(err instanceof FieldInputError)) throw err;
          invalid = showFieldError(key, err.message) || invalid;
          continue;
        }
        const v = values[key];
        if (field.required && !(editing && field.createOnly) && (v === null || v === '' || (Array.isArray(v) && !v.length))) {
          invalid = showFieldError(key, 'Vui lòng nhập thông tin này.') || invalid;
        }
      }
      if (editing && !effective.value) invalid = showFieldError('effective_from', 'Vui lòng chọn ngày bắt đầu hiệu lực.') || invalid;
      if (invalid) {
        form.querySelector('[aria-invalid="true"]')?.focus();
        return;
      }
      let body;
      if (editing) {
        body = {};
        for (const [key, v] of Object.entries(values)) {
          if (inputs.get(key).field.createOnly) continue;
          const before = item[key] ?? null;
          const same = JSON.stringify(stripComputed(before) ?? null) === JSON.stringify(v ?? null)
            || ((before === null || before === '' || (Array.isArray(before) && !before.length)) && (v === null || v === '' || (Array.isArray(v) && !v.length)));
          if (!same) body[key] = v;
        }
        if (!Object.keys(body).length) {
          formError.replaceChildren(h('strong', {}, 'Chưa có thay đổi nào.'), ' Sửa ít nhất một thông tin rồi bấm “Lưu thay đổi”.');
          formError.hidden = false;
          return;
        }
        body.effective_from = effective.value;
        if (reason.value.trim()) body.reason = reason.value.trim();
      } else {
        body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && !v.length)));
        if (effective.value) body.valid_from = effective.value;
      }
      const signature = JSON.stringify(body);
      if (signature !== attempt.signature) attempt = { signature, key: randomUUID() };
      submit.disabled = true;
      const label = submit.textContent;
      submit.textContent = 'Đang lưu…';
      form.setAttribute('aria-busy', 'true');
      try {
        const saved = editing
          ? await this.api.patchCatalog(catalog.path, item.code, item.version, body)
          : await this.api.createCatalog(catalog.path, body, attempt.key);
        this.invalidate(catalog);
        const when = editing && effective.value > todayIso() ? ` Thay đổi có hiệu lực từ ${formatDate(effective.value)}.` : '';
        this.toast(editing ? `Đã lưu ${catalog.singular} “${saved.code}”.${when}` : `Đã thêm ${catalog.singular} “${saved.code}”.`);
        location.hash = `#/${catalog.route}/${encodeURIComponent(saved.code)}`;
      } catch (err) {
        this.onApiError(err);
        const unplaced = [];
        for (const fe of err.problem?.errors ?? []) {
          if (!showFieldError(fe.field ?? '', fe.message ?? '')) unplaced.push(fe.field && fe.field !== 'body' ? `${fe.field}: ${fe.message}` : fe.message);
        }
        const title = err.status === 412
          ? `${catalog.singular[0].toUpperCase()}${catalog.singular.slice(1)} đã được người khác sửa. Tải lại trang để sửa trên phiên bản mới nhất.`
          : (err.title || 'Không lưu được');
        const placed = form.querySelector('[aria-invalid="true"]');
        let detail = err.status === 412 || err.detail === err.title ? '' : (err.detail || '');
        if (err.status === 422 && placed) detail = 'Vui lòng sửa các trường được đánh dấu bên dưới.';
        formError.replaceChildren(h('strong', {}, title), detail ? ` ${detail}` : '');
        if (unplaced.length) formError.append(h('ul', {}, ...unplaced.map((m) => h('li', {}, m))));
        formError.hidden = false;
        formError.scrollIntoView({ block: 'nearest' });
        form.querySelector('[aria-invalid="true"]')?.focus();
      } finally {
        submit.disabled = false;
        submit.textContent = label;
        form.removeAttribute('aria-busy');
      }
    });
    const first = [...inputs.values()].find((x) => !(editing && x.field.createOnly));
    first?.control?.focus?.();
  }
}

