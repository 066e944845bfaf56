import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@tempest/config';
import { startTestPlatform, startTestSshd, type TestPlatform, type TestSshd } from '@tempest/testing';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface WebhookOutcome {
  trigger_instance_id: string;
  trace_tag: string;
  status: string;
  rule_enforcements: { rule_ref: string; status: string; execution_id?: string }[];
}

const repo = findRepoRoot();
const alertText = (name: string) => readFileSync(join(repo, 'packs/examples/alerts', name), 'utf8');

/** Percent of the filesystem's space in use, as df -P's Capacity column says. */
function diskUse(path: string): number {
  return Number(/ (\d+)% \//.exec(execFileSync('df', ['-P', path], { encoding: 'utf8' }))?.[1]);
}

/** The README's example alert about another host: every instance label says `instance`. */
function aboutHost(alert: Json, instance: string): Json {
  const labels = (set: Json) => ({ ...set, instance });
  return { ...alert, groupLabels: labels(alert.groupLabels), commonLabels: labels(alert.commonLabels), alerts: alert.alerts.map((a: Json) => ({ ...a, labels: labels(a.labels) })) };
}

// The README's "Try it" on the shipped packs: the compiled gateway and worker,
// Temporal and Postgres, the alerts in packs/examples/alerts posted as the
// README's curl posts them, the results read with the README's CLI commands,
// and a real sshd for the alerts about other hosts.
describe('packs/examples: remediation from an Alertmanager alert', () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-remediation-'));
  const scratch = join(root, 'scratch');
  let sshd: TestSshd;
  let platform: TestPlatform;

  beforeAll(async () => {
    sshd = await startTestSshd();
    for (const pack of ['core', 'examples']) cpSync(join(repo, 'packs', pack), join(root, 'packs', pack), { recursive: true });
    // How the README says to let the worker log in to other hosts.
    mkdirSync(join(root, 'configs'));
    writeFileSync(join(root, 'configs/examples.yaml'), `ssh_username: ${sshd.username}\nssh_private_key: ${sshd.key.file}\nssh_port: ${sshd.port}\ndisk_cleanup_dir: ${scratch}\n`);
    // The scratch folder the README's config names for examples.remediate_disk, on /tmp's filesystem.
    mkdirSync(scratch);
    // The worker checks the host's key, as an operator sets it up (TEMPEST_SSH_KNOWN_HOSTS).
    platform = await startTestPlatform({ root, env: { TEMPEST_SSH_KNOWN_HOSTS: sshd.knownHosts } });
  });
  afterAll(async () => {
    await platform?.stop();
    await sshd?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** `curl -H "X-Api-Key: $KEY" -H 'content-type: application/json' -d @alert.json .../webhooks/alertmanager` */
  async function postAlert(body: string): Promise<{ status: number; body: WebhookOutcome }> {
    const response = await fetch(`${platform.base}/api/v1/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'X-Api-Key': platform.keys.admin, 'content-type': 'application/json' },
      body,
    });
    return { status: response.status, body: (await response.json()) as WebhookOutcome };
  }

  /** `npx tempest ...`, with the key the README's commands find in .data/admin-api-key; its output. */
  async function tempest(...args: string[]): Promise<string> {
    const ran = await platform.tempest(args);
    if (ran.code !== 0) throw new Error(`tempest ${args.join(' ')}: exit ${ran.code}: ${ran.stderr}`);
    return ran.stdout;
  }

  const execution = async (id: string) => (await platform.api<Json>(`/executions/${id}`)).body;
  const tasksOf = async (id: string) => (await platform.api<Json[]>(`/executions/${id}/children`)).body;
  const finished = async (id: string) => {
    await platform.temporal.workflow.getHandle(id).result();
    return execution(id);
  };

  it('runs the remediation workflow for the critical disk alert about localhost: the diagnosis, then the branch the disk\'s use calls for; its trace links event, enforcement and workflow', async () => {
    const posted = await postAlert(alertText('disk-full-critical.json'));
    expect(posted.status).toBe(202);
    const { trigger_instance_id: instanceId, trace_tag: traceTag } = posted.body;
    expect(posted.body).toMatchObject({ status: 'processed', trace_tag: instanceId });
    expect(posted.body.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'examples.disk_alert_local', status: 'succeeded', execution_id: expect.any(String) })]);
    const id = posted.body.rule_enforcements[0].execution_id!;

    // Recorded before the answer, with its parameters taken from the alert.
    expect(await execution(id)).toMatchObject({ action: { ref: 'examples.remediate_disk' }, parameters: { host: 'localhost', mountpoint: '/tmp' } });
    const done = await finished(id);
    expect(done.context).toMatchObject({ user: 'stanley', source: 'rule', rule: 'examples.disk_alert_local', trigger_instance: instanceId, trace_tag: traceTag });
    const children = await tasksOf(id);
    const diagnosis = children[0];
    expect(diagnosis).toMatchObject({ action: { ref: 'examples.diagnose_disk' }, status: 'succeeded', context: { task: 'diagnose' }, parameters: { host: 'localhost', mountpoint: '/tmp' } });
    expect(diagnosis.result.stdout).toMatch(/^== \/tmp on \S+ \(the alert's host: localhost\)\nFilesystem /);
    expect(diagnosis.result.stdout).toMatch(/\n== largest folders under \/tmp \(this filesystem only, 2 levels down\)\n\s+[\d.]+[KMGT]\s+\/tmp\n/);
    // The branch follows the disk as the diagnosis found it, not the alert's word (96%).
    const output = done.result.output;
    expect(output).toMatchObject({ host: 'localhost', mountpoint: '/tmp', threshold: 90 });
    expect(Math.abs(output.used_before - diskUse('/tmp'))).toBeLessThanOrEqual(1);
    if (output.used_before < 90) {
      expect(done.status).toBe('succeeded');
      expect(output).toMatchObject({ remediation: 'nothing to do, below the threshold', used_after: null, cleaned: null });
      expect(children.map((c) => c.context.task)).toEqual(['diagnose', 'decide']);
    } else {
      expect(children.map((c) => c.context.task)).toEqual(['diagnose', 'decide', 'clean', 'verify', 'check']);
    }

    const trace = (await platform.api<Json>(`/traces/${traceTag}`)).body;
    expect(trace.trigger_instance_details[0]).toMatchObject({ id: instanceId, trigger: 'core.st2.webhook' });
    expect(trace.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'examples.disk_alert_local', trigger_instance_id: instanceId, execution_id: id })]);
    expect(trace.executions.map((e: Json) => e.id)).toContain(id);

    expect(await tempest('execution', 'list', '--action', 'examples.remediate_disk')).toMatch(new RegExp(`\\n${id}\\s+examples\\.remediate_disk\\s+${done.status}\\s+stanley\\s`));
    const traced = await tempest('trace', 'get', traceTag);
    expect(traced).toContain(`${instanceId}  core.st2.webhook  processed`);
    expect(traced).toContain(`examples.disk_alert_local (instance ${instanceId}) -> execution ${id}`);
    // The output as it was streamed: every byte, where the result lost its last line ending (as StackStorm's).
    expect(await tempest('execution', 'tail', diagnosis.id)).toBe(`${diagnosis.result.stdout}\n`);
  });

  it('prints the workflow\'s report with `tempest run`: below the threshold, nothing is cleaned', async () => {
    writeFileSync(join(scratch, 'kept.log'), 'kept\n');
    const printed = await tempest('run', 'examples.remediate_disk', 'mountpoint=/tmp', 'threshold=100');
    expect(printed).toMatch(/^output:\n {2}cleaned: null\n {2}host: localhost\n {2}mountpoint: \/tmp\n {2}remediation: nothing to do, below the threshold\n {2}threshold: 100\n {2}used_after: null\n {2}used_before: \d+\n/);
    expect(printed).toMatch(/\ndiagnose\s+examples\.diagnose_disk\s+succeeded\s+\S+\ndecide\s+core\.noop\s+succeeded\s+\S+\n?$/);
    expect(readdirSync(scratch)).toEqual(['kept.log']);
  });

  it('cleans the scratch folder the pack config names once the filesystem is at the threshold, verifies, and fails while it is still there', async () => {
    mkdirSync(join(scratch, 'build'), { recursive: true });
    writeFileSync(join(scratch, 'build', 'core.dump'), 'x'.repeat(64 * 1024));
    writeFileSync(join(scratch, 'old.log'), 'old\n');
    const done = await platform.run('examples.remediate_disk', { mountpoint: '/tmp', threshold: 0 });
    expect(done.status).toBe('failed');
    const children = await tasksOf(done.id);
    expect(children.map((c) => [c.context.task, c.status])).toEqual([['diagnose', 'succeeded'], ['decide', 'succeeded'], ['clean', 'succeeded'], ['verify', 'succeeded'], ['check', 'succeeded']]);
    expect(children[2].parameters).toEqual(expect.objectContaining({ path: scratch, mountpoint: '/tmp', older_than_minutes: 0 }));
    expect(children[2].result.stdout).toContain(`${join(scratch, 'build', 'core.dump')}\n`);
    expect(readdirSync(scratch)).toEqual([]);
    expect((done.result as unknown as Json).output).toMatchObject({
      threshold: 0,
      used_before: expect.any(Number),
      used_after: expect.any(Number),
      remediation: `cleaned ${scratch}, but the filesystem is still at or above the threshold`,
      cleaned: expect.stringMatching(new RegExp(`^freed \\d+ KiB in ${scratch}$`)),
    });
  });

  it('fails without cleaning when the filesystem is full and no folder is named, or the folder is not there', async () => {
    const unnamed = await platform.run('examples.remediate_disk', { mountpoint: '/tmp', threshold: 0, cleanup_dir: '' });
    expect(unnamed.status).toBe('failed');
    expect((unnamed.result as unknown as Json).output).toMatchObject({ remediation: 'none, no cleanup folder is configured (disk_cleanup_dir)', used_after: null });
    expect((await tasksOf(unnamed.id)).map((c) => c.context.task)).toEqual(['diagnose', 'decide']);

    const missing = await platform.run('examples.remediate_disk', { mountpoint: '/tmp', threshold: 0, cleanup_dir: join(root, 'no-such-folder') });
    expect(missing.status).toBe('failed');
    const clean = (await tasksOf(missing.id)).find((c) => c.context.task === 'clean');
    expect(clean).toMatchObject({ status: 'failed', result: { stderr: `clean_dir: no folder ${join(root, 'no-such-folder')} on ${hostname()}` } });
  });

  it('records a warning alert, a resolved one, one about several hosts, one not about a disk and one naming no single host, and runs nothing', async () => {
    const critical = JSON.parse(alertText('disk-full-critical.json')) as Json;
    const resolved = { ...critical, status: 'resolved', alerts: critical.alerts.map((a: Json) => ({ ...a, status: 'resolved', endsAt: '2025-06-02T08:45:30.000Z' })) };
    const { instance: _, ...sharedLabels } = critical.commonLabels;
    const severalHosts = { ...critical, commonLabels: sharedLabels };
    const notDisk = { ...critical, commonLabels: { ...critical.commonLabels, alertname: 'HighLoad' } };
    const notOneHost = aboutHost(critical, 'web-1,db-1:9100');
    const before = (await platform.api<Json[]>('/executions?limit=100')).body.length;
    const recorded: string[] = [];

    for (const body of [alertText('disk-full-warning.json'), JSON.stringify(resolved), JSON.stringify(severalHosts), JSON.stringify(notDisk), JSON.stringify(notOneHost)]) {
      const posted = await postAlert(body);
      expect(posted.status).toBe(202);
      expect(posted.body).toMatchObject({ status: 'processed', rule_enforcements: [] });
      const instance = (await platform.api<Json>(`/triggerinstances/${posted.body.trigger_instance_id}`)).body;
      expect(instance).toMatchObject({ trigger: 'core.st2.webhook', status: 'processed', payload: { body: JSON.parse(body) } });
      expect((await platform.api<Json[]>(`/ruleenforcements?trigger_instance=${posted.body.trigger_instance_id}`)).body).toEqual([]);
      recorded.push(posted.body.trigger_instance_id);
    }
    const listed = await tempest('triggerinstance', 'list', '--trigger', 'core.st2.webhook');
    for (const id of recorded) expect(listed).toMatch(new RegExp(`\\n${id}\\s+core\\.st2\\.webhook\\s+processed\\s`));
    expect((await platform.api<Json[]>('/executions?limit=100')).body).toHaveLength(before);
  });

  it('runs the diagnostic over SSH on any other host, logging in as the pack config says, and fails naming a host it cannot reach', async () => {
    const alert = aboutHost(JSON.parse(alertText('disk-full-critical.json')), `${sshd.host}:9100`);
    const posted = await postAlert(JSON.stringify(alert));
    expect(posted.status).toBe(202);
    expect(posted.body.rule_enforcements).toEqual([expect.objectContaining({ rule_ref: 'examples.disk_alert_remote', status: 'succeeded', execution_id: expect.any(String) })]);

    const done = await finished(posted.body.rule_enforcements[0].execution_id!);
    expect(done).toMatchObject({
      action: { ref: 'examples.diagnose_disk_remote' },
      status: 'succeeded',
      parameters: { hosts: sshd.host, mountpoint: '/tmp', username: sshd.username, port: sshd.port, private_key: '********' },
    });
    expect(done.result[sshd.host]).toMatchObject({ succeeded: true, return_code: 0 });
    expect(done.result[sshd.host].stdout).toMatch(/^== \/tmp on \S+\nFilesystem [^]*\n== largest folders under \/tmp /);
    expect(sshd.lines.join('\n')).toContain(`Accepted publickey for ${sshd.username}`);

    // A host the worker cannot reach: the execution fails, naming it and why.
    const unreachable = await postAlert(JSON.stringify(aboutHost(alert, '127.0.0.2:9100')));
    const failed = await finished(unreachable.body.rule_enforcements[0].execution_id!);
    expect(failed).toMatchObject({ status: 'failed', parameters: { hosts: '127.0.0.2' } });
    expect(failed.result['127.0.0.2'].error).toMatch(/^ssh to 127\.0\.0\.2:\d+ as \S+: cannot connect \(connect ECONNREFUSED/);
  });
});
