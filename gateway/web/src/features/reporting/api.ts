// The reporting reads the dashboards use (/api/v1/rollups, /indicator-series,
// /submission-progress) and the report files (/api/v1/report-exports): one function per call.
import { download, request, type Schemas } from '../../lib/api';

export type Rollup = Schemas['ReportingRollup'];
export type RollupRow = Schemas['ReportingRollupRow'];
export type Series = Schemas['ReportingSeries'];
export type Progress = Schemas['ReportingProgress'];

export async function getRollup(orgUnitCode: string, periodCode: string): Promise<Rollup> {
  const { data } = await request<Rollup>('GET', '/api/v1/rollups', {
    query: { org_unit_code: orgUnitCode, period_code: periodCode, include_children: 'true' },
  });
  return data;
}

export async function getSeries(orgUnitCode: string, indicatorCode: string, members: string,
  fromYear: number, toYear: number): Promise<Series> {
  const { data } = await request<Series>('GET', '/api/v1/indicator-series', {
    query: { org_unit_code: orgUnitCode, indicator_code: indicatorCode, members, from: fromYear, to: toYear, kind: 'month' },
  });
  return data;
}

export async function getProgress(orgUnitCode: string, periodCode: string): Promise<Progress> {
  const { data } = await request<Progress>('GET', '/api/v1/submission-progress', {
    query: { org_unit_code: orgUnitCode, period_code: periodCode },
  });
  return data;
}

export function downloadReport(orgUnitCode: string, periodCode: string, format: 'xlsx' | 'pdf', kind: ReportKindName): Promise<string> {
  return download('/api/v1/report-exports', { org_unit_code: orgUnitCode, period_code: periodCode, format, kind });
}

export type KeyTaskSummary = Schemas['ReportingKeyTaskSummary'];
export type KeyTaskRow = Schemas['ReportingKeyTaskRow'];
export type Fulfilment = Schemas['ReportingFulfilment'];
export type FulfilmentRow = Schemas['ReportingFulfilmentRow'];

export async function getKeyTaskSummary(orgUnitCode: string, asOf: string): Promise<KeyTaskSummary> {
  const { data } = await request<KeyTaskSummary>('GET', '/api/v1/key-task-summary', {
    query: { org_unit_code: orgUnitCode, as_of: asOf },
  });
  return data;
}

export async function getFulfilment(orgUnitCode: string, periodCode: string): Promise<Fulfilment> {
  const { data } = await request<Fulfilment>('GET', '/api/v1/target-fulfilment', {
    query: { org_unit_code: orgUnitCode, period_code: periodCode },
  });
  return data;
}

export type ReportKindName = 'indicators' | 'matrix' | 'key_tasks' | 'target_fulfilment';
