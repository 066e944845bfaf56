import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputChunk } from '@tempest/db';
import { httpRequest } from './http-request.runner';
import { OutputSink } from './output-sink';
import type { RunnerContext } from './runner';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: Received, response: ServerResponse) => void;

interface TestServer {
  url: string;
  port: number;
  received: Received[];
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on 127.0.0.1 that records every request it receives, body included, before handling it. */
async function serve(handler: Handler, tls?: { key: Buffer; cert: Buffer }): Promise<TestServer> {
  const received: Received[] = [];
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      handler(entry, response);
    });
  };
  const server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, port, received };
}

function json(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(value));
}

async function run(parameters: Record<string, unknown>, controller = new AbortController()) {
  const chunks: OutputChunk[] = [];
  const output = new OutputSink(async (batch) => {
    chunks.push(...batch);
  });
  const context: RunnerContext = {
    executionId: 'exec-1',
    pack: 'core',
    parameters,
    output,
    signal: controller.signal,
    heartbeat: () => {},
    actionEnv: {},
    actionParameters: {},
    packsDir: '',
  };
  const outcome = await httpRequest(context);
  await output.close();
  return { ...outcome, output: chunks.map((chunk) => chunk.data).join('') };
}

describe('httpRequest', () => {
  it('GETs JSON and returns the parsed body, the status code and lower-case headers', async () => {
    const server = await serve((_request, response) => json(response, 200, { hello: 'world' }, { 'X-Trace': 'abc' }));

    const outcome = await run({ url: `${server.url}/things?id=1` });

    expect(outcome.status).toBe('succeeded');
    expect(outcome.result).toMatchObject({ status_code: 200, body: { hello: 'world' }, parsed: true, headers: { 'x-trace': 'abc' } });
    expect(server.received).toMatchObject([{ method: 'GET', url: '/things?id=1' }]);
    expect(outcome.output).toMatch(new RegExp(`^GET ${server.url}/things\\?id=1 -> 200 \\(\\d+ ms\\)\\n$`));
  });

  it('returns the text of a body that is not JSON, unparsed', async () => {
    const server = await serve((_request, response) => response.writeHead(200, { 'Content-Type': 'text/plain' }).end('{"looks": "like json"}'));

    const outcome = await run({ url: server.url });

    expect(outcome.result).toMatchObject({ body: '{"looks": "like json"}', parsed: false });
  });

  it('sends an object body as JSON', async () => {
    const server = await serve((_request, response) => json(response, 201, { id: 7 }));

    const outcome = await run({ url: server.url, method: 'post', body: { name: 'x', tags: [1, 2] } });

    expect(outcome).toMatchObject({ status: 'succeeded', result: { status_code: 201, body: { id: 7 } } });
    expect(server.received[0].method).toBe('POST');
    expect(server.received[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.received[0].body)).toEqual({ name: 'x', tags: [1, 2] });
  });

  it('sends a string body verbatim, with the caller’s content type, headers and cookies', async () => {
    const server = await serve((_request, response) => response.writeHead(204).end());

    const outcome = await run({
      url: server.url,
      method: 'PUT',
      body: 'a=1&b={"not": "parsed"}',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Api-Version': 3 },
      cookies: { session: 'abc', theme: 'dark' },
    });

    expect(outcome).toMatchObject({ status: 'succeeded', result: { status_code: 204, body: '', parsed: false } });
    expect(server.received[0]).toMatchObject({
      method: 'PUT',
      body: 'a=1&b={"not": "parsed"}',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-api-version': '3', cookie: 'session=abc; theme=dark' },
    });
  });

  it('sends basic auth, and the password appears neither in the result nor in the output', async () => {
    const server = await serve((_request, response) => json(response, 200, { ok: true }));

    const outcome = await run({ url: server.url, username: 'alice', password: 's3cr3t-pw' });

    const expected = `Basic ${Buffer.from('alice:s3cr3t-pw').toString('base64')}`;
    expect(server.received[0].headers.authorization).toBe(expected);
    expect(outcome.status).toBe('succeeded');
    const everything = JSON.stringify(outcome);
    expect(everything).not.toContain('s3cr3t-pw');
    expect(everything).not.toContain(expected.slice('Basic '.length));
    expect(everything).not.toMatch(/authorization/i);
  });

  it('uses credentials given in the URL and keeps them out of the output', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));

    const outcome = await run({ url: server.url.replace('http://', 'http://bob:url-secret@') });

    expect(server.received[0].headers.authorization).toBe(`Basic ${Buffer.from('bob:url-secret').toString('base64')}`);
    expect(JSON.stringify(outcome)).not.toContain('url-secret');
    expect(outcome.output).toContain(`GET ${server.url}/ -> 200`);
  });

  it('fails on a 4xx response and still returns it', async () => {
    const server = await serve((_request, response) => json(response, 404, { error: 'no such thing' }));

    const outcome = await run({ url: `${server.url}/missing` });

    expect(outcome).toMatchObject({ status: 'failed', result: { status_code: 404, body: { error: 'no such thing' }, parsed: true } });
  });

  it('fails with a clear error naming the host when the connection is refused', async () => {
    const server = await serve(() => {});
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));

    const outcome = await run({ url: server.url });

    expect(outcome).toEqual({
      status: 'failed',
      result: { error: `cannot connect to 127.0.0.1:${server.port}: connection refused (ECONNREFUSED)` },
      output: expect.stringContaining(`GET ${server.url}/ -> cannot connect to 127.0.0.1:${server.port}`),
    });
  });

  it('fails with a clear error for an invalid URL, without sending anything', async () => {
    const outcome = await run({ url: 'not a url' });

    expect(outcome).toMatchObject({ status: 'failed', result: { error: 'url is not a valid absolute URL' } });
  });

  it('times out when the server never answers', async () => {
    const server = await serve(() => {});

    const outcome = await run({ url: server.url, timeout: 1 });

    expect(outcome).toMatchObject({ status: 'timeout', result: { error: `request to 127.0.0.1:${server.port} timed out after 1 s` } });
    expect(server.received).toHaveLength(1);
  });

  it('is canceled through the context signal while waiting for the response', async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort());

    const outcome = await run({ url: server.url }, controller);

    expect(outcome).toMatchObject({ status: 'canceled', result: { error: `request to 127.0.0.1:${server.port} canceled` } });
  });

  it('returns a redirect as the result by default', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/old') response.writeHead(302, { Location: '/new' }).end();
      else json(response, 200, { at: request.url });
    });

    const outcome = await run({ url: `${server.url}/old` });

    expect(outcome).toMatchObject({ status: 'failed', result: { status_code: 302, headers: { location: '/new' } } });
    expect(server.received.map((request) => request.url)).toEqual(['/old']);
  });

  it('follows redirects with allow_redirects, a POST becoming a GET after a 302', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/old') response.writeHead(302, { Location: '/new' }).end();
      else json(response, 200, { at: request.url });
    });

    const outcome = await run({ url: `${server.url}/old`, method: 'POST', body: { a: 1 }, allow_redirects: true });

    expect(outcome).toMatchObject({ status: 'succeeded', result: { status_code: 200, body: { at: '/new' } } });
    expect(server.received.map((request) => `${request.method} ${request.url} ${request.body}`)).toEqual(['POST /old {"a":1}', 'GET /new ']);
    expect(outcome.output).toContain(`POST ${server.url}/old -> 302`);
    expect(outcome.output).toContain(`GET ${server.url}/new -> 200`);
  });

  it('stops following redirects after ten', async () => {
    const loop = await serve((request, response) => response.writeHead(307, { Location: `${request.url}x` }).end());

    const outcome = await run({ url: `${loop.url}/`, allow_redirects: true });

    expect(outcome).toMatchObject({ status: 'failed', result: { error: expect.stringMatching(/^more than 10 redirects/) } });
    expect(loop.received).toHaveLength(11);
  });

  it('refuses a host missing from url_hosts_allowlist without sending the request', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));

    const outcome = await run({ url: server.url, url_hosts_allowlist: ['example.com'] });

    expect(outcome).toMatchObject({ status: 'failed', result: { error: 'host "127.0.0.1" is not in url_hosts_allowlist; the request was not sent' } });
    expect(server.received).toHaveLength(0);
  });

  it('requests a host that is in url_hosts_allowlist', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));

    const outcome = await run({ url: server.url, url_hosts_allowlist: ['example.com', '127.0.0.1'] });

    expect(outcome.status).toBe('succeeded');
    expect(server.received).toHaveLength(1);
  });

  it('refuses a host in url_hosts_blocklist, comparing names case-insensitively', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));

    const outcome = await run({ url: `http://LocalHost:${server.port}/`, url_hosts_blocklist: ['LOCALHOST'] });

    expect(outcome).toMatchObject({ status: 'failed', result: { error: 'host "localhost" is in url_hosts_blocklist; the request was not sent' } });
    expect(server.received).toHaveLength(0);
  });

  it('checks every redirect against the host lists', async () => {
    const target = await serve((_request, response) => json(response, 200, {}));
    const origin = await serve((_request, response) => response.writeHead(301, { Location: `http://localhost:${target.port}/` }).end());

    const outcome = await run({ url: origin.url, allow_redirects: true, url_hosts_blocklist: ['localhost'] });

    expect(outcome).toMatchObject({ status: 'failed', result: { error: 'host "localhost" is in url_hosts_blocklist; the request was not sent' } });
    expect(origin.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('fails when both url_hosts_allowlist and url_hosts_blocklist are given', async () => {
    const server = await serve((_request, response) => json(response, 200, {}));

    const outcome = await run({ url: server.url, url_hosts_allowlist: ['127.0.0.1'], url_hosts_blocklist: ['example.com'] });

    expect(outcome).toMatchObject({ status: 'failed', result: { error: expect.stringContaining('mutually exclusive') } });
    expect(server.received).toHaveLength(0);
  });

  it('keeps at most 1 MiB of the body and says it was truncated', async () => {
    const server = await serve((_request, response) => response.writeHead(200, { 'Content-Type': 'text/plain' }).end('x'.repeat(1024 * 1024 + 10)));

    const outcome = await run({ url: server.url });

    const body = (outcome.result as { body: string }).body;
    expect(body.startsWith('x'.repeat(1024 * 1024) + '\n[truncated')).toBe(true);
    expect(outcome.output).toContain('body truncated');
  });

  describe('over https with a self-signed certificate', () => {
    let tls: { key: Buffer; cert: Buffer };

    beforeAll(() => {
      const dir = mkdtempSync(join(tmpdir(), 'http-runner-'));
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(dir, 'k'), '-out', join(dir, 'c')], { stdio: 'ignore' });
        tls = { key: readFileSync(join(dir, 'k')), cert: readFileSync(join(dir, 'c')) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fails with a TLS error naming the host when the certificate is verified', async () => {
      const server = await serve((_request, response) => json(response, 200, { secure: true }), tls);

      const outcome = await run({ url: server.url });

      expect(outcome).toMatchObject({ status: 'failed', result: { error: expect.stringMatching(new RegExp(`^TLS error with 127\\.0\\.0\\.1:${server.port}: self[- ]signed certificate`)) } });
      expect(server.received).toHaveLength(0);
    });

    it('accepts the certificate with verify_ssl_cert false', async () => {
      const server = await serve((_request, response) => json(response, 200, { secure: true }), tls);

      const outcome = await run({ url: server.url, verify_ssl_cert: false });

      expect(outcome).toMatchObject({ status: 'succeeded', result: { status_code: 200, body: { secure: true } } });
    });
  });
});
