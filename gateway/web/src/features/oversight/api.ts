// REST calls of the oversight screens (`/api/v1/comments`, `/api/v1/oversight-reports`,
// `/api/v1/recommendations`) and what they show beside them: the units, the assignments opened to
// the Front, the indicator names (docs/oversight.md).
import { request, type Schemas } from '../../lib/api';

export type Comment = Schemas['Comment'];
export type OversightReport = Schemas['OversightReport'];
export type Recommendation = Schemas['Recommendation'];
export type OversightReportIn = Schemas['OversightReportIn'];
export type BoardRow = Schemas['OversightBoardRow'];
export type Assignment = Schemas['Assignment'];

export interface Unit { id: string; code: string; name: string; kind: string; parent_id?: string | null }
export interface UnitIndex { byId: Map<string, Unit>; byCode: Map<string, Unit> }

const C = '/api/v1/comments';
const R = '/api/v1/oversight-reports';
const K = '/api/v1/recommendations';
const id = (x: string) => encodeURIComponent(x);

let units: Promise<UnitIndex> | null = null;
/** The units the user may see (one page of 500: a province), cached once per session. */
export function loadUnits(): Promise<UnitIndex> {
  units ??= request<{ items: Unit[] }>('GET', '/api/v1/org-units', { query: { page_size: 500 } }).then(({ data }) => ({
    byId: new Map(data.items.map((u) => [u.id, u])),
    byCode: new Map(data.items.map((u) => [u.code, u])),
  }));
  units.catch(() => { units = null; });
  return units;
}

let indicatorNames: Promise<Map<string, string>> | null = null;
export function loadIndicatorNames(): Promise<Map<string, string>> {
  indicatorNames ??= request<{ items: { code: string; name: string }[] }>('GET', '/api/v1/indicators', { query: { page_size: 500 } })
    .then(({ data }) => new Map(data.items.map((i) => [i.code, i.name])), () => new Map());
  return indicatorNames;
}

export async function openedAssignments(frontUnitId: string): Promise<Assignment[]> {
  return (await request<{ items: Assignment[] }>('GET', '/api/v1/assignments', { query: { front_unit_id: frontUnitId, page_size: 1000 } })).data.items ?? [];
}

export async function listComments(query: Record<string, unknown> = {}): Promise<Comment[]> {
  return (await request<{ items: Comment[] }>('GET', C, { query: { page_size: 500, ...query } })).data.items ?? [];
}
export async function getComment(commentId: string): Promise<Comment> {
  return (await request<Comment>('GET', `${C}/${id(commentId)}`)).data;
}
export async function postComment(body: Pick<Schemas['OversightCommentIn'], 'subject' | 'text'> & Partial<Schemas['OversightCommentIn']>, key: string): Promise<Comment> {
  return (await request<Comment>('POST', C, { body, headers: { 'Idempotency-Key': key } })).data;
}
export async function editComment(commentId: string, version: number, text: string): Promise<Comment> {
  return (await request<Comment>('PATCH', `${C}/${id(commentId)}`, { body: { text }, headers: { 'If-Match': `"${version}"` } })).data;
}
export async function answerComment(commentId: string, text: string): Promise<void> {
  await request('POST', `${C}/${id(commentId)}/responses`, { body: { text } });
}

export async function listReports(): Promise<OversightReport[]> {
  return (await request<{ items: OversightReport[] }>('GET', R, { query: { page_size: 200 } })).data.items ?? [];
}
export async function getReport(reportId: string): Promise<OversightReport> {
  return (await request<OversightReport>('GET', `${R}/${id(reportId)}`)).data;
}
export async function createReport(body: OversightReportIn, key: string): Promise<OversightReport> {
  return (await request<OversightReport>('POST', R, { body, headers: { 'Idempotency-Key': key } })).data;
}
export async function fileReport(reportId: string, version: number, documentId = ''): Promise<OversightReport> {
  return (await request<OversightReport>('POST', `${R}/${id(reportId)}/file`, { body: { version, document_id: documentId } })).data;
}

export async function listRecommendations(query: Record<string, unknown> = {}): Promise<Recommendation[]> {
  return (await request<{ items: Recommendation[] }>('GET', K, { query: { page_size: 500, ...query } })).data.items ?? [];
}
export async function board(): Promise<BoardRow[]> {
  return (await request<{ rows: BoardRow[] }>('GET', `${K}/board`)).data.rows ?? [];
}
export async function getRecommendation(recId: string): Promise<Recommendation> {
  return (await request<Recommendation>('GET', `${K}/${id(recId)}`)).data;
}
export async function answerRecommendation(recId: string, text: string): Promise<void> {
  await request('POST', `${K}/${id(recId)}/responses`, { body: { text } });
}
export async function decideRecommendation(recId: string, accept: boolean, remark: string, dueDate = ''): Promise<Recommendation> {
  const body: Record<string, unknown> = { remark };
  if (dueDate) body.due_date = dueDate;
  return (await request<Recommendation>('POST', `${K}/${id(recId)}/${accept ? 'accept' : 'reopen'}`, { body })).data;
}

// ------------------------------------------------------------------ figures of the opened targets

export type RollupRow = Schemas['ReportingRollupRow'];

/** The figures of one unit for a period (reporting read model, `GET /api/v1/rollups`): the Front
 *  reads only the (unit, indicator) pairs opened to its committee — the service filters. */
export async function unitFigures(orgUnitCode: string, periodCode: string, indicatorCodes: string[]): Promise<RollupRow[]> {
  const { data } = await request<{ rows: RollupRow[] }>('GET', '/api/v1/rollups', {
    query: { org_unit_code: orgUnitCode, period_code: periodCode, indicator_codes: [...new Set(indicatorCodes)].sort().join(',') },
  });
  return data.rows ?? [];
}
