// Orquesta's spec inspection tests (see README.md here) against inspect().
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect, type Problem } from '../index';

interface UpstreamError { spec_path: string | null; message: string; expression?: string }
interface Case { __test: string; definition: string; expected_errors: Partial<Record<NonNullable<Problem['kind']>, UpstreamError[]>> }

const cases: Case[] = JSON.parse(readFileSync(join(__dirname, 'inspection-cases.json'), 'utf8'));
const sortKey = (e: { path: string; message: string; expression?: string }) => JSON.stringify([e.path, e.message, e.expression ?? null]);

describe.each(cases.map((c) => [c.__test, c] as const))('Orquesta %s', (_name, c) => {
  const problems = inspect(c.definition);

  it.each(['semantics', 'expressions', 'context'] as const)('reports the same %s problems', (kind) => {
    const expected = (c.expected_errors[kind] ?? []).map((e) => ({ path: e.spec_path ?? '', message: e.message, ...(e.expression ? { expression: e.expression } : {}) }));
    // Unknown functions are reported here in addition to Orquesta (its inspection lets them fail at run time).
    const actual = problems.filter((p) => p.kind === kind && !p.message.startsWith('unknown ')).map((p) => ({ path: p.path, message: p.message, ...(p.expression ? { expression: p.expression } : {}) }));
    expect(actual.sort((a, b) => sortKey(a).localeCompare(sortKey(b)))).toEqual(expected.sort((a, b) => sortKey(a).localeCompare(sortKey(b))));
  });

  it('reports syntax problems at the same paths', () => {
    const expected = [...new Set((c.expected_errors.syntax ?? []).map((e) => e.spec_path ?? ''))].sort();
    expect([...new Set(problems.filter((p) => p.kind === 'syntax').map((p) => p.path))].sort()).toEqual(expected);
  });
});
