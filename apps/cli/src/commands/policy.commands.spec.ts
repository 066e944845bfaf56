import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerPack } from '@tempest/packs';
import { startCliGateway, type CliGateway } from '../testing/cli-harness';
import { policyCommand } from './policy.commands';

describe(policyCommand.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'tempest-cli-policies-'));
  let gateway: CliGateway;

  const tempest = (...argv: string[]) => gateway.tempest(...argv);

  beforeAll(async () => {
    const pack = join(root, 'packs', 'guarded');
    mkdirSync(join(pack, 'actions'), { recursive: true });
    mkdirSync(join(pack, 'policies'), { recursive: true });
    writeFileSync(join(pack, 'pack.yaml'), 'ref: guarded\nname: guarded\ndescription: d\nversion: 0.1.0\nauthor: Tempest\n');
    writeFileSync(join(pack, 'actions', 'deploy.yaml'), "name: deploy\nrunner_type: local-shell-cmd\nentry_point: ''\n");
    writeFileSync(join(pack, 'policies', 'retry.yaml'), 'name: deploy.retry\nresource_ref: guarded.deploy\npolicy_type: action.retry\nparameters:\n  retry_on: failure\n');
    writeFileSync(join(pack, 'policies', 'limit.yaml'), 'name: deploy.limit\nenabled: false\nresource_ref: guarded.deploy\npolicy_type: action.concurrency\nparameters:\n  threshold: 1\n');
    gateway = await startCliGateway({ prepare: async (database) => {
      expect(await registerPack(database.db, pack, root)).toMatchObject({ ref: 'guarded' });
    } });
  });
  afterAll(async () => {
    await gateway.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("lists a pack's policies with the action each applies to, and shows one", async () => {
    const list = await tempest('policy', 'list', '--pack', 'guarded');
    expect(list).toMatchObject({ code: 0, err: '' });
    expect(list.out.split('\n')).toEqual([
      expect.stringMatching(/^ref\s+action\s+type\s+enabled$/),
      expect.stringMatching(/^-+/),
      expect.stringMatching(/^guarded\.deploy\.limit\s+guarded\.deploy\s+action\.concurrency\s+false$/),
      expect.stringMatching(/^guarded\.deploy\.retry\s+guarded\.deploy\s+action\.retry\s+true$/),
    ]);
    expect(JSON.parse((await tempest('policy', 'list', '--action', 'guarded.deploy', '--json')).out)).toHaveLength(2);
    expect((await tempest('policy', 'get', 'guarded.deploy.retry')).out).toMatch(/^ref\s+guarded\.deploy\.retry\naction\s+guarded\.deploy\ntype\s+action\.retry\nenabled\s+true\n/);
  });

  it('says which policy it does not know, and how to call it', async () => {
    expect(await tempest('policy', 'get', 'guarded.nope')).toMatchObject({ code: 1, err: 'tempest: no policy "guarded.nope"' });
    expect(await tempest('policy', 'get')).toMatchObject({ code: 2, err: 'tempest: tempest policy get <ref>' });
    expect((await tempest('policy', 'apply')).code).toBe(2);
  });
});
