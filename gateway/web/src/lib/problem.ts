// RFC 9457 problem details from the gateway, as an error the screens show: a Vietnamese title
// and detail, and the field errors keyed by form field ("body.items[2].indicator_code" →
// "items", with "[2].indicator_code" kept as the place inside it).

export interface FieldError {
  /** the top-level form field ("code", "items") */
  field: string;
  /** where inside the field, e.g. "[2].indicator_code"; "" for the field itself */
  at: string;
  message: string;
}

const STATUS_TITLES: Record<number, string> = {
  0: 'Không kết nối được máy chủ',
  400: 'Yêu cầu không hợp lệ',
  401: 'Phiên đăng nhập đã hết hạn',
  403: 'Bạn không có quyền thực hiện thao tác này',
  404: 'Không tìm thấy dữ liệu',
  409: 'Dữ liệu bị xung đột',
  412: 'Dữ liệu đã được người khác sửa, vui lòng tải lại',
  422: 'Dữ liệu không hợp lệ',
  428: 'Thiếu phiên bản dữ liệu, vui lòng tải lại',
  429: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
  500: 'Lỗi máy chủ, vui lòng thử lại sau',
  502: 'Dịch vụ tạm thời không khả dụng',
  503: 'Dịch vụ tạm thời không khả dụng',
  504: 'Máy chủ phản hồi quá lâu, vui lòng thử lại',
};

export interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  errors?: Array<{ field?: string | string[]; loc?: unknown; message?: string; msg?: string }>;
  [key: string]: unknown;
}

/** A problem's field path split into the form field and the place inside it. */
export function splitField(path: unknown): { field: string; at: string } {
  let text: string;
  if (Array.isArray(path)) text = path.filter((x) => typeof x === 'string' || typeof x === 'number').map(String).join('.');
  else text = String(path ?? '');
  text = text.replace(/^\//, '').replace(/\//g, '.').replace(/^body\.?/, '');
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(.*)$/.exec(text);
  if (!m) return { field: '', at: text };
  return { field: m[1], at: m[2].replace(/^\./, '') };
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];

  constructor(status: number, problem: Problem = {}) {
    const fallback = STATUS_TITLES[status] ?? (status >= 500 ? STATUS_TITLES[500] : 'Đã có lỗi xảy ra');
    const title = status === 412 ? STATUS_TITLES[412] : problem.title || fallback;
    super(title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.title = title;
    this.detail = status === 412 || problem.detail === problem.title ? '' : problem.detail || '';
    this.fieldErrors = (problem.errors ?? []).map((e) => ({
      ...splitField(e.field ?? e.loc ?? ''),
      message: e.message ?? e.msg ?? '',
    }));
  }
}

/** Field errors grouped by form field, each message prefixed with its place inside the field. */
export function fieldMessages(err: unknown, known: Iterable<string>): { byField: Record<string, string[]>; other: string[] } {
  const names = new Set(known);
  const byField: Record<string, string[]> = {};
  const other: string[] = [];
  if (!(err instanceof ApiError)) return { byField, other };
  for (const fe of err.fieldErrors) {
    if (names.has(fe.field)) {
      (byField[fe.field] ??= []).push(fe.at ? `(${fe.at}) ${fe.message}` : fe.message);
    } else {
      other.push(fe.field ? `${fe.field}${fe.at ? `.${fe.at}` : ''}: ${fe.message}` : fe.message);
    }
  }
  return { byField, other };
}

/** "Title: detail" for a toast or an alert. */
export function problemText(err: unknown, fallback: string): string {
  if (err instanceof ApiError) return [err.title || fallback, err.detail].filter(Boolean).join(': ');
  return fallback;
}
