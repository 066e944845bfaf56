import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPackConfig } from './pack-config-loader';
import { loadPacks } from './pack-loader';
import { formatProblem } from './yaml-file';

const SCHEMA = [
  'api_url:',
  '  type: string',
  '  required: true',
  'api_token:',
  '  type: string',
  '  secret: true',
  '  required: true',
  'timeout:',
  '  type: integer',
  '  default: 30',
  'proxy:',
  '  type: object',
  '  properties:',
  '    port: { type: integer, default: 3128 }',
  '',
].join('\n');

/** A packs folder and a configs folder beside it, as in the repo. */
function layout(packs: Record<string, { schema?: string; config?: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'tempest-configs-'));
  mkdirSync(join(root, 'configs'));
  for (const [ref, { schema, config }] of Object.entries(packs)) {
    mkdirSync(join(root, 'packs', ref), { recursive: true });
    writeFileSync(join(root, 'packs', ref, 'pack.yaml'), `name: ${ref}\ndescription: d\nversion: 1.0.0\nauthor: a\n`);
    if (schema !== undefined) writeFileSync(join(root, 'packs', ref, 'config.schema.yaml'), schema);
    if (config !== undefined) writeFileSync(join(root, 'configs', `${ref}.yaml`), config);
  }
  return root;
}

describe(loadPackConfig.name, () => {
  it('loads the schema and the values, defaults applied', async () => {
    const root = layout({ ops: { schema: SCHEMA, config: 'api_url: https://ops\napi_token: s3cr3t\nproxy: { port: 8080 }\n' } });
    expect(await loadPackConfig(join(root, 'packs/ops'), 'ops', join(root, 'configs'), root)).toEqual({
      config: {
        schema: expect.objectContaining({ api_token: { type: 'string', secret: true, required: true } }),
        values: { api_url: 'https://ops', api_token: 's3cr3t', timeout: 30, proxy: { port: 8080 } },
      },
    });
  });

  it('gives a pack with neither schema nor config file no config', async () => {
    const root = layout({ plain: {} });
    expect(await loadPackConfig(join(root, 'packs/plain'), 'plain', join(root, 'configs'), root)).toEqual({});
  });

  it('registers a schema without a config file with its defaults, as StackStorm does', async () => {
    const root = layout({ ops: { schema: SCHEMA } });
    expect(await loadPackConfig(join(root, 'packs/ops'), 'ops', join(root, 'configs'), root)).toEqual({ config: { schema: expect.any(Object), values: { timeout: 30, proxy: { port: 3128 } } } });
  });

  it('names the file, line and key of every problem in the values, without the secret', async () => {
    const root = layout({ ops: { schema: SCHEMA, config: 'api_token: 42\ntimeout: soon\nproxy:\n  port: 80\n  host: p\ncolour: red\n' } });
    const problems = await loadPackConfig(join(root, 'packs/ops'), 'ops', join(root, 'configs'), root);
    expect(Array.isArray(problems) && problems.map(formatProblem)).toEqual([
      'configs/ops.yaml:1: api_url: required',
      'configs/ops.yaml:1: api_token: expected string, got integer',
      'configs/ops.yaml:2: timeout: expected integer, got string',
      'configs/ops.yaml:5: proxy.host: unknown key (known: port)',
      'configs/ops.yaml:6: colour: unknown key (known: api_token, api_url, proxy, timeout)',
    ]);
  });

  it('names the line of a broken schema and of values that are not a mapping', async () => {
    const root = layout({ a: { schema: 'url:\n  type: strng\n' }, b: { schema: SCHEMA, config: '- just\n- a list\n' }, c: { config: 'x: [unclosed\n' } });
    const load = async (ref: string) => ((await loadPackConfig(join(root, 'packs', ref), ref, join(root, 'configs'), root)) as never[]).map(formatProblem);
    expect(await load('a')).toEqual([expect.stringMatching(/^packs\/a\/config\.schema\.yaml:2: url\.type: /)]);
    expect(await load('b')).toEqual(['configs/b.yaml:1: expected a mapping of config keys to their values']);
    expect(await load('c')).toEqual([expect.stringMatching(/^configs\/c\.yaml:2: invalid YAML: /)]);
  });

  it('names the key of a schema pattern that cannot be matched in linear time', async () => {
    const root = layout({ a: { schema: 'region:\n  type: string\n  pattern: "^(?!us-)"\n' } });
    const problems = (await loadPackConfig(join(root, 'packs', 'a'), 'a', join(root, 'configs'), root)) as never[];
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^packs\/a\/config\.schema\.yaml:3: region\.pattern: .*lookahead/)]);
  });
});

describe(`${loadPacks.name} with configs`, () => {
  it('skips a pack whose config is invalid, loading the others with theirs', async () => {
    const root = layout({ good: { schema: SCHEMA, config: 'api_url: u\napi_token: t\n' }, bad: { schema: SCHEMA, config: 'api_url: u\n' } });
    const { packs, failed } = await loadPacks(join(root, 'packs'));
    expect(packs.map((p) => [p.pack.ref, p.config?.values])).toEqual([['good', { api_url: 'u', api_token: 't', timeout: 30, proxy: { port: 3128 } }]]);
    expect(failed.flatMap((f) => f.problems.map(formatProblem))).toEqual(['configs/bad.yaml:1: api_token: required']);
  });
});
