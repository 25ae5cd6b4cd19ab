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

export function downloadReport(orgUnitCode: string, periodCode: string, format: 'xlsx' | 'pdf', kind: 'indicators' | 'matrix'): Promise<string> {
  return download('/api/v1/report-exports', { org_unit_code: orgUnitCode, period_code: periodCode, format, kind });
}
