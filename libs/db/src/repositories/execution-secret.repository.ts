import type { Database } from '../database';

/** Encryption with the datastore key (KeyValueCipher of @tempest/datastore): what seals secrets at rest. */
export interface SecretCipher {
  seal(plaintext: string, binding: readonly string[]): Buffer;
  open(sealed: Buffer, binding: readonly string[], what?: string): string;
}

/** Said when a secret is to be stored and no datastore key is configured. */
export const NO_SECRET_KEY = 'secret parameters need the datastore key: set TEMPEST_DATASTORE_KEY or TEMPEST_DATASTORE_KEY_FILE';

const binding = (executionId: string): string[] => ['tempest.execution-secrets', executionId];

/**
 * The real values of an execution's secret parameters, apart from its audit
 * row, sealed with the datastore key and bound to the execution (a row copied
 * onto another execution does not decrypt). Kept only while the execution can
 * still run: removed when it ends.
 */
export class ExecutionSecretRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher?: SecretCipher,
  ) {}

  /** Within the caller's transaction when `db` is one; nothing is written for no secrets. */
  async create(executionId: string, values: Record<string, unknown>): Promise<void> {
    if (Object.keys(values).length === 0) return;
    if (!this.cipher) throw new Error(NO_SECRET_KEY);
    const sealed = this.cipher.seal(JSON.stringify(values), binding(executionId));
    await this.db.insertInto('execution_secrets').values({ execution_id: executionId, sealed, values: null }).execute();
  }

  /** The values, or undefined when none were kept or they were removed. */
  async get(executionId: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db.selectFrom('execution_secrets').select(['sealed', 'values']).where('execution_id', '=', executionId).executeTakeFirst();
    if (!row) return undefined;
    if (!row.sealed) return row.values ?? {};
    if (!this.cipher) throw new Error(NO_SECRET_KEY);
    return JSON.parse(this.cipher.open(row.sealed, binding(executionId), `the secret parameters of execution ${executionId}`)) as Record<string, unknown>;
  }

  /** Removes them if the execution is in one of `endedStatuses` by now. */
  async deleteIfEnded(executionId: string, endedStatuses: readonly string[]): Promise<void> {
    await this.db
      .deleteFrom('execution_secrets')
      .where('execution_id', '=', executionId)
      .where(({ exists, selectFrom }) => exists(selectFrom('executions').select('id').where('id', '=', executionId).where('status', 'in', endedStatuses)))
      .execute();
  }
}
