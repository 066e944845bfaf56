import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';

/** A problem in a content file, located as precisely as the file allows. */
export interface ContentProblem {
  file: string;
  line?: number;
  field?: string;
  message: string;
}

export function formatProblem(problem: ContentProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.field ? `${problem.field}: ` : ''}${problem.message}`;
}

export interface YamlFile {
  file: string;
  data: unknown;
  /** Line of the value at `path`, or of its nearest parent present in the file. */
  lineOf(path: (string | number)[]): number | undefined;
}

/** Reads a YAML file keeping positions, so problems can name the line. */
export async function readYamlFile(file: string): Promise<YamlFile | ContentProblem> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { file, message: `cannot read: ${(error as Error).message}` };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const [error] = doc.errors;
    return { file, line: lines.linePos(error.pos[0]).line, message: `invalid YAML: ${error.message.split('\n')[0]}` };
  }
  return {
    file,
    data: doc.toJS(),
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

export interface ContentFile extends YamlFile {
  /** The file's path as problems show it, from the display root. */
  shown: string;
}

/**
 * Every YAML file directly in `dir` (a pack's actions/, rules/, ...), in name
 * order, read keeping positions; none when `dir` is absent. A file that
 * cannot be read or parsed stands in its place as a problem, so problems
 * stay in file order.
 */
export async function readYamlFolder(dir: string, displayRoot: string): Promise<(ContentFile | ContentProblem)[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => e.name);
  const read: (ContentFile | ContentProblem)[] = [];
  for (const name of names.sort()) {
    const shown = relative(displayRoot, join(dir, name));
    const yaml = await readYamlFile(join(dir, name));
    read.push('data' in yaml ? { ...yaml, shown } : { ...yaml, file: shown });
  }
  return read;
}
