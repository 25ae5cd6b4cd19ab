// Render-time benchmark page (bench/web.py opens it in Chromium): the unit tree with 2,000
// units (Ant Design Tree, virtual, as on "Cây đơn vị") and the editable grid with 200 × 12
// cells (Tabulator). Results go to window.__bench. Not part of the app.
import { Tree } from 'antd';
import { createRoot } from 'react-dom/client';
import { Suspense, lazy, useEffect } from 'react';
import type { OrgUnit, OrgUnitNode } from '../lib/api';
import { TreeModel } from '../features/units/tree-model';
import type { GridColumn } from '../components/grid-columns';

const EditableGrid = lazy(() => import('../components/EditableGrid'));
declare global {
  interface Window { __bench: Record<string, number>; __benchStart: (what: string) => void }
}
window.__bench = {};

function unit(id: string, name: string, kind: OrgUnit['kind'], parent: string | null): OrgUnit {
  return { id, code: id, name, short_name: '', kind, parent_id: parent, province_code: '31', valid_from: null, valid_to: null, version: 1, successor_ids: [], updated_at: null };
}

function units(n: number): OrgUnitNode[] {
  const communes: OrgUnitNode[] = [];
  let count = 1;
  for (let c = 0; count < n; c += 1) {
    const id = `C${c}`;
    const offices: OrgUnitNode[] = [];
    count += 1;
    for (let o = 0; o < 4 && count < n; o += 1, count += 1) offices.push({ unit: unit(`${id}-O${o}`, `Phòng ${o} xã số ${c}`, 'office', id), children: [] });
    communes.push({ unit: unit(id, `Xã Hà Tây số ${c}`, 'commune', 'P'), children: offices });
  }
  return [{ unit: unit('P', 'Thành phố Hải Phòng', 'province', null), children: communes }];
}

function TreeBench({ n, t0, flat }: { n: number; t0: number; flat: boolean }) {
  const model = TreeModel.fromNodes(units(n));
  const build = (id: string): object => {
    const e = model.entries.get(id)!;
    return {
      key: id, 'data-testid': `unit-node-${id}`,
      title: <span className="unit-row"><span>{e.unit.name}</span> <code>{e.unit.code}</code></span>,
      children: e.childIds.map(build), isLeaf: !e.childIds.length,
    };
  };
  useEffect(() => {
    requestAnimationFrame(() => { window.__bench.tree = performance.now() - t0; });
  }, [t0]);
  return <Tree data-testid="unit-tree" treeData={model.rootIds.map(build) as never} height={flat ? undefined : 560} itemHeight={30} motion={{}} defaultExpandedKeys={flat ? [...model.entries.keys()] : ['P']} blockNode />;
}

const GRID_COLUMNS: GridColumn[] = Array.from({ length: 12 }, (_, i) => ({ field: `c${i}`, title: `Cột ${i + 1}`, kind: i < 2 ? 'text' : 'decimal' }));

function GridBench({ rows, t0 }: { rows: number; t0: number }) {
  const data = Array.from({ length: rows }, (_, r) => Object.fromEntries(GRID_COLUMNS.map((c, i) => [c.field, i < 2 ? `Dòng ${r}` : String(r * 10 + i + 0.5)])));
  return (
    <Suspense fallback={null}>
      <EditableGrid columns={GRID_COLUMNS} rows={data} label="bench" testid="bench-grid" height={500}
        onState={() => { if (!window.__bench.grid) requestAnimationFrame(() => { window.__bench.grid = performance.now() - t0; }); }} />
    </Suspense>
  );
}

const root = createRoot(document.getElementById('root')!);
window.__benchStart = (what: string) => {
  window.__bench = {};
  root.render(<div />);
  setTimeout(() => {
    const t0 = performance.now();
    root.render(what.startsWith('tree') ? <TreeBench n={2000} t0={t0} flat={what === 'tree:flat'} /> : <GridBench rows={200} t0={t0} />);
  }, 50);
};
