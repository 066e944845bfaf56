import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { registerPack } from '@tempest/packs';
import { captureLogs, createTestDatabase, testConfig, type TestDatabase } from '@tempest/testing';
import { createGatewayApp } from '../app';
import { PolicyController } from './policy.controller';

const ADMIN_KEY = 'tpst_test-admin-key-policies-0123456789';

/** A pack with one action and two policies on it, one of them disabled. */
function writePolicyPack(root: string): string {
  const dir = join(root, 'packs', 'guarded');
  mkdirSync(join(dir, 'actions'), { recursive: true });
  mkdirSync(join(dir, 'policies'), { recursive: true });
  writeFileSync(join(dir, 'pack.yaml'), 'ref: guarded\nname: guarded\ndescription: Policies on an action\nversion: 0.1.0\nauthor: Tempest\n');
  writeFileSync(join(dir, 'actions', 'deploy.yaml'), "name: deploy\nrunner_type: local-shell-cmd\nentry_point: ''\nparameters:\n  cmd:\n    type: string\n    default: echo deploy\n");
  writeFileSync(join(dir, 'policies', 'deploy_retry.yaml'), 'name: deploy.retry\ndescription: Retry the deploy on timeout.\nresource_ref: guarded.deploy\npolicy_type: action.retry\nparameters:\n  retry_on: timeout\n  max_retry_count: 2\n');
  writeFileSync(join(dir, 'policies', 'deploy_concurrency.yaml'), 'name: deploy.concurrency\nenabled: false\nresource_ref: guarded.deploy\npolicy_type: action.concurrency\nparameters:\n  threshold: 1\n');
  return dir;
}

describe(PolicyController.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-policies-'));
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let base: string;

  async function call(path: string): Promise<{ status: number; headers: Headers; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await fetch(`${base}${path}`, { headers: { 'X-Api-Key': ADMIN_KEY } });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    expect(await registerPack(database.db, writePolicyPack(root), root)).toMatchObject({ ref: 'guarded' });
    app = await createGatewayApp(testConfig({ DATABASE_URL: database.url, TEMPEST_ADMIN_API_KEY: ADMIN_KEY }), captureLogs('gateway').logger);
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/api/v1`;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    rmSync(root, { recursive: true, force: true });
  });

  const retry = {
    id: 'guarded.deploy.retry',
    uid: 'policy:guarded:deploy.retry',
    ref: 'guarded.deploy.retry',
    name: 'deploy.retry',
    pack: 'guarded',
    description: 'Retry the deploy on timeout.',
    enabled: true,
    resource_ref: 'guarded.deploy',
    policy_type: 'action.retry',
    parameters: { retry_on: 'timeout', max_retry_count: 2 },
    metadata_file: 'policies/deploy_retry.yaml',
  };

  it("lists a pack's policies, disabled ones too, in StackStorm's shape", async () => {
    const { status, headers, body } = await call('/policies/?pack=guarded');
    expect(status).toBe(200);
    expect(headers.get('x-total-count')).toBe('2');
    expect(body).toEqual([{ ...retry, id: 'guarded.deploy.concurrency', uid: 'policy:guarded:deploy.concurrency', ref: 'guarded.deploy.concurrency', name: 'deploy.concurrency', description: '', enabled: false, policy_type: 'action.concurrency', parameters: { threshold: 1 }, metadata_file: 'policies/deploy_concurrency.yaml' }, retry]);
  });

  it('filters by resource_ref and policy_type, pages with limit and offset, and shapes with include_attributes', async () => {
    expect((await call('/policies?resource_ref=guarded.deploy&policy_type=action.retry')).body).toEqual([retry]);
    expect((await call('/policies?resource_ref=core.local')).body).toEqual([]);
    const page = await call('/policies?limit=1&offset=1');
    expect(page.body).toEqual([retry]);
    expect(page.headers.get('x-limit')).toBe('1');
    expect(page.headers.get('x-total-count')).toBe('2');
    expect((await call('/policies?pack=guarded&include_attributes=policy_type')).body).toEqual([
      { id: 'guarded.deploy.concurrency', uid: 'policy:guarded:deploy.concurrency', ref: 'guarded.deploy.concurrency', policy_type: 'action.concurrency' },
      { id: retry.id, uid: retry.uid, ref: retry.ref, policy_type: 'action.retry' },
    ]);
  });

  it('gets one policy by ref (its id), and answers 404 naming an unknown one', async () => {
    expect(await call('/policies/guarded.deploy.retry')).toMatchObject({ status: 200, body: retry });
    expect(await call('/policies/guarded.nope')).toMatchObject({ status: 404, body: { message: 'no policy "guarded.nope"' } });
  });

  it('answers 400 naming an unknown filter', async () => {
    expect(await call('/policies?resource=guarded.deploy')).toMatchObject({ status: 400, body: { message: ['property resource should not exist'] } });
  });

  it('lists and gets the policy types Tempest applies, with their parameters described as StackStorm does', async () => {
    const { status, body } = await call('/policytypes/');
    expect(status).toBe(200);
    expect(body.map((t: { ref: string }) => t.ref)).toEqual(['action.retry', 'action.concurrency', 'action.concurrency.attr']);
    expect((await call('/policytypes?resource_type=action')).body).toHaveLength(3);
    expect((await call('/policytypes?resource_type=trigger')).body).toEqual([]);
    expect(await call('/policytypes/action.concurrency')).toMatchObject({
      status: 200,
      body: {
        id: 'action.concurrency',
        uid: 'policy_type:action:concurrency',
        ref: 'action.concurrency',
        resource_type: 'action',
        name: 'concurrency',
        description: 'Limits the concurrent executions for the action.',
        enabled: true,
        parameters: { threshold: { type: 'integer', required: true }, action: { type: 'string', default: 'delay', enum: ['delay', 'cancel'] } },
      },
    });
    expect((await call('/policytypes/action.retry')).body.parameters.retry_on).toMatchObject({ type: 'string', required: true, enum: ['failure', 'timeout'] });
    expect(await call('/policytypes/action.timeout')).toMatchObject({ status: 404, body: { message: expect.stringContaining('no policy type "action.timeout"') } });
  });
});
