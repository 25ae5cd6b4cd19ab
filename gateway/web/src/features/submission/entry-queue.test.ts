import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/problem';
import { EntryQueue, flush, type KeyValueStore, type SaveApi } from './entry-queue';
import { keyText, type FigureKey, type Submission } from './model';

const A: FigureKey = { indicator_code: 'HP2081.XIII.16', members: [], kind: 'actual' };
const B: FigureKey = { indicator_code: 'HP2081.XIII.01', members: [{ dimension_code: 'price_basis', member_code: 'comparative' }], kind: 'actual' };

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

/** A tiny server: one report, per-figure versions, the service's 409 / 422 / offline answers. */
function server() {
  const figures = new Map<string, { key: FigureKey; value: string; note: string; version: number; updated_by: string }>();
  let online = true;
  const calls: unknown[] = [];
  const report = (): Submission => ({
    id: 's1', status: 'draft', sections: [], lines: [],
    figures: [...figures.values()].map((f) => ({ ...f, text_value: '', office_code: '', updated_at: null, return_comment: '' })),
  }) as unknown as Submission;
  const api: SaveApi = {
    async save(entries) {
      calls.push(entries);
      if (!online) throw new ApiError(0, {});
      const clashes = entries.map((e, i) => ({ e, i })).filter(({ e }) => (figures.get(keyText(e.key))?.version ?? 0) !== e.expected_version);
      if (clashes.length) {
        throw new ApiError(409, { detail: 'vừa được người khác sửa', errors: clashes.map(({ i }) => ({ field: `body.figures[${i}].value`, message: 'vừa được sửa' })) });
      }
      const bad = entries.map((e, i) => ({ e, i })).filter(({ e }) => e.value === 'x');
      if (bad.length) throw new ApiError(422, { errors: bad.map(({ i }) => ({ field: `figures[${i}].value`, message: 'không phải là số' })) });
      for (const e of entries) {
        const k = keyText(e.key);
        const old = figures.get(k);
        figures.set(k, { key: e.key, value: e.value, note: e.note, version: (old?.version ?? 0) + 1, updated_by: 'me' });
      }
      return report();
    },
    async load() {
      if (!online) throw new ApiError(0, {});
      return report();
    },
  };
  return {
    api, calls, figures, report,
    setOnline: (v: boolean) => { online = v; },
    /** another user saves a figure */
    other: (key: FigureKey, value: string) => {
      const k = keyText(key);
      figures.set(k, { key, value, note: '', version: (figures.get(k)?.version ?? 0) + 1, updated_by: 'nhap_lieu_vhxh' });
    },
  };
}

const fresh = { version: 0, value: '', note: '' };

describe('EntryQueue', () => {
  it('keeps edits across a reload (a new queue on the same storage) and forgets an edit typed back to the stored value', () => {
    const store = memoryStore();
    const q = new EntryQueue('s1', store);
    q.edit(A, '92', '', fresh);
    q.edit(B, '1200.5', 'ghi chú', fresh);
    const again = new EntryQueue('s1', store);
    expect(again.all().map((p) => [p.keyText, p.value, p.note])).toEqual([
      ['HP2081.XIII.16/actual', '92', ''],
      ['HP2081.XIII.01[price_basis=comparative]/actual', '1200.5', 'ghi chú'],
    ]);
    again.edit(A, '', '', fresh);
    expect(again.all()).toHaveLength(1);
    expect(new EntryQueue('other', store).all()).toEqual([]);
  });

  it('sends once online, and every figure arrives once', async () => {
    const srv = server();
    const q = new EntryQueue('s1', memoryStore());
    srv.setOnline(false);
    q.edit(A, '92', '', fresh);
    q.edit(B, '1200.5', '', fresh);
    expect(await flush(q, srv.api)).toEqual({ state: 'offline' });
    expect(q.all()).toHaveLength(2);
    q.edit(A, '93', '', fresh); // still typing while offline: the last value wins
    srv.setOnline(true);
    const r = await flush(q, srv.api);
    expect(r.state).toBe('saved');
    expect(q.all()).toEqual([]);
    expect([...srv.figures.values()].map((f) => [f.value, f.version])).toEqual([['93', 1], ['1200.5', 1]]);
    expect(await flush(q, srv.api)).toEqual({ state: 'idle', submission: undefined });
  });

  it('an edit typed while its save was on the way stays, over the new version', async () => {
    const srv = server();
    const q = new EntryQueue('s1', memoryStore());
    q.edit(A, '92', '', fresh);
    const slow: SaveApi = {
      ...srv.api,
      save: async (entries) => {
        const out = await srv.api.save(entries);
        q.edit(A, '95', '', fresh); // typed during the request
        return out;
      },
    };
    await flush(q, slow, 1);
    expect(q.all().map((p) => [p.value, p.baseVersion, p.baseValue])).toEqual([['95', 1, '92']]);
    await flush(q, srv.api);
    expect(srv.figures.get(keyText(A))).toMatchObject({ value: '95', version: 2 });
  });

  it('a figure changed by someone else is a conflict with both values; the others are saved', async () => {
    const srv = server();
    const q = new EntryQueue('s1', memoryStore());
    q.edit(A, '92', '', fresh);
    q.edit(B, '10', '', fresh);
    srv.other(A, '91.5');
    const r = await flush(q, srv.api);
    expect(r.state).toBe('saved');
    expect(srv.figures.get(keyText(B))?.value).toBe('10');
    expect(q.conflicts().map((p) => [p.value, p.conflict])).toEqual([
      ['92', { value: '91.5', note: '', version: 1, updatedBy: 'nhap_lieu_vhxh' }],
    ]);
    expect(q.sendable()).toEqual([]);
    // keep mine: sent over the server's version
    q.keepMine(keyText(A));
    await flush(q, srv.api);
    expect(srv.figures.get(keyText(A))).toMatchObject({ value: '92', version: 2 });
    expect(q.all()).toEqual([]);
  });

  it("taking the server's value drops mine; the same value typed by both is no conflict", async () => {
    const srv = server();
    const q = new EntryQueue('s1', memoryStore());
    q.edit(A, '92', '', fresh);
    q.edit(B, '7.50', '', fresh);
    srv.other(A, '91.5');
    srv.other(B, '7.5');
    await flush(q, srv.api);
    expect(q.conflicts().map((p) => p.keyText)).toEqual([keyText(A)]);
    q.takeTheirs(keyText(A));
    expect(q.all()).toEqual([]);
    expect(srv.figures.get(keyText(A))?.value).toBe('91.5');
  });

  it('a value the service refuses is marked with its message and not sent again until edited', async () => {
    const srv = server();
    const q = new EntryQueue('s1', memoryStore());
    q.edit(A, 'x', '', fresh);
    q.edit(B, '3', '', fresh);
    await flush(q, srv.api);
    expect(q.all().map((p) => [p.value, p.error])).toEqual([['x', 'không phải là số']]);
    expect(srv.figures.get(keyText(B))?.value).toBe('3');
    const before = srv.calls.length;
    await flush(q, srv.api);
    expect(srv.calls.length).toBe(before);
    q.edit(A, '4', '', fresh);
    await flush(q, srv.api);
    expect(q.all()).toEqual([]);
  });

  it('a refusal of the whole report (not editable any more) keeps the edits and says why', async () => {
    const q = new EntryQueue('s1', memoryStore());
    q.edit(A, '92', '', fresh);
    const api: SaveApi = {
      save: async () => { throw new ApiError(409, { title: 'Xung đột dữ liệu', detail: 'Báo cáo đang ở trạng thái “Đã duyệt”, không sửa được số liệu' }); },
      load: async () => { throw new Error('not called'); },
    };
    expect(await flush(q, api)).toEqual({ state: 'refused', message: 'Báo cáo đang ở trạng thái “Đã duyệt”, không sửa được số liệu' });
    expect(q.all()).toHaveLength(1);
  });
});

describe('the report kept for an offline reload', () => {
  it("keeps the full read's context when a save answers without it", () => {
    const q = new EntryQueue('s1', memoryStore());
    const ctx = [{ key: A, target_value: '95', target_low: '', target_high: '', target_text: '', previous_year_value: '', year_to_date_value: '' }];
    q.setSnapshot({ id: 's1', figures: [], context: ctx } as unknown as Submission);
    q.edit(A, '92', '', fresh);
    q.acknowledge(q.all(), { id: 's1', figures: [{ key: A, value: '92', text_value: '', note: '', version: 1 }] } as unknown as Submission);
    expect(q.snapshot()?.context).toEqual(ctx);
    expect(q.snapshot()?.figures).toHaveLength(1);
  });
});
