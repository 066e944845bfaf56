import { createServer } from 'node:net';
import { LaunchError } from './console';

export interface PortClaim {
  port: number;
  /** What needs the port, e.g. "the gateway". */
  what: string;
  /** The variable that moves it, e.g. TEMPEST_GATEWAY_PORT. */
  variable: string;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Fails before anything starts, naming every taken port and how to move it. */
export async function assertPortsFree(claims: PortClaim[]): Promise<void> {
  const taken: string[] = [];
  for (const claim of claims) {
    if (!(await isFree(claim.port))) taken.push(`port ${claim.port} (${claim.what}) is already in use: stop whatever holds it or set ${claim.variable}`);
  }
  if (taken.length > 0) throw new LaunchError(taken.join('\n'));
}
