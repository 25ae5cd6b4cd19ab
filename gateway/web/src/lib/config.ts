/** What the gateway tells the UI at start-up (GET /config.json). */
export interface WebConfig {
  issuer: string;
  client_id: string;
  api_base: string;
  realm?: string;
}

export async function loadConfig(): Promise<WebConfig> {
  const r = await fetch('/config.json', { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!r.ok) throw new Error(`config.json: HTTP ${r.status}`);
  return (await r.json()) as WebConfig;
}

/** "", "/api/v1", "http://h:8000" or "http://h:8000/api/v1" → the origin part the API paths follow. */
export function apiOrigin(apiBase: string): string {
  return String(apiBase ?? '').replace(/\/+$/, '').replace(/\/api\/v\d+$/, '');
}
