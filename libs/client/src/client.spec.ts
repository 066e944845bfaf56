import { createServer, type IncomingMessage, type Server } from 'node:http';
import { freePort } from '@tempest/testing';
import { ApiError, TempestClient } from './client';

describe(TempestClient.name, () => {
  let server: Server;
  let base: string;
  let received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[];
  let answer: { status: number; body: unknown };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ method: request.method, url: request.url, headers: request.headers, body });
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  beforeEach(() => {
    received = [];
    answer = { status: 200, body: [] };
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sut = () => new TempestClient({ baseUrl: `${base}/`, apiKey: 'tpst_key', clientName: 'cli' });

  it('sends the API key, the client name and the query', async () => {
    await sut().listExecutions({ action: 'core.local', limit: 5 });
    expect(received[0]).toMatchObject({ method: 'GET', url: '/api/v1/executions?action=core.local&limit=5' });
    expect(received[0].headers).toMatchObject({ 'x-api-key': 'tpst_key', 'x-tempest-client': 'cli' });
  });

  it('sends bodies as JSON and escapes path parts', async () => {
    answer = { status: 201, body: { id: 'e1' } };
    expect(await sut().run('core.local', { cmd: 'uptime' })).toEqual({ id: 'e1' });
    await sut().getAction('a/b');
    expect(received[0]).toMatchObject({ method: 'POST', body: '{"action":"core.local","parameters":{"cmd":"uptime"}}' });
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(received[1].url).toBe('/api/v1/actions/a%2Fb');
  });

  it('turns an error answer into an ApiError carrying every message', async () => {
    answer = { status: 400, body: { statusCode: 400, message: ['parameter a: required', 'parameter b: unknown parameter'] } };
    await expect(sut().run('x.y', {})).rejects.toEqual(new ApiError(400, ['parameter a: required', 'parameter b: unknown parameter']));
  });

  it('says which gateway it cannot reach', async () => {
    const unreachable = new TempestClient({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    await expect(unreachable.health()).rejects.toThrow(/^cannot reach Tempest at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/);
  });
});
