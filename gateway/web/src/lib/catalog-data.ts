// Catalog data several features show: every indicator (names, code pickers) and the
// [{code, name}] options of a catalog, loaded once and cached until a change (`invalidate`).
// Features never import each other: the catalog screens and the assignment screens both read
// these from here.
import { useEffect, useState } from 'react';
import { request } from './api';

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

export type Option = { code: string; name: string };

let indicators: Promise<Map<string, Item>> | null = null;
const options = new Map<string, Promise<Option[]>>();
const listeners = new Set<() => void>();

/** Every indicator (retired ones too), by code. */
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

/** The [{code, name}] of a catalog by its REST path ("/key-tasks"), its name in `nameField`. */
export function catalogOptionsAt(path: string, nameField = 'name'): Promise<Option[]> {
  if (!options.has(path)) {
    const p = request<Page>('GET', `/api/v1${path}`, { query: { page_size: 500 } })
      .then(({ data }) => (data.items ?? []).map((i) => ({ code: i.code, name: String(i[nameField] ?? '') })))
      .catch((err) => {
        options.delete(path);
        throw err;
      });
    options.set(path, p);
  }
  return options.get(path)!;
}

/** Forget a catalog's cached options after a change (the indicators too for "/indicators"). */
export function invalidateAt(path: string): void {
  options.delete(path);
  if (path === '/indicators' || path === '/indicator-sets') {
    indicators = null;
    listeners.forEach((l) => l());
  }
}

/** Every indicator, drawn again when the catalog changes. */
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
