import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeyValueDecryptError } from './errors';

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** What a ciphertext is bound to: it decrypts only as the value of this very key. */
export interface KeyBinding {
  scope: string;
  user: string;
  name: string;
}

/**
 * AES-256-GCM for datastore secrets, and the other secrets kept at rest. Each write takes a fresh random IV, and the
 * key's scope, user and name are authenticated as additional data, so a
 * ciphertext copied onto another key (or another user's key) fails to decrypt
 * instead of yielding the wrong secret. Layout: version (1) | IV (12) | tag (16) | ciphertext.
 */
export class KeyValueCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the datastore key must be 32 bytes');
  }

  encrypt(plaintext: string, binding: KeyBinding): Buffer {
    return this.seal(plaintext, keyValueBinding(binding));
  }

  decrypt(sealed: Buffer, binding: KeyBinding): string {
    const what = `secret "${binding.name}"${binding.user ? ` of user "${binding.user}"` : ''}`;
    return this.open(sealed, keyValueBinding(binding), what);
  }

  /**
   * Encrypts any other secret Tempest keeps (an execution's secret parameters, a
   * pack's config) with the datastore key, bound to `binding`: what it belongs to,
   * first naming its kind (`['tempest.execution-secrets', id]`).
   */
  seal(plaintext: string, binding: readonly string[]): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(additionalData(binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The plain text of what seal() gave for the same binding; `what` names it in the error otherwise. */
  open(sealed: Buffer, binding: readonly string[], what = 'the stored secret'): string {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_VERSION) {
      throw new KeyValueDecryptError(`${what} is not in a format this version of Tempest can decrypt`);
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(additionalData(binding));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyValueDecryptError(`${what} cannot be decrypted: the datastore key differs from the one it was written with, or the stored value was altered`);
    }
  }
}

const keyValueBinding = (binding: KeyBinding): string[] => ['tempest.kv', binding.scope, binding.user, binding.name];

function additionalData(binding: readonly string[]): Buffer {
  return Buffer.from(JSON.stringify(binding), 'utf8');
}
