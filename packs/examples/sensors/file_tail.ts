import { open, stat } from 'node:fs/promises';
import { PollingSensor, type SensorTrigger } from '@tempest/sensor-api';

/** Bytes read from a file per poll at most: a huge backlog is worked off over several polls. */
const MAX_READ = 1024 * 1024;

interface Watch {
  path: string;
  trigger: SensorTrigger;
  offset: number;
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => undefined))?.size ?? 0;
}

/**
 * Tails the files that rules on examples.file_line name in their trigger
 * parameters (`path`). A file is read from its end when first watched; a
 * truncated file from its start. Lines still being written (no newline yet)
 * wait for the next poll.
 */
export class FileTailSensor extends PollingSensor {
  private readonly watches = new Map<string, Watch>();

  async addTrigger(trigger: SensorTrigger): Promise<void> {
    const path = String(trigger.parameters.path);
    const stored = await this.sensorService.getValue(this.offsetKey(trigger));
    const offset = stored === undefined ? await sizeOf(path) : Number(stored);
    if (stored === undefined) await this.sensorService.setValue(this.offsetKey(trigger), String(offset));
    this.watches.set(trigger.id, { path, trigger, offset });
    this.sensorService.logger.info('tailing a file', { path, offset });
  }

  removeTrigger(trigger: SensorTrigger): void {
    this.watches.delete(trigger.id);
    this.sensorService.logger.info('stopped tailing a file', { path: trigger.parameters.path });
  }

  async poll(): Promise<void> {
    for (const watch of this.watches.values()) await this.readNewLines(watch);
  }

  private async readNewLines(watch: Watch): Promise<void> {
    const size = await sizeOf(watch.path);
    if (size < watch.offset) watch.offset = 0;
    if (size === watch.offset) return;
    const handle = await open(watch.path, 'r');
    let text: string;
    try {
      const length = Math.min(size - watch.offset, MAX_READ);
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, watch.offset);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete === '') return;
    for (const line of complete.slice(0, -1).split('\n')) {
      await this.sensorService.dispatch(watch.trigger, { path: watch.path, line });
    }
    watch.offset += Buffer.byteLength(complete);
    await this.sensorService.setValue(this.offsetKey(watch.trigger), String(watch.offset));
  }

  /** Datastore keys allow no slashes: the trigger's id stands for its path. */
  private offsetKey(trigger: SensorTrigger): string {
    return `offset.${trigger.id}`;
  }
}
