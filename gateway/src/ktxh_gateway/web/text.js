// Vietnamese labels and diacritic-insensitive text matching.

export const KIND_LABELS = Object.freeze({
  province: 'Tỉnh/Thành phố',
  district: 'Huyện (cũ)',
  commune: 'Xã/Phường',
  agency: 'Sở/Ngành',
  office: 'Phòng/Ban',
  front: 'Ủy ban MTTQ',
});

/** Display order of kinds among siblings (stable: server order is kept within a kind). */
export const KIND_ORDER = Object.freeze(['province', 'agency', 'front', 'district', 'commune', 'office']);

/** Kinds that never have child units in practice (children are not fetched lazily). */
export const LEAF_KINDS = new Set(['office', 'front']);

/** The kind most often created under a parent of the given kind. */
export const DEFAULT_CHILD_KIND = Object.freeze({
  '': 'province',
  province: 'commune',
  district: 'commune',
  commune: 'office',
  agency: 'office',
});

export const ROLE_LABELS = Object.freeze({
  province_admin: 'Quản trị tỉnh',
  system_admin: 'Quản trị hệ thống',
  planning_officer: 'Cán bộ kế hoạch',
  data_entry: 'Nhập liệu',
  consolidator: 'Tổng hợp',
  unit_leader: 'Lãnh đạo đơn vị',
  front_member: 'Thành viên MTTQ',
  leadership: 'Lãnh đạo tỉnh',
  integration: 'Tích hợp hệ thống',
});

export const EDITOR_ROLES = Object.freeze(['province_admin', 'system_admin']);

export function kindLabel(kind) {
  return KIND_LABELS[kind] ?? kind ?? '';
}

export function roleLabel(role) {
  return ROLE_LABELS[role] ?? role;
}

/** Roles worth showing (drops Keycloak's technical default roles). */
export function displayRoles(roles) {
  return (roles ?? []).filter(
    (r) => r && r !== 'offline_access' && r !== 'uma_authorization' && !r.startsWith('default-roles-'),
  );
}

const MARKS = /\p{M}/gu;

/** Lower case, no diacritics, đ → d: "Phường Đông Hải" → "phuong dong hai". */
export function fold(text) {
  return String(text ?? '')
    .normalize('NFD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/đ/g, 'd');
}

/** Fold a search query and collapse white space. */
export function foldQuery(query) {
  return fold(query).replace(/\s+/g, ' ').trim();
}

/**
 * Fold `text` and remember, for each folded character, the index of the original character
 * it came from, so that a match in the folded text can be highlighted in the original.
 */
function foldWithMap(text) {
  let folded = '';
  const map = [];
  let i = 0;
  for (const ch of String(text ?? '')) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k += 1) map.push(i);
    folded += f;
    i += ch.length;
  }
  return { folded, map };
}

/**
 * Where `foldedQuery` occurs in `text`, ignoring case and diacritics.
 * Returns [start, end) in `text`, or null.
 */
export function findFolded(text, foldedQuery) {
  if (!foldedQuery) return null;
  const source = String(text ?? '');
  const { folded, map } = foldWithMap(source);
  const at = folded.indexOf(foldedQuery);
  if (at < 0) return null;
  const start = map[at];
  const lastOriginal = map[at + foldedQuery.length - 1];
  // End after the last matched character, including any combining marks that follow it.
  let end = lastOriginal + String.fromCodePoint(source.codePointAt(lastOriginal)).length;
  while (end < source.length && fold(source[end]) === '') end += 1;
  return [start, end];
}

const dateFormat = new Intl.DateTimeFormat('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });
// Times are shown as in Việt Nam, wherever the browser is.
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  timeZone: 'Asia/Ho_Chi_Minh',
});

/** "2025-07-01" or an RFC 3339 time → "01/07/2025"; empty for missing values. */
export function formatDate(value) {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateFormat.format(d);
}

export function formatDateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateTimeFormat.format(d);
}

export const numberFormat = new Intl.NumberFormat('vi-VN');
