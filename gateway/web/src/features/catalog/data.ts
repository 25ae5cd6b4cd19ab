// The catalog screens' view of the shared catalog data (src/lib/catalog-data.ts): options and
// invalidation by catalog key (catalogs.ts gives each key's path and name field).
import { useEffect, useState } from 'react';
import { catalogOptionsAt, invalidateAt, type Option } from '../../lib/catalog-data';
import { BY_KEY } from './catalogs';

export { loadIndicators, useIndicators, type Item, type Page } from '../../lib/catalog-data';

export function catalogOptions(key: string): Promise<Option[]> {
  const c = BY_KEY[key];
  return catalogOptionsAt(c.path, c.nameField ?? 'name');
}

export function invalidate(key: string): void {
  invalidateAt(BY_KEY[key]?.path ?? `/${key}`);
}

export function useOptions(key: string | undefined): Option[] {
  const [list, setList] = useState<Option[]>([]);
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
