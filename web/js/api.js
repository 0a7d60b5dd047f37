// SPDX-License-Identifier: EUPL-1.2
// The one way the UI talks to /api/v1. Sends JSON, adds X-CSRF-Token to state-changing requests,
// turns application/problem+json answers into ApiError, and reports an ended session (any 401
// other than a failed login) to the app so it can send the user back to the login page.

const BASE = '/api/v1';

let csrfToken = '';
let unauthenticatedHandler = null;
let lastResponseAt = Date.now();

/** When the server last answered us (ms since epoch): the server's idle clock restarts then. */
export function lastActivity() {
  return lastResponseAt;
}

export function setCsrfToken(token) {
  csrfToken = token || '';
}

/** Called once with no arguments whenever a request finds the session gone. */
export function onUnauthenticated(fn) {
  unauthenticatedHandler = fn;
}

/** A failed request. `slug` is the problem type's last path part (or 'network'). */
export class ApiError extends Error {
  constructor(status, problem, headers) {
    super(problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
    this.headers = headers || new Headers();
    this.slug = slugOf(status, this.problem);
    this.requestId = this.headers.get('X-Request-Id') || '';
    /** True once the app has reacted (e.g. redirected to login); views then stay quiet. */
    this.handled = false;
  }

  /** The problem's `errors` array, each {pointer, detail}; [] when absent. */
  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }

  /** Retry-After in seconds, or null. */
  get retryAfter() {
    const v = this.headers.get('Retry-After');
    if (v == null) return null;
    const n = Number(v);
    if (Number.isFinite(n)) return Math.max(0, n);
    const when = Date.parse(v);
    return Number.isNaN(when) ? null : Math.max(0, Math.round((when - Date.now()) / 1000));
  }
}

function slugOf(status, problem) {
  if (status === 0) return 'network';
  const type = typeof problem.type === 'string' ? problem.type : '';
  const i = type.lastIndexOf('/problems/');
  if (i >= 0) return type.slice(i + '/problems/'.length);
  return `http-${status}`;
}

async function send(method, path, body, extra) {
  const headers = { ...extra, Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
  } catch {
    return null;
  }
}

async function parse(res) {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Make a request. Resolves to {status, data, headers} on 2xx; rejects with ApiError otherwise.
 * opts.quiet401: do not report a 401 as an ended session (startup probe, login itself).
 * opts.headers: extra request headers (e.g. Accept-Language for the social map's texts).
 */
export async function api(method, path, body, opts = {}) {
  const res = await send(method, path, body, opts.headers);
  if (!res) throw new ApiError(0, {}, null);
  const data = await parse(res);
  lastResponseAt = Date.now();
  if (res.ok) return { status: res.status, data, headers: res.headers };

  const err = new ApiError(res.status, data && typeof data === 'object' ? data : {}, res.headers);
  if (res.status === 403 && err.slug === 'csrf' && !opts.retried) {
    // The token may have rotated (e.g. a login in another tab): fetch it again and retry once.
    const me = await send('GET', '/me');
    if (me && me.ok) {
      setCsrfToken((await parse(me))?.csrf_token);
      return api(method, path, body, { ...opts, retried: true });
    }
  }
  if (res.status === 401 && err.slug !== 'bad-credentials' && !opts.quiet401 && unauthenticatedHandler) {
    err.handled = true;
    unauthenticatedHandler();
  }
  throw err;
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body, opts);
export const del = (path, opts) => api('DELETE', path, undefined, opts);
