// KTXH web app: sign-in (OIDC code + PKCE), the unit tree, add and rename units.

import { Api, ApiError, apiRoot } from './api.js';
import { $, debounce, h, show } from './dom.js';
import { AuthError, OidcClient, randomUUID } from './oidc.js';
import {
  DEFAULT_CHILD_KIND, EDITOR_ROLES, KIND_LABELS, LEAF_KINDS, displayRoles, formatDate,
  formatDateTime, kindLabel, numberFormat, roleLabel,
} from './text.js';
import { UnitTree } from './tree.js';
import { CatalogScreens } from './catalog.js';
import { BY_ROUTE } from './catalogs.js';

const VIEWS = ['view-loading', 'view-error', 'view-signed-out', 'view-units', 'view-catalog'];
const APP_NAME = 'Theo dõi chỉ tiêu KT-XH';

/** Only the managing unit's roles change catalogs (the gateway enforces it too). */
const CATALOG_EDITOR_ROLES = ['planning_officer', 'province_admin', 'system_admin'];

/**
 * "#/chi-so/HP2081.XIII.11/sua?ngay=2026-07-01" → {section: 'chi-so', code, action: 'edit', asOf}.
 * Empty hash → the unit tree.
 */
export function parseRoute(hash) {
  const [path, search = ''] = String(hash ?? '').replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const params = new URLSearchParams(search);
  const [section = 'don-vi', second, third] = parts;
  let code = second ?? null;
  let action = code ? 'detail' : 'list';
  if (code === 'moi') [code, action] = [null, 'new'];
  else if (code === 'nhap') [code, action] = [null, 'import'];
  else if (code && third === 'sua') action = 'edit';
  return { section, code, action, asOf: params.get('ngay') || '' };
}

function showView(id) {
  for (const v of VIEWS) show($(`#${v}`), v === id);
}

function showFatal(err) {
  $('#fatal-title').textContent = err?.title || 'Đã có lỗi xảy ra';
  const known = err instanceof AuthError || err instanceof ApiError;
  $('#fatal-detail').textContent = err?.detail || (known ? '' : 'Vui lòng tải lại trang hoặc đăng nhập lại.');
  showView('view-error');
}

let toastTimer;
function toast(message) {
  const el = $('#toast');
  el.textContent = message;
  el.classList.add('is-visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.classList.remove('is-visible');
    el.textContent = '';
  }, 5000);
}

async function loadConfig() {
  let response;
  try {
    response = await fetch('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  } catch {
    throw new AuthError('Không kết nối được máy chủ', 'Không tải được cấu hình ứng dụng.');
  }
  if (!response.ok) throw new AuthError('Không tải được cấu hình ứng dụng', `HTTP ${response.status}`);
  return response.json();
}

// ------------------------------------------------------------------ start

async function main() {
  let oidc = null;
  $('#fatal-reload').addEventListener('click', () => location.reload());
  $('#fatal-login').addEventListener('click', () => (oidc ? oidc.login('/') : location.assign('/')));
  let config;
  try {
    config = await loadConfig();
    oidc = new OidcClient(config);
    $('#login-button').addEventListener('click', () => oidc.login('/'));
    await oidc.loadDiscovery();
    if (location.pathname === '/callback') await oidc.handleCallback();
    if (!oidc.hasValidAccessToken() && oidc.tokens?.refresh_token) {
      try {
        await oidc.refresh();
      } catch {
        oidc.clearTokens();
      }
    }
    if (!oidc.hasValidAccessToken()) {
      if (oidc.consumeSignedOut()) {
        showView('view-signed-out');
        $('#login-button').focus();
        return;
      }
      await oidc.login();
      return;
    }
  } catch (err) {
    console.error(err);
    showFatal(err);
    return;
  }
  oidc.scheduleRefresh();
  startApp(oidc, config);
}

// ------------------------------------------------------------------ the signed-in app

function startApp(oidc, config) {
  const claims = oidc.claims;
  const roles = claims.realm_access?.roles ?? [];
  const canEdit = roles.some((r) => EDITOR_ROLES.includes(r));
  const canEditCatalogs = roles.some((r) => CATALOG_EDITOR_ROLES.includes(r));
  const api = new Api(apiRoot(config.api_base), () => oidc.getAccessToken());
  let asOf = '';

  // ---- header: user, roles, sign-out, session expiry
  const renderUser = (c) => {
    const name = c.name || c.preferred_username || 'Người dùng';
    $('#user-name').textContent = name;
    $('#user-name').title = c.preferred_username ? `Tên đăng nhập: ${c.preferred_username}` : '';
    $('#user-roles').replaceChildren(
      ...displayRoles(c.realm_access?.roles).map((r) => h('li', { class: 'role-chip', title: r }, roleLabel(r))),
    );
  };
  renderUser(claims);
  show($('#user-area'));
  show($('#app-nav'));
  $('#logout').addEventListener('click', () => oidc.logout());
  $('#relogin-button').addEventListener('click', () => oidc.login());
  const sessionExpired = () => show($('#session-expired'));
  oidc.on((event) => {
    if (event === 'expired') sessionExpired();
    if (event === 'refreshed') {
      show($('#session-expired'), false);
      renderUser(oidc.claims);
    }
  });
  const handleApiError = (err) => {
    if (err instanceof ApiError && err.status === 401) sessionExpired();
  };

  // ---- tree
  const treeEl = $('#unit-tree');
  const tree = new UnitTree(treeEl, {
    canEdit,
    loadChildren: async (unit) => {
      try {
        return await api.orgUnitChildren(unit.id, { asOf });
      } catch (err) {
        handleApiError(err);
        throw err;
      }
    },
    onSelect: (unit) => renderDetails(unit),
    onRename: async (unit, name) => {
      try {
        return await api.renameOrgUnit(unit.id, unit.version, { name });
      } catch (err) {
        handleApiError(err);
        throw err;
      }
    },
    onReload: (unit) => api.getOrgUnit(unit.id),
    onFilterCleared: () => {
      $('#unit-search').value = '';
      $('#search-summary').textContent = '';
    },
    announce: toast,
  });
  show($('#f2-hint'), canEdit);
  show($('#add-unit-button'), canEdit);

  const updateCount = () => {
    $('#tree-count').textContent = tree.size ? `${numberFormat.format(tree.size)} đơn vị` : '';
    const empty = tree.size === 0;
    $('#tree-empty').textContent = canEdit
      ? 'Chưa có đơn vị nào. Bấm “Thêm đơn vị” để tạo đơn vị đầu tiên.'
      : 'Chưa có đơn vị nào.';
    show($('#tree-empty'), empty);
    const own = claims.org_unit ? tree.findByCode(claims.org_unit) : null;
    $('#user-unit').textContent = own ? own.name : '';
  };

  async function loadTree() {
    show($('#tree-loading'));
    show($('#tree-error'), false);
    show($('#tree-empty'), false);
    treeEl.setAttribute('aria-busy', 'true');
    try {
      const roots = await api.orgUnitTree({ asOf });
      tree.setData(roots);
      updateCount();
      const q = $('#unit-search').value;
      if (q) runSearch(q);
    } catch (err) {
      handleApiError(err);
      tree.setData([]);
      $('#tree-count').textContent = '';
      $('#tree-error-title').textContent = err.title || 'Không tải được cây đơn vị';
      $('#tree-error-detail').textContent = err.detail || '';
      show($('#tree-error'));
    } finally {
      show($('#tree-loading'), false);
      treeEl.removeAttribute('aria-busy');
    }
  }
  $('#tree-retry').addEventListener('click', loadTree);

  // ---- search
  function runSearch(value) {
    const count = tree.setFilter(value);
    const summary = $('#search-summary');
    if (count === null) summary.textContent = '';
    else if (count === 0) summary.textContent = `Không tìm thấy đơn vị nào phù hợp với “${value.trim()}”.`;
    else summary.textContent = `Tìm thấy ${numberFormat.format(count)} đơn vị.`;
    summary.classList.toggle('is-empty', count === 0);
  }
  const search = $('#unit-search');
  search.addEventListener('input', debounce(() => runSearch(search.value), 120));
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && search.value) {
      e.preventDefault();
      search.value = '';
      runSearch('');
    } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
      const first = treeEl.querySelector('.is-match')?.closest('li[role="treeitem"]')
        ?? treeEl.querySelector('li[role="treeitem"]');
      if (first) {
        e.preventDefault();
        tree.select(first.dataset.id, { focus: true });
      }
    }
  });

  // ---- as-of date
  const asOfInput = $('#as-of');
  asOfInput.addEventListener('change', () => {
    asOf = asOfInput.value;
    show($('#as-of-reset'), Boolean(asOf));
    $('#as-of-hint').textContent = asOf ? `Cơ cấu tại ngày ${formatDate(asOf)}` : 'Để trống: cơ cấu hiện hành';
    loadTree();
  });
  $('#as-of-reset').addEventListener('click', () => {
    asOfInput.value = '';
    asOfInput.dispatchEvent(new Event('change'));
    asOfInput.focus();
  });

  // ---- details panel
  function renderDetails(unit) {
    const body = $('#details-body');
    if (!unit) {
      body.replaceChildren(h('p', { class: 'muted' }, 'Chọn một đơn vị trong cây để xem chi tiết.'));
      return;
    }
    const parent = unit.parent_id ? tree.get(unit.parent_id) : null;
    const childCount = tree.nodes.get(unit.id)?.childIds?.length;
    const successors = (unit.successor_ids ?? []).map((id) => tree.get(id)?.name ?? id).join(', ');
    const rows = [
      ['code', 'Mã', h('code', {}, unit.code)],
      ['kind', 'Loại', kindLabel(unit.kind)],
      ['short-name', 'Tên viết tắt', unit.short_name || '—'],
      ['parent', 'Trực thuộc', parent ? parent.name : unit.parent_id ? '—' : 'Cấp cao nhất'],
      ['children', 'Đơn vị trực thuộc', childCount === undefined || childCount === null ? '—' : numberFormat.format(childCount)],
      ['valid-from', 'Hiệu lực từ', formatDate(unit.valid_from) || '—'],
      ['valid-to', 'Hiệu lực đến', unit.valid_to ? formatDate(unit.valid_to) : 'Đang hiệu lực'],
      successors ? ['successors', 'Đơn vị kế thừa', successors] : null,
      ['version', 'Phiên bản', unit.version ?? '—'],
      ['updated-at', 'Cập nhật lúc', formatDateTime(unit.updated_at) || '—'],
    ].filter(Boolean);
    const dl = h('dl', { class: 'details-list' });
    for (const [key, label, value] of rows) {
      dl.append(h('dt', {}, label), h('dd', { 'data-testid': `detail-${key}` }, value));
    }
    const actions = canEdit
      ? h('div', { class: 'details-actions' },
        h('button', {
          type: 'button',
          class: 'btn',
          'data-testid': 'details-rename-button',
          onclick: () => {
            tree.reveal(unit.id);
            tree.startRename(unit.id);
          },
        }, 'Đổi tên'),
        LEAF_KINDS.has(unit.kind)
          ? null
          : h('button', {
            type: 'button',
            class: 'btn',
            'data-testid': 'details-add-child-button',
            onclick: () => openAddDialog(unit),
          }, 'Thêm đơn vị trực thuộc'))
      : null;
    body.replaceChildren(
      h('div', { class: 'details-head' },
        h('p', { class: 'details-name', 'data-testid': 'detail-name' }, unit.name),
        h('span', { class: `kind-badge kind-${unit.kind}` }, kindLabel(unit.kind))),
      dl,
      ...(actions ? [actions] : []),
    );
  }

  // ---- add dialog
  const dialog = $('#add-dialog');
  const form = $('#add-form');
  const kindSelect = $('#add-kind');
  const parentSelect = $('#add-parent');
  let kindTouched = false;
  let lastAttempt = { signature: null, key: null };
  let returnFocus = null;

  kindSelect.replaceChildren(
    h('option', { value: '' }, '— Chọn loại đơn vị —'),
    ...Object.entries(KIND_LABELS).map(([value, label]) => h('option', { value }, label)),
  );
  kindSelect.addEventListener('change', () => {
    kindTouched = true;
  });
  parentSelect.addEventListener('change', () => {
    if (kindTouched) return;
    const parent = tree.get(parentSelect.value);
    kindSelect.value = DEFAULT_CHILD_KIND[parent?.kind ?? ''] ?? '';
  });

  const FIELDS = ['code', 'name', 'short_name', 'kind', 'valid_from', 'parent_id'];
  function clearErrors() {
    for (const f of FIELDS) {
      const el = $(`#add-${f}-error`);
      el.textContent = '';
      el.hidden = true;
      form.elements[f].removeAttribute('aria-invalid');
    }
    const formError = $('#add-form-error');
    formError.replaceChildren();
    formError.hidden = true;
  }
  function fieldError(field, message) {
    const el = $(`#add-${field}-error`);
    if (!el) return false;
    el.textContent = el.textContent ? `${el.textContent} ${message}` : message;
    el.hidden = false;
    form.elements[field].setAttribute('aria-invalid', 'true');
    return true;
  }
  function focusFirstInvalid() {
    const el = form.querySelector('[aria-invalid="true"]');
    if (el) el.focus();
  }

  function openAddDialog(base = tree.get(tree.selectedId)) {
    form.reset();
    clearErrors();
    kindTouched = false;
    lastAttempt = { signature: null, key: null };
    parentSelect.replaceChildren(h('option', { value: '' }, '— Không có (đơn vị cấp cao nhất) —'));
    for (const { unit, level } of tree.walk()) {
      if (LEAF_KINDS.has(unit.kind) || unit.valid_to) continue;
      const indent = '\u00a0\u00a0\u00a0'.repeat(level - 1);
      parentSelect.append(h('option', { value: unit.id, 'data-code': unit.code }, `${indent}${unit.name} (${unit.code})`));
    }
    let parent = base;
    while (parent && (LEAF_KINDS.has(parent.kind) || parent.valid_to)) parent = tree.get(parent.parent_id);
    parentSelect.value = parent?.id ?? '';
    kindSelect.value = DEFAULT_CHILD_KIND[parent?.kind ?? ''] ?? '';
    $('#add-submit').disabled = false;
    $('#add-submit').textContent = 'Thêm đơn vị';
    returnFocus = document.activeElement;
    dialog.showModal();
    $('#add-code').focus();
  }
  function closeAddDialog() {
    if (dialog.open) dialog.close();
  }
  dialog.addEventListener('close', () => {
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  });
  $('#add-unit-button').addEventListener('click', () => openAddDialog());
  $('#add-cancel').addEventListener('click', closeAddDialog);
  $('#add-close').addEventListener('click', closeAddDialog);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const v = (name) => form.elements[name].value.trim();
    const body = {
      code: v('code'),
      name: v('name').replace(/\s+/g, ' '),
      kind: v('kind'),
      parent_id: v('parent_id') || null,
    };
    if (v('short_name')) body.short_name = v('short_name');
    if (v('valid_from')) body.valid_from = v('valid_from');
    let invalid = false;
    if (!body.code) invalid = fieldError('code', 'Vui lòng nhập mã đơn vị.');
    if (!body.name) invalid = fieldError('name', 'Vui lòng nhập tên đơn vị.') || invalid;
    if (!body.kind) invalid = fieldError('kind', 'Vui lòng chọn loại đơn vị.') || invalid;
    if (invalid) {
      focusFirstInvalid();
      return;
    }
    // Same body again (e.g. after a network error) → same Idempotency-Key, so no duplicate unit.
    const signature = JSON.stringify(body);
    if (signature !== lastAttempt.signature) lastAttempt = { signature, key: randomUUID() };
    const submit = $('#add-submit');
    submit.disabled = true;
    submit.textContent = 'Đang lưu…';
    form.setAttribute('aria-busy', 'true');
    try {
      const created = await api.createOrgUnit(body, lastAttempt.key);
      lastAttempt = { signature: null, key: null };
      closeAddDialog();
      const inserted = tree.addUnit(created);
      if (inserted) {
        tree.reveal(created.id);
      } else if (created.parent_id && tree.get(created.parent_id)) {
        tree.reveal(created.parent_id);
        await tree.toggle(created.parent_id, true);
      }
      updateCount();
      toast(`Đã thêm đơn vị “${created.name}” (mã ${created.code}).`);
    } catch (err) {
      handleApiError(err);
      const unplaced = [];
      for (const fe of err.fieldErrors ?? []) {
        if (!fe.message) continue;
        if (!fieldError(fe.field, fe.message)) unplaced.push(fe.message);
      }
      const formError = $('#add-form-error');
      const parts = [h('strong', {}, err.title || 'Không thêm được đơn vị')];
      if (err.detail) parts.push(' ', err.detail);
      if (unplaced.length) parts.push(h('ul', {}, ...unplaced.map((m) => h('li', {}, m))));
      formError.replaceChildren(...parts);
      formError.hidden = false;
      if (form.querySelector('[aria-invalid="true"]')) focusFirstInvalid();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Thêm đơn vị';
      form.removeAttribute('aria-busy');
    }
  });

  // ---- navigation between the unit tree and the catalog screens
  const setTitle = (title) => {
    document.title = `${title} · ${APP_NAME}`;
  };
  const catalogs = new CatalogScreens($('#view-catalog'), {
    api, canEdit: canEditCatalogs, toast, onApiError: handleApiError, setTitle,
  });
  let treeLoaded = false;
  let lastSection = null;
  function route() {
    const r = parseRoute(location.hash);
    const catalog = BY_ROUTE[r.section];
    const section = catalog ? r.section : 'don-vi';
    for (const a of document.querySelectorAll('#app-nav a')) {
      if (a.getAttribute('href') === `#/${section}`) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (lastSection !== null) {
      window.scrollTo(0, 0);
      $('#main').focus({ preventScroll: true });
    }
    lastSection = section;
    if (!catalog) {
      showView('view-units');
      setTitle('Cây đơn vị');
      if (!treeLoaded) {
        treeLoaded = true;
        loadTree();
      }
    } else {
      showView('view-catalog');
      catalogs.show({ ...r, catalog });
    }
  }
  window.addEventListener('hashchange', route);
  route();
}

main();
