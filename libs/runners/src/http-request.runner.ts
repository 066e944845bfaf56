import { request as sendHttp, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as sendHttps, type RequestOptions } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { ActionOutcome } from '@tempest/workflows';
import type { Runner, RunnerContext } from './runner';

const HEARTBEAT_MS = 5_000;
const MAX_REDIRECTS = 10;
/** The result keeps at most this much of the response body. */
const BODY_LIMIT = 1024 * 1024;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

interface HttpRequest {
  method: string;
  /** Never carries user info: credentials travel only in the Authorization header. */
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: string;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
}

interface Plan {
  request: HttpRequest;
  timeoutSeconds: number;
  allowRedirects: boolean;
  verifySslCert: boolean;
  allowlist: string[];
  blocklist: string[];
}

/** A problem with the parameters or the hosts: its message is the whole story. */
class RequestRefused extends Error {}

/** A failure while handling one request of the chain (the first, or a redirect). */
class HopFailure extends Error {
  constructor(
    readonly request: HttpRequest,
    readonly started: number,
    override readonly cause: unknown,
  ) {
    super('request failed');
  }
}

/**
 * StackStorm's http-request: one HTTP(S) request whose response is the
 * result. Redirects are returned as they are unless allow_redirects is set,
 * and every host the request reaches, redirects included, is checked against
 * the allow or block list before anything is sent to it.
 */
export const httpRequest: Runner = async (context) => {
  let plan: Plan;
  try {
    plan = planRequest(context.parameters);
  } catch (error) {
    const message = error instanceof RequestRefused ? error.message : String(error);
    context.output.append('stdout', `http-request not sent: ${message}\n`);
    return { status: 'failed', result: { error: message } };
  }
  const guard = guardRequest(context, plan.timeoutSeconds);
  try {
    const response = await exchange(plan, guard.signal, context);
    // As StackStorm: only a 2xx is success; an unfollowed redirect is returned, and fails.
    return { status: response.statusCode >= 200 && response.statusCode < 300 ? 'succeeded' : 'failed', result: toResult(response) };
  } catch (error) {
    return failed(error, plan, guard.signal, context);
  } finally {
    guard.dispose();
  }
};

function planRequest(p: Record<string, unknown>): Plan {
  const allowlist = hostList(p.url_hosts_allowlist, 'url_hosts_allowlist');
  const blocklist = hostList(p.url_hosts_blocklist, 'url_hosts_blocklist');
  if (allowlist.length > 0 && blocklist.length > 0) {
    throw new RequestRefused('url_hosts_allowlist and url_hosts_blocklist are mutually exclusive: give only one of them');
  }
  const timeout = Number(p.timeout ?? 60);
  return {
    request: buildRequest(p),
    timeoutSeconds: Number.isFinite(timeout) ? timeout : 60,
    allowRedirects: p.allow_redirects === true,
    verifySslCert: p.verify_ssl_cert !== false,
    allowlist,
    blocklist,
  };
}

function hostList(value: unknown, name: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RequestRefused(`${name} must be a list of host names`);
  return value.map((host) => bareHost(String(host)));
}

/** Hostnames compare case-insensitively, and an IPv6 address with or without brackets. */
function bareHost(host: string): string {
  return host.trim().replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function buildRequest(p: Record<string, unknown>): HttpRequest {
  const url = parseUrl(p.url);
  const headers: Record<string, string> = { 'user-agent': 'tempest-http-request' };
  for (const [name, value] of Object.entries((p.headers as Record<string, unknown>) ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
  }
  addCookies(headers, p.cookies);
  addBasicAuth(headers, url, p.username, p.password);
  const body = encodeBody(p.body, headers);
  return { method: String(p.method ?? 'GET').toUpperCase(), url, headers, body };
}

function parseUrl(value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value ?? ''));
  } catch {
    // Not echoed: an unparsable URL may still hold credentials.
    throw new RequestRefused('url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestRefused(`url must be http or https, not ${url.protocol.slice(0, -1)}`);
  return url;
}

function addCookies(headers: Record<string, string>, cookies: unknown): void {
  if (!cookies || typeof cookies !== 'object') return;
  const pairs = Object.entries(cookies as Record<string, unknown>).map(([name, value]) => `${name}=${String(value)}`);
  if (pairs.length === 0) return;
  headers.cookie = [headers.cookie, ...pairs].filter(Boolean).join('; ');
}

/** Credentials in the URL are used like requests does, then removed from it so they are never shown. */
function addBasicAuth(headers: Record<string, string>, url: URL, username: unknown, password: unknown): void {
  const user = typeof username === 'string' && username !== '' ? username : decodeURIComponent(url.username);
  const secret = typeof username === 'string' && username !== '' ? String(password ?? '') : decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  if (user !== '') headers.authorization = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

function encodeBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (typeof body === 'object') headers['content-type'] ??= 'application/json';
  headers['content-length'] ??= String(Buffer.byteLength(text));
  return text;
}

/** Ends the request on timeout or cancellation; the abort reason says which. */
function guardRequest(context: RunnerContext, timeoutSeconds: number) {
  const controller = new AbortController();
  const stop = (reason: 'timeout' | 'canceled') => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onCancel = () => stop('canceled');
  if (context.signal.aborted) onCancel();
  else context.signal.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(() => stop('timeout'), timeoutSeconds * 1000);
  const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      clearInterval(heartbeat);
      context.signal.removeEventListener('abort', onCancel);
    },
  };
}

/** Sends the request, and with allow_redirects follows the redirects. */
async function exchange(plan: Plan, signal: AbortSignal, context: RunnerContext): Promise<HttpResponse> {
  let request = plan.request;
  for (let redirects = 0; ; redirects++) {
    const started = Date.now();
    let response: HttpResponse;
    try {
      checkHost(request.url, plan);
      if (signal.aborted) throw new Error('aborted before sending');
      response = await send(request, plan.verifySslCert, signal);
    } catch (error) {
      throw new HopFailure(request, started, error);
    }
    const note = response.truncated ? `; body truncated to ${BODY_LIMIT} bytes` : '';
    context.output.append('stdout', `${request.method} ${request.url.href} -> ${response.statusCode} (${Date.now() - started} ms${note})\n`);
    const location = response.headers.location;
    if (!plan.allowRedirects || !REDIRECT_CODES.has(response.statusCode) || !location) return response;
    if (redirects === MAX_REDIRECTS) {
      throw new HopFailure(request, started, new RequestRefused(`more than ${MAX_REDIRECTS} redirects; the last one pointed to ${location}`));
    }
    request = redirected(request, response.statusCode, location);
  }
}

function checkHost(url: URL, plan: Plan): void {
  const host = bareHost(url.hostname);
  if (plan.allowlist.length > 0 && !plan.allowlist.includes(host)) throw new RequestRefused(`host "${host}" is not in url_hosts_allowlist; the request was not sent`);
  if (plan.blocklist.includes(host)) throw new RequestRefused(`host "${host}" is in url_hosts_blocklist; the request was not sent`);
}

/** The next request of a redirect, following the rules of browsers and python-requests. */
function redirected(previous: HttpRequest, statusCode: number, location: string): HttpRequest {
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    throw new HopFailure(previous, Date.now(), new RequestRefused(`the redirect location is not a valid URL: ${location}`));
  }
  const headers = { ...previous.headers };
  let { method, body } = previous;
  if ((statusCode === 303 && method !== 'HEAD') || ((statusCode === 301 || statusCode === 302) && method === 'POST')) {
    method = 'GET';
    body = undefined;
    delete headers['content-type'];
    delete headers['content-length'];
  }
  // Credentials were meant for the original host only, and never in clear after https.
  const downgraded = previous.url.protocol === 'https:' && url.protocol === 'http:';
  if (url.hostname !== previous.url.hostname || downgraded) {
    delete headers.authorization;
    delete headers.cookie;
  }
  url.username = '';
  url.password = '';
  return { method, url, headers, body };
}

function send(request: HttpRequest, verifySslCert: boolean, signal: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    // agent: false: a connection of its own, closed after the response, so nothing lingers in the worker.
    const options: RequestOptions = { method: request.method, headers: request.headers, signal, agent: false, rejectUnauthorized: verifySslCert };
    const onResponse = (response: IncomingMessage) => {
      readBody(decoded(response)).then(
        ({ body, truncated }) => resolve({ statusCode: response.statusCode ?? 0, headers: flatHeaders(response.headers), body, truncated }),
        reject,
      );
    };
    const outgoing = request.url.protocol === 'https:' ? sendHttps(request.url, options, onResponse) : sendHttp(request.url, options, onResponse);
    outgoing.once('error', reject);
    outgoing.end(request.body);
  });
}

/** Compressed bodies are decoded, as python-requests does. */
function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  return decoder ? pipeline(response, decoder, () => {}) : response;
}

/** Reads at most BODY_LIMIT bytes; a longer body is cut off and its connection closed. */
async function readBody(stream: Readable): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) return { body: Buffer.concat(chunks).subarray(0, BODY_LIMIT), truncated: true };
  }
  return { body: Buffer.concat(chunks), truncated: false };
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** StackStorm's result: the body is parsed when the response says it is JSON and it parses. */
function toResult(response: HttpResponse) {
  const text = response.body.toString('utf8');
  const json = isJson(response.headers['content-type']) && !response.truncated ? parseJson(text) : undefined;
  const body = json ? json.value : response.truncated ? `${text}\n[truncated: the response body exceeded ${BODY_LIMIT} bytes]` : text;
  return { status_code: response.statusCode, headers: response.headers, body, parsed: json !== undefined };
}

function isJson(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

function failed(error: unknown, plan: Plan, signal: AbortSignal, context: RunnerContext): ActionOutcome {
  const hop = error instanceof HopFailure ? error : new HopFailure(plan.request, Date.now(), error);
  const { url, method } = hop.request;
  let status: ActionOutcome['status'] = 'failed';
  let message: string;
  if (signal.aborted && signal.reason === 'timeout') {
    status = 'timeout';
    message = `request to ${url.host} timed out after ${plan.timeoutSeconds} s`;
  } else if (signal.aborted) {
    status = 'canceled';
    message = `request to ${url.host} canceled`;
  } else {
    message = hop.cause instanceof RequestRefused ? hop.cause.message : describeNetworkError(hop.cause, url, plan.verifySslCert);
  }
  context.output.append('stdout', `${method} ${url.href} -> ${message} (${Date.now() - hop.started} ms)\n`);
  return { status, result: { error: message } };
}

const TLS_ERROR = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME/;

function describeNetworkError(error: unknown, url: URL, verifySslCert: boolean): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const reason = `${message || code || String(error)}${code && message && !message.includes(code) ? ` (${code})` : ''}`;
  if (code === 'ECONNREFUSED') return `cannot connect to ${url.host}: connection refused (${code})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve host ${url.hostname} (${code})`;
  if (code === 'ECONNRESET') return `connection to ${url.host} was reset (${code})`;
  if (code && TLS_ERROR.test(code)) {
    const hint = verifySslCert ? '; set verify_ssl_cert to false to accept a certificate that cannot be verified' : '';
    return `TLS error with ${url.host}: ${reason}${hint}`;
  }
  return `request to ${url.host} failed: ${reason}`;
}
