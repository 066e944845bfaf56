import { resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { findRepoRoot, type TempestConfig } from '@tempest/config';
import { PackConfigRepository, PackRepository, type Database, type Pack } from '@tempest/db';
import { maskConfig, maskConfigSchema, type ParameterSpecs } from '@tempest/domain';
import { loadPack, registerPack, registerPacks, formatProblem } from '@tempest/packs';
import { LookupCache } from '../common/lookup-cache';
import { RuleCatalog } from '../rules/rule-catalog';
import { describeSource, fetchPack, refuseSource, swapIn } from './pack-installer';
import type { SecretCiphers } from '../infrastructure.module';
import { CONFIG, DATABASE, SECRET_CIPHER } from '../tokens';
import type { PackConfigResponseDto, PackRegistrationDto, PackResponseDto, RegistrationReportDto } from './pack.dto';

@Injectable()
export class PackService {
  constructor(
    private readonly packs: PackRepository,
    private readonly configs: PackConfigRepository,
    private readonly catalog: RuleCatalog,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: TempestConfig,
    @Inject(SECRET_CIPHER) private readonly secrets: SecretCiphers,
    private readonly lookups: LookupCache,
  ) {}

  /** Every replica follows a registration through NOTIFY; this one before answering: its rules (webhooks), actions and configs. */
  private async followChanges(): Promise<void> {
    this.lookups.forget('actions');
    this.lookups.forget('pack_configs');
    await this.catalog.reload();
  }

  /** Registers the packs folder again: what changed is written, broken packs are reported and skipped. */
  async register(): Promise<RegistrationReportDto> {
    const report = await registerPacks(this.db, this.packsDir(), this.configsDir(), this.secrets.cipher);
    await this.followChanges();
    return report;
  }

  /**
   * Fetches a pack (folder or git), validates it, puts it in place of any
   * installed version and registers it; any failure leaves the previous
   * version as it was.
   */
  async install(source: string, ref: string | undefined): Promise<PackRegistrationDto> {
    if (!describeSource(source)) throw new BadRequestException('source must be an absolute folder path or a git URL (https://, ssh://, git@host:path)');
    if (ref && describeSource(source) !== 'git') throw new BadRequestException('ref applies to git sources only');
    const refusal = await refuseSource(source, this.config.packInstallRoots);
    if (refusal) throw new BadRequestException(refusal);
    const packsDir = this.packsDir();
    let staging: string;
    try {
      staging = await fetchPack(packsDir, source, ref);
    } catch (error) {
      throw new BadRequestException(`could not fetch ${source}${ref ? ` at ${ref}` : ''}: ${(error as Error).message}`);
    }
    const loaded = await loadPack(staging, packsDir, this.configsDir());
    if (Array.isArray(loaded)) {
      await rm(staging, { recursive: true, force: true });
      throw new BadRequestException(loaded.map((problem) => formatProblem({ ...problem, file: problem.file.replace(/^\.install-[^/]+/, source) })));
    }
    const swap = await swapIn(packsDir, staging, loaded.pack.ref);
    try {
      const registration = await registerPack(this.db, swap.target, packsDir, this.configsDir(), this.secrets.cipher);
      if ('problems' in registration) throw new BadRequestException(registration.problems);
      await swap.commit();
      await this.followChanges();
      return registration;
    } catch (error) {
      await swap.rollback();
      throw error;
    }
  }

  /** Unregisters the pack (its actions with it) and deletes its folder. */
  async remove(ref: string): Promise<void> {
    if (ref === 'core') throw new BadRequestException('core is part of Tempest and cannot be removed');
    const pack = await this.packs.getByRef(ref);
    if (!pack) throw new NotFoundException(`no pack "${ref}" is registered`);
    await this.packs.delete(ref);
    await this.followChanges();
    const folder = resolve(this.packsDir(), ref);
    if (resolve(pack.path) === folder) await rm(folder, { recursive: true, force: true });
  }

  private packsDir(): string {
    return resolve(findRepoRoot(), this.config.packsDir);
  }

  private configsDir(): string {
    return resolve(findRepoRoot(), this.config.configsDir);
  }

  async getAll(): Promise<PackResponseDto[]> {
    return (await this.packs.search()).map((pack) => this.map(pack));
  }

  async get(ref: string): Promise<PackResponseDto> {
    const pack = await this.packs.getByRef(ref);
    if (!pack) throw new NotFoundException(`no pack "${ref}" is registered`);
    return this.map(pack);
  }

  /** The pack's config and schema, secret values (and secret defaults) masked. */
  async getConfig(ref: string): Promise<PackConfigResponseDto> {
    if (!(await this.packs.getByRef(ref))) throw new NotFoundException(`no pack "${ref}" is registered`);
    const config = await this.configs.getByPack(ref);
    if (!config) return { pack: ref, schema: {}, values: {} };
    const schema = config.schema as ParameterSpecs;
    return { pack: ref, schema: maskConfigSchema(schema), values: maskConfig(schema, config.values), updated_at: config.updated_at.toISOString() };
  }

  private map(pack: Pack): PackResponseDto {
    return {
      id: pack.ref,
      uid: `pack:${pack.ref}`,
      ref: pack.ref,
      name: pack.name,
      description: pack.description,
      version: pack.version,
      author: pack.author,
      email: pack.email ?? undefined,
      keywords: pack.keywords,
      dependencies: pack.dependencies,
      registered_at: pack.registered_at.toISOString(),
      updated_at: pack.updated_at.toISOString(),
    };
  }
}
