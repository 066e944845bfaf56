import type { KeyValueCipher } from '@tempest/datastore';
import { MASK } from '@tempest/domain';

/**
 * A secret inside a workflow's context, as text: its value sealed with the
 * datastore key for the one execution whose conductor holds it. The
 * conductor's state and its tasks' inputs are recorded in Temporal history,
 * so only this form of a secret ever enters them. Expressions pass it along
 * as any text (whole, or within a longer text); the task's action gets the
 * plain value when its execution is created, with the parameter secret.
 */
const TOKEN = /@@tempest-secret:([A-Za-z0-9_-]+)@@/g;
const TOKEN_WHOLE = /^@@tempest-secret:([A-Za-z0-9_-]+)@@$/;
/**
 * What is left of a token an expression changed (upper-cased, cut, reversed...):
 * its marker with the `@@` or `:` around it, which no base64url text holds, so a
 * text that merely mentions "tempest-secret" is not taken for one.
 */
const TOKEN_REMAINS = /@@tempest-secret|tempest-secret:|terces-tsepmet@@|:terces-tsepmet/i;

export class WorkflowSecretError extends Error {}

/** The sealed secrets of one workflow execution: tokens it makes, and tokens in its tasks' inputs opened. */
export class WorkflowSecrets {
  constructor(
    private readonly cipher: KeyValueCipher | undefined,
    private readonly executionId: string,
  ) {}

  /** The token standing for `value` (any JSON value; opened whole, it is that value again). */
  seal(value: unknown): string {
    if (!this.cipher) throw new WorkflowSecretError('secrets in a workflow need the datastore key (TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE), which this worker was not given');
    return `@@tempest-secret:${this.cipher.seal(JSON.stringify(value), this.binding()).toString('base64url')}@@`;
  }

  /**
   * A task's input with every token opened, and the names of the parameters
   * that held one (secret, whatever the action says of them). A parameter whose
   * token an expression changed is refused, naming it: it would otherwise reach
   * the action as sealed text.
   */
  open(input: Record<string, unknown>, task: string): { values: Record<string, unknown>; secret: string[] } {
    const secret: string[] = [];
    const values = Object.fromEntries(
      Object.entries(input).map(([name, value]) => {
        const opened = this.openValue(value, () => `task "${task}", parameter "${name}"`);
        if (opened !== value) secret.push(name);
        return [name, opened];
      }),
    );
    return { values, secret };
  }

  /**
   * `value` with the tokens `previous` sealed sealed again for this execution:
   * a re-run carries the failed run's context (published secrets included) on.
   * A token it cannot open stays as it is, and fails the task that uses it.
   */
  adopt(value: unknown, previous: WorkflowSecrets): unknown {
    if (typeof value === 'string') {
      return value.replace(TOKEN, (token, sealed: string) => {
        try {
          return this.seal(previous.unseal(sealed, () => 'a re-run'));
        } catch {
          return token;
        }
      });
    }
    if (Array.isArray(value)) return value.map((item) => this.adopt(item, previous));
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.adopt(item, previous)]));
    return value;
  }

  private openValue(value: unknown, where: () => string): unknown {
    if (typeof value === 'string') return this.openText(value, where);
    if (Array.isArray(value)) {
      const items = value.map((item) => this.openValue(item, where));
      return items.some((item, i) => item !== value[i]) ? items : value;
    }
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).map(([key, item]) => [key, this.openValue(item, where)] as const);
      return entries.some(([key, item]) => item !== (value as Record<string, unknown>)[key]) ? Object.fromEntries(entries) : value;
    }
    return value;
  }

  private openText(text: string, where: () => string): unknown {
    const whole = TOKEN_WHOLE.exec(text);
    if (whole) return this.unseal(whole[1], where);
    const opened = text.replace(TOKEN, (_, sealed: string) => {
      const value = this.unseal(sealed, where);
      return typeof value === 'string' ? value : JSON.stringify(value);
    });
    if (TOKEN_REMAINS.test(opened)) throw new WorkflowSecretError(`${where()}: an expression changed a secret value (a secret can be passed whole or within a text, not transformed)`);
    return opened === text ? text : opened;
  }

  private unseal(sealed: string, where: () => string): unknown {
    if (!this.cipher) throw new WorkflowSecretError(`${where()}: a secret value, and this worker has no datastore key to open it`);
    try {
      return JSON.parse(this.cipher.open(Buffer.from(sealed, 'base64url'), this.binding()));
    } catch {
      throw new WorkflowSecretError(`${where()}: a secret value sealed for another execution, or damaged`);
    }
  }

  private binding(): string[] {
    return ['tempest.workflow-secret', this.executionId];
  }
}

/** `value` with every secret token masked (a text holding what is left of a changed one, whole): what a workflow shows of its context. */
export function maskWorkflowSecrets<T>(value: T): T {
  if (typeof value === 'string') {
    const masked = value.replace(TOKEN, MASK);
    return (TOKEN_REMAINS.test(masked) ? MASK : masked) as T;
  }
  if (Array.isArray(value)) return value.map(maskWorkflowSecrets) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskWorkflowSecrets(item)])) as T;
  return value;
}
