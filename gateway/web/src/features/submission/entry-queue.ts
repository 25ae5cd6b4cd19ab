// What a user typed into a report and the server has not stored yet, kept in the browser
// (localStorage: it survives a reload and a lost connection), and the rule that sends it:
// every edit remembers the version of the figure it was typed over (`expected_version`); a
// save refused because someone else changed the figure meanwhile becomes a conflict showing
// both values, which the user settles (keep mine / take the server's). Nothing typed is lost:
// an edit leaves the queue only once the server answered with that very value.
import { ApiError } from '../../lib/problem';
import { figureValue, keyText, mergeReport, sameValue, type FigureKey, type Submission } from './model';

export interface Pending {
  keyText: string;
  key: FigureKey;
  value: string;
  note: string;
  /** the version, value and note of the figure when the user started typing over it */
  baseVersion: number;
  baseValue: string;
  baseNote: string;
  editedAt: string;
  /** someone else saved this figure meanwhile: their value, note, version and name */
  conflict?: { value: string; note: string; version: number; updatedBy: string } | null;
  /** the service refused the value (validation): its Vietnamese message */
  error?: string;
}

interface Stored {
  edits: Record<string, Pending>;
  /** the last report read from the server, shown when the page is reloaded offline */
  snapshot?: Submission | null;
}

export interface KeyValueStore {
  getItem: (key: string) => string | null;
  setItem: (key: string, value: string) => void;
  removeItem: (key: string) => void;
}

export const STORAGE_PREFIX = 'ktxh.entry.';

export class EntryQueue {
  private data: Stored;
  private readonly storageKey: string;

  constructor(readonly submissionId: string, private readonly store: KeyValueStore = window.localStorage) {
    this.storageKey = `${STORAGE_PREFIX}${submissionId}`;
    let parsed: Stored = { edits: {} };
    try {
      const raw = store.getItem(this.storageKey);
      if (raw) parsed = JSON.parse(raw) as Stored;
    } catch { /* a damaged entry: start empty */ }
    this.data = { edits: parsed.edits ?? {}, snapshot: parsed.snapshot ?? null };
  }

  private persist(): void {
    try {
      if (!Object.keys(this.data.edits).length && !this.data.snapshot) this.store.removeItem(this.storageKey);
      else this.store.setItem(this.storageKey, JSON.stringify(this.data));
    } catch { /* storage full or denied: the edits stay in memory */ }
  }

  all(): Pending[] {
    return Object.values(this.data.edits);
  }

  get(k: string): Pending | undefined {
    return this.data.edits[k];
  }

  /** Edits that can be sent now (no unsettled conflict, no refused value). */
  sendable(): Pending[] {
    return this.all().filter((p) => !p.conflict && !p.error);
  }

  conflicts(): Pending[] {
    return this.all().filter((p) => p.conflict);
  }

  snapshot(): Submission | null {
    return this.data.snapshot ?? null;
  }

  setSnapshot(s: Submission): void {
    this.data.snapshot = mergeReport(s, this.data.snapshot);
    this.persist();
  }

  /** The user typed `value`/`note` over the figure as last read (`base`). */
  edit(key: FigureKey, value: string, note: string, base: { version: number; value: string; note: string }): void {
    const k = keyText(key);
    const old = this.data.edits[k];
    const next: Pending = old
      ? { ...old, value, note, editedAt: new Date().toISOString(), error: undefined }
      : { keyText: k, key, value, note, baseVersion: base.version, baseValue: base.value, baseNote: base.note, editedAt: new Date().toISOString() };
    if (!next.conflict && sameValue(next.value, next.baseValue) && next.note === next.baseNote) delete this.data.edits[k];
    else this.data.edits[k] = next;
    this.persist();
  }

  discard(k: string): void {
    delete this.data.edits[k];
    this.persist();
  }

  /** The server stored `sent`: an edit typed again meanwhile stays, rebased on the new version. */
  acknowledge(sent: Pending[], s: Submission): void {
    const figures = new Map(s.figures.map((f) => [keyText(f.key), f]));
    for (const p of sent) {
      const now = this.data.edits[p.keyText];
      if (!now) continue;
      const f = figures.get(p.keyText);
      const version = f?.version ?? 0;
      if (sameValue(now.value, p.value) && now.note === p.note) delete this.data.edits[p.keyText];
      else this.data.edits[p.keyText] = { ...now, baseVersion: version, baseValue: figureValue(f), baseNote: f?.note ?? '' };
    }
    this.data.snapshot = mergeReport(s, this.data.snapshot);
    this.persist();
  }

  /** Someone else saved these figures: compare with the server's report. Same value → nothing
   *  to settle (rebased); different → a conflict to show. */
  detectConflicts(keys: string[], s: Submission): void {
    const figures = new Map(s.figures.map((f) => [keyText(f.key), f]));
    for (const k of keys) {
      const p = this.data.edits[k];
      if (!p) continue;
      const f = figures.get(k);
      const theirs = { value: figureValue(f), note: f?.note ?? '', version: f?.version ?? 0, updatedBy: f?.updated_by ?? '' };
      if (theirs.version === p.baseVersion) continue;
      if (sameValue(theirs.value, p.value) && theirs.note === p.note) delete this.data.edits[k];
      else this.data.edits[k] = { ...p, conflict: theirs };
    }
    this.data.snapshot = mergeReport(s, this.data.snapshot);
    this.persist();
  }

  /** Keep what I typed: it is sent again over the server's version. */
  keepMine(k: string): void {
    const p = this.data.edits[k];
    if (!p?.conflict) return;
    this.data.edits[k] = { ...p, baseVersion: p.conflict.version, baseValue: p.conflict.value, baseNote: p.conflict.note, conflict: null };
    this.persist();
  }

  /** Take the server's value: my edit is dropped. */
  takeTheirs(k: string): void {
    this.discard(k);
  }

  markError(k: string, message: string): void {
    const p = this.data.edits[k];
    if (!p) return;
    this.data.edits[k] = { ...p, error: message };
    this.persist();
  }

  /** Forget everything kept for this report (after it left the editable states). */
  clear(): void {
    this.data = { edits: {}, snapshot: null };
    this.persist();
  }
}

export interface SaveApi {
  save: (entries: Array<{ key: FigureKey; value: string; note: string; expected_version: number }>) => Promise<Submission>;
  load: () => Promise<Submission>;
}

export type FlushResult =
  | { state: 'idle' | 'saved'; submission?: Submission }
  | { state: 'offline' }
  | { state: 'refused'; message: string; submission?: Submission }
  | { state: 'retry'; message: string };

/** `figures[3].value` → 3 (the entry sent at that place), or the key text of `figures[<key>].value`. */
function entryIndex(field: string, at: string, sent: Pending[]): number {
  if (field !== 'figures' || !at.startsWith('[')) return -1;
  const n = /^\[(\d+)\]/.exec(at);
  if (n) return Number(n[1]);
  const inside = at.slice(1, at.lastIndexOf(']'));
  return sent.findIndex((p) => p.keyText === inside);
}

const offline = (err: unknown) => err instanceof ApiError && err.status === 0;

/** Send what can be sent, until nothing is left or the server cannot be reached. Conflicting
 *  and refused figures are set aside (marked) and the others sent again. */
export async function flush(queue: EntryQueue, api: SaveApi, maxRounds = 5): Promise<FlushResult> {
  let last: Submission | undefined;
  for (let round = 0; round < maxRounds; round += 1) {
    const sent = queue.sendable().map((p) => ({ ...p }));
    if (!sent.length) return { state: last ? 'saved' : 'idle', submission: last };
    try {
      last = await api.save(sent.map((p) => ({ key: p.key, value: p.value, note: p.note, expected_version: p.baseVersion })));
      queue.acknowledge(sent, last);
      continue;
    } catch (err) {
      if (offline(err)) return { state: 'offline' };
      if (!(err instanceof ApiError)) return { state: 'retry', message: 'Đã có lỗi xảy ra' };
      const message = [err.title, err.detail].filter(Boolean).join(': ');
      const marked = err.fieldErrors
        .map((fe) => ({ i: entryIndex(fe.field, fe.at, sent), message: fe.message }))
        .filter((x) => x.i >= 0 && x.i < sent.length);
      if (err.status === 409 && marked.length) {
        try {
          last = await api.load();
        } catch (loadErr) {
          return offline(loadErr) ? { state: 'offline' } : { state: 'retry', message };
        }
        queue.detectConflicts(marked.map((x) => sent[x.i].keyText), last);
        continue;
      }
      if (err.status === 422 && marked.length) {
        for (const x of marked) queue.markError(sent[x.i].keyText, x.message);
        continue;
      }
      if (err.status >= 500 || err.status === 429) return { state: 'retry', message };
      return { state: 'refused', message: err.detail || err.title };
    }
  }
  return { state: last ? 'saved' : 'idle', submission: last };
}
