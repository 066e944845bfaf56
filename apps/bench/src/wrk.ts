import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BenchSetupError } from './benchmark';

/** One load: `connections` keep-alive connections POSTing `body` for `durationSeconds`, at most `maxRequests`. */
export interface WrkLoad {
  url: string;
  connections: number;
  durationSeconds: number;
  maxRequests: number;
  body: string;
  headers: Record<string, string>;
}

export interface WrkResult {
  /** Responses received. */
  requests: number;
  durationSeconds: number;
  /** A lower bound when `capped`: wrk runs out its duration even after the last request. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses whose status is not 2xx. */
  non2xx: number;
  /** The first non-2xx response, `status body`, to say why. */
  firstFailure?: string;
  /** Connect, read and write errors and timeouts: requests that got no response. */
  socketErrors: number;
  /** The load stopped at maxRequests before its duration ran out. */
  capped: boolean;
}

const MARKER = 'TEMPEST_WRK_RESULT ';
/** Longer than any answer a healthy gateway gives; a request still waiting then counts as a socket error. */
const REQUEST_TIMEOUT_SECONDS = 10;

/** wrk's version line, or a setup error saying how to install it. */
export function wrkVersion(): string {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error) {
    throw new BenchSetupError(
      'this benchmark drives the gateway with wrk, which is not installed: `apt-get install -y wrk` (Debian, Ubuntu), `brew install wrk` (macOS), or build it from https://github.com/wg/wrk',
    );
  }
  // `wrk -v` prints its version, then the usage, and exits 1.
  return probe.stdout.split('\n')[0].replace(/\s*Copyright.*$/, '').trim();
}

/** A Lua string literal of `text`'s UTF-8 bytes, every byte outside printable ASCII (and `"`, `\`) as a decimal escape. */
export function luaString(text: string): string {
  let literal = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    literal += printable ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return `${literal}"`;
}

/**
 * The script wrk runs: the request (headers here, not on wrk's command
 * line, where `ps` would show the API key), a count of non-2xx responses
 * (wrk's own counts only >= 400), a stop at the request cap, and one JSON
 * line with the figures for {@link parseWrkOutput}.
 */
export function wrkScript(load: Pick<WrkLoad, 'body' | 'headers' | 'maxRequests'>): string {
  const headers = Object.entries(load.headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  return `-- written by apps/bench for one wrk run
wrk.method = "POST"
wrk.body = ${luaString(load.body)}
${headers.join('\n')}

local cap = ${load.maxRequests}
local threads = {}
responses, non2xx, capped, failure = 0, 0, 0, ""

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if failure == "" then failure = status .. " " .. string.sub(body or "", 1, 300) end
  end
  if responses >= cap then
    capped = 1
    wrk.thread:stop()
  end
end

local function json_string(s)
  return '"' .. (s:gsub('[%c"\\\\]', function(c) return string.format("\\\\u%04x", c:byte()) end)) .. '"'
end

function done(summary, latency, requests)
  local total_non2xx, total_capped, first_failure = 0, 0, ""
  for _, thread in ipairs(threads) do
    total_non2xx = total_non2xx + thread:get("non2xx")
    total_capped = math.max(total_capped, thread:get("capped"))
    if first_failure == "" then first_failure = thread:get("failure") end
  end
  local e = summary.errors
  io.write(string.format(
    '${MARKER}{"requests":%.0f,"duration_us":%.0f,"p50_us":%.0f,"p99_us":%.0f,"max_us":%.0f,"non2xx":%.0f,"socket_errors":%.0f,"capped":%s,"failure":%s}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    total_non2xx, e.connect + e.read + e.write + e.timeout, total_capped == 1 and "true" or "false", json_string(first_failure)))
end
`;
}

interface RawResult {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
  non2xx: number;
  socket_errors: number;
  capped: boolean;
  failure: string;
}

/** The figures of the script's result line in wrk's output. */
export function parseWrkOutput(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) throw new Error(`wrk printed no result line:\n${stdout}`);
  const raw = JSON.parse(line.slice(MARKER.length)) as RawResult;
  const durationSeconds = raw.duration_us / 1e6;
  return {
    requests: raw.requests,
    durationSeconds,
    requestsPerSecond: raw.requests / durationSeconds,
    p50Ms: raw.p50_us / 1000,
    p99Ms: raw.p99_us / 1000,
    maxMs: raw.max_us / 1000,
    non2xx: raw.non2xx,
    firstFailure: raw.failure === '' ? undefined : raw.failure,
    socketErrors: raw.socket_errors,
    capped: raw.capped,
  };
}

/**
 * Runs wrk on one thread (its event loop keeps hundreds of connections busy,
 * and leaves the other cores to what is measured). The script goes in
 * `workDir`, which should be private: it holds the headers.
 */
export async function runWrk(load: WrkLoad, workDir: string): Promise<WrkResult> {
  const script = join(workDir, `load-${load.connections}.lua`);
  writeFileSync(script, wrkScript(load), { mode: 0o600 });
  const args = ['-t', '1', '-c', String(load.connections), '-d', `${load.durationSeconds}s`, '--timeout', `${REQUEST_TIMEOUT_SECONDS}s`, '-s', script, load.url];
  const { stdout } = await promisify(execFile)('wrk', args, { timeout: (load.durationSeconds + REQUEST_TIMEOUT_SECONDS + 30) * 1000 });
  return parseWrkOutput(stdout);
}
