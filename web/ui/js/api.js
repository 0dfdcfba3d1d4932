// The console's only way to the BMC: the Redfish API on the same origin, authenticated by the
// console's session cookie (HttpOnly, set when the session is created), with the CSRF token in a header on
// every state-changing request.

let csrf = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.describe(status, body));
    this.status = status;
    this.body = body;
  }

  static describe(status, body) {
    const err = body && body.error;
    if (err) {
      const info = err['@Message.ExtendedInfo'];
      if (Array.isArray(info) && info.length && info[0].Message)
        return info.map((i) => i.Message).join(' ');
      if (err.message)
        return err.message;
    }
    return `HTTP ${status}`;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

async function request(method, path, body, headers = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrf)
      h['X-CSRF-Token'] = csrf;
    if (body !== undefined)
      h['Content-Type'] = 'application/json';
  }
  const rsp = await fetch(path, {
    method, headers: h, credentials: 'same-origin', cache: 'no-store',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  const text = await rsp.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (rsp.status === 401 && path !== SESSIONS)
    onUnauthorized();
  if (!rsp.ok)
    throw new ApiError(rsp.status, data);
  return { data, etag: rsp.headers.get('ETag') };
}

export async function get(path) { return (await request('GET', path)).data; }
export async function getWithEtag(path) { return request('GET', path); }
export async function post(path, body = {}) { return (await request('POST', path, body)).data; }
export async function patch(path, body, etag) {
  return (await request('PATCH', path, body, etag ? { 'If-Match': etag } : {})).data;
}
export async function del(path) { return (await request('DELETE', path)).data; }

// ---- the console session ---------------------------------------------------------------------
// A Redfish session (POST .../Sessions) that also sets the HttpOnly session cookie; its reply
// carries the CSRF token and the user's role in Oem.Softbmc. The token, the session's URI and
// the role are kept in sessionStorage (this tab only) so a reload keeps the session.

const SESSIONS = '/redfish/v1/SessionService/Sessions';
const KEY = 'softbmc.session';

function remember(s) {
  csrf = s ? s.CsrfToken : null;
  if (s)
    sessionStorage.setItem(KEY, JSON.stringify(s));
  else
    sessionStorage.removeItem(KEY);
  return s;
}

export async function login(user, password) {
  const { data } = await request('POST', SESSIONS, { UserName: user, Password: password });
  const oem = (data.Oem && data.Oem.Softbmc) || {};
  return remember({ UserName: data.UserName, RoleId: oem.RoleId, CsrfToken: oem.CsrfToken,
    uri: data['@odata.id'] });
}

// The stored session if the cookie still works (a reload), else null.
export async function whoami() {
  let s = null;
  try { s = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch { s = null; }
  if (!s || !s.uri)
    return remember(null);
  csrf = s.CsrfToken;
  try {
    const { data } = await request('GET', s.uri);
    const oem = (data.Oem && data.Oem.Softbmc) || {};
    return remember({ ...s, RoleId: oem.RoleId || s.RoleId });
  } catch (e) {
    if (e.status === 401 || e.status === 404)
      return remember(null);
    throw e;
  }
}

export async function logout() {
  let s = null;
  try { s = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch { s = null; }
  try {
    if (s && s.uri)
      await request('DELETE', s.uri);
  } finally {
    remember(null);
  }
}

// Members of a collection, each fetched (collections list only @odata.id).
export async function members(path) {
  const coll = await get(path);
  const out = [];
  for (const m of coll.Members || [])
    out.push(await get(m['@odata.id']));
  return out;
}
