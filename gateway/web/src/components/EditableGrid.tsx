// A spreadsheet-like grid on Tabulator: select a range with the mouse or Shift+arrows, paste a
// block copied from Excel (Ctrl+V), type to edit (Enter/F2/double-click edit, Esc cancels),
// Delete clears the range. Every cell is read with the column's parser (Vietnamese or English
// number formats, labels of choices, dd/mm/yyyy dates): a cell that cannot be read is marked
// with its Vietnamese message, a changed cell is marked as changed, and the owner is told how
// many cells are invalid so that "Lưu" stays disabled until they are fixed.
import 'tabulator-tables/dist/css/tabulator_simple.min.css';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { TabulatorFull as Tabulator, type CellComponent, type ColumnDefinition, type RowComponent } from 'tabulator-tables';
import { fromText, toText, type CellProblem, type GridColumn } from './grid-columns';

export type { GridColumn } from './grid-columns';

interface Row {
  _key: number;
  _orig: Record<string, string>;
  /** the texts as last told to the owner (onEdit) */
  _last: Record<string, string>;
  _source: Record<string, unknown>;
  [field: string]: unknown;
}

export interface GridState {
  problems: CellProblem[];
  dirtyCells: number;
  rows: number;
}

export interface EditableGridHandle {
  /** The rows as values (only when no cell is invalid), with the fields the grid does not show kept. */
  values: () => Array<Record<string, unknown>>;
  /** Rows whose cells changed, as values, with the original row. */
  changed: () => Array<{ before: Record<string, unknown>; after: Record<string, unknown> }>;
  /** Mark the current content as saved (no cell dirty any more). */
  markSaved: () => void;
  addRow: () => void;
  /** Replace cells of the rows whose source matches (e.g. what the server now holds); `saved`
   *  makes the new texts the unchanged state. Never reported through onEdit. */
  setCells: (match: (source: Record<string, unknown>) => boolean, values: Record<string, unknown>, saved: boolean) => void;
  /** Draw every cell again (after the owner's cellState changed). */
  refresh: () => void;
}

/** A cell changed by the user (typed, pasted, cleared), with its text read by the column. */
export interface CellEdit {
  source: Record<string, unknown>;
  field: string;
  text: string;
  parsed: ReturnType<typeof fromText>;
}

/** How the owner marks a cell beyond the grid's own checks (waiting to be sent, conflict, the server's error). */
export interface CellMark {
  className?: string;
  message?: string;
}

interface Props {
  columns: GridColumn[];
  rows: Array<Record<string, unknown>>;
  label: string;
  testid?: string;
  readOnly?: boolean;
  height?: number | string;
  /** rows can be added and removed (tables of a form), not only edited */
  addable?: boolean;
  onState?: (state: GridState) => void;
  /** The column as it applies to one row (e.g. read-only where the user may not edit). */
  cellColumn?: (source: Record<string, unknown>, column: GridColumn) => GridColumn;
  cellState?: (source: Record<string, unknown>, field: string) => CellMark | undefined;
  /** Told of every cell the user changed, right after the change (typing or a pasted block). */
  onEdit?: (edits: CellEdit[]) => void;
}

let nextKey = 1;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]!));
}

export const EditableGrid = forwardRef<EditableGridHandle, Props>(function EditableGrid(
  { columns, rows, label, testid = 'grid', readOnly = false, height, addable = false, onState, cellColumn, cellState, onEdit }, ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const table = useRef<Tabulator | null>(null);
  const stateCb = useRef(onState);
  stateCb.current = onState;
  const columnCb = useRef(cellColumn);
  columnCb.current = cellColumn;
  const markCb = useRef(cellState);
  markCb.current = cellState;
  const editCb = useRef(onEdit);
  editCb.current = onEdit;
  const colFor = (row: Row | undefined, c: GridColumn): GridColumn => (row && columnCb.current ? columnCb.current(row._source ?? {}, c) : c);

  const toRow = (source: Record<string, unknown>): Row => {
    const texts = Object.fromEntries(columns.map((c) => [c.field, toText(c, source[c.field])]));
    return { _key: nextKey++, _orig: { ...texts }, _last: { ...texts }, _source: source, ...texts };
  };

  const report = () => {
    const t = table.current;
    if (!t) return;
    const problems: CellProblem[] = [];
    let dirtyCells = 0;
    const data = t.getData() as Row[];
    data.forEach((row, i) => {
      for (const c of columns) {
        const text = String(row[c.field] ?? '');
        if (text !== (row._orig[c.field] ?? '')) dirtyCells += 1;
        const col = colFor(row, c);
        if (col.readOnly) continue;
        const r = fromText(col, text);
        if (!r.ok) problems.push({ row: i + 1, field: c.field, title: c.title, message: r.message });
      }
    });
    stateCb.current?.({ problems, dirtyCells, rows: data.length });
  };

  useEffect(() => {
    if (!host.current) return;
    const formatterFor = (column: GridColumn) => (cell: CellComponent) => {
      const el = cell.getElement();
      const row = cell.getData() as Row;
      const col = colFor(row, column);
      const text = String(cell.getValue() ?? '');
      const r = col.readOnly ? { ok: true as const } : fromText(col, text);
      const dirty = text !== (row._orig?.[col.field] ?? '');
      const mark = markCb.current?.(row._source ?? {}, col.field);
      el.classList.toggle('cell-invalid', !r.ok);
      el.classList.toggle('cell-dirty', dirty);
      el.classList.toggle('cell-locked', Boolean(columnCb.current) && Boolean(col.readOnly) && !column.readOnly);
      for (const cls of Array.from(el.classList)) if (cls.startsWith('cell-mark-')) el.classList.remove(cls);
      if (mark?.className) el.classList.add(...mark.className.split(' ').filter(Boolean));
      el.setAttribute('data-field', col.field);
      const message = !r.ok ? r.message : mark?.message;
      if (!r.ok || (mark?.message && mark.className?.includes('cell-mark-error'))) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
      if (message) el.title = message;
      else el.removeAttribute('title');
      return escapeHtml(text);
    };
    const defs = columns.map((c): ColumnDefinition => ({
      title: c.title,
      field: c.field,
      width: c.width,
      frozen: c.frozen,
      minWidth: 56,
      headerSort: false,
      hozAlign: c.kind === 'int' || c.kind === 'decimal' || c.kind === 'range' ? 'right' : 'left',
      formatter: formatterFor(c),
      cssClass: c.readOnly ? 'cell-readonly' : undefined,
      editor: readOnly || c.readOnly ? undefined : c.kind === 'enum' || c.kind === 'bool' ? 'list' : 'input',
      editable: cellColumn ? (cell: CellComponent) => !colFor(cell.getData() as Row, c).readOnly : undefined,
      editorParams: c.kind === 'enum'
        ? { values: ['', ...Object.values(c.options ?? {})], autocomplete: true, allowEmpty: true, listOnEmpty: true, freetext: true }
        : c.kind === 'bool' ? { values: ['Có', 'Không'] } : undefined,
    }));
    const t = new Tabulator(host.current, {
      data: rows.map(toRow),
      index: '_key',
      columns: defs,
      layout: 'fitColumns',
      height: height ?? undefined,
      maxHeight: height ? undefined : 520,
      rowHeader: { formatter: 'rownum', headerSort: false, hozAlign: 'center', resizable: false, frozen: true, width: 44, title: 'STT' },
      selectableRange: 1,
      selectableRangeColumns: true,
      selectableRangeRows: true,
      selectableRangeClearCells: !readOnly,
      editTriggerEvent: 'dblclick',
      clipboard: true,
      clipboardCopyStyled: false,
      clipboardCopyConfig: { rowHeaders: false, columnHeaders: false },
      clipboardCopyRowRange: 'range',
      clipboardPasteParser: 'range',
      clipboardPasteAction: readOnly ? undefined : 'range',
      placeholder: 'Chưa có dòng nào',
    } as never);
    table.current = t;
    // the cells the user changed since last told: read-only ones (a pasted block reaching
    // them) are put back, the others are told to the owner
    const emitEdits = () => {
      const edits: CellEdit[] = [];
      for (const r of t.getRows() as RowComponent[]) {
        const d = r.getData() as Row;
        const back: Record<string, string> = {};
        for (const c of columns) {
          const text = String(d[c.field] ?? '');
          if (text === (d._last?.[c.field] ?? '')) continue;
          const col = colFor(d, c);
          if (readOnly || col.readOnly) {
            back[c.field] = d._last?.[c.field] ?? '';
            continue;
          }
          d._last = { ...d._last, [c.field]: text };
          edits.push({ source: d._source, field: c.field, text, parsed: fromText(col, text) });
        }
        if (Object.keys(back).length) r.update(back);
      }
      if (edits.length) editCb.current?.(edits);
    };
    const changed = () => window.setTimeout(() => {
      if (table.current !== t) return;
      emitEdits();
      report();
    }, 0);
    t.on('tableBuilt', () => {
      // the scrolling holder is focusable (keyboard navigation): make it the rows' group so the
      // grid's accessibility tree stays grid > rowgroup > row > gridcell
      const holder = host.current?.querySelector('.tabulator-tableholder');
      holder?.setAttribute('role', 'rowgroup');
      holder?.setAttribute('aria-label', label);
      holder?.querySelector('.tabulator-table')?.setAttribute('role', 'none');
      host.current?.setAttribute('aria-label', label);
      report();
    });
    t.on('cellEdited', changed);
    t.on('clipboardPasted', changed);
    t.on('dataChanged', changed);
    t.on('rowAdded', changed);
    t.on('rowDeleted', changed);

    // Typing a character on a selected cell starts editing it with that character.
    const onKey = (e: KeyboardEvent) => {
      if (readOnly || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return;
      const ranges = (t as unknown as { getRanges: () => Array<{ getCells: () => CellComponent[][] }> }).getRanges?.() ?? [];
      const cell = ranges[0]?.getCells()?.[0]?.[0];
      if (!cell) return;
      const column = columns.find((c) => c.field === cell.getField());
      const col = column && colFor(cell.getData() as Row, column);
      if (!col || col.readOnly) return;
      if (e.key === 'Enter' || e.key === 'F2') {
        e.preventDefault();
        cell.edit(true);
      } else if (e.key.length === 1) {
        e.preventDefault();
        // keys typed quickly arrive before the editor has focus: each goes into the editor,
        // in order (the first replaces the cell's text, as in a spreadsheet)
        const typeInto = (input: HTMLInputElement, replace: boolean) => {
          input.value = replace ? e.key : input.value + e.key;
          input.dispatchEvent(new Event('input', { bubbles: true }));
          input.focus();
        };
        const editing = () => host.current?.querySelector<HTMLInputElement>('.tabulator-editing input');
        const open = editing();
        if (open) {
          typeInto(open, false);
          return;
        }
        cell.edit(true);
        const input = editing();
        if (input) typeInto(input, true);
        else {
          window.setTimeout(() => {
            const later = editing();
            if (later) typeInto(later, true);
          }, 0);
        }
      }
    };
    host.current.addEventListener('keydown', onKey);
    const el = host.current;
    return () => {
      el.removeEventListener('keydown', onKey);
      t.destroy();
      table.current = null;
    };
    // rows are read once: the grid owns its data until it is re-mounted (key)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useImperativeHandle(ref, () => ({
    values: () => ((table.current?.getData() ?? []) as Row[]).map((row) => {
      const out: Record<string, unknown> = { ...row._source };
      for (const c of columns) {
        if (c.readOnly) continue;
        const r = fromText(c, row[c.field]);
        if (!r.ok) throw new Error(r.message);
        out[c.field] = r.value;
      }
      return out;
    }),
    changed: () => ((table.current?.getData() ?? []) as Row[])
      .filter((row) => columns.some((c) => String(row[c.field] ?? '') !== (row._orig[c.field] ?? '')))
      .map((row) => {
        const after: Record<string, unknown> = {};
        for (const c of columns) {
          if (c.readOnly || String(row[c.field] ?? '') === (row._orig[c.field] ?? '')) continue;
          const r = fromText(c, row[c.field]);
          if (!r.ok) throw new Error(r.message);
          after[c.field] = r.value;
        }
        return { before: row._source, after };
      }),
    markSaved: () => {
      const t = table.current;
      if (!t) return;
      for (const r of t.getRows() as RowComponent[]) {
        const d = r.getData() as Row;
        d._orig = Object.fromEntries(columns.map((c) => [c.field, String(d[c.field] ?? '')]));
        r.reformat();
      }
      report();
    },
    addRow: () => {
      table.current?.addRow(toRow({}), false);
    },
    setCells: (match, values, saved) => {
      const t = table.current;
      if (!t) return;
      for (const r of t.getRows() as RowComponent[]) {
        const d = r.getData() as Row;
        if (!match(d._source)) continue;
        const texts = Object.fromEntries(Object.entries(values).map(([f, v]) => {
          const c = columns.find((x) => x.field === f);
          return [f, c ? toText(c, v) : String(v ?? '')];
        }));
        const source = { ...d._source, ...values };
        const patch: Record<string, unknown> = { ...texts, _source: source, _last: { ...d._last, ...texts } };
        if (saved) patch._orig = { ...d._orig, ...texts };
        // set the bookkeeping first, so the change events that follow see nothing to report
        d._last = patch._last as Record<string, string>;
        d._source = source;
        if (saved) d._orig = patch._orig as Record<string, string>;
        r.update(patch);
        r.reformat();
      }
      report();
    },
    refresh: () => {
      for (const r of (table.current?.getRows() ?? []) as RowComponent[]) r.reformat();
      report();
    },
  }));

  const removeSelected = () => {
    const t = table.current as unknown as { getRanges?: () => Array<{ getRows: () => RowComponent[] }> } | null;
    const rows = new Set<RowComponent>();
    for (const r of t?.getRanges?.() ?? []) for (const row of r.getRows()) rows.add(row);
    rows.forEach((row) => row.delete());
  };
  return (
    <div className="editable-grid-wrap">
      <div className="editable-grid" data-testid={testid} ref={host} />
      {readOnly || !addable ? null : (
        <div className="grid-toolbar">
          <button type="button" className="ant-btn ant-btn-default ant-btn-sm" data-testid={`${testid}-add`}
            onClick={() => table.current?.addRow(toRow({}), false)}>+ Thêm dòng</button>
          <button type="button" className="ant-btn ant-btn-default ant-btn-sm" data-testid={`${testid}-remove`}
            onClick={removeSelected}>Xóa các dòng đang chọn</button>
        </div>
      )}
    </div>
  );
});

export default EditableGrid;
