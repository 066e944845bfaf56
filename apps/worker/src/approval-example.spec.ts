import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const repo = findRepoRoot();

// The README's approval example on the shipped packs: examples.remediate_disk_approved
// asks on-call (core.ask, route oncall), the rule examples.page_oncall posts the question
// to the on-call webhook, and the answer given with the CLI decides what happens.
describe('packs/examples: remediation that asks on-call first', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-approval-'));
  const scratch = join(root, 'scratch');
  const pages: Json[] = [];
  let oncall: Server;
  let platform: TestPlatform;

  beforeAll(async () => {
    for (const pack of ['core', 'examples']) cpSync(join(repo, 'packs', pack), join(root, 'packs', pack), { recursive: true });
    mkdirSync(join(root, 'configs'));
    writeFileSync(join(root, 'configs/examples.yaml'), `disk_cleanup_dir: ${scratch}\n`);
    mkdirSync(scratch);
    // The on-call service's webhook (Slack, PagerDuty...): it keeps what it is sent.
    oncall = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        pages.push({ path: request.url, type: request.headers['content-type'], body: JSON.parse(body) });
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => oncall.listen(0, '127.0.0.1', resolve));
    platform = await startTestPlatform({ root });
    const url = `http://127.0.0.1:${(oncall.address() as { port: number }).port}/page`;
    expect((await platform.tempest(['key', 'set', 'examples.oncall_webhook_url', url])).code).toBe(0);
  });
  afterAll(async () => {
    await platform?.stop();
    oncall?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts the workflow at threshold 0 (so the disk is "full"), and answers its question once on-call was paged. */
  async function runAnswering(answer: Json): Promise<{ done: Json; inquiry: Json; page: Json }> {
    const started = await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'examples.remediate_disk_approved', parameters: { mountpoint: '/tmp', threshold: 0 } }) });
    expect(started.status).toBe(201);
    const inquiry = await eventually(async () => (await platform.api<Json[]>('/inquiries')).body.find((i) => i.parent === started.body.id), 'the workflow to ask', 20_000);
    const page = await eventually(() => pages.find((p) => p.body.inquiry_id === inquiry.id), 'on-call to be paged', 20_000);
    const answered = await platform.tempest(['inquiry', 'respond', inquiry.id, '-r', JSON.stringify(answer)]);
    expect(answered).toMatchObject({ code: 0, stdout: `Response accepted for inquiry ${inquiry.id}.\n` });
    await platform.temporal.workflow.getHandle(started.body.id).result().catch(() => undefined);
    return { done: (await platform.api<Json>(`/executions/${started.body.id}`)).body, inquiry, page };
  }

  it('pages on-call with the question and how to answer it, and deletes nothing when on-call declines', async () => {
    writeFileSync(join(scratch, 'keep.log'), 'keep\n');
    const { done, inquiry, page } = await runAnswering({ approve: false, note: 'not during the release' });
    expect(page).toEqual({
      path: '/page',
      type: 'application/json',
      body: { inquiry_id: inquiry.id, text: `Tempest asks for approval: inquiry ${inquiry.id}. Answer with: tempest inquiry respond ${inquiry.id} -r '{"approve": true}'` },
    });
    expect(inquiry).toMatchObject({ route: 'oncall', ttl: 30, schema: { properties: { approve: { type: 'boolean', required: true } } } });
    expect(done).toMatchObject({ status: 'succeeded', result: { output: { remediation: 'none, declined by on-call', note: 'not during the release', used_after: null } } });
    expect(existsSync(join(scratch, 'keep.log'))).toBe(true);
  });

  it('remediates and verifies once on-call approves', async () => {
    writeFileSync(join(scratch, 'core.dump'), 'x'.repeat(64 * 1024));
    const { done } = await runAnswering({ approve: true, note: 'go' });
    // At threshold 0 the filesystem is still "full" after cleaning: the verification fails the workflow, as it should.
    expect(done).toMatchObject({ status: 'failed', result: { output: { note: 'go', remediation: `cleaned ${scratch}, but the filesystem is still at or above the threshold`, used_after: expect.any(Number) } } });
    expect(existsSync(join(scratch, 'core.dump'))).toBe(false);
    const tasks = (await platform.api<Json[]>(`/executions/${done.id}/children?depth=1`)).body;
    expect(tasks.map((t) => [t.context.task, t.action.ref, t.status])).toEqual([
      ['diagnose', 'examples.diagnose_disk', 'succeeded'],
      ['decide', 'core.noop', 'succeeded'],
      ['ask', 'core.ask', 'succeeded'],
      ['remediate', 'examples.remediate_disk', 'failed'],
    ]);
  });
});
