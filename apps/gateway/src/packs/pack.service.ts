import { resolve } from 'node:path';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { findRepoRoot, type TempestConfig } from '@tempest/config';
import { PackRepository, type Database, type Pack } from '@tempest/db';
import { registerPacks } from '@tempest/packs';
import { CONFIG, DATABASE } from '../tokens';
import type { PackResponseDto, RegistrationReportDto } from './pack.dto';

@Injectable()
export class PackService {
  constructor(
    private readonly packs: PackRepository,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: TempestConfig,
  ) {}

  /** Registers the packs folder again: what changed is written, broken packs are reported and skipped. */
  register(): Promise<RegistrationReportDto> {
    return registerPacks(this.db, resolve(findRepoRoot(), this.config.packsDir));
  }

  async getAll(): Promise<PackResponseDto[]> {
    return (await this.packs.search()).map((pack) => this.map(pack));
  }

  async get(ref: string): Promise<PackResponseDto> {
    const pack = await this.packs.getByRef(ref);
    if (!pack) throw new NotFoundException(`no pack "${ref}" is registered`);
    return this.map(pack);
  }

  private map(pack: Pack): PackResponseDto {
    return {
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
