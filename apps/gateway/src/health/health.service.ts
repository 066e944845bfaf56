import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { pingDatabase, type Database } from '@tempest/db';
import { pingTemporal } from '@tempest/temporal';
import { DATABASE, TEMPORAL_CLIENT } from '../tokens';
import type { DependencyHealthDto, HealthResponseDto } from './health.dto';

const CHECK_TIMEOUT_MS = 3_000;
/** Backstop for probes that carry no deadline of their own. */
const BACKSTOP_MS = CHECK_TIMEOUT_MS + 500;

async function check(probe: () => Promise<unknown>): Promise<DependencyHealthDto> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), BACKSTOP_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async check(): Promise<HealthResponseDto> {
    const [postgres, temporal] = await Promise.all([
      check(() => pingDatabase(this.db)),
      check(() => pingTemporal(this.temporal, CHECK_TIMEOUT_MS)),
    ]);
    return { status: postgres.status === 'up' && temporal.status === 'up' ? 'ok' : 'degraded', postgres, temporal };
  }
}
