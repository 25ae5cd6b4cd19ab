// Shared catalog data for the screens: every indicator (names, code pickers) and the
// [{code, name}] options of a catalog, loaded once and cached until a change.
import { useEffect, useState } from 'react';
import { request } from '../../lib/api';
import { BY_KEY } from './catalogs';

export interface Item {
  code: string;
  version?: number;
  revision?: number;
  valid_from?: string | null;
  valid_to?: string | null;
  retired?: boolean;
  audit?: { updated_at?: string | null; updated_by?: string | null } | null;
  [key: string]: unknown;
}

export interface Page {
  items: Item[];
  next_page_token?: string;
  total?: number;
}

let indicators: Promise<Map<string, Item>> | null = null;
const options = new Map<string, Promise<Array<{ code: string; name: string }>>>();

export function loadIndicators(): Promise<Map<string, Item>> {
  indicators ??= (async () => {
    const map = new Map<string, Item>();
    let token = '';
    for (let guard = 0; guard < 40; guard += 1) {
      const { data } = await request<Page>('GET', '/api/v1/indicators', { query: { page_size: 500, page_token: token, include_retired: true } });
      for (const i of data.items ?? []) map.set(i.code, i);
      token = data.next_page_token ?? '';
      if (!token) break;
    }
    return map;
  })().catch((err) => {
    indicators = null;
    throw err;
  });
  return indicators;
}

export function catalogOptions(key: string): Promise<Array<{ code: string; name: string }>> {
  if (!options.has(key)) {
    const c = BY_KEY[key];
    const p = request<Page>('GET', `/api/v1${c.path}`, { query: { page_size: 500 } })
      .then(({ data }) => (data.items ?? []).map((i) => ({ code: i.code, name: String(i[c.nameField ?? 'name'] ?? '') })))
      .catch((err) => {
        options.delete(key);
        throw err;
      });
    options.set(key, p);
  }
  return options.get(key)!;
}

const listeners = new Set<() => void>();

export function invalidate(key: string): void {
  options.delete(key);
  if (key === 'indicators' || key === 'indicator-sets') {
    indicators = null;
    listeners.forEach((l) => l());
  }
}

export function useIndicators(): Map<string, Item> {
  const [map, setMap] = useState<Map<string, Item>>(new Map());
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    const changed = () => setGeneration((g) => g + 1);
    listeners.add(changed);
    return () => {
      listeners.delete(changed);
    };
  }, []);
  useEffect(() => {
    let live = true;
    loadIndicators().then((m) => live && setMap(m), () => {});
    return () => {
      live = false;
    };
  }, [generation]);
  return map;
}

export function useOptions(key: string | undefined): Array<{ code: string; name: string }> {
  const [list, setList] = useState<Array<{ code: string; name: string }>>([]);
  useEffect(() => {
    if (!key) return;
    let live = true;
    catalogOptions(key).then((l) => live && setList(l), () => {});
    return () => {
      live = false;
    };
  }, [key]);
  return list;
}
