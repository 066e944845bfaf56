import { createServer, type Server } from 'node:net';
import { assertPortsFree } from './ports';

function occupy(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe(assertPortsFree.name, () => {
  it('passes when every port is free', async () => {
    const server = await occupy();
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    await expect(assertPortsFree([{ port, what: 'the gateway', variable: 'TEMPEST_GATEWAY_PORT' }])).resolves.toBeUndefined();
  });

  it('names each taken port, what needs it and the variable that moves it', async () => {
    const server = await occupy();
    const { port } = server.address() as { port: number };
    try {
      await expect(assertPortsFree([{ port, what: 'the gateway', variable: 'TEMPEST_GATEWAY_PORT' }])).rejects.toThrow(
        `port ${port} (the gateway) is already in use: stop whatever holds it or set TEMPEST_GATEWAY_PORT`,
      );
    } finally {
      server.close();
    }
  });
});
