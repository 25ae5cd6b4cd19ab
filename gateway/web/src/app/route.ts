import { useEffect, useState } from 'react';

export interface Route {
  section: string;
  code: string | null;
  action: 'list' | 'detail' | 'new' | 'edit' | 'import' | 'grid';
  asOf: string;
}

/** "#/chi-so/HP2081.XIII.11/sua?ngay=2026-07-01" → {section: 'chi-so', code, action: 'edit', asOf}. */
export function parseRoute(hash: string): Route {
  const [path, search = ''] = String(hash ?? '').replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const params = new URLSearchParams(search);
  const [section = 'don-vi', second, third] = parts;
  let code: string | null = second ?? null;
  let action: Route['action'] = code ? 'detail' : 'list';
  if (code === 'moi') [code, action] = [null, 'new'];
  else if (code === 'nhap') [code, action] = [null, 'import'];
  else if (code === 'bang') [code, action] = [null, 'grid'];
  else if (code && third === 'sua') action = 'edit';
  return { section, code, action, asOf: params.get('ngay') || '' };
}

export function href(section: string, code?: string | null, extra?: string, asOf?: string): string {
  return `#/${section}${code ? `/${encodeURIComponent(code)}` : ''}${extra ? `/${extra}` : ''}${asOf ? `?ngay=${asOf}` : ''}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
}
