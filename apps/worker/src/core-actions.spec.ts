import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { eventually, startTestPlatform, type TestPlatform } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// StackStorm's core actions Tempest's core pack ships, run as StackStorm users call them.
describe('core pack: uuid, error, inject_trigger, sendmail', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-core-actions-'));
  let platform: TestPlatform;

  beforeAll(async () => {
    cpSync(join(findRepoRoot(), 'packs', 'core'), join(root, 'packs', 'core'), { recursive: true });
    platform = await startTestPlatform({ root });
  });
  afterAll(async () => {
    await platform?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('core.uuid makes a uuid4 by default, and a uuid1 when asked', async () => {
    const v4 = await platform.run('core.uuid');
    expect(v4).toMatchObject({ status: 'succeeded', result: { result: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) } });
    const v1 = await platform.run('core.uuid', { uuid_type: 'uuid1' });
    expect(v1).toMatchObject({ status: 'succeeded', result: { result: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/) } });
    expect((await platform.api<Json>('/executions', { method: 'POST', body: JSON.stringify({ action: 'core.uuid', parameters: { uuid_type: 'uuid7' } }) })).status).toBe(400);
  });

  it('core.error writes the message to stderr, quoted as a value, never run', async () => {
    const done = await platform.run('core.error', { message: 'disk full; $(touch /tmp/tempest-pwned)' });
    expect(done).toMatchObject({ status: 'succeeded', result: { stdout: '', stderr: 'disk full; $(touch /tmp/tempest-pwned)' } });
  });

  it('core.inject_trigger dispatches a trigger with its payload and trace tag, acting with the run\'s own token', async () => {
    const done = await platform.run('core.inject_trigger', { trigger: 'core.st2.webhook', payload: { headers: {}, body: { from: 'inject' } }, trace_tag: 'injected-1' });
    expect(done).toMatchObject({ status: 'succeeded', result: { result: { trace_tag: 'injected-1', trigger_instance_id: expect.any(String) } } });
    const instance = await eventually(async () => (await platform.api<Json[]>('/triggerinstances?trigger=core.st2.webhook')).body.find((i) => i.trace_tag === 'injected-1'), 'the injected trigger instance', 10_000);
    expect(instance.payload).toEqual({ headers: {}, body: { from: 'inject' } });

    const both = await platform.run('core.inject_trigger', { trigger: 'core.st2.webhook', trigger_name: 'core.st2.webhook' });
    expect(both.status).toBe('failed');
    expect(JSON.stringify(both.result)).toContain('Parameters `trigger` and `trigger_name` are mutually exclusive.');
  });

  it('core.sendmail pipes one message to sendmail -t: headers, UTF-8 subject, the body as its content type, attachments', async () => {
    // The host's MTA, as sendmail -t meets it: what it is given is kept (no mail server here).
    const mta = join(root, 'sendmail');
    const inbox = join(root, 'inbox.eml');
    writeFileSync(mta, `#!/bin/sh\n[ "$1" = "-t" ] || { echo "expected -t, got $*" >&2; exit 64; }\ncat > ${inbox}\n`);
    chmodSync(mta, 0o755);
    const attachment = join(root, 'report.txt');
    writeFileSync(attachment, 'disk /var at 97%\n');
    const done = await platform.run('core.sendmail', { sendmail_binary: mta, from: 'ops@example.com', to: 'oncall@example.com', subject: 'Disk full — /var', body: '<b>97%</b>', attachments: attachment });
    expect(done).toMatchObject({ status: 'succeeded', result: { result: { sent: true, to: 'oncall@example.com' } } });
    const sent = readFileSync(inbox, 'utf8');
    expect(sent).toMatch(/^To: oncall@example\.com$/m);
    expect(sent).toMatch(/^From: ops@example\.com$/m);
    expect(sent).toMatch(/^Subject: .*=\?utf-8\?[qb]\?/im);
    expect(sent).toMatch(/Content-Type: text\/html; charset="utf-8"/);
    expect(sent).toContain('Content-Disposition: attachment; filename="report.txt"');

    const failing = await platform.run('core.sendmail', { sendmail_binary: '/bin/false', to: 'a@example.com', subject: 's', body: 'b' });
    expect(failing.status).toBe('failed');
    expect(JSON.stringify(failing.result)).toContain('/bin/false exited 1');
  });
});
