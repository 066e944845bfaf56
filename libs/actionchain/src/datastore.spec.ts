import { DECRYPT_KV_HOOK as TEMPLATING_DECRYPT_KV_HOOK } from '@tempest/templating';
import { datastoreKeys, DECRYPT_KV_HOOK, referencedKeys } from './datastore';

describe('datastore seam', () => {
  it('names the decrypt_kv hook as @tempest/templating does', () => {
    expect(DECRYPT_KV_HOOK).toBe(TEMPLATING_DECRYPT_KV_HOOK);
  });

  it('finds the keys templates read, for the driver to pre-fetch', () => {
    expect(referencedKeys('{{ st2kv.system.a.b.c }} {{ system.old }} {{ st2kv.user["x.y"] }} {{ mysystem.no }}')).toEqual([
      { scope: 'system', key: 'a.b.c' },
      { scope: 'system', key: 'old' },
      { scope: 'user', key: 'x.y' },
    ]);
    const chain = { vars: { d: '{{ st2kv.system.domain }}' }, chain: [{ name: 'a', ref: 'x.y', parameters: { p: ['{{ st2kv.user.token | decrypt_kv }}'] } }] };
    expect(datastoreKeys(chain)).toEqual(['system.domain', 'user.token']);
  });
});
