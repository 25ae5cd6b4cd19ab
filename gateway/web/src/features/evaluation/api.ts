// REST calls of the evaluation screens (`/api/v1/evaluation-rounds`, `/api/v1/evaluations`).
import { request, type Schemas } from '../../lib/api';

export type Round = Schemas['EvaluationRound'];
export type Evaluation = Schemas['Evaluation'];
export type Ranking = Schemas['EvaluationRanking'];
export type Edition = Schemas['ResultEdition'];
export type ScoreIn = { criterion_code: string; score: string | null; comment: string };

const R = '/api/v1/evaluation-rounds';
const E = '/api/v1/evaluations';
const id = (v: string) => encodeURIComponent(v);

export async function listRounds(): Promise<Round[]> {
  return (await request<{ items: Round[] }>('GET', R)).data.items ?? [];
}

export async function openRound(body: Record<string, unknown>): Promise<Round> {
  return (await request<Round>('POST', R, { body })).data;
}

export async function getRound(roundId: string): Promise<Round> {
  return (await request<Round>('GET', `${R}/${id(roundId)}`)).data;
}

export async function rankings(roundId: string): Promise<Ranking> {
  return (await request<Ranking>('GET', `${R}/${id(roundId)}/rankings`)).data;
}

export async function listEvaluations(roundId: string): Promise<Evaluation[]> {
  return (await request<{ items: Evaluation[] }>('GET', E, { query: { round_id: roundId, page_size: 500 } })).data.items ?? [];
}

export async function getEvaluation(evaluationId: string): Promise<Evaluation> {
  return (await request<Evaluation>('GET', `${E}/${id(evaluationId)}`)).data;
}

export async function refresh(evaluationId: string): Promise<Evaluation> {
  return (await request<Evaluation>('POST', `${E}/${id(evaluationId)}/refresh`)).data;
}

export async function saveScores(evaluationId: string, side: 'self-scores' | 'scores', version: number, scores: ScoreIn[]): Promise<Evaluation> {
  return (await request<Evaluation>('PUT', `${E}/${id(evaluationId)}/${side}`, { body: { version, scores } })).data;
}

export type Step = 'check' | 'return' | 'submit' | 'finalize' | 'review-request' | 'review-answer' | 'reopen';

export async function step(evaluationId: string, name: Step, version: number, reason = ''): Promise<Evaluation> {
  return (await request<Evaluation>('POST', `${E}/${id(evaluationId)}/${name}`, { body: { version, reason } })).data;
}

export async function scoreSheet(evaluationId: string, format: 'xlsx' | 'pdf'): Promise<Blob> {
  return (await request<Blob>('GET', `${E}/${id(evaluationId)}/${format}`, { blob: true })).data;
}

export async function listEditions(roundId: string): Promise<Edition[]> {
  return (await request<{ items: Edition[] }>('GET', `${R}/${id(roundId)}/editions`)).data.items ?? [];
}

export async function publishResults(roundId: string, note: string): Promise<Edition> {
  return (await request<Edition>('POST', `${R}/${id(roundId)}/editions`, { body: { note } })).data;
}

export async function getEdition(roundId: string, revision: number): Promise<Edition> {
  return (await request<Edition>('GET', `${R}/${id(roundId)}/editions/${revision}`)).data;
}

export async function editionReport(roundId: string, revision: number, format: 'xlsx' | 'pdf'): Promise<Blob> {
  return (await request<Blob>('GET', `${R}/${id(roundId)}/editions/${revision}/${format}`, { blob: true })).data;
}
