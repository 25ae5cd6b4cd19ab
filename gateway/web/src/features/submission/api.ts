// REST calls of the report screens (`/api/v1/periods`, `/api/v1/submissions`,
// `/api/v1/submission-board`, the unit tree and indicator names they show).
import { download, request, type Schemas } from '../../lib/api';
import type { ActionName, FigureKey, History, Period, ReportWithContext, Submission, TaskValues } from './model';

const S = '/api/v1/submissions';
const id = (x: string) => encodeURIComponent(x);

export interface SubmissionPage {
  items: Submission[];
  next_page_token: string;
  total: number;
}

export async function listSubmissions(query: { org_unit_code?: string; period_code?: string; status?: string[]; page_size?: number; page_token?: string }): Promise<SubmissionPage> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) v.forEach((x) => params.append(k, x));
    else if (v !== undefined && v !== '') params.set(k, String(v));
  }
  return (await request<SubmissionPage>('GET', `${S}?${params.toString()}`)).data;
}

export async function getSubmission(submissionId: string): Promise<ReportWithContext> {
  return (await request<ReportWithContext>('GET', `${S}/${id(submissionId)}`)).data;
}

export async function openSubmission(body: { org_unit_code: string; period_code: string; calendar_code: string }): Promise<ReportWithContext> {
  return (await request<ReportWithContext>('POST', S, { body })).data;
}

export async function saveFigures(submissionId: string, figures: Array<{ key: FigureKey; value: string; note: string; expected_version: number }>): Promise<ReportWithContext> {
  return (await request<ReportWithContext>('POST', `${S}/${id(submissionId)}/figures`, { body: { figures } })).data;
}

/** Key-task progress rows, each with the version it was read at (all or nothing). */
export async function saveTaskProgress(submissionId: string, tasks: Array<TaskValues & { key_task_code: string; expected_version: number }>): Promise<ReportWithContext> {
  return (await request<ReportWithContext>('POST', `${S}/${id(submissionId)}/task-progress`, { body: { tasks } })).data;
}

/** The whole report's explanatory note, at the report's version the caller read. */
export async function saveNote(submissionId: string, note: string, expectedVersion: number): Promise<ReportWithContext> {
  return (await request<ReportWithContext>('PUT', `${S}/${id(submissionId)}/note`, { body: { note, expected_version: expectedVersion } })).data;
}

/** Upload a file to the document service, owned by the report, then attach it to the report. */
export async function attachFile(sub: Pick<Submission, 'id' | 'org_unit_code' | 'period_label'>, file: File, key: string): Promise<ReportWithContext> {
  const form = new FormData();
  form.append('file', file);
  form.append('owner_type', 'submission');
  form.append('owner_id', sub.id);
  form.append('owner_org_unit_code', sub.org_unit_code);
  form.append('kind', 'submission');
  form.append('title', file.name);
  const doc = (await request<{ id: string }>('POST', '/api/v1/documents', { form, headers: { 'Idempotency-Key': key } })).data;
  return (await request<ReportWithContext>('POST', `${S}/${id(sub.id)}/attachments`, { body: { document_id: doc.id } })).data;
}

export async function removeAttachment(submissionId: string, documentId: string): Promise<ReportWithContext> {
  return (await request<ReportWithContext>('DELETE', `${S}/${id(submissionId)}/attachments/${id(documentId)}`)).data;
}

/** Save an attached document's current file under its name. */
export function downloadDocument(documentId: string): Promise<string> {
  return download(`/api/v1/documents/${id(documentId)}/content`, {});
}

export async function history(submissionId: string): Promise<History> {
  return (await request<History>('GET', `${S}/${id(submissionId)}/history`)).data;
}

/** One workflow step; the body each step takes (contract: `proto/ktxh/submission/v1`). */
export async function step(submissionId: string, action: ActionName, body: { version?: number; reason?: string; comment?: string; office_code?: string; key?: FigureKey }): Promise<ReportWithContext> {
  const path = action === 'return_figure' ? 'return-figure' : action;
  let payload: Record<string, unknown>;
  if (action === 'deliver') payload = { office_code: body.office_code ?? '' };
  else if (action === 'return_figure') payload = { key: body.key, comment: body.comment ?? '' };
  else if (action === 'return' || action === 'reopen') payload = { expected_version: body.version ?? 0, reason: body.reason ?? '' };
  else payload = { expected_version: body.version ?? 0 };
  return (await request<ReportWithContext>('POST', `${S}/${id(submissionId)}/${path}`, { body: payload })).data;
}

export async function listPeriods(calendarCode: string, kind: string, year: number): Promise<Period[]> {
  return (await request<{ items: Period[] }>('GET', '/api/v1/periods', { query: { calendar_code: calendarCode, kind, year } })).data.items ?? [];
}

export async function listCalendars(): Promise<Array<{ code: string; name: string }>> {
  const { data } = await request<{ items: Array<{ code: string; name?: string }> }>('GET', '/api/v1/calendars', { query: { page_size: 100 } });
  return (data.items ?? []).map((c) => ({ code: c.code, name: String(c.name ?? c.code) }));
}

// ------------------------------------------------------------------ the board (contracts.md)

export type BoardUnit = Schemas['SubmissionBoardUnit'];
export type Board = Schemas['SubmissionBoard'];

export async function submissionBoard(query: { period_code: string; calendar_code: string; org_unit_code: string }): Promise<Board> {
  return (await request<Board>('GET', '/api/v1/submission-board', { query })).data;
}

// ------------------------------------------------------------------ bulk (contracts.md, subbulk)

export function exportXlsx(submissionId: string): Promise<string> {
  return download(`${S}/${id(submissionId)}/xlsx`, {});
}

export interface ImportSummary {
  imported: number;
  updated: number;
  ignored: number;
  refused: Array<{ row: number; field: string; reason: string }>;
}

export async function importXlsx(submissionId: string, file: File, dryRun: boolean): Promise<ImportSummary> {
  const form = new FormData();
  form.append('file', file);
  return (await request<ImportSummary>('POST', `${S}/${id(submissionId)}/xlsx`, { query: { dry_run: dryRun }, form })).data;
}

// ------------------------------------------------------------------ names shown beside codes

export interface UnitName {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
}

/** The unit whose report a user works on: their home unit, or its parent when that is an
 *  office or an agency (a commune's Văn phòng works on the commune's report; a province's
 *  department follows the province's units). */
export async function reportingUnitCode(homeCode: string): Promise<string> {
  if (!homeCode) return '';
  const { data } = await request<{ items: UnitName[] }>('GET', '/api/v1/org-units', { query: { q: homeCode, page_size: 20 } });
  const unit = data.items.find((u) => u.code === homeCode);
  if (!unit || !['office', 'agency'].includes(unit.kind) || !unit.parent_id) return homeCode;
  const parent = (await request<UnitName>('GET', `/api/v1/org-units/${id(unit.parent_id)}`)).data;
  return parent.code || homeCode;
}

const unitNames = new Map<string, Promise<string>>();

/** The name of a unit by its code (searched once, cached for the session). */
export function unitName(code: string): Promise<string> {
  if (!unitNames.has(code)) {
    unitNames.set(code, request<{ items: UnitName[] }>('GET', '/api/v1/org-units', { query: { q: code, page_size: 20 } })
      .then(({ data }) => data.items.find((u) => u.code === code)?.name ?? code, () => {
        unitNames.delete(code);
        return code;
      }));
  }
  return unitNames.get(code)!;
}

export interface IndicatorDims {
  code: string;
  unit_of_measure?: string;
  dimensions?: Array<{ code: string; members?: Array<{ code: string; name?: string }> }>;
}

let indicators: Promise<Map<string, IndicatorDims>> | null = null;

/** Every indicator's dimensions (member names for the rows of the form), loaded once. */
export function loadIndicatorDims(): Promise<Map<string, IndicatorDims>> {
  indicators ??= (async () => {
    const map = new Map<string, IndicatorDims>();
    let token = '';
    for (let guard = 0; guard < 40; guard += 1) {
      const { data } = await request<{ items: IndicatorDims[]; next_page_token?: string }>('GET', '/api/v1/indicators', { query: { page_size: 500, page_token: token } });
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
