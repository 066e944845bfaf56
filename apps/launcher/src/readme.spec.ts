import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configVariables, findRepoRoot } from '@tempest/config';

// The README is the configuration reference; it must not drift from the code.
const readme = readFileSync(join(findRepoRoot(), 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('## Configuration'));

describe('README', () => {
  it.each(configVariables)('documents %s in the configuration reference', (name) => {
    expect(table).toMatch(new RegExp(`^\\| \`${name}\` \\|[^|]+\\|[^|]+\\|$`, 'm'));
  });

  it('documents no variable the code does not read', () => {
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.filter((name) => !(configVariables as string[]).includes(name))).toEqual([]);
  });

  it('names the two commands', () => {
    expect(readme).toContain('npm start');
    expect(readme).toContain('npm test');
  });
});
