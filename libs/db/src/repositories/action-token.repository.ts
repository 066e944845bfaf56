import type { Database } from '../database';
import type { ActionToken } from '../schema';

/** The API tokens of running executions, by the sha256 of the token. */
export class ActionTokenRepository {
  constructor(private readonly db: Database) {}

  async create(token: { tokenHash: string; executionId: string; user: string; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('action_tokens')
      .values({ token_hash: token.tokenHash, execution_id: token.executionId, user: token.user, expires_at: token.expiresAt })
      .execute();
  }

  /** The token if it exists and has not expired at `at`. */
  getValid(tokenHash: string, at: Date = new Date()): Promise<ActionToken | undefined> {
    return this.db.selectFrom('action_tokens').selectAll().where('token_hash', '=', tokenHash).where('expires_at', '>', at).executeTakeFirst();
  }

  /** Revokes every token of the execution. */
  async deleteByExecution(executionId: string): Promise<void> {
    await this.db.deleteFrom('action_tokens').where('execution_id', '=', executionId).execute();
  }

  /** Forgets tokens that expired before `at` (those of executions whose end was never recorded). */
  async deleteExpired(at: Date = new Date()): Promise<void> {
    await this.db.deleteFrom('action_tokens').where('expires_at', '<=', at).execute();
  }
}
