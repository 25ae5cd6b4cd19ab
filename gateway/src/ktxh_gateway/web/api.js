// REST client for the gateway (/api/v1). Errors are application/problem+json (RFC 9457).

const STATUS_TITLES = {
  0: 'Không kết nối được máy chủ',
  400: 'Yêu cầu không hợp lệ',
  401: 'Phiên đăng nhập đã hết hạn',
  403: 'Bạn không có quyền thực hiện thao tác này',
  404: 'Không tìm thấy dữ liệu',
  409: 'Dữ liệu bị xung đột',
  412: 'Đơn vị đã được người khác sửa, vui lòng tải lại',
  422: 'Dữ liệu không hợp lệ',
  428: 'Thiếu phiên bản dữ liệu, vui lòng tải lại',
  429: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
  500: 'Lỗi máy chủ, vui lòng thử lại sau',
  502: 'Dịch vụ tạm thời không khả dụng',
  503: 'Dịch vụ tạm thời không khả dụng',
  504: 'Máy chủ phản hồi quá lâu, vui lòng thử lại',
};

/** Field name from a problem's errors[].field: "code", "body.code", "/code", "name[0]" → "code"/"name". */
export function fieldKey(field) {
  if (Array.isArray(field)) field = field.filter((x) => typeof x === 'string').pop() ?? '';
  const parts = String(field ?? '').split(/[./]/).filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  return last.replace(/\[\d+\]$/, '');
}

export class ApiError extends Error {
  constructor(status, problem = {}) {
    const fallback = STATUS_TITLES[status] ?? (status >= 500 ? STATUS_TITLES[500] : 'Đã có lỗi xảy ra');
    // 412 always gets the same, actionable message.
    const title = status === 412 ? STATUS_TITLES[412] : problem.title || fallback;
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.title = title;
    this.detail = status === 412 ? '' : problem.detail || '';
    this.fieldErrors = Array.isArray(problem.errors)
      ? problem.errors.map((e) => ({ field: fieldKey(e.field ?? e.loc ?? ''), message: e.message ?? e.msg ?? '' }))
      : [];
  }
}

async function readProblem(response) {
  const type = response.headers.get('Content-Type') || '';
  try {
    if (type.includes('json')) return await response.json();
    const text = await response.text();
    return text && text.length < 300 ? { detail: text } : {};
  } catch {
    return {};
  }
}

/** Normalize config.api_base: "", "/api/v1", "http://host:8000" or "http://host:8000/api/v1". */
export function apiRoot(apiBase) {
  const base = String(apiBase ?? '').replace(/\/+$/, '');
  return /\/api\/v\d+$/.test(base) ? base : `${base}/api/v1`;
}

/** Fill a unit's version from the ETag header ("3" or W/"3") when the body has none. */
function withVersion(unit, headers) {
  if (unit && (unit.version === undefined || unit.version === null)) {
    const m = /"([^"]*)"/.exec(headers.get('ETag') || '');
    if (m) return { ...unit, version: m[1] };
  }
  return unit;
}

export class Api {
  /**
   * @param {string} root e.g. "/api/v1"
   * @param {() => Promise<string|null>} getToken
   */
  constructor(root, getToken) {
    this.root = root;
    this.getToken = getToken;
  }

  async request(method, path, { query, body, form, headers = {}, raw = false } = {}) {
    const url = new URL(`${this.root}${path}`, location.origin);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    }
    const token = await this.getToken();
    if (!token) throw new ApiError(401, {});
    const init = {
      method,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...headers },
      credentials: 'omit',
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    } else if (form !== undefined) {
      init.body = form; // multipart/form-data: the browser sets the boundary
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new ApiError(0, { detail: 'Vui lòng kiểm tra kết nối mạng và thử lại.' });
    }
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
    if (raw) return { blob: await response.blob(), headers: response.headers };
    if (response.status === 204) return { data: null, headers: response.headers };
    return { data: await response.json(), headers: response.headers };
  }

  // ------------------------------------------------ org units

  async orgUnitTree({ asOf, rootId, maxDepth } = {}) {
    const { data } = await this.request('GET', '/org-units/tree', {
      query: { as_of: asOf, root_id: rootId, max_depth: maxDepth },
    });
    return data.roots ?? [];
  }

  /** All children of a unit (follows next_page_token). */
  async orgUnitChildren(parentId, { asOf } = {}) {
    const items = [];
    let pageToken;
    for (let guard = 0; guard < 50; guard += 1) {
      const { data } = await this.request('GET', '/org-units', {
        query: { parent_id: parentId, as_of: asOf, page_size: 500, page_token: pageToken },
      });
      items.push(...(data.items ?? []));
      pageToken = data.next_page_token;
      if (!pageToken) break;
    }
    return items;
  }

  async getOrgUnit(id) {
    const { data, headers } = await this.request('GET', `/org-units/${encodeURIComponent(id)}`);
    return withVersion(data, headers);
  }

  async createOrgUnit(unit, idempotencyKey) {
    const { data, headers } = await this.request('POST', '/org-units', {
      body: unit,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return withVersion(data, headers);
  }

  async renameOrgUnit(id, version, changes) {
    const { data, headers } = await this.request('PATCH', `/org-units/${encodeURIComponent(id)}`, {
      body: changes,
      headers: { 'If-Match': `"${version}"` },
    });
    return withVersion(data, headers);
  }

  // ------------------------------------------------ catalogs (/indicators, /indicator-sets, ...)

  async listCatalog(path, query = {}) {
    const { data } = await this.request('GET', path, { query });
    return data;
  }

  async getCatalog(path, code, { asOf } = {}) {
    const { data, headers } = await this.request('GET', `${path}/${encodeURIComponent(code)}`, {
      query: { as_of: asOf },
    });
    return withVersion(data, headers);
  }

  async createCatalog(path, body, idempotencyKey) {
    const { data, headers } = await this.request('POST', path, {
      body,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return withVersion(data, headers);
  }

  /** PATCH: only the changed fields, plus effective_from and reason. */
  async patchCatalog(path, code, version, body) {
    const { data, headers } = await this.request('PATCH', `${path}/${encodeURIComponent(code)}`, {
      body,
      headers: { 'If-Match': `"${version}"` },
    });
    return withVersion(data, headers);
  }

  async retireCatalog(path, code, version, body) {
    const { data, headers } = await this.request('POST', `${path}/${encodeURIComponent(code)}/retire`, {
      body,
      headers: { 'If-Match': `"${version}"` },
    });
    return withVersion(data, headers);
  }

  async catalogHistory(path, code) {
    const { data } = await this.request('GET', `${path}/${encodeURIComponent(code)}/history`);
    return data;
  }

  async deadlines(calendarCode, period) {
    const { data } = await this.request('GET', `/calendars/${encodeURIComponent(calendarCode)}/deadlines`, {
      query: { period },
    });
    return data;
  }

  /**
   * Upload an indicator set (XLSX or JSON). A dry run returns the result with its errors;
   * a real import with errors throws an ApiError (422) whose problem.import is the result.
   */
  async importIndicatorSet(file, { dryRun, effectiveFrom, reason } = {}) {
    const form = new FormData();
    form.append('file', file, file.name);
    if (reason) form.append('reason', reason);
    const { data } = await this.request('POST', '/indicator-sets/import', {
      query: { dry_run: dryRun ? 'true' : 'false', effective_from: effectiveFrom },
      form,
    });
    return data;
  }

  /** Download a file; returns {blob, filename} (filename from Content-Disposition, RFC 6266). */
  async download(path, query = {}) {
    const { blob, headers } = await this.request('GET', path, { query, raw: true });
    return { blob, filename: filenameFrom(headers.get('Content-Disposition')) };
  }
}

/** The file name of a Content-Disposition header, preferring filename*=UTF-8''... */
export function filenameFrom(disposition) {
  const text = String(disposition ?? '');
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(text);
  if (star) {
    try {
      return decodeURIComponent(star[2].trim());
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(text);
  return plain ? (plain[1] ?? plain[2]).trim() : 'tai-ve';
}
