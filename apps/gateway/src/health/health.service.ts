import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { TempestConfig } from '@tempest/config';
import { pingDatabase, type Database } from '@tempest/db';
import { pingTemporal, temporalConnectionOptions } from '@tempest/temporal';
import { CONFIG, DATABASE } from '../tokens';
import type { DependencyHealthDto, HealthResponseDto } from './health.dto';

const CHECK_TIMEOUT_MS = 3_000;

async function check(probe: () => Promise<unknown>): Promise<DependencyHealthDto> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latency_ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService implements OnModuleDestroy {
  /**
   * A connection of its own without the SDK's retry interceptor: a probe makes
   * one attempt within its deadline and reports, and no retry timer can fire
   * after shutdown closed the channel.
   */
  private readonly temporal: Promise<Client>;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) config: TempestConfig,
  ) {
    this.temporal = temporalConnectionOptions(config.temporal).then(
      (options) => new Client({ connection: Connection.lazy({ ...options, interceptors: [] }), namespace: config.temporal.namespace }),
    );
  }

  async check(): Promise<HealthResponseDto> {
    const [postgres, temporal] = await Promise.all([
      check(() => pingDatabase(this.db)),
      check(async () => pingTemporal(await this.temporal, CHECK_TIMEOUT_MS)),
    ]);
    return { status: postgres.status === 'up' && temporal.status === 'up' ? 'ok' : 'degraded', postgres, temporal };
  }

  async onModuleDestroy(): Promise<void> {
    await (await this.temporal).connection.close();
  }
}
