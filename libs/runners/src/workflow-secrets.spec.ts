import { randomBytes } from 'node:crypto';
import { KeyValueCipher } from '@tempest/datastore';
import { maskWorkflowSecrets, WorkflowSecrets } from './workflow-secrets';

describe('WorkflowSecrets', () => {
  const cipher = new KeyValueCipher(randomBytes(32));
  const secrets = new WorkflowSecrets(cipher, 'execution-1');

  it('seals a value so that no form of it shows, and opens it whole with its type, or within a text', () => {
    const token = secrets.seal('hunter2');
    expect(token).not.toContain('hunter2');
    expect(token).not.toContain(Buffer.from('hunter2').toString('base64'));
    const numeric = secrets.seal(42);
    const { values, secret } = secrets.open({ whole: token, number: numeric, within: `Bearer ${token}!`, nested: { list: [`x${token}`] }, plain: 'echo hi', mention: 'the tempest-secret-store key' }, 'use');
    expect(values).toEqual({ whole: 'hunter2', number: 42, within: 'Bearer hunter2!', nested: { list: ['xhunter2'] }, plain: 'echo hi', mention: 'the tempest-secret-store key' });
    expect(secret).toEqual(['whole', 'number', 'within', 'nested']);
  });

  it('refuses a token an expression changed, or one sealed for another execution, naming task and parameter', () => {
    const token = secrets.seal('hunter2');
    expect(() => secrets.open({ cmd: `echo ${token.toUpperCase()}` }, 'shout')).toThrow('task "shout", parameter "cmd": an expression changed a secret value');
    expect(() => secrets.open({ cmd: `echo ${token.slice(0, 30)}` }, 'cut')).toThrow('task "cut", parameter "cmd": an expression changed a secret value');
    expect(() => secrets.open({ cmd: [...token].reverse().join('') }, 'flip')).toThrow('an expression changed a secret value');
    expect(() => new WorkflowSecrets(cipher, 'execution-2').open({ token }, 'steal')).toThrow('task "steal", parameter "token": a secret value sealed for another execution, or damaged');
  });

  it("adopts a re-run's state: the failed run's tokens sealed again for the new execution, damaged ones left to fail", () => {
    const failed = new WorkflowSecrets(cipher, 'execution-0');
    const state = { ctx: { secret: failed.seal('kv-s3cret'), header: `Bearer ${failed.seal('t0k')}`, damaged: '@@tempest-secret:AAAA@@', n: 3 } };
    const adopted = secrets.adopt(state, failed) as typeof state;
    const { damaged, ...rest } = adopted.ctx;
    expect(secrets.open(rest, 'finish').values).toEqual({ secret: 'kv-s3cret', header: 'Bearer t0k', n: 3 });
    expect(damaged).toBe('@@tempest-secret:AAAA@@');
    expect(() => failed.open({ secret: adopted.ctx.secret }, 'finish')).toThrow('sealed for another execution');
  });

  it('says a worker without the datastore key cannot hold a secret in a workflow', () => {
    expect(() => new WorkflowSecrets(undefined, 'execution-1').seal('x')).toThrow(/secrets in a workflow need the datastore key/);
  });

  it('masks tokens wherever they are in what a workflow shows, and a text with what is left of a changed one whole', () => {
    const token = secrets.seal('hunter2');
    expect(maskWorkflowSecrets({ output: { header: `Bearer ${token}`, list: [token, 1, null], changed: `echo ${token.toUpperCase()}`, plain: 'ok' } })).toEqual({
      output: { header: 'Bearer ********', list: ['********', 1, null], changed: '********', plain: 'ok' },
    });
  });
});
