import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// core.announcement (StackStorm's announcement runner) on the compiled gateway and worker: what it publishes reaches the event stream.
describe('core.announcement', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-announcement-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs/core'), join(root, 'packs/core'), { recursive: true });
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('emits st2.announcement__<route> on the stream with the action\'s parameters as payload, as StackStorm\'s runner', async () => {
    const abort = new AbortController();
    const response = await fetch(`${platform.base}/stream/v1/stream?events=st2.announcement__*`, { headers: { 'St2-Api-Key': platform.keys.admin }, signal: abort.signal });
    expect(response.status).toBe(200);
    let text = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const bytes of response.body!) text += decoder.decode(bytes, { stream: true });
    })().catch(() => undefined);
    try {
      const message = { text: 'deploying 1.4.2', by: 'ops' };
      const execution = await platform.run('core.announcement', { message, route: 'deploys' });
      expect(execution.status).toBe('succeeded');
      expect(execution.result).toEqual({ output: { message }, message });
      await eventually(() => text.includes('event: st2.announcement__deploys'), 'the announcement on the stream');
      const data = text.split('\n').find((_, i, lines) => lines[i - 1] === 'event: st2.announcement__deploys')!;
      expect(JSON.parse(data.slice('data: '.length)) as Json).toEqual({ payload: { message }, trace_context: null });
    } finally {
      abort.abort();
      await reading;
    }
  });
});
