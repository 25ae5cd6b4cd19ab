// REST calls of the assignment screens (`/api/v1/assignment-decisions`, `/api/v1/assignments`,
// `/api/v1/documents`) and the org-unit tree they choose units from, cached once per session.
import { request, type Schemas } from '../../lib/api';
import type { Assignment, AssignmentInput, CascadeRow, Decision, DecisionInput } from './model';

export interface Page<T> {
  items: T[];
  next_page_token?: string;
}

const D = '/api/v1/assignment-decisions';
const A = '/api/v1/assignments';

export async function listDecisions(query: Record<string, unknown>): Promise<Page<Decision>> {
  return (await request<Page<Decision>>('GET', D, { query })).data;
}

export async function getDecision(id: string): Promise<Decision> {
  return (await request<Decision>('GET', `${D}/${encodeURIComponent(id)}`)).data;
}

export async function createDecision(body: Partial<DecisionInput>, idempotencyKey: string): Promise<Decision> {
  return (await request<Decision>('POST', D, { body, headers: { 'Idempotency-Key': idempotencyKey } })).data;
}

export async function patchDecision(id: string, version: number, body: Schemas['DecisionPatch']): Promise<Decision> {
  return (await request<Decision>('PATCH', `${D}/${encodeURIComponent(id)}`, { body, headers: { 'If-Match': `"${version}"` } })).data;
}

export async function putAssignments(id: string, version: number, assignments: AssignmentInput[]): Promise<Decision> {
  return (await request<Decision>('PUT', `${D}/${encodeURIComponent(id)}/assignments`, { body: { assignments, version } })).data;
}

export async function issueDecision(id: string, version: number, documentId: string): Promise<Decision> {
  return (await request<Decision>('POST', `${D}/${encodeURIComponent(id)}/issue`, { body: { document_id: documentId, version } })).data;
}

export async function revokeDecision(id: string, version: number, reason: string): Promise<Decision> {
  return (await request<Decision>('POST', `${D}/${encodeURIComponent(id)}/revoke`, { body: { reason, version } })).data;
}

export async function cascadeCheck(id: string): Promise<CascadeRow[]> {
  return (await request<{ rows: CascadeRow[] }>('GET', `${D}/${encodeURIComponent(id)}/cascade-check`)).data.rows ?? [];
}

/** Every page of a list of assignments (a unit's year is a few hundred items at most). */
export async function listAssignments(query: Record<string, unknown>): Promise<Assignment[]> {
  const all: Assignment[] = [];
  let token = '';
  for (let guard = 0; guard < 50; guard += 1) {
    const { data } = await request<Page<Assignment>>('GET', A, { query: { page_size: 500, ...query, page_token: token } });
    all.push(...(data.items ?? []));
    token = data.next_page_token ?? '';
    if (!token) break;
  }
  return all;
}

export async function getAssignment(id: string): Promise<Assignment> {
  return (await request<Assignment>('GET', `${A}/${encodeURIComponent(id)}`)).data;
}

export async function acknowledge(id: string, note: string): Promise<Assignment> {
  return (await request<Assignment>('POST', `${A}/${encodeURIComponent(id)}/acknowledge`, { body: { note } })).data;
}

export async function assignmentHistory(id: string): Promise<Assignment[]> {
  return (await request<{ items: Assignment[] }>('GET', `${A}/${encodeURIComponent(id)}/history`)).data.items ?? [];
}

// ------------------------------------------------------------------ documents

export interface Signature {
  signer_name: string;
  signer_organization?: string;
  signing_time: string | null;
  modified_after_signing: boolean;
  trusted: boolean;
  status: string;
  message?: string;
}

export interface SignatureVerification {
  status: string;
  status_label?: string;
  signatures: Signature[];
  verified_at?: string | null;
}

export interface DocumentInfo {
  id: string;
  title: string;
  version: number;
  current: { number: number; file_name: string; size_bytes: number; signature: SignatureVerification | null; content_url: string };
}

export async function uploadDecisionPdf(file: File, decision: { id: string; number: string }, ownerUnitCode: string, key: string): Promise<DocumentInfo> {
  const form = new FormData();
  form.append('file', file);
  form.append('owner_type', 'assignment_decision');
  form.append('owner_id', decision.id);
  form.append('owner_org_unit_code', ownerUnitCode);
  form.append('kind', 'decision');
  form.append('title', decision.number ? `Quyết định ${decision.number}` : file.name);
  return (await request<DocumentInfo>('POST', '/api/v1/documents', { form, headers: { 'Idempotency-Key': key } })).data;
}

export async function getDocument(id: string): Promise<DocumentInfo> {
  return (await request<DocumentInfo>('GET', `/api/v1/documents/${encodeURIComponent(id)}`)).data;
}

// ------------------------------------------------------------------ org units

export interface UnitInfo {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
}

interface TreeNode {
  unit: UnitInfo;
  children: TreeNode[];
}

export interface UnitIndex {
  roots: TreeNode[];
  byId: Map<string, UnitInfo>;
  byCode: Map<string, UnitInfo>;
  children: Map<string, UnitInfo[]>;
}

let units: Promise<UnitIndex> | null = null;

export function loadUnits(): Promise<UnitIndex> {
  units ??= request<{ roots: TreeNode[] }>('GET', '/api/v1/org-units/tree').then(({ data }) => {
    const index: UnitIndex = { roots: data.roots ?? [], byId: new Map(), byCode: new Map(), children: new Map() };
    const walk = (n: TreeNode) => {
      index.byId.set(n.unit.id, n.unit);
      index.byCode.set(n.unit.code, n.unit);
      index.children.set(n.unit.id, n.children.map((c) => c.unit));
      n.children.forEach(walk);
    };
    index.roots.forEach(walk);
    return index;
  }).catch((err) => {
    units = null;
    throw err;
  });
  return units;
}

/** The People's Committee a user's unit belongs to (its own unit, or the nearest province/district/commune above it). */
export function governingUnit(index: UnitIndex, code: string | undefined): UnitInfo | undefined {
  let u = code ? index.byCode.get(code) : undefined;
  while (u && !['province', 'district', 'commune'].includes(u.kind)) u = u.parent_id ? index.byId.get(u.parent_id) : undefined;
  return u;
}

/** The Front committee (kind front) directly under a unit: the one at the same level. */
export function frontOf(index: UnitIndex, unitId: string | undefined): UnitInfo | undefined {
  return unitId ? (index.children.get(unitId) ?? []).find((c) => c.kind === 'front') : undefined;
}
