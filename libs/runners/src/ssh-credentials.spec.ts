import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshCredentials } from './ssh-credentials';

describe(sshCredentials.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tempest-sshcred-'));
  const errorOf = async (parameters: Record<string, unknown>): Promise<string> => {
    const result = await sshCredentials(parameters);
    if (!('error' in result)) throw new Error('expected an error');
    return result.error;
  };

  it('never quotes a private_key that is neither key text nor a readable file', async () => {
    for (const secret of ['hunter2-pasted-secret', '/no/such/dir/hunter2-key', 'MIIEpAIBAAKCAQEA-truncated-key-body']) {
      const error = await errorOf({ username: 'deploy', private_key: secret });
      expect(error).toMatch(/^private_key: neither the text of a private key .* nor the path of a key file readable on this worker \(ENOENT\)$/);
      expect(error).not.toContain(secret);
      expect(error).not.toContain('hunter2');
    }
  });

  it('never quotes the key text, its file, or the passphrase when the key cannot be used', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right-passphrase' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const file = join(dir, 'hunter2-key-file');
    writeFileSync(file, privateKey, { mode: 0o600 });
    const garbled = '-----BEGIN OPENSSH PRIVATE KEY-----\nhunter2garbledbody\n-----END OPENSSH PRIVATE KEY-----';
    for (const parameters of [{ private_key: file, passphrase: 'hunter2-wrong-passphrase' }, { private_key: privateKey, passphrase: 'hunter2-wrong-passphrase' }, { private_key: garbled }]) {
      const error = await errorOf({ username: 'deploy', ...parameters });
      expect(error).toMatch(/^private_key: cannot use the key: /);
      expect(error).not.toContain('hunter2');
      expect(error).not.toContain(privateKey.split('\n')[1]);
    }
  });

  it('reads a key file by its path and logs in with it', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const file = join(dir, 'id_test');
    writeFileSync(file, privateKey, { mode: 0o600 });
    const result = await sshCredentials({ username: 'deploy', private_key: file, password: 'pw' });
    expect(result).toMatchObject({ username: 'deploy', methods: [{ type: 'publickey', key: privateKey }, { type: 'password' }, { type: 'keyboard-interactive' }] });
  });
});
