// The console's only way to the BMC: the Redfish API on the same origin, authenticated by the
// UI session cookie (HttpOnly, set by POST /ui/session), with the CSRF token in a header on
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
  if (rsp.status === 401 && path !== '/ui/session')
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

// ---- the UI session -------------------------------------------------------------------------

export async function login(user, password) {
  const { data } = await request('POST', '/ui/session', { UserName: user, Password: password });
  csrf = data.CsrfToken;
  return data;
}

// The current UI session if the cookie is still valid (page reload), else null.
export async function whoami() {
  try {
    const { data } = await request('GET', '/ui/session');
    csrf = data.CsrfToken;
    return data;
  } catch (e) {
    if (e.status === 401)
      return null;
    throw e;
  }
}

export async function logout() {
  try {
    await request('DELETE', '/ui/session');
  } finally {
    csrf = null;
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
