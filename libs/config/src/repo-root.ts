import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout (or image) root: the nearest folder above `from` holding nx.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}: run Tempest from its repository or image`);
    dir = parent;
  }
  return dir;
}
