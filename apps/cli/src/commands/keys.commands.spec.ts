import { startCliGateway, type CliGateway } from '../testing/cli-harness';
import { keyCommand } from './keys.commands';

describe(keyCommand.name, () => {
  let gateway: CliGateway;

  const tempest = (...argv: string[]) => gateway.tempest(...argv);

  beforeAll(async () => {
    gateway = await startCliGateway();
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('sets, gets, lists and deletes keys', async () => {
    expect(await tempest('key', 'set', 'smtp.host', 'mail.internal')).toMatchObject({ code: 0, out: expect.stringMatching(/^name\s+smtp\.host\nvalue\s+mail\.internal\n/) });
    await tempest('key', 'set', 'smtp.port', '25', '--ttl', '3600');
    expect((await tempest('key', 'get', 'smtp.host')).out).toMatch(/scope\s+st2kv\.system/);
    const listed = await tempest('key', 'list', '--prefix', 'smtp.');
    expect(listed.out.split('\n').slice(2).map((line) => line.split(/\s+/)[0])).toEqual(['smtp.host', 'smtp.port']);
    expect(JSON.parse((await tempest('key', 'list', '--prefix', 'smtp.', '--json')).out)[1]).toMatchObject({ name: 'smtp.port', value: '25', expire_timestamp: expect.any(String) });

    expect(await tempest('key', 'delete', 'smtp.port')).toMatchObject({ code: 0, out: 'smtp.port: deleted' });
    expect(await tempest('key', 'get', 'smtp.port')).toMatchObject({ code: 1, err: 'tempest: no key "smtp.port" in scope system' });
  });

  it('masks a secret unless --decrypt, and takes StackStorm\'s --encrypt for --secret', async () => {
    const set = await tempest('key', 'set', 'db.password', 'hunter2', '--encrypt');
    expect(set.out).toMatch(/value\s+\*{8}\nsecret\s+true/);
    expect(set.out).not.toContain('hunter2');
    expect((await tempest('key', 'get', 'db.password')).out).not.toContain('hunter2');
    expect((await tempest('key', 'list', '--prefix', 'db.')).out).not.toContain('hunter2');
    expect((await tempest('key', 'get', 'db.password', '--decrypt')).out).toMatch(/value\s+hunter2/);
  });

  it('works in user scope', async () => {
    await tempest('key', 'set', 'mine', 'v', '--scope', 'user', '--secret');
    expect((await tempest('key', 'get', 'mine', '--scope', 'user', '--decrypt')).out).toMatch(/value\s+v\n.*\nscope\s+st2kv\.user\nuser\s+admin/s);
    expect((await tempest('key', 'get', 'mine')).code).toBe(1);
  });

  it('says how to use it when arguments are missing or wrong', async () => {
    expect(await tempest('key', 'set', 'only-name')).toMatchObject({ code: 2, err: expect.stringContaining('tempest key set <name> <value>') });
    expect(await tempest('key', 'set', 'k', 'v', '--ttl', 'soon')).toMatchObject({ code: 2, err: 'tempest: --ttl must be a whole number of seconds, not "soon"' });
    expect(await tempest('key', 'get')).toMatchObject({ code: 2, err: 'tempest: tempest key get <name>' });
    expect(await tempest('key', 'rename')).toMatchObject({ code: 2, err: expect.stringContaining('tempest key list') });
    expect(await tempest('key', 'list', '--scope', 'global')).toMatchObject({ code: 1, err: 'tempest: scope must be system, user or all (or st2kv.system, st2kv.user)' });
  });
});
