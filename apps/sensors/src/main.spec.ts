import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRepoRoot } from '@tempest/config';
import { createTestDatabase, type TestDatabase } from '@tempest/testing';

// The compiled sensor container, as `npm start` and docker-compose run it.
const entry = join(findRepoRoot(), 'dist/apps/sensors/src/main.js');

function run(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const ready = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('sensor container ready')) resolve();
    });
  });
  createInterface({ input: child.stderr! }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, ready, exited };
}

describe('sensor container', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('reports ready with its database and stops cleanly on SIGTERM', async () => {
    const sut = run({ DATABASE_URL: database.url });
    await sut.ready;
    sut.child.kill('SIGTERM');
    expect(await sut.exited).toBe(0);
    expect(sut.lines.map((l) => JSON.parse(l).msg)).toEqual(['sensor container ready', 'sensor container stopped']);
  });

  it('fails at start-up naming a missing DATABASE_URL', async () => {
    const sut = run({});
    expect(await sut.exited).toBe(1);
    expect(sut.lines.join('\n')).toMatch(/DATABASE_URL: required/);
  });
});
