import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;

/** Where the saved workflow histories live, beside the workflow code they pin. */
export function historiesDir(repoRoot: string): string {
  return join(repoRoot, 'libs/workflows/src/histories');
}

/** Where the saved histories of a pack's TypeScript workflows live (replayed against that pack's bundle). */
export function packHistoriesDir(repoRoot: string, pack: string): string {
  return join(historiesDir(repoRoot), 'packs', pack);
}

/*
 * protobufjs's own object form (enum names, 64-bit numbers and bytes as
 * strings). Not the SDK's historyToJSON: it breaks when npm installs two
 * copies of protobufjs, as it does here.
 */
export function historyToFixture(history: temporal.api.history.v1.IHistory): string {
  return `${JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1)}\n`;
}

/** Every saved history, named by its file, ready for Worker.runReplayHistories. */
export function readHistoryFixtures(dir: string): { workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ workflowId: file.replace(/\.json$/, ''), history: History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))) }));
}
