import { randomBytes } from 'node:crypto';
import { KeyValueDecryptError } from './errors';
import { KeyValueCipher, type KeyBinding } from './cipher';

describe(KeyValueCipher.name, () => {
  const sut = new KeyValueCipher(randomBytes(32));
  const token: KeyBinding = { scope: 'system', user: '', name: 'api.token' };

  it('round-trips a value, unicode included, and never writes it in clear', () => {
    const sealed = sut.encrypt('hunter2 — ключ', token);
    expect(sealed.toString('latin1')).not.toContain('hunter2');
    expect(sut.decrypt(sealed, token)).toBe('hunter2 — ключ');
    expect(sut.decrypt(sut.encrypt('', token), token)).toBe('');
  });

  it('uses a fresh IV on every write', () => {
    expect(sut.encrypt('same', token).equals(sut.encrypt('same', token))).toBe(false);
  });

  it('detects a changed ciphertext, tag or IV', () => {
    const sealed = sut.encrypt('hunter2', token);
    for (const offset of [1, 13, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[offset] ^= 0x01;
      expect(() => sut.decrypt(tampered, token)).toThrow(KeyValueDecryptError);
    }
    expect(() => sut.decrypt(sealed.subarray(0, 20), token)).toThrow(/not in a format/);
  });

  it('refuses a ciphertext moved to another key, scope or user', () => {
    const sealed = sut.encrypt('hunter2', token);
    expect(() => sut.decrypt(sealed, { ...token, name: 'other.token' })).toThrow(/secret "other.token" cannot be decrypted/);
    expect(() => sut.decrypt(sealed, { scope: 'user', user: 'mallory', name: 'api.token' })).toThrow(KeyValueDecryptError);
    const alices = sut.encrypt('alice-only', { scope: 'user', user: 'alice', name: 'k' });
    expect(() => sut.decrypt(alices, { scope: 'user', user: 'bob', name: 'k' })).toThrow(/secret "k" of user "bob" cannot be decrypted/);
  });

  it('refuses to decrypt with another datastore key', () => {
    expect(() => new KeyValueCipher(randomBytes(32)).decrypt(sut.encrypt('hunter2', token), token)).toThrow(/the datastore key differs/);
  });

  it('seals other secrets bound to what they belong to, apart from datastore keys', () => {
    const sealed = sut.seal('{"token":"hunter2"}', ['tempest.execution-secrets', 'exec-1']);
    expect(sealed.toString('latin1')).not.toContain('hunter2');
    expect(sut.open(sealed, ['tempest.execution-secrets', 'exec-1'])).toBe('{"token":"hunter2"}');
    expect(() => sut.open(sealed, ['tempest.execution-secrets', 'exec-2'], 'the secrets of execution exec-2')).toThrow(/^the secrets of execution exec-2 cannot be decrypted/);
    expect(() => sut.decrypt(sut.seal('hunter2', ['tempest.kv-like', 'system', '', 'k']), { scope: 'system', user: '', name: 'k' })).toThrow(KeyValueDecryptError);
  });
});
