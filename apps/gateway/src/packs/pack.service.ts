import { Injectable, NotFoundException } from '@nestjs/common';
import { PackRepository, type Pack } from '@tempest/db';
import type { PackResponseDto } from './pack.dto';

@Injectable()
export class PackService {
  constructor(private readonly packs: PackRepository) {}

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
