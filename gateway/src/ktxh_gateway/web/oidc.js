// OpenID Connect authorization code flow with PKCE (S256) for a public browser client.
// Tokens live in sessionStorage (per tab); nothing here is trusted for authorization:
// the gateway validates every access token. Token claims are decoded for display only.

const TOKENS_KEY = 'ktxh.oidc.tokens';
const PENDING_KEY = 'ktxh.oidc.pending';
const DISCOVERY_KEY = 'ktxh.oidc.discovery';
const SIGNED_OUT_KEY = 'ktxh.oidc.signedOut';

export class AuthError extends Error {
  constructor(title, detail = '') {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'AuthError';
    this.title = title;
    this.detail = detail;
  }
}

// ---------------------------------------------------------------- helpers

function base64UrlEncode(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecodeToText(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes); // names are UTF-8 Vietnamese
}

/** The payload of a JWT, unverified (display only). Returns {} when it cannot be read. */
export function decodeJwtPayload(token) {
  try {
    const part = String(token ?? '').split('.')[1];
    return part ? JSON.parse(base64UrlDecodeToText(part)) : {};
  } catch {
    return {};
  }
}

function randomToken(byteLength = 32) {
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** A random UUID; crypto.randomUUID needs a secure context, so fall back to getRandomValues. */
export function randomUUID() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// SHA-256 for PKCE. WebCrypto is only available in secure contexts (https, localhost);
// a plain-http intranet deployment still gets a correct S256 challenge from the fallback.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export function sha256Fallback(data) {
  const bitLength = data.length * 8;
  const total = Math.ceil((data.length + 9) / 64) * 64;
  const msg = new Uint8Array(total);
  msg.set(data);
  msg[data.length] = 0x80;
  const view = new DataView(msg.buffer);
  view.setUint32(total - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(total - 4, bitLength >>> 0);
  const H = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const W = new Uint32Array(64);
  const rotr = (x, n) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < total; off += 64) {
    for (let t = 0; t < 16; t += 1) W[t] = view.getUint32(off + t * 4);
    for (let t = 16; t < 64; t += 1) {
      const s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >>> 3);
      const s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >>> 10);
      W[t] = (W[t - 16] + s0 + W[t - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, h] = H;
    for (let t = 0; t < 64; t += 1) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t] + W[t]) >>> 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      h = g; g = f; f = e; e = (d + t1) >>> 0;
      d = c; c = b; b = a; a = (t1 + t2) >>> 0;
    }
    H[0] += a; H[1] += b; H[2] += c; H[3] += d; H[4] += e; H[5] += f; H[6] += g; H[7] += h;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  H.forEach((v, i) => outView.setUint32(i * 4, v));
  return out;
}

export async function sha256(text) {
  const data = new TextEncoder().encode(text);
  if (globalThis.crypto?.subtle?.digest) {
    return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  }
  return sha256Fallback(data);
}

export async function pkceChallenge(verifier) {
  return base64UrlEncode(await sha256(verifier));
}

function readJson(storage, key) {
  try {
    const raw = storage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

async function postForm(url, params) {
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(params),
      credentials: 'omit',
    });
  } catch {
    throw new AuthError('Không kết nối được máy chủ đăng nhập', 'Vui lòng kiểm tra kết nối mạng và thử lại.');
  }
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  if (!response.ok) {
    const err = new AuthError(
      'Máy chủ đăng nhập từ chối yêu cầu',
      body.error_description || body.error || `HTTP ${response.status}`,
    );
    err.code = body.error;
    err.status = response.status;
    throw err;
  }
  return body;
}

// ---------------------------------------------------------------- client

export class OidcClient {
  /** @param {{issuer: string, client_id: string}} config */
  constructor(config) {
    this.issuer = String(config.issuer || '').replace(/\/+$/, '');
    this.clientId = config.client_id;
    this.redirectUri = `${location.origin}/callback`;
    this.postLogoutRedirectUri = `${location.origin}/`;
    this.discovery = null;
    this.refreshTimer = null;
    this.refreshing = null;
    this.listeners = new Set();
  }

  /** Subscribe to session events: 'refreshed', 'expired'. */
  on(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event) {
    for (const l of this.listeners) l(event);
  }

  async loadDiscovery() {
    const cached = readJson(sessionStorage, DISCOVERY_KEY);
    if (cached && cached.issuer_url === this.issuer && cached.document) {
      this.discovery = cached.document;
      return this.discovery;
    }
    let response;
    try {
      response = await fetch(`${this.issuer}/.well-known/openid-configuration`, {
        headers: { Accept: 'application/json' },
        credentials: 'omit',
      });
    } catch {
      throw new AuthError('Không kết nối được máy chủ đăng nhập', this.issuer);
    }
    if (!response.ok) {
      throw new AuthError('Không đọc được cấu hình máy chủ đăng nhập', `HTTP ${response.status}`);
    }
    const doc = await response.json();
    if (!doc.authorization_endpoint || !doc.token_endpoint) {
      throw new AuthError('Cấu hình máy chủ đăng nhập không đầy đủ');
    }
    this.discovery = doc;
    sessionStorage.setItem(DISCOVERY_KEY, JSON.stringify({ issuer_url: this.issuer, document: doc }));
    return doc;
  }

  // ------------------------------------------------ tokens

  get tokens() {
    return readJson(sessionStorage, TOKENS_KEY);
  }

  storeTokens(body, previous = null) {
    const now = Date.now();
    const expiresIn = Number(body.expires_in) || 300;
    const tokens = {
      access_token: body.access_token,
      refresh_token: body.refresh_token || previous?.refresh_token || null,
      id_token: body.id_token || previous?.id_token || null,
      issued_at: now,
      expires_at: now + expiresIn * 1000,
    };
    sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    return tokens;
  }

  clearTokens() {
    sessionStorage.removeItem(TOKENS_KEY);
    clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  hasValidAccessToken(marginMs = 1000) {
    const t = this.tokens;
    return Boolean(t?.access_token && t.expires_at - marginMs > Date.now());
  }

  /** Claims of the access token (display only): name, preferred_username, realm_access... */
  get claims() {
    return decodeJwtPayload(this.tokens?.access_token);
  }

  /**
   * A usable access token: refreshes it first when it is about to expire.
   * Returns null when the session is over (the caller asks the user to sign in again).
   */
  async getAccessToken() {
    const t = this.tokens;
    const margin = t ? Math.min(15000, (t.expires_at - t.issued_at) / 4) : 0;
    if (this.hasValidAccessToken(margin)) return t.access_token;
    try {
      await this.refresh();
    } catch {
      // fall through: maybe the current token is still good for a few seconds
    }
    if (this.hasValidAccessToken(1000)) return this.tokens.access_token;
    this.emit('expired');
    return null;
  }

  /** Refresh with the refresh token (shared by concurrent callers). */
  refresh() {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async doRefresh() {
    const current = this.tokens;
    if (!current?.refresh_token) throw new AuthError('Không có refresh token');
    if (!this.discovery) await this.loadDiscovery();
    const body = await postForm(this.discovery.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: current.refresh_token,
      client_id: this.clientId,
    });
    const tokens = this.storeTokens(body, current);
    this.scheduleRefresh();
    this.emit('refreshed');
    return tokens;
  }

  /** Refresh some time before the access token expires (a quarter of its life, at most 60 s). */
  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    const t = this.tokens;
    if (!t?.refresh_token) return;
    const lifetime = Math.max(1000, t.expires_at - t.issued_at);
    const skew = Math.min(60000, lifetime / 4);
    const delay = Math.max(1000, t.expires_at - skew - Date.now());
    this.refreshTimer = setTimeout(async () => {
      try {
        await this.refresh();
      } catch (err) {
        if (err.code === 'invalid_grant' || !this.hasValidAccessToken(2000)) {
          this.emit('expired');
        } else {
          this.refreshTimer = setTimeout(() => this.scheduleRefresh(), 10000);
        }
      }
    }, delay);
  }

  // ------------------------------------------------ redirects

  /** Go to the authorization endpoint. Never resolves (the page navigates away). */
  async login(returnTo = null) {
    if (!this.discovery) await this.loadDiscovery();
    const verifier = randomToken(32);
    const state = randomToken(16);
    const nonce = randomToken(16);
    const challenge = await pkceChallenge(verifier);
    const here = `${location.pathname}${location.search}${location.hash}`;
    const pending = {
      state,
      nonce,
      verifier,
      return_to: returnTo ?? (location.pathname === '/callback' ? '/' : here),
      created_at: Date.now(),
    };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    sessionStorage.removeItem(SIGNED_OUT_KEY);
    const url = new URL(this.discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.clientId,
      redirect_uri: this.redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ui_locales: 'vi',
    }).toString();
    location.assign(url.toString());
    return new Promise(() => {});
  }

  /** Handle /callback: verify state, exchange the code, then replaceState to the saved path. */
  async handleCallback() {
    const params = new URLSearchParams(location.search);
    const pending = readJson(sessionStorage, PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    if (params.get('error')) {
      throw new AuthError(
        'Đăng nhập không thành công',
        params.get('error_description') || params.get('error'),
      );
    }
    const code = params.get('code');
    const state = params.get('state');
    if (!code) throw new AuthError('Thiếu mã xác thực trong phản hồi đăng nhập');
    if (!pending || !state || pending.state !== state) {
      throw new AuthError(
        'Phiên đăng nhập không hợp lệ',
        'Tham số state không khớp. Vui lòng đăng nhập lại.',
      );
    }
    if (!this.discovery) await this.loadDiscovery();
    const body = await postForm(this.discovery.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri,
      client_id: this.clientId,
      code_verifier: pending.verifier,
    });
    if (!body.access_token) throw new AuthError('Máy chủ đăng nhập không trả về access token');
    if (body.id_token) {
      const idClaims = decodeJwtPayload(body.id_token);
      if (idClaims.nonce !== undefined && idClaims.nonce !== pending.nonce) {
        throw new AuthError('Phiên đăng nhập không hợp lệ', 'Tham số nonce không khớp.');
      }
    }
    this.storeTokens(body);
    const target = pending.return_to && pending.return_to.startsWith('/') ? pending.return_to : '/';
    history.replaceState(null, '', target.startsWith('/callback') ? '/' : target);
  }

  /** True once after a sign-out round trip (the app then shows "signed out" instead of redirecting). */
  consumeSignedOut() {
    const flag = sessionStorage.getItem(SIGNED_OUT_KEY);
    sessionStorage.removeItem(SIGNED_OUT_KEY);
    return Boolean(flag);
  }

  /** Clear the local session and end the session at the issuer. */
  async logout() {
    const idToken = this.tokens?.id_token;
    this.clearTokens();
    sessionStorage.setItem(SIGNED_OUT_KEY, '1');
    try {
      if (!this.discovery) await this.loadDiscovery();
    } catch {
      // issuer unreachable: the local session is gone anyway
    }
    const endpoint = this.discovery?.end_session_endpoint;
    if (!endpoint) {
      location.assign('/');
      return;
    }
    const url = new URL(endpoint);
    const params = { client_id: this.clientId, post_logout_redirect_uri: this.postLogoutRedirectUri };
    if (idToken) params.id_token_hint = idToken;
    url.search = new URLSearchParams(params).toString();
    location.assign(url.toString());
  }
}
