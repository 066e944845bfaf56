import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadTriggerTypes } from './trigger-loader';
import { formatProblem } from './yaml-file';

function pack(files: Record<string, string>): { dir: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'tempest-triggers-'));
  const dir = join(root, 'packs', 'ops');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, root };
}

describe(loadTriggerTypes.name, () => {
  it('loads StackStorm trigger type metadata with its schemas', async () => {
    const { dir, root } = pack({
      'triggers/alert.yaml': [
        'name: alert',
        'pack: ops',
        'description: An alert from monitoring',
        'parameters_schema: {type: object, properties: {team: {type: string}}}',
        'payload_schema:',
        '  type: object',
        '  properties:',
        '    host: {type: string}',
        '  required: [host]',
        '',
      ].join('\n'),
      'triggers/README.md': 'not metadata',
    });
    expect(await loadTriggerTypes(dir, 'ops', root)).toEqual({
      problems: [],
      triggerTypes: [
        {
          ref: 'ops.alert',
          pack: 'ops',
          name: 'alert',
          description: 'An alert from monitoring',
          parametersSchema: { type: 'object', properties: { team: { type: 'string' } } },
          payloadSchema: { type: 'object', properties: { host: { type: 'string' } }, required: ['host'] },
          metadataFile: 'triggers/alert.yaml',
        },
      ],
    });
  });

  it('names file, line and field of every problem', async () => {
    const { dir, root } = pack({
      'triggers/a.yaml': 'name: a\npayload_schema: [host]\n',
      'triggers/b.yaml': 'name: b\npack: other\n',
      'triggers/c.yaml': 'description: no name\n',
      'triggers/d.yaml': 'name: [broken\n',
    });
    const { problems, triggerTypes } = await loadTriggerTypes(dir, 'ops', root);
    expect(triggerTypes).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      'packs/ops/triggers/a.yaml:2: payload_schema: expected a JSON schema (a mapping)',
      'packs/ops/triggers/b.yaml:2: pack: names pack "other", but the file is in pack "ops"',
      'packs/ops/triggers/c.yaml:1: name: required',
      expect.stringMatching(/^packs\/ops\/triggers\/d\.yaml:\d+: invalid YAML: /),
    ]);
  });

  it('refuses a schema pattern that cannot be matched in linear time, naming file, line and field', async () => {
    const { dir, root } = pack({
      'triggers/alert.yaml': [
        'name: alert',
        'payload_schema:',
        '  type: object',
        '  properties:',
        '    host: {type: string, pattern: "^(?!localhost)"}',
        '    pattern: {type: string, pattern: "^[a-z]+$"}',
        '    tags: {type: array, items: {type: string, pattern: "(a)\\\\1"}}',
        '  default: {pattern: "(?!ignored: not a schema)"}',
        '',
      ].join('\n'),
    });
    const { triggerTypes, problems } = await loadTriggerTypes(dir, 'ops', root);
    expect(triggerTypes).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^packs\/ops\/triggers\/alert\.yaml:5: payload_schema\.properties\.host\.pattern: .*lookahead/),
      expect.stringMatching(/^packs\/ops\/triggers\/alert\.yaml:7: payload_schema\.properties\.tags\.items\.pattern: .*backreference/),
    ]);
  });

  it('refuses, in pack core, the name of a built-in trigger type', async () => {
    const { dir, root } = pack({ 'triggers/webhook.yaml': 'name: st2.webhook\n' });
    expect((await loadTriggerTypes(dir, 'ops', root)).problems).toEqual([]);
    expect((await loadTriggerTypes(dir, 'core', root)).problems.map(formatProblem)).toEqual(['packs/ops/triggers/webhook.yaml:1: name: core.st2.webhook is a built-in trigger type']);
  });
});
