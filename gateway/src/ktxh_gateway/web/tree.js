// The unit tree: an in-memory model of all loaded units and an ARIA tree view that only
// renders expanded branches (a province has ~1,000 units; most stay collapsed).

import { h } from './dom.js';
import {
  KIND_ORDER, LEAF_KINDS, findFolded, fold, foldQuery, formatDate, kindLabel, numberFormat,
} from './text.js';

const kindRank = (kind) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
};

function itemLabel(unit) {
  const parts = [unit.name, kindLabel(unit.kind), `mã ${unit.code}`];
  if (unit.valid_to) parts.push(`hết hiệu lực từ ${formatDate(unit.valid_to)}`);
  return parts.join(', ');
}

/**
 * `text` with the query in <mark>: the whole phrase if it occurs (diacritics and case
 * ignored), otherwise each of its words.
 */
function highlighted(text, foldedQuery) {
  if (!foldedQuery) return [text];
  const phrase = findFolded(text, foldedQuery);
  let ranges = phrase ? [phrase] : foldedQuery.split(' ').map((w) => findFolded(text, w)).filter(Boolean);
  ranges = ranges.sort((a, b) => a[0] - b[0]).reduce((out, r) => {
    const last = out[out.length - 1];
    if (last && (r[0] <= last[1] || !text.slice(last[1], r[0]).trim())) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
    return out;
  }, []);
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    parts.push(text.slice(at, start), h('mark', {}, text.slice(start, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

/** Every word of the folded query occurs in the folded text (in any order). */
function matchesWords(folded, words) {
  return words.every((w) => folded.includes(w));
}

export class UnitTree {
  /**
   * @param {HTMLUListElement} el the <ul role="tree">
   * @param {object} opts
   * @param {boolean} opts.canEdit show rename actions
   * @param {(unit) => Promise<object[]>} opts.loadChildren children of a unit not yet loaded
   * @param {(unit|null) => void} opts.onSelect
   * @param {(unit, name: string) => Promise<object>} opts.onRename PATCH; returns the updated unit
   * @param {(unit) => Promise<object>} opts.onReload GET the latest version of a unit
   * @param {(message: string) => void} opts.announce
   */
  constructor(el, opts) {
    this.el = el;
    this.opts = opts;
    this.nodes = new Map();
    this.rootIds = [];
    this.selectedId = null;
    this.filter = null;
    this.editingId = null;
    el.addEventListener('click', (e) => this.onClick(e));
    el.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    el.addEventListener('keydown', (e) => this.onKeyDown(e));
  }

  // ------------------------------------------------------------ model

  get size() {
    return this.nodes.size;
  }

  get(id) {
    return this.nodes.get(id)?.unit ?? null;
  }

  findByCode(code) {
    for (const node of this.nodes.values()) if (node.unit.code === code) return node.unit;
    return null;
  }

  /** Units in tree order (depth first) with their level, for the parent picker. */
  *walk(ids = this.rootIds, level = 1) {
    for (const id of ids) {
      const node = this.nodes.get(id);
      if (!node) continue;
      yield { unit: node.unit, level };
      if (node.childIds) yield* this.walk(node.childIds, level + 1);
    }
  }

  setData(roots) {
    this.nodes.clear();
    this.rootIds = this.ingestList(roots, null);
    for (const id of this.rootIds) this.nodes.get(id).expanded = true;
    this.editingId = null;
    if (!this.nodes.has(this.selectedId)) this.selectedId = this.rootIds[0] ?? null;
    this.applyFilter();
    this.render();
    this.opts.onSelect?.(this.get(this.selectedId));
  }

  /** Tree nodes ({unit, children?}) or plain units → ordered ids. */
  ingestList(items, parentId) {
    const ids = [];
    for (const item of items ?? []) {
      const unit = item.unit ?? item;
      const children = item.unit ? item.children : undefined;
      const previous = this.nodes.get(unit.id);
      this.nodes.set(unit.id, {
        unit,
        folded: fold(unit.name),
        foldedShort: fold(unit.short_name),
        parentId,
        childIds: null,
        expanded: previous?.expanded ?? false,
        loading: false,
        loadError: null,
      });
      const node = this.nodes.get(unit.id);
      if (Array.isArray(children)) node.childIds = this.ingestList(children, unit.id);
      else if (LEAF_KINDS.has(unit.kind)) node.childIds = [];
      ids.push(unit.id);
    }
    return this.sortIds(ids);
  }

  sortIds(ids) {
    return ids
      .map((id, i) => ({ id, i, rank: kindRank(this.nodes.get(id).unit.kind) }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map((x) => x.id);
  }

  hasChildren(id) {
    const node = this.nodes.get(id);
    if (!node) return false;
    return node.childIds === null ? true : node.childIds.length > 0;
  }

  /** Replace a unit's data (after rename or reload). */
  updateUnit(unit, { render = true } = {}) {
    const node = this.nodes.get(unit.id);
    if (!node) return;
    node.unit = { ...node.unit, ...unit };
    node.folded = fold(node.unit.name);
    node.foldedShort = fold(node.unit.short_name);
    if (render) this.rerender(unit.id);
    if (unit.id === this.selectedId) this.opts.onSelect?.(node.unit);
  }

  /** Insert a newly created unit under its parent (if the parent's children are loaded). */
  addUnit(unit) {
    const parentId = unit.parent_id ?? null;
    const parent = parentId ? this.nodes.get(parentId) : null;
    if (parentId && !parent) return false;
    if (parent && parent.childIds === null) return false; // loaded when the parent is expanded
    this.nodes.set(unit.id, {
      unit,
      folded: fold(unit.name),
      foldedShort: fold(unit.short_name),
      parentId,
      childIds: [],
      expanded: false,
      loading: false,
      loadError: null,
    });
    if (parent) {
      parent.childIds = this.sortIds([...parent.childIds, unit.id]);
      parent.expanded = true;
    } else {
      this.rootIds = this.sortIds([...this.rootIds, unit.id]);
    }
    return true;
  }

  ancestors(id) {
    const out = [];
    for (let p = this.nodes.get(id)?.parentId; p; p = this.nodes.get(p)?.parentId) out.push(p);
    return out;
  }

  // ------------------------------------------------------------ filter

  /** Filter by name (diacritics and case ignored) or code prefix. Returns the match count. */
  setFilter(query) {
    this.filterQuery = foldQuery(query);
    this.editingId = null;
    this.applyFilter();
    this.render();
    return this.filter ? this.filter.matches.size : null;
  }

  applyFilter() {
    const q = this.filterQuery;
    if (!q) {
      this.filter = null;
      return;
    }
    const words = q.split(' ');
    const matches = new Set();
    const visible = new Set();
    const open = new Set();
    for (const [id, node] of this.nodes) {
      const code = fold(node.unit.code);
      if (matchesWords(node.folded, words) || matchesWords(node.foldedShort, words) || code.startsWith(q)) {
        matches.add(id);
        visible.add(id);
        for (const a of this.ancestors(id)) {
          visible.add(a);
          open.add(a);
        }
      }
    }
    this.filter = { query: q, matches, visible, open };
  }

  get filterMatches() {
    return this.filter ? this.filter.matches.size : null;
  }

  isOpen(id) {
    if (this.filter) return this.filter.open.has(id);
    return Boolean(this.nodes.get(id)?.expanded);
  }

  setOpen(id, open) {
    if (this.filter) {
      if (open) this.filter.open.add(id);
      else this.filter.open.delete(id);
    } else {
      this.nodes.get(id).expanded = open;
    }
  }

  childrenToShow(id) {
    const node = this.nodes.get(id);
    const ids = node?.childIds ?? [];
    if (!this.filter || this.filter.matches.has(id)) return ids;
    return ids.filter((c) => this.filter.visible.has(c));
  }

  rootsToShow() {
    return this.filter ? this.rootIds.filter((id) => this.filter.visible.has(id)) : this.rootIds;
  }

  // ------------------------------------------------------------ rendering

  itemElement(id) {
    return id ? this.el.querySelector(`li[data-id="${CSS.escape(String(id))}"]`) : null;
  }

  get tabStopId() {
    if (this.selectedId && this.itemElement(this.selectedId)) return this.selectedId;
    return this.rootsToShow()[0] ?? null;
  }

  render() {
    const hadFocus = this.el.contains(document.activeElement);
    const roots = this.rootsToShow();
    const frag = document.createDocumentFragment();
    roots.forEach((id, i) => frag.append(this.renderItem(id, 1, i + 1, roots.length)));
    this.el.replaceChildren(frag);
    this.syncTabStop();
    if (hadFocus) this.focusItem(this.tabStopId);
  }

  renderItem(id, level, pos, size) {
    const node = this.nodes.get(id);
    const { unit } = node;
    const expandable = this.hasChildren(id);
    const open = expandable && this.isOpen(id);
    const li = h('li', {
      role: 'treeitem',
      class: 'tree-item',
      'data-id': id,
      'data-testid': `unit-node-${unit.code}`,
      'aria-level': level,
      'aria-posinset': pos,
      'aria-setsize': size,
      'aria-selected': String(id === this.selectedId),
      'aria-expanded': expandable ? String(open) : null,
      'aria-busy': node.loading ? 'true' : null,
      'aria-label': itemLabel(unit),
      'aria-keyshortcuts': this.opts.canEdit ? 'F2' : null,
      tabindex: '-1',
    });
    li.append(this.renderRow(node, level, expandable, open));
    if (open) li.append(this.renderGroup(id, level + 1));
    return li;
  }

  renderRow(node, level, expandable, open) {
    const { unit } = node;
    const q = this.filter?.query;
    const isMatch = this.filter?.matches.has(unit.id);
    const row = h('div', {
      class: `unit-row${isMatch ? ' is-match' : ''}${unit.valid_to ? ' is-ended' : ''}`,
      'data-testid': `unit-row-${unit.code}`,
      style: { '--level': level - 1 },
    });
    row.append(
      h('span', {
        class: `twisty${expandable ? '' : ' twisty-leaf'}${open ? ' is-open' : ''}`,
        'data-action': expandable ? 'toggle' : null,
        'aria-hidden': 'true',
      }),
    );
    if (this.editingId === unit.id) {
      row.append(this.renderRenameForm(unit));
      return row;
    }
    const known = node.childIds ? node.childIds.length : null;
    row.append(
      h(
        'span',
        { class: 'unit-main' },
        h('span', { class: 'unit-name', 'data-testid': `unit-name-${unit.code}` },
          ...highlighted(unit.name, q)),
        unit.short_name && unit.short_name !== unit.name
          ? h('span', { class: 'unit-short' }, `(${unit.short_name})`)
          : null,
      ),
      h('span', { class: 'unit-meta' },
        known ? h('span', { class: 'unit-count', title: `${known} đơn vị trực thuộc` }, numberFormat.format(known)) : null,
        unit.valid_to ? h('span', { class: 'badge badge-ended' }, `Hết hiệu lực ${formatDate(unit.valid_to)}`) : null,
        h('span', { class: `kind-badge kind-${unit.kind}` }, kindLabel(unit.kind)),
        h('code', { class: 'unit-code', 'data-testid': `unit-code-${unit.code}` }, unit.code),
        this.opts.canEdit
          ? h('button', {
            type: 'button',
            class: 'row-action',
            'data-action': 'rename',
            'data-testid': 'rename-button',
            tabindex: '-1',
            'aria-label': `Đổi tên ${unit.name}`,
            title: 'Đổi tên (F2)',
          }, 'Đổi tên')
          : null),
    );
    return row;
  }

  renderGroup(id, level) {
    const node = this.nodes.get(id);
    const ul = h('ul', { role: 'group', class: 'tree-group' });
    if (node.loading) {
      ul.append(h('li', { role: 'none', class: 'tree-note', style: { '--level': level - 1 } },
        h('span', { class: 'spinner spinner-sm', 'aria-hidden': 'true' }), ' Đang tải…'));
      return ul;
    }
    if (node.loadError) {
      ul.append(h('li', { role: 'none', class: 'tree-note tree-note-error', style: { '--level': level - 1 } },
        `${node.loadError.title || 'Không tải được danh sách đơn vị'}. `,
        h('button', { type: 'button', class: 'link-button', 'data-action': 'retry', 'data-id': id }, 'Thử lại')));
      return ul;
    }
    const ids = this.childrenToShow(id);
    const frag = document.createDocumentFragment();
    ids.forEach((c, i) => frag.append(this.renderItem(c, level, i + 1, ids.length)));
    ul.append(frag);
    return ul;
  }

  /** Re-render one item (and its subtree) in place. */
  rerender(id) {
    const old = this.itemElement(id);
    if (!old || !this.nodes.has(id)) return;
    const hadFocus = old.contains(document.activeElement);
    const li = this.renderItem(
      id,
      Number(old.getAttribute('aria-level')),
      Number(old.getAttribute('aria-posinset')),
      Number(old.getAttribute('aria-setsize')),
    );
    old.replaceWith(li);
    this.syncTabStop();
    if (hadFocus && this.editingId !== id) this.focusItem(id);
  }

  syncTabStop() {
    const stop = this.tabStopId;
    for (const li of this.el.querySelectorAll('li[role="treeitem"][tabindex="0"]')) li.tabIndex = -1;
    const el = this.itemElement(stop);
    if (el) el.tabIndex = 0;
  }

  focusItem(id) {
    const el = this.itemElement(id);
    if (!el) return;
    el.focus({ preventScroll: true });
    el.querySelector('.unit-row')?.scrollIntoView({ block: 'nearest' });
  }

  // ------------------------------------------------------------ behaviour

  select(id, { focus = false } = {}) {
    if (!this.nodes.has(id)) return;
    const previous = this.itemElement(this.selectedId);
    if (previous) previous.setAttribute('aria-selected', 'false');
    this.selectedId = id;
    const el = this.itemElement(id);
    if (el) el.setAttribute('aria-selected', 'true');
    this.syncTabStop();
    if (focus) this.focusItem(id);
    this.opts.onSelect?.(this.get(id));
  }

  /** Select a unit and make it visible (expanding its ancestors). */
  reveal(id) {
    if (!this.nodes.has(id)) return;
    for (const a of this.ancestors(id)) this.setOpen(a, true);
    if (this.filter && !this.filter.visible.has(id)) {
      this.filterQuery = '';
      this.filter = null;
      this.opts.onFilterCleared?.();
      for (const a of this.ancestors(id)) this.setOpen(a, true);
    }
    this.render();
    this.select(id, { focus: true });
  }

  async toggle(id, open = !this.isOpen(id)) {
    const node = this.nodes.get(id);
    if (!node || !this.hasChildren(id)) return;
    this.setOpen(id, open);
    if (open && node.childIds === null && !node.loading) {
      node.loading = true;
      node.loadError = null;
      this.rerender(id);
      try {
        const units = await this.opts.loadChildren(node.unit);
        node.childIds = this.ingestList(units, id);
        if (this.filter) this.filter.matches.add(id); // show all loaded children while filtering
      } catch (err) {
        node.loadError = err;
      } finally {
        node.loading = false;
      }
      if (!node.loadError && node.childIds.length === 0) this.opts.announce?.(`${node.unit.name} không có đơn vị trực thuộc`);
    }
    this.rerender(id);
  }

  visibleItems() {
    return Array.from(this.el.querySelectorAll('li[role="treeitem"]'));
  }

  onClick(e) {
    const li = e.target.closest('li[role="treeitem"]');
    if (!li || !this.el.contains(li) || e.target.closest('form')) return;
    const { id } = li.dataset;
    const action = e.target.closest('[data-action]')?.dataset.action;
    if (action === 'retry') {
      const node = this.nodes.get(id);
      node.loadError = null;
      this.toggle(id, true);
      return;
    }
    if (action === 'rename') {
      this.select(id);
      this.startRename(id);
      return;
    }
    if (action === 'toggle') {
      this.select(id, { focus: true });
      this.toggle(id);
      return;
    }
    this.select(id, { focus: true });
    if (this.hasChildren(id) && !this.isOpen(id)) this.toggle(id, true);
  }

  onDoubleClick(e) {
    const li = e.target.closest('li[role="treeitem"]');
    if (!li || e.target.closest('form, [data-action]')) return;
    if (this.isOpen(li.dataset.id)) this.toggle(li.dataset.id, false);
  }

  onKeyDown(e) {
    const li = e.target.closest('li[role="treeitem"]');
    if (!li || e.target !== li) return; // typing in the rename form
    const { id } = li.dataset;
    const items = this.visibleItems();
    const index = items.indexOf(li);
    const go = (target) => {
      if (target) this.select(target.dataset.id, { focus: true });
    };
    switch (e.key) {
      case 'ArrowDown':
        go(items[index + 1]);
        break;
      case 'ArrowUp':
        go(items[index - 1]);
        break;
      case 'Home':
        go(items[0]);
        break;
      case 'End':
        go(items[items.length - 1]);
        break;
      case 'ArrowRight':
        if (this.hasChildren(id) && !this.isOpen(id)) this.toggle(id, true);
        else if (this.isOpen(id)) go(li.querySelector('li[role="treeitem"]'));
        break;
      case 'ArrowLeft':
        if (this.hasChildren(id) && this.isOpen(id)) this.toggle(id, false);
        else go(li.parentElement.closest('li[role="treeitem"]'));
        break;
      case 'Enter':
      case ' ':
        this.select(id, { focus: true });
        if (this.hasChildren(id)) this.toggle(id);
        break;
      case 'F2':
        if (!this.opts.canEdit) return;
        this.startRename(id);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  // ------------------------------------------------------------ inline rename

  startRename(id) {
    if (!this.opts.canEdit || !this.nodes.has(id)) return;
    const previous = this.editingId;
    this.editingId = id;
    if (previous && previous !== id) this.rerender(previous);
    this.rerender(id);
    const input = this.itemElement(id)?.querySelector('[data-testid="rename-input"]');
    if (input) {
      input.focus();
      input.select();
    }
  }

  cancelRename() {
    const id = this.editingId;
    if (!id) return;
    this.editingId = null;
    this.rerender(id);
    this.focusItem(id);
  }

  renderRenameForm(unit) {
    const errorId = 'rename-error';
    const input = h('input', {
      class: 'input input-sm',
      id: 'rename-input',
      name: 'name',
      'data-testid': 'rename-input',
      value: unit.name,
      maxlength: 255,
      autocomplete: 'off',
      required: true,
      'aria-describedby': errorId,
    });
    const error = h('div', { class: 'field-error', id: errorId, 'data-testid': 'rename-error', hidden: true });
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-sm', 'data-testid': 'rename-save' }, 'Lưu');
    const cancel = h('button', {
      type: 'button', class: 'btn btn-sm', 'data-testid': 'rename-cancel', onclick: () => this.cancelRename(),
    }, 'Hủy');
    const form = h('form', {
      class: 'rename-form',
      'data-testid': 'rename-form',
      novalidate: true,
      'aria-label': `Đổi tên ${unit.name}`,
    },
    h('label', { for: 'rename-input', class: 'visually-hidden' }, `Tên mới của ${unit.name}`),
    input, save, cancel, error);

    const showError = (parts, { invalid = false, reload = false } = {}) => {
      error.replaceChildren(...parts);
      if (reload) {
        error.append(' ', h('button', {
          type: 'button',
          class: 'link-button',
          'data-testid': 'reload-unit',
          onclick: async () => {
            try {
              const fresh = await this.opts.onReload(this.get(unit.id));
              this.updateUnit(fresh, { render: false });
              error.replaceChildren(
                `Đã tải lại. Tên hiện tại: “${fresh.name}”. Bấm Lưu để đổi sang tên mới.`,
              );
              input.focus();
            } catch (err) {
              error.replaceChildren(err.title || 'Không tải lại được đơn vị');
            }
          },
        }, 'Tải lại'));
      }
      error.hidden = false;
      input.setAttribute('aria-invalid', String(invalid));
    };

    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.cancelRename();
      }
      e.stopPropagation();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const current = this.get(unit.id);
      const name = input.value.trim().replace(/\s+/g, ' ');
      if (!name) {
        showError(['Vui lòng nhập tên đơn vị'], { invalid: true });
        input.focus();
        return;
      }
      if (name === current.name) {
        this.cancelRename();
        return;
      }
      for (const el of [input, save, cancel]) el.disabled = true;
      save.textContent = 'Đang lưu…';
      form.setAttribute('aria-busy', 'true');
      try {
        const updated = await this.opts.onRename(current, name);
        this.editingId = null;
        this.updateUnit(updated ?? { ...current, name });
        this.focusItem(unit.id);
        this.opts.announce?.(`Đã đổi tên thành “${(updated ?? { name }).name}”`);
      } catch (err) {
        for (const el of [input, save, cancel]) el.disabled = false;
        save.textContent = 'Lưu';
        form.removeAttribute('aria-busy');
        const fieldMessages = (err.fieldErrors ?? [])
          .filter((fe) => fe.message)
          .map((fe) => fe.message);
        if (fieldMessages.length) {
          showError([fieldMessages.join('. ')], { invalid: true });
        } else {
          const parts = [h('strong', {}, err.title || 'Không đổi tên được')];
          if (err.detail) parts.push(` ${err.detail}`);
          showError(parts, { reload: err.status === 412 || err.status === 428 });
        }
        input.focus();
      }
    });
    return form;
  }
}
