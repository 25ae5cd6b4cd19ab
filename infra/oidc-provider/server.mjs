#!/usr/bin/env node
// Local, Keycloak-shaped OpenID Connect provider for KTXH development and tests.
//
// It is an independent server (the certified `oidc-provider` library), not the gateway's
// built-in development sign-in. It reads clients, realm roles and users from a Keycloak realm
// export (infra/keycloak/realm-ktxh.json) and serves Keycloak's routes:
//
//   <issuer> = http://127.0.0.1:<port>/realms/<realm>
//   <issuer>/.well-known/openid-configuration
//   <issuer>/protocol/openid-connect/{auth,token,certs,userinfo,logout,revoke}
//
// Access tokens are RS256 JWTs shaped like Keycloak's: iss, sub, aud (from the client's
// audience mappers, e.g. "ktxh-api"), exp, azp, preferred_username, name, email,
// realm_access.roles, and the user attributes mapped by the client's attribute mappers
// (org_unit, province). Grants: authorization_code (+PKCE S256, +refresh_token) for public
// clients such as ktxh-web, client_credentials for service-account clients (ktxh-integration).
//
// Usage: node server.mjs [--port 8080] [--host 127.0.0.1] [--realm-file PATH] [--public-url URL]
//   env: KTXH_OIDC_PORT, KTXH_OIDC_HOST, KTXH_OIDC_REALM_FILE, KTXH_OIDC_PUBLIC_URL,
//        KTXH_OIDC_KEY_FILE (persist the signing key), KTXH_OIDC_COOKIE_KEYS (comma separated)
// --port 0 picks a free port. On start it prints one line:
//   KTXH-OIDC READY issuer=<issuer> port=<port>

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import querystring from 'node:querystring';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import Provider, { errors } from 'oidc-provider';

const HERE = path.dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'realm-file': { type: 'string' },
    'public-url': { type: 'string' },
    'key-file': { type: 'string' },
    quiet: { type: 'boolean' },
  },
});

const PORT = Number(args.port ?? process.env.KTXH_OIDC_PORT ?? 8080);
const HOST = args.host ?? process.env.KTXH_OIDC_HOST ?? '127.0.0.1';
const REALM_FILE = path.resolve(
  args['realm-file'] ?? process.env.KTXH_OIDC_REALM_FILE ?? path.join(HERE, '..', 'keycloak', 'realm-ktxh.json'),
);
const KEY_FILE = args['key-file'] ?? process.env.KTXH_OIDC_KEY_FILE;
const QUIET = args.quiet ?? false;

function log(...parts) {
  if (!QUIET) console.log(`[oidc] ${new Date().toISOString()}`, ...parts);
}

// ---------------------------------------------------------------------------------------------
// Realm export -> clients, roles, users

const realmRep = JSON.parse(fs.readFileSync(REALM_FILE, 'utf8'));
const REALM = realmRep.realm;
if (!REALM) throw new Error(`${REALM_FILE}: no "realm" name`);
const ACCESS_TOKEN_TTL = Number(realmRep.accessTokenLifespan ?? 300);
const SESSION_TTL = Number(realmRep.ssoSessionMaxLifespan ?? 36000);

const realmRoles = new Map((realmRep.roles?.realm ?? []).map((r) => [r.name, r]));

function stableId(kind, name) {
  const h = crypto.createHash('sha256').update(`${REALM}:${kind}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function expandRoles(names) {
  const out = new Set();
  const stack = [...names];
  while (stack.length) {
    const name = stack.pop();
    if (out.has(name)) continue;
    out.add(name);
    const role = realmRoles.get(name);
    if (role?.composite && role.composites?.realm) stack.push(...role.composites.realm);
  }
  return [...out];
}

// groups: path -> {realmRoles}
const groupsByPath = new Map();
(function walk(groups, prefix) {
  for (const g of groups ?? []) {
    const p = `${prefix}/${g.name}`;
    groupsByPath.set(p, g);
    walk(g.subGroups, p);
  }
}(realmRep.groups, ''));

function groupRoles(paths) {
  const roles = [];
  for (const p of paths ?? []) {
    // a member of /a/b inherits the roles of /a
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i += 1) {
      roles.push(...(groupsByPath.get(`/${parts.slice(0, i).join('/')}`)?.realmRoles ?? []));
    }
  }
  return roles;
}

const users = new Map(); // id -> user
const usersByName = new Map(); // lowercase username -> user
const serviceAccounts = new Map(); // clientId -> user
for (const u of realmRep.users ?? []) {
  if (u.enabled === false) continue;
  const user = {
    ...u,
    id: u.id ?? stableId('user', u.username),
    roles: expandRoles([...(u.realmRoles ?? []), ...groupRoles(u.groups)]),
    attrs: Object.fromEntries(
      Object.entries(u.attributes ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]),
    ),
  };
  users.set(user.id, user);
  if (u.serviceAccountClientId) serviceAccounts.set(u.serviceAccountClientId, user);
  else usersByName.set(String(u.username).toLowerCase(), user);
}

function checkPassword(user, password) {
  if (typeof password !== 'string' || !password) return false;
  for (const cred of user.credentials ?? []) {
    if (cred.type !== 'password') continue;
    if (typeof cred.value === 'string') {
      const a = Buffer.from(cred.value);
      const b = Buffer.from(password);
      if (a.length === b.length && crypto.timingSafeEqual(a, b)) return true;
      continue;
    }
    // hashed credential as Keycloak exports it (pbkdf2-sha1/sha256/sha512)
    try {
      const secret = JSON.parse(cred.secretData);
      const data = JSON.parse(cred.credentialData);
      const digest = { pbkdf2: 'sha1', 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha512': 'sha512' }[data.algorithm];
      if (!digest) continue;
      const expected = Buffer.from(secret.value, 'base64');
      const got = crypto.pbkdf2Sync(password, Buffer.from(secret.salt, 'base64'), data.hashIterations, expected.length, digest);
      if (crypto.timingSafeEqual(expected, got)) return true;
    } catch {
      // unknown credential shape: not a match
    }
  }
  return false;
}

// Keycloak-style wildcard patterns ("http://127.0.0.1:*/*") as regular expressions
function patternRegex(pattern) {
  const esc = pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('[^\\s]*');
  return new RegExp(`^${esc}$`);
}
function originOfPattern(pattern) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]+)/i.exec(pattern);
  return m ? m[1] : undefined;
}

const kcClients = new Map(); // clientId -> parsed Keycloak client
const clientMetadata = [];
for (const c of realmRep.clients ?? []) {
  if (c.enabled === false || c.bearerOnly) continue;
  if (c.protocol && c.protocol !== 'openid-connect') continue;
  const redirectPatterns = (c.redirectUris ?? [])
    .map((u) => (u.startsWith('/') && c.rootUrl ? c.rootUrl.replace(/\/$/, '') + u : u))
    .filter((u) => /^[a-z][a-z0-9+.-]*:/i.test(u));
  const attrs = c.attributes ?? {};
  const logoutPatterns = (attrs['post.logout.redirect.uris'] ?? '')
    .split('##').filter(Boolean)
    .flatMap((u) => (u === '+' ? redirectPatterns : [u]));
  const grantTypes = [];
  const responseTypes = [];
  if (c.standardFlowEnabled !== false && redirectPatterns.length) {
    grantTypes.push('authorization_code', 'refresh_token');
    responseTypes.push('code');
  }
  if (c.serviceAccountsEnabled && !c.publicClient) grantTypes.push('client_credentials');
  if (!grantTypes.length) continue;

  const mappers = c.protocolMappers ?? [];
  const on = (m, key) => String(m.config?.[key] ?? 'true') === 'true';
  const audiences = mappers
    .filter((m) => m.protocolMapper === 'oidc-audience-mapper' && on(m, 'access.token.claim'))
    .map((m) => m.config?.['included.custom.audience'] ?? m.config?.['included.client.audience'])
    .filter(Boolean);
  const attributeMappers = mappers
    .filter((m) => m.protocolMapper === 'oidc-usermodel-attribute-mapper')
    .map((m) => ({
      attribute: m.config?.['user.attribute'],
      claim: m.config?.['claim.name'] ?? m.config?.['user.attribute'],
      multivalued: String(m.config?.multivalued) === 'true',
      access: on(m, 'access.token.claim'),
      id: on(m, 'id.token.claim'),
      userinfo: on(m, 'userinfo.token.claim'),
    }))
    .filter((m) => m.attribute && m.claim);

  const webOrigins = (c.webOrigins ?? []).flatMap((o) => (o === '+' ? redirectPatterns.map(originOfPattern) : [o])).filter(Boolean);
  const kc = {
    clientId: c.clientId,
    name: c.name ?? c.clientId,
    publicClient: Boolean(c.publicClient),
    consentRequired: Boolean(c.consentRequired),
    pkce: Boolean(c.publicClient) || Boolean(attrs['pkce.code.challenge.method']),
    redirectRegexes: redirectPatterns.map(patternRegex),
    logoutRegexes: logoutPatterns.map(patternRegex),
    anyOrigin: webOrigins.includes('*'),
    originRegexes: webOrigins.filter((o) => o !== '*').map(patternRegex),
    audiences: audiences.length ? [...new Set(audiences)] : [c.clientId],
    attributeMappers,
  };
  kcClients.set(c.clientId, kc);

  // oidc-provider validates redirect_uris as real URLs: register placeholders and match the
  // Keycloak patterns in redirectUriAllowed below.
  const placeholder = (p) => p.replace(/:\*(?=\/|$)/, '').replace(/\*/g, 'x');
  const meta = {
    client_id: c.clientId,
    client_name: kc.name,
    grant_types: grantTypes,
    response_types: responseTypes,
    redirect_uris: redirectPatterns.map(placeholder),
    post_logout_redirect_uris: logoutPatterns.map(placeholder),
    token_endpoint_auth_method: c.publicClient ? 'none' : 'client_secret_basic',
  };
  if (!c.publicClient) {
    if (!c.secret) throw new Error(`${REALM_FILE}: confidential client ${c.clientId} has no "secret"`);
    meta.client_secret = c.secret;
  }
  clientMetadata.push(meta);
}

function attrValue(user, mapper) {
  const v = user.attrs[mapper.attribute] ?? (mapper.attribute in user ? [user[mapper.attribute]] : undefined);
  if (!v || !v.length) return undefined;
  return mapper.multivalued ? v : v[0];
}

// Claims of a user as a client's token sees them (Keycloak's default scopes + mappers).
function userClaims(user, kc, use) {
  const claims = {
    sub: user.id,
    preferred_username: user.username,
    realm_access: { roles: [...user.roles] },
  };
  if (!user.serviceAccountClientId) {
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    if (name) claims.name = name;
    if (user.firstName) claims.given_name = user.firstName;
    if (user.lastName) claims.family_name = user.lastName;
    if (user.email) {
      claims.email = user.email;
      claims.email_verified = Boolean(user.emailVerified);
    }
  } else {
    claims.preferred_username = user.username ?? `service-account-${user.serviceAccountClientId}`;
  }
  for (const m of kc?.attributeMappers ?? []) {
    if (!m[use]) continue;
    const v = attrValue(user, m);
    if (v !== undefined) claims[m.claim] = v;
  }
  return claims;
}

// ---------------------------------------------------------------------------------------------
// Keys

function loadOrCreateKey() {
  if (KEY_FILE && fs.existsSync(KEY_FILE)) return JSON.parse(fs.readFileSync(KEY_FILE, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const thumb = crypto.createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
  const key = { ...jwk, kid: thumb.slice(0, 16), alg: 'RS256', use: 'sig' };
  if (KEY_FILE) fs.writeFileSync(KEY_FILE, JSON.stringify(key), { mode: 0o600 });
  return key;
}
const signingJwk = loadOrCreateKey();
const publicKey = crypto.createPublicKey({ key: signingJwk, format: 'jwk' });

// ---------------------------------------------------------------------------------------------
// HTML

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (ch) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[ch]));

const STYLE = `body{font-family:"Noto Sans","Segoe UI",Arial,sans-serif;background:#eef2f7;margin:0}
.box{max-width:380px;margin:8vh auto;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.15);padding:28px 32px}
h1{font-size:1.3em;color:#a4161a;margin:0 0 4px}h2{font-size:1em;font-weight:400;color:#444;margin:0 0 20px}
label{display:block;margin:12px 0 4px;font-weight:600}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:9px;border:1px solid #bbb;border-radius:4px;font-size:1em}
button,input[type=submit]{font-family:inherit;margin-top:20px;width:100%;padding:10px;background:#a4161a;color:#fff;border:0;border-radius:4px;font-size:1em;cursor:pointer}
.err{background:#fde8e8;color:#a4161a;border-radius:4px;padding:8px 10px;margin-bottom:8px}.hint{color:#666;font-size:.85em;margin-top:16px}`;

function page(title, body) {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>${STYLE}</style></head><body><div class="box">${body}</div></body></html>`;
}

function loginPage({ action, clientName, username, error }) {
  const realmName = realmRep.displayName ?? REALM;
  return page(`Đăng nhập - ${realmName}`, `
<h1>${esc(realmName)}</h1><h2>Đăng nhập vào ${esc(clientName)}</h2>
${error ? `<div class="err" id="input-error" role="alert">${esc(error)}</div>` : ''}
<form id="kc-form-login" method="post" action="${esc(action)}" autocomplete="off">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" type="text" value="${esc(username)}" autofocus autocomplete="username">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<input id="kc-login" name="login" type="submit" value="Đăng nhập">
</form>
<p class="hint">Máy chủ OIDC cục bộ (phát triển, kiểm thử) - realm <code>${esc(REALM)}</code></p>`);
}

function send(res, status, type, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}
const sendJson = (res, status, obj, headers) => send(res, status, 'application/json', JSON.stringify(obj), headers);

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) throw new Error('request entity too large');
    chunks.push(chunk);
  }
  return querystring.parse(Buffer.concat(chunks).toString('utf8'));
}

function originAllowed(origin, kc) {
  if (!origin || origin === 'null') return false;
  if (kc) return kc.anyOrigin || kc.originRegexes.some((r) => r.test(origin));
  return [...kcClients.values()].some((c) => c.anyOrigin || c.originRegexes.some((r) => r.test(origin)));
}

// ---------------------------------------------------------------------------------------------
// Provider

const DEFAULT_RESOURCE = `urn:ktxh:realm:${REALM}:api`;
const SCOPES = ['openid', 'offline_access', 'profile', 'email', 'roles', 'web-origins', 'acr', 'basic', 'address', 'phone'];

function buildProvider(issuer) {
  const configuration = {
    clients: clientMetadata,
    jwks: { keys: [signingJwk] },
    cookies: {
      keys: (process.env.KTXH_OIDC_COOKIE_KEYS ?? crypto.randomBytes(32).toString('hex')).split(','),
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/protocol/openid-connect/auth',
      token: '/protocol/openid-connect/token',
      jwks: '/protocol/openid-connect/certs',
      userinfo: '/protocol/openid-connect/userinfo',
      end_session: '/protocol/openid-connect/logout',
      revocation: '/protocol/openid-connect/revoke',
      introspection: '/protocol/openid-connect/token/introspect',
      pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
    },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'org_unit', 'province'],
      email: ['email', 'email_verified'],
      roles: ['realm_access'],
    },
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          // Keycloak logs out without a question when the RP asks; auto-submit the form.
          ctx.type = 'html';
          ctx.body = page('Đăng xuất', `<h1>Đăng xuất</h1>${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout" id="kc-logout">Đăng xuất</button>
<script>(function(){var f=document.getElementById('op.logoutForm');var i=document.createElement('input');i.type='hidden';i.name='logout';i.value='yes';f.appendChild(i);f.submit();})();</script>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('Đã đăng xuất', '<h1>Đã đăng xuất</h1><p>Bạn đã đăng xuất khỏi hệ thống.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, client, oneOf) => oneOf ?? DEFAULT_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, resourceIndicator, client) => {
          const kc = kcClients.get(client.clientId);
          return {
            scope: SCOPES.join(' '),
            audience: (kc?.audiences ?? [client.clientId])[0],
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    pkce: {
      required: (ctx, client) => kcClients.get(client.clientId)?.pkce ?? true,
    },
    clientBasedCORS: (ctx, origin, client) => originAllowed(origin, kcClients.get(client.clientId)),
    async findAccount(ctx, id) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        async claims(use) {
          const kc = kcClients.get(ctx.oidc?.client?.clientId);
          return userClaims(user, kc, use === 'id_token' ? 'id' : 'userinfo');
        },
      };
    },
    async extraTokenClaims(ctx, token) {
      const kc = kcClients.get(token.clientId);
      let user;
      if (token.accountId) user = users.get(token.accountId);
      else if (token.kind === 'ClientCredentials') user = serviceAccounts.get(token.clientId);
      const claims = { typ: 'Bearer', azp: token.clientId };
      if (user) Object.assign(claims, userClaims(user, kc, 'access'));
      if (token.kind === 'ClientCredentials') claims.client_id = token.clientId;
      return claims;
    },
    formats: {
      customizers: {
        async jwt(ctx, token, jwt) {
          const kc = kcClients.get(token.clientId);
          const aud = kc?.audiences ?? [jwt.payload.aud];
          jwt.payload.aud = aud.length === 1 ? aud[0] : aud;
          if (token.kind === 'ClientCredentials') {
            const sa = serviceAccounts.get(token.clientId);
            if (sa) jwt.payload.sub = sa.id;
          }
          jwt.header = { typ: 'JWT' };
        },
      },
    },
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      IdToken: ACCESS_TOKEN_TTL,
      AuthorizationCode: Number(realmRep.accessCodeLifespan ?? 60),
      Interaction: Number(realmRep.accessCodeLifespanLogin ?? 1800),
      Session: SESSION_TTL,
      Grant: SESSION_TTL,
      RefreshToken: Number(realmRep.ssoSessionIdleTimeout ?? 1800),
    },
    interactions: {
      url: async (ctx, interaction) => `${new URL(issuer).pathname}/login-actions/${interaction.uid}`,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Lỗi', `<h1>Có lỗi xảy ra</h1>${Object.entries(out)
        .map(([k, v]) => `<p><b>${esc(k)}</b>: ${esc(v)}</p>`).join('')}`);
    },
  };
  const provider = new Provider(issuer, configuration);

  // Keycloak-style wildcard redirect URIs
  const { Client } = provider;
  Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
    const kc = kcClients.get(this.clientId);
    return Boolean(kc?.redirectRegexes.some((r) => r.test(value)));
  };
  Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(value) {
    const kc = kcClients.get(this.clientId);
    return Boolean(kc?.logoutRegexes.some((r) => r.test(value)) || kc?.redirectRegexes.some((r) => r.test(value)));
  };

  provider.on('server_error', (ctx, err) => console.error('[oidc] server_error', err));
  provider.on('grant.error', (ctx, err) => log('grant.error', err.message, err.error_description ?? ''));
  return provider;
}

// ---------------------------------------------------------------------------------------------
// HTTP: our own pages (login, userinfo, realm info) + the provider under /realms/<realm>

async function handleInteraction(provider, req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, 'text/plain; charset=utf-8', 'interaction mismatch');
  const { prompt, params } = details;
  const kc = kcClients.get(params.client_id);

  if (prompt.name === 'login') {
    const action = `${new URL(provider.issuer).pathname}/login-actions/${uid}`;
    if (req.method === 'GET') {
      return send(res, 200, 'text/html; charset=utf-8', loginPage({
        action, clientName: kc?.name ?? params.client_id, username: params.login_hint ?? '',
      }));
    }
    const form = await readForm(req);
    const username = String(form.username ?? '').trim();
    const user = usersByName.get(username.toLowerCase());
    if (!user || !checkPassword(user, String(form.password ?? ''))) {
      log('login failed', username);
      return send(res, 200, 'text/html; charset=utf-8', loginPage({
        action, clientName: kc?.name ?? params.client_id, username,
        error: 'Tên đăng nhập hoặc mật khẩu không đúng.',
      }));
    }
    log('login ok', user.username);
    return provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }

  if (prompt.name === 'consent') {
    // first-party clients: consent is implied, as in Keycloak with consentRequired=false
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    const d = prompt.details ?? {};
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  return send(res, 400, 'text/plain; charset=utf-8', `unsupported prompt ${prompt.name}`);
}

function bearer(req) {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

function verifyJwt(token, issuer) {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (header.alg !== 'RS256') return undefined;
  const ok = crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, Buffer.from(parts[2], 'base64url'));
  if (!ok) return undefined;
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (payload.iss !== issuer || typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000) return undefined;
  return payload;
}

async function handleUserinfo(provider, req, res) {
  const origin = req.headers.origin;
  const cors = originAllowed(origin) ? {
    'Access-Control-Allow-Origin': origin, Vary: 'Origin', 'Access-Control-Allow-Credentials': 'true',
  } : {};
  if (req.method === 'OPTIONS') {
    return send(res, 204, 'text/plain', '', {
      ...cors, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    });
  }
  let token = bearer(req);
  if (!token && req.method === 'POST') token = (await readForm(req)).access_token;
  let payload;
  try {
    payload = token && verifyJwt(String(token), provider.issuer);
  } catch {
    payload = undefined;
  }
  const user = payload && users.get(payload.sub);
  if (!user) {
    return sendJson(res, 401, { error: 'invalid_token', error_description: 'Token verification failed' }, {
      ...cors, 'WWW-Authenticate': 'Bearer error="invalid_token"',
    });
  }
  return sendJson(res, 200, userClaims(user, kcClients.get(payload.azp), 'userinfo'), cors);
}

function realmInfo(issuer) {
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    realm: REALM,
    public_key: spki,
    'token-service': `${issuer}/protocol/openid-connect`,
    'account-service': `${issuer}/account`,
    'tokens-not-before': 0,
  };
}

function createServer(getProvider) {
  return http.createServer(async (req, res) => {
    const provider = getProvider();
    if (!provider) return send(res, 503, 'text/plain', 'starting');
    try {
      const url = new URL(req.url, 'http://localhost');
      const prefix = new URL(provider.issuer).pathname;
      const p = url.pathname;
      if (p === '/' || p === '/health' || p === '/health/ready') {
        return sendJson(res, 200, { status: 'UP', issuer: provider.issuer });
      }
      if (p === prefix || p === `${prefix}/`) return sendJson(res, 200, realmInfo(provider.issuer));
      if (!p.startsWith(`${prefix}/`)) return sendJson(res, 404, { error: 'Realm does not exist' });

      const rest = p.slice(prefix.length);
      const m = /^\/login-actions\/([A-Za-z0-9_-]+)$/.exec(rest);
      if (m && (req.method === 'GET' || req.method === 'POST')) return await handleInteraction(provider, req, res, m[1]);
      if (rest === '/protocol/openid-connect/userinfo') return await handleUserinfo(provider, req, res);

      req.originalUrl = req.url;
      req.url = req.url.slice(prefix.length) || '/';
      return provider.callback()(req, res);
    } catch (err) {
      if (err instanceof errors.SessionNotFound) {
        return send(res, 400, 'text/html; charset=utf-8', page('Hết phiên', '<h1>Phiên đăng nhập đã hết hạn</h1><p>Vui lòng đăng nhập lại.</p>'));
      }
      console.error('[oidc] error', err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
      else res.end();
    }
  });
}

let provider;
const server = createServer(() => provider);
server.keepAliveTimeout = 5000;
server.listen(PORT, HOST, () => {
  const { port } = server.address();
  const base = args['public-url'] ?? process.env.KTXH_OIDC_PUBLIC_URL ?? `http://${HOST}:${port}`;
  const issuer = `${base.replace(/\/$/, '')}/realms/${REALM}`;
  provider = buildProvider(issuer);
  log(`realm ${REALM} from ${REALM_FILE}: ${kcClients.size} clients, ${usersByName.size} users, ${serviceAccounts.size} service accounts`);
  // the line test fixtures and launchers wait for
  console.log(`KTXH-OIDC READY issuer=${issuer} port=${port}`);
});

function stop(signal) {
  log(`${signal}: stopping`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
