import { BadRequestException, ForbiddenException, Injectable, InternalServerErrorException, NotFoundException } from '@nestjs/common';
import { DatastoreService, FULL_SCOPE_NAMES, KeyValueDecryptError, KeyValueInputError, parseScope, type KeyValueEntry, type KeyValueRef, type KeyValueScope } from '@tempest/datastore';
import { MASK } from '@tempest/domain';
import type { Principal } from '../auth/api-key.service';
import type { KeyValueListQueryDto, KeyValueQueryDto, KeyValueResponseDto, KeyValueScopeQueryDto, KeyValueSetDto } from './key-value.dto';

/** The user of the admin API key, who may manage other users' keys (never decrypt their secrets). */
const ADMIN_USER = 'admin';

/**
 * The keys API over the datastore: who may touch which keys, and the
 * StackStorm-shaped answers. User-scope keys are their owner's: another user's
 * can be named only by the admin; their secrets are decrypted only for the
 * owner. System secrets are decrypted for any authenticated caller (no roles yet),
 * except that a running action's token decrypts only keys it names: it may
 * not list keys decrypted, as StackStorm's action service never does, so an
 * action cannot dump every secret. Nor does a token acting as the admin reach
 * other users' keys.
 */
@Injectable()
export class KeyValueService {
  constructor(private readonly datastore: DatastoreService) {}

  async list(query: KeyValueListQueryDto, principal: Principal): Promise<KeyValueResponseDto[]> {
    const scope = this.parse(() => parseScope(query.scope, 'system', true));
    if (query.decrypt && principal.executionId) {
      throw new ForbiddenException("an action's token may not list keys decrypted: read each secret it needs by name (GET /api/v1/keys/{name}?decrypt=true)");
    }
    const user = scope === 'system' ? undefined : this.owner(query.user, principal);
    if (query.decrypt && scope !== 'system') this.assertMayDecrypt(user!, principal);
    return (await this.call(() => this.datastore.list({ scope, user, prefix: query.prefix, decrypt: query.decrypt }))).map((e) => this.map(e));
  }

  async get(name: string, query: KeyValueQueryDto, principal: Principal): Promise<KeyValueResponseDto> {
    const ref = this.ref(name, query, principal);
    if (query.decrypt && ref.scope === 'user') this.assertMayDecrypt(ref.user!, principal);
    const entry = await this.call(() => this.datastore.find(ref, { decrypt: query.decrypt ?? false }));
    if (!entry) throw new NotFoundException(`no key "${name}" in ${describe(ref)}`);
    return this.map(entry);
  }

  async set(name: string, body: KeyValueSetDto, principal: Principal): Promise<KeyValueResponseDto> {
    if (body.name !== undefined && body.name !== name) throw new BadRequestException(`name "${body.name}" in the body differs from "${name}" in the path`);
    const ref = this.ref(name, body, principal);
    return this.map(await this.call(() => this.datastore.set(ref, { value: body.value, secret: body.secret, ttl: body.ttl })));
  }

  async delete(name: string, query: KeyValueScopeQueryDto, principal: Principal): Promise<void> {
    const ref = this.ref(name, query, principal);
    if (!(await this.call(() => this.datastore.delete(ref)))) throw new NotFoundException(`no key "${name}" in ${describe(ref)}`);
  }

  private ref(name: string, where: { scope?: string; user?: string }, principal: Principal): KeyValueRef {
    const scope: KeyValueScope = this.parse(() => parseScope(where.scope, 'system'));
    if (scope === 'system') {
      if (where.user !== undefined) throw new BadRequestException('user applies only to scope user');
      return { scope, name };
    }
    return { scope, name, user: this.owner(where.user, principal) };
  }

  private owner(user: string | undefined, principal: Principal): string {
    const owner = user ?? principal.user;
    if (owner !== principal.user && (principal.user !== ADMIN_USER || principal.executionId)) {
      throw new ForbiddenException(`the user-scope keys of "${owner}" are theirs: you are "${principal.user}"`);
    }
    return owner;
  }

  private assertMayDecrypt(owner: string, principal: Principal): void {
    if (owner !== principal.user) throw new ForbiddenException(`only "${owner}" may decrypt their secrets`);
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof KeyValueInputError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  /** The datastore's errors as HTTP answers: the caller's mistakes are 400s. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof KeyValueInputError) throw new BadRequestException(error.message);
      if (error instanceof KeyValueDecryptError) throw new InternalServerErrorException(error.message);
      throw error;
    }
  }

  private map(entry: KeyValueEntry): KeyValueResponseDto {
    const masked = entry.value === undefined;
    return {
      name: entry.name,
      value: masked ? MASK : entry.value!,
      secret: entry.secret,
      encrypted: masked,
      scope: FULL_SCOPE_NAMES[entry.scope],
      user: entry.user,
      expire_timestamp: entry.expireAt?.toISOString(),
    };
  }
}

function describe(ref: KeyValueRef): string {
  return ref.scope === 'system' ? 'scope system' : `scope user of "${ref.user}"`;
}
