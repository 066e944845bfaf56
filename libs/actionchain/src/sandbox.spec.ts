// The evaluator runs inside Temporal's workflow sandbox: deterministic, no I/O.
// Lint forbids Node built-ins; this also keeps out the clock, randomness and globals.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sources = readdirSync(__dirname).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));

describe('libs/actionchain sources', () => {
  it.each(sources)('%s reads no clock, randomness, environment or module loader', (file) => {
    const text = readFileSync(join(__dirname, file), 'utf8');
    expect(text).not.toMatch(/\bDate\b|Math\.random|performance\.|process\.|require\(|globalThis|setTimeout|setInterval|crypto/);
    // Type-only imports (the conductor contract from @tempest/domain) are erased: they load nothing.
    const loaded = text.replace(/^(import|export) type .*$/gm, '');
    expect(loaded).not.toMatch(/from '(?!\.|yaml')/);
  });
});
