import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';

/** The most rows one page holds, as StackStorm's API caps it by default: beyond it, 400 naming `limit`. */
export const MAX_PAGE_SIZE = 100;
/** Beyond this a number loses precision in JSON and JavaScript; Postgres would take up to 2^63-1. */
const MAX_OFFSET = Number.MAX_SAFE_INTEGER;
/**
 * What `limit=-1` becomes: StackStorm's "the full result set" (`st2 ... list -n -1`), which its
 * API gives administrators; every Tempest API key is one (`/user` answers is_admin).
 */
export const ALL_ROWS = Number.MAX_SAFE_INTEGER;

/** `limit` as asked in a query string: -1 is every row (ALL_ROWS); undefined when it is not a whole number. */
export function requestedLimit(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (text === '-1') return ALL_ROWS;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * What is wrong with `limit` and `offset` as asked in a query string, in the
 * words PageQueryDto's validation uses: for the listings whose handler takes
 * no paging of its own (StackStormListingInterceptor pages them).
 */
export function pageProblems(query: { limit?: unknown; offset?: unknown }): string[] {
  const problems: string[] = [];
  if (query.limit !== undefined) {
    const text = String(query.limit).trim();
    if (!/^-?\d+$/.test(text)) problems.push('limit must be a whole number');
    else if (Number(text) < 1 && text !== '-1') problems.push('limit must be at least 1, or -1 for all');
    else if (Number(text) > MAX_PAGE_SIZE) problems.push(`limit must be at most ${MAX_PAGE_SIZE}, or -1 for all`);
  }
  if (query.offset !== undefined) {
    const text = String(query.offset).trim();
    if (!/^-?\d+$/.test(text)) problems.push('offset must be a whole number');
    else if (Number(text) < 0) problems.push('offset must be at least 0');
    else if (Number(text) > MAX_OFFSET) problems.push(`offset must be at most ${MAX_OFFSET}`);
  }
  return problems;
}

/** `limit` and `offset` of every listing; a listing's query DTO extends it with its filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: -1, maximum: MAX_PAGE_SIZE, description: `Rows per page, at most ${MAX_PAGE_SIZE}; -1 for all of them, as StackStorm takes it` })
  @IsOptional()
  @Type(() => Number)
  @Transform(({ value }) => (value === -1 ? ALL_ROWS : value))
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: 'limit must be at least 1, or -1 for all' })
  @ValidateBy({
    name: 'isPageSize',
    validator: { validate: (value: unknown) => value === ALL_ROWS || (typeof value === 'number' && value <= MAX_PAGE_SIZE), defaultMessage: () => `limit must be at most ${MAX_PAGE_SIZE}, or -1 for all` },
  })
  limit: number = 50;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0, { message: 'offset must be at least 0' })
  @Max(MAX_OFFSET, { message: `offset must be at most ${MAX_OFFSET}` })
  offset: number = 0;
}
