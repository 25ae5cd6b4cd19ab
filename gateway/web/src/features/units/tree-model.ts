// The unit tree in memory: every loaded unit by id with its children, sorted for display,
// filtered by a diacritic-insensitive search (matches and their ancestors).
import type { OrgUnit, OrgUnitNode } from '../../lib/api';
import { KIND_ORDER, LEAF_KINDS } from '../../lib/labels';
import { fold, foldQuery } from '../../lib/vn';

export interface Entry {
  unit: OrgUnit;
  childIds: string[];
  /** children known (from /tree or fetched); false = fetch when expanded */
  loaded: boolean;
}

export class TreeModel {
  readonly entries = new Map<string, Entry>();
  rootIds: string[] = [];

  static fromNodes(roots: OrgUnitNode[]): TreeModel {
    const m = new TreeModel();
    // a node without `children` (a tree cut short) has its children fetched when expanded
    const add = (node: OrgUnitNode): string => {
      const known = Array.isArray(node.children);
      const ids = (node.children ?? []).map(add);
      m.entries.set(node.unit.id, {
        unit: node.unit, childIds: m.sort(ids), loaded: known || LEAF_KINDS.has(node.unit.kind),
      });
      return node.unit.id;
    };
    m.rootIds = m.sort(roots.map(add));
    return m;
  }

  get size(): number {
    return this.entries.size;
  }

  sort(ids: string[]): string[] {
    const rank = (id: string) => {
      const i = KIND_ORDER.indexOf(this.entries.get(id)?.unit.kind ?? '');
      return i < 0 ? KIND_ORDER.length : i;
    };
    return ids.map((id, i) => [id, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([id]) => id);
  }

  /** A copy with a unit's children set (after a lazy load or an add). */
  withChildren(parentId: string, children: OrgUnit[]): TreeModel {
    const m = this.copy();
    const parent = m.entries.get(parentId);
    if (!parent) return m;
    for (const u of children) {
      const old = m.entries.get(u.id);
      m.entries.set(u.id, { unit: u, childIds: old?.childIds ?? [], loaded: old?.loaded ?? LEAF_KINDS.has(u.kind) });
    }
    const ids = [...new Set([...parent.childIds, ...children.map((u) => u.id)])];
    m.entries.set(parentId, { ...parent, childIds: m.sort(ids), loaded: true });
    return m;
  }

  withUnit(unit: OrgUnit): TreeModel {
    const m = this.copy();
    const old = m.entries.get(unit.id);
    if (old) {
      m.entries.set(unit.id, { ...old, unit });
      return m;
    }
    m.entries.set(unit.id, { unit, childIds: [], loaded: true });
    if (unit.parent_id && m.entries.has(unit.parent_id)) {
      const p = m.entries.get(unit.parent_id)!;
      m.entries.set(unit.parent_id, { ...p, childIds: m.sort([...p.childIds, unit.id]) });
    } else if (!unit.parent_id) m.rootIds = m.sort([...m.rootIds, unit.id]);
    return m;
  }

  private copy(): TreeModel {
    const m = new TreeModel();
    for (const [k, v] of this.entries) m.entries.set(k, v);
    m.rootIds = this.rootIds;
    return m;
  }

  get(id: string | null | undefined): OrgUnit | undefined {
    return id ? this.entries.get(id)?.unit : undefined;
  }

  findByCode(code: string): OrgUnit | undefined {
    for (const e of this.entries.values()) if (e.unit.code === code) return e.unit;
    return undefined;
  }

  ancestors(id: string): string[] {
    const out: string[] = [];
    let p = this.get(id)?.parent_id;
    while (p && this.entries.has(p)) {
      out.push(p);
      p = this.get(p)?.parent_id;
    }
    return out;
  }

  /** Units matching a query (every word in the name, or the code by prefix); null: no query. */
  search(query: string): Set<string> | null {
    const q = foldQuery(query);
    if (!q) return null;
    const upper = query.trim().toUpperCase();
    const words = q.split(' ');
    const hits = new Set<string>();
    for (const [id, e] of this.entries) {
      const name = fold(e.unit.name);
      if (e.unit.code.toUpperCase().startsWith(upper) || words.every((w) => name.includes(w))) hits.add(id);
    }
    return hits;
  }
}
