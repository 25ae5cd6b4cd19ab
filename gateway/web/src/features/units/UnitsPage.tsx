// "Cây đơn vị": the unit tree (Ant Design Tree, virtual, lazy children) with an "as of" date,
// diacritic-insensitive search, details, inline rename (F2) and "Thêm đơn vị".
import { Alert, Button, Card, DatePicker, Descriptions, Input, Spin, Tree, type TreeDataNode } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState, type Key, type ReactNode } from 'react';
import { client, unwrap, type OrgUnit } from '../../lib/api';
import { ApiError, problemText } from '../../lib/problem';
import { kindLabel, LEAF_KINDS } from '../../lib/labels';
import { formatDate, formatDateTime, highlightRanges, numberFormat } from '../../lib/vn';
import { useSession } from '../../app/session';
import { useToast } from '../../app/toast';
import { AddUnitDialog } from './AddUnitDialog';
import { TreeModel } from './tree-model';

export function Highlighted({ text, query }: { text: string; query: string }) {
  const ranges = highlightRanges(text, query);
  if (!ranges.length) return <>{text}</>;
  const out: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([s, e], i) => {
    out.push(text.slice(at, s), <mark key={i}>{text.slice(s, e)}</mark>);
    at = e;
  });
  out.push(text.slice(at));
  return <>{out}</>;
}

async function childrenOf(parentId: string, asOf: string): Promise<OrgUnit[]> {
  const items: OrgUnit[] = [];
  let token: string | undefined;
  for (let guard = 0; guard < 50; guard += 1) {
    const page = await unwrap(client.GET('/api/v1/org-units', {
      params: { query: { parent_id: parentId, as_of: asOf || undefined, page_size: 500, page_token: token } },
    }));
    items.push(...page.items);
    token = page.next_page_token || undefined;
    if (!token) break;
  }
  return items;
}

function RenameForm({ unit, onDone }: { unit: OrgUnit; onDone: (u: OrgUnit | null) => void }) {
  const [name, setName] = useState(unit.name);
  const [version, setVersion] = useState(unit.version);
  const [error, setError] = useState<ReactNode>(null);
  const [invalid, setInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const toast = useToast();
  useEffect(() => input.current?.select(), []);

  const reload = async () => {
    const { data, response } = await client.GET('/api/v1/org-units/{unit_id}', { params: { path: { unit_id: unit.id } } });
    if (data) {
      setVersion(data.version ?? Number(response.headers.get('ETag')?.replace(/\D/g, '')));
      setError(<>Tên hiện tại: “{data.name}”. Bấm “Lưu” để ghi đè bằng tên mới.</>);
    }
  };
  const save = async () => {
    const trimmed = name.trim();
    if (!trimmed) {
      setInvalid(true);
      setError('Vui lòng nhập tên đơn vị');
      return;
    }
    setBusy(true);
    try {
      const saved = await unwrap(client.PATCH('/api/v1/org-units/{unit_id}', {
        params: { path: { unit_id: unit.id } }, body: { name: trimmed }, headers: { 'If-Match': `"${version}"` },
      }));
      toast(`Đã đổi tên đơn vị thành “${saved.name}”.`);
      onDone(saved);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        setError(<>Đơn vị đã được người khác sửa, vui lòng tải lại. <Button size="small" data-testid="reload-unit" onClick={reload}>Tải lại</Button></>);
      } else if (err instanceof ApiError && err.fieldErrors.length) {
        setInvalid(true);
        setError(err.fieldErrors.map((f) => f.message).join(' '));
      } else setError(problemText(err, 'Không đổi được tên'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="rename-form" data-testid="rename-form" noValidate
      onSubmit={(e) => { e.preventDefault(); save(); }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') onDone(null);
      }}
      onClick={(e) => e.stopPropagation()}>
      <Input ref={input as never} size="small" value={name} data-testid="rename-input" aria-label={`Tên mới của ${unit.code}`}
        aria-invalid={invalid || undefined} status={invalid ? 'error' : undefined} maxLength={255}
        onChange={(e) => { setName(e.target.value); setInvalid(false); }} />
      <Button size="small" type="primary" htmlType="submit" loading={busy} data-testid="rename-save">Lưu</Button>
      <Button size="small" data-testid="rename-cancel" onClick={() => onDone(null)}>Hủy</Button>
      {error ? <div className="rename-error" role="alert" data-testid="rename-error">{error}</div> : null}
    </form>
  );
}

export function UnitsPage() {
  const { can } = useSession();
  const toast = useToast();
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const asOfIso = asOf ? asOf.format('YYYY-MM-DD') : '';
  const [model, setModel] = useState<TreeModel | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [expanded, setExpanded] = useState<Key[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const activeRef = useRef<string | null>(null);
  const treeRef = useRef<{ scrollTo: (arg: { key: Key; align?: 'top' | 'bottom' | 'auto' }) => void } | null>(null);

  const load = useCallback(async () => {
    setError(null);
    setModel(null);
    try {
      const tree = await unwrap(client.GET('/api/v1/org-units/tree', { params: { query: { as_of: asOfIso || undefined } } }));
      const m = TreeModel.fromNodes(tree.roots);
      setModel(m);
      setExpanded((old) => (old.length ? old : m.rootIds));
    } catch (err) {
      setError(err);
      setModel(new TreeModel());
    }
  }, [asOfIso]);
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => {
    const t = window.setTimeout(() => setDebounced(query), 120);
    return () => window.clearTimeout(t);
  }, [query]);

  const hits = useMemo(() => (model ? model.search(debounced) : null), [model, debounced]);
  const visible = useMemo(() => {
    if (!model || !hits) return null;
    const keep = new Set<string>();
    for (const id of hits) {
      keep.add(id);
      for (const a of model.ancestors(id)) keep.add(a);
    }
    return keep;
  }, [model, hits]);
  useEffect(() => {
    if (model && hits && hits.size) {
      const open = new Set<Key>();
      for (const id of hits) for (const a of model.ancestors(id)) open.add(a);
      setExpanded((old) => [...new Set([...old, ...open])]);
    }
  }, [model, hits]);

  const selected = model?.get(selectedId);

  const finishRename = useCallback((u: OrgUnit | null) => {
    setRenaming(null);
    if (u) setModel((m) => m?.withUnit(u) ?? m);
  }, []);

  const treeData = useMemo<TreeDataNode[]>(() => {
    if (!model) return [];
    const build = (id: string): TreeDataNode => {
      const e = model.entries.get(id)!;
      const u = e.unit;
      const kids = e.childIds.filter((c) => !visible || visible.has(c));
      return {
        key: u.id,
        isLeaf: LEAF_KINDS.has(u.kind) || (e.loaded && e.childIds.length === 0),
        'data-testid': `unit-node-${u.code}`,
        title: (
          <span className={`unit-row${hits?.has(id) ? ' is-match' : ''}`} data-testid={`unit-row-${u.code}`}>
            {renaming === u.id ? <RenameForm unit={u} onDone={finishRename} /> : (
              <>
                <span className="unit-name" data-testid={`unit-name-${u.code}`}><Highlighted text={u.name} query={debounced} /></span>
                <code className="unit-code" data-testid={`unit-code-${u.code}`}>{u.code}</code>
                <span className="unit-kind">{kindLabel(u.kind)}</span>
                {can.editUnits ? (
                  <Button type="link" size="small" className="row-action" data-testid="rename-button" tabIndex={-1}
                    aria-label={`Đổi tên ${u.name}`} onClick={(ev) => { ev.stopPropagation(); setSelectedId(u.id); setRenaming(u.id); }}>Đổi tên</Button>
                ) : null}
              </>
            )}
          </span>
        ),
        children: e.loaded || kids.length ? kids.map(build) : undefined,
      } as TreeDataNode;
    };
    return model.rootIds.filter((id) => !visible || visible.has(id)).map(build);
  }, [model, visible, hits, debounced, renaming, can.editUnits, finishRename]);

  // the tree is virtual: keep the selected unit in view when the rows shown change
  useEffect(() => {
    if (selectedId && treeData.length) treeRef.current?.scrollTo({ key: selectedId, align: 'auto' });
  }, [treeData, selectedId]);

  const loadData = async (node: { key: Key }) => {
    const id = String(node.key);
    if (!model || model.entries.get(id)?.loaded) return;
    try {
      const kids = await childrenOf(id, asOfIso);
      setModel((m) => m?.withChildren(id, kids) ?? m);
    } catch (err) {
      toast(problemText(err, 'Không tải được đơn vị trực thuộc'));
    }
  };

  const count = hits ? hits.size : null;
  const summary = count === null ? '' : count === 0
    ? `Không tìm thấy đơn vị nào phù hợp với “${debounced.trim()}”.`
    : `Tìm thấy ${numberFormat.format(count)} đơn vị.`;

  const details = selected ? (
    <>
      <p className="details-name" data-testid="detail-name">{selected.name}</p>
      <Descriptions column={1} size="small" items={[
        ['code', 'Mã', <code key="c">{selected.code}</code>],
        ['kind', 'Loại', kindLabel(selected.kind)],
        ['short-name', 'Tên viết tắt', selected.short_name || '—'],
        ['parent', 'Trực thuộc', model?.get(selected.parent_id)?.name ?? (selected.parent_id ? '—' : 'Cấp cao nhất')],
        ['children', 'Đơn vị trực thuộc', model?.entries.get(selected.id)?.loaded ? numberFormat.format(model.entries.get(selected.id)!.childIds.length) : '—'],
        ['valid-from', 'Hiệu lực từ', formatDate(selected.valid_from) || '—'],
        ['valid-to', 'Hiệu lực đến', selected.valid_to ? formatDate(selected.valid_to) : 'Đang hiệu lực'],
        ['version', 'Phiên bản', String(selected.version ?? '—')],
        ['updated-at', 'Cập nhật lúc', formatDateTime(selected.updated_at) || '—'],
      ].map(([key, label, value]) => ({ key: key as string, label, children: <span data-testid={`detail-${key}`}>{value}</span> }))} />
      {can.editUnits ? (
        <div className="details-actions">
          <Button data-testid="details-rename-button" onClick={() => setRenaming(selected.id)}>Đổi tên</Button>
          {LEAF_KINDS.has(selected.kind) ? null : <Button data-testid="details-add-child-button" onClick={() => setAdding(true)}>Thêm đơn vị trực thuộc</Button>}
        </div>
      ) : null}
    </>
  ) : <p className="muted">Chọn một đơn vị trong cây để xem chi tiết.</p>;

  return (
    <section className="view" aria-labelledby="page-title">
      <div className="page-head">
        <div>
          <h1 id="page-title">Cây đơn vị</h1>
          <p className="muted page-lead">Tỉnh/thành phố, sở ngành, xã/phường và các phòng ban trực thuộc.</p>
        </div>
        {can.editUnits ? <Button type="primary" data-testid="add-unit-button" onClick={() => setAdding(true)}>+ Thêm đơn vị</Button> : null}
      </div>
      <Card className="toolbar" role="search" aria-label="Tìm và lọc đơn vị">
        <div className="toolbar-row">
          <div className="field field-grow">
            <label htmlFor="unit-search">Tìm đơn vị</label>
            <Input id="unit-search" type="search" data-testid="unit-search" value={query} allowClear={false}
              placeholder="Nhập tên hoặc mã, không cần dấu (ví dụ: ha tay)" autoComplete="off" spellCheck={false}
              aria-describedby="search-summary"
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Escape') setQuery(''); }} />
          </div>
          <div className="field">
            <label htmlFor="as-of">Thời điểm</label>
            <DatePicker id="as-of" data-testid="as-of" value={asOf} onChange={(d) => setAsOf(d)} format={['DD/MM/YYYY', 'YYYY-MM-DD']}
              placeholder="Hiện hành" aria-describedby="as-of-hint" maxDate={dayjs().add(10, 'year')} />
            <span className="hint" id="as-of-hint">{asOf ? `Cơ cấu tại ngày ${asOf.format('DD/MM/YYYY')}` : 'Để trống: cơ cấu hiện hành'}</span>
          </div>
        </div>
      </Card>
      <div className="layout">
        <Card className="tree-card" title={<h2 id="tree-title" className="card-title">Danh sách đơn vị</h2>}
          extra={<span className="muted" data-testid="tree-count">{model?.size ? `${numberFormat.format(model.size)} đơn vị` : ''}</span>}>
          <p className="search-summary" id="search-summary" data-testid="search-summary" aria-live="polite">{summary}</p>
          {error ? (
            <Alert type="error" showIcon data-testid="tree-error" message={problemText(error, 'Không tải được cây đơn vị')}
              action={<Button size="small" onClick={load}>Thử lại</Button>} />
          ) : null}
          {!model ? <div className="tree-state" data-testid="tree-loading"><Spin size="small" /> Đang tải cây đơn vị…</div> : null}
          {model && !error && model.size === 0 ? (
            <p className="muted" data-testid="tree-empty">{can.editUnits ? 'Chưa có đơn vị nào. Bấm “Thêm đơn vị” để tạo đơn vị đầu tiên.' : 'Chưa có đơn vị nào.'}</p>
          ) : null}
          {model && model.size > 0 ? (
            <Tree
              ref={treeRef as never}
              data-testid="unit-tree"
              aria-labelledby="tree-title"
              treeData={treeData}
              height={560}
              itemHeight={30}
              motion={{}}
              blockNode
              expandedKeys={expanded}
              selectedKeys={selectedId ? [selectedId] : []}
              loadData={loadData}
              onExpand={(keys) => setExpanded(keys)}
              onActiveChange={(key) => { activeRef.current = key === null ? null : String(key); }}
              onKeyDown={(e) => {
                if (e.key === 'F2' && can.editUnits && activeRef.current) {
                  e.preventDefault();
                  setSelectedId(activeRef.current);
                  setRenaming(activeRef.current);
                }
              }}
              onSelect={(keys, info) => {
                const id = String(info.node.key);
                setSelectedId(id);
                if (!expanded.includes(id)) setExpanded([...expanded, id]);
                if (!keys.length) setSelectedId(id);
              }}
            />
          ) : null}
          <p className="hint tree-hint">Dùng phím mũi tên để di chuyển, mũi tên phải/trái để mở/thu gọn, Enter để chọn{can.editUnits ? ', F2 để đổi tên' : ''}.</p>
        </Card>
        <div className="detail-aside">
          <Card className="details-card" data-testid="unit-details" title={<h2 className="card-title">Thông tin đơn vị</h2>}>
            {details}
          </Card>
        </div>
      </div>
      {adding && model ? (
        <AddUnitDialog model={model} parent={selected ?? null} onClose={() => setAdding(false)}
          onAdded={(u) => {
            setAdding(false);
            setModel((m) => m?.withUnit(u) ?? m);
            setExpanded((old) => [...new Set([...old, ...(u.parent_id ? [u.parent_id] : [])])]);
            setSelectedId(u.id);
            toast(`Đã thêm đơn vị “${u.name}”.`);
          }} />
      ) : null}
    </section>
  );
}

