// The one place that talks HTTP to the gateway: openapi-fetch over the types generated from the
// gateway's OpenAPI document (api-schema.d.ts, `make web-api`). Errors become ApiError
// (problem details); a 401 renews the session once and repeats the request.

import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api-schema';
import { ApiError, type Problem } from './problem';

export type Schemas = components['schemas'];
export type OrgUnit = Schemas['OrgUnit'];
export type OrgUnitNode = Schemas['OrgUnitNode'];
export type IndicatorSet = Schemas['IndicatorSet'];
export type IndicatorSetItemInput = Schemas['IndicatorSetItemInput'];
export type ImportResult = Schemas['ImportResult'];
export type Revision = Schemas['Revision'];

export interface Session {
  token: () => Promise<string | null>;
  /** Renew after a 401; resolves to whether a new token is available. */
  renew: () => Promise<boolean>;
  expired: () => void;
}

let session: Session = { token: async () => null, renew: async () => false, expired: () => {} };
export function setSession(s: Session): void {
  session = s;
}

export const client = createClient<paths>({ baseUrl: '' });

const retries = new Map<string, Request>();
const auth: Middleware = {
  async onRequest({ request, id }) {
    const token = await session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    retries.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id }) {
    const copy = retries.get(id);
    retries.delete(id);
    if (response.status !== 401 || !copy) return response;
    if (await session.renew()) {
      const token = await session.token();
      if (token) copy.headers.set('Authorization', `Bearer ${token}`);
      const again = await fetch(copy);
      if (again.status !== 401) return again;
    }
    session.expired();
    return response;
  },
  onError() {
    return new Response(JSON.stringify({ detail: 'Vui lòng kiểm tra kết nối mạng và thử lại.' }), {
      status: 599, headers: { 'Content-Type': 'application/json' },
    });
  },
};
client.use(auth);

/** The data of an openapi-fetch call, or an ApiError with the problem details. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) {
    const status = response.status === 599 ? 0 : response.status;
    throw new ApiError(status, (error && typeof error === 'object' ? error : { detail: typeof error === 'string' ? error : '' }) as Problem);
  }
  return data as T;
}

/** The version of an ETag ("3" or W/"3"). */
export function etagVersion(response: Response): string | null {
  const m = /"([^"]*)"/.exec(response.headers.get('ETag') || '');
  return m ? m[1] : null;
}

/** A request outside the typed paths (catalog screens share one generic shape); same errors. */
export async function request<T>(method: string, path: string, opts: {
  query?: Record<string, unknown>; body?: unknown; form?: FormData; headers?: Record<string, string>; blob?: boolean;
} = {}): Promise<{ data: T; response: Response }> {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(opts.query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  } else if (opts.form) body = opts.form;
  const send = async () => {
    const token = await session.token();
    return fetch(url, { method, headers: token ? { ...headers, Authorization: `Bearer ${token}` } : headers, body });
  };
  let response: Response;
  try {
    response = await send();
    if (response.status === 401 && (await session.renew())) response = await send();
    if (response.status === 401) session.expired();
  } catch {
    throw new ApiError(0, { detail: 'Vui lòng kiểm tra kết nối mạng và thử lại.' });
  }
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = (await response.json()) as Problem;
    } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return { data: null as T, response };
  const type = response.headers.get('Content-Type') || '';
  return { data: (type.includes('json') && !opts.blob ? await response.json() : await response.blob()) as T, response };
}

/** The file name of a Content-Disposition header, preferring filename*=UTF-8''... (RFC 6266). */
export function filenameFrom(disposition: string | null): string {
  const text = String(disposition ?? '');
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(text);
  if (star) {
    try {
      return decodeURIComponent(star[2].trim());
    } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(text);
  return plain ? (plain[1] ?? plain[2]).trim() : 'tai-ve';
}

/** Download a file the API returns; saves it under the server's (Vietnamese) name. */
export async function download(path: string, query: Record<string, unknown>): Promise<string> {
  const { data, response } = await request<Blob>('GET', path, { query, headers: { Accept: '*/*' }, blob: true });
  const filename = filenameFrom(response.headers.get('Content-Disposition'));
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return filename;
}
