// examples.remediate_host: diagnose a full filesystem, ask on-call for
// approval, clean it, verify, and report if that was not enough. A Temporal workflow: deterministic code only
// (no I/O, no Date.now(), no Math.random(): the actions do the work), replayed
// from its history after a restart. Each action it runs is a child execution
// in the audit trail.
import { defineQuery, setHandler, sleep } from '@temporalio/workflow';
import { actions, ask, run, type ShellResult } from '@tempest/workflow-sdk';

// Typed calls to this pack's own actions (see actions/*.yaml).
declare module '@tempest/workflow-sdk' {
  interface ActionTypes {
    'examples.clean_dir': { parameters: { path: string; mountpoint: string; older_than_minutes?: number }; result: ShellResult };
    'examples.diagnose_disk': { parameters: { mountpoint: string; host?: string; depth?: number; count?: number }; result: ShellResult };
  }
}

export interface RemediateHostInput {
  mountpoint: string;
  host: string;
  threshold: number;
  cleanup_dir: string;
  older_than_minutes: number;
  settle_seconds: number;
  approval_ttl: number;
}

export interface RemediateHostReport {
  host: string;
  mountpoint: string;
  threshold: number;
  used_before: number;
  used_after: number | null;
  remediation: string;
  cleaned: string | null;
}

/** `temporal workflow query --name step` (or Temporal Web) tells where it is. */
export const stepQuery = defineQuery<string>('step');

/** What on-call answers (`tempest inquiry respond <id> -r '{"approved": true}'`). */
const APPROVAL_SCHEMA = {
  type: 'object',
  properties: {
    approved: { type: 'boolean', description: 'Delete the old files of the cleanup folder?' },
    reason: { type: 'string' },
  },
  required: ['approved'],
};

export async function remediateHost(input: RemediateHostInput): Promise<RemediateHostReport> {
  let step = 'diagnose';
  setHandler(stepQuery, () => step);
  const report: RemediateHostReport = { host: input.host, mountpoint: input.mountpoint, threshold: input.threshold, used_before: await used(input.mountpoint, 'diagnose'), used_after: null, remediation: '', cleaned: null };
  if (report.used_before < input.threshold) return { ...report, remediation: 'nothing to do, below the threshold' };
  if (!input.cleanup_dir) throw new Error(`${input.mountpoint} is ${report.used_before}% used and no cleanup folder is configured (disk_cleanup_dir)`);

  // Deleted files cannot be put back: on-call approves first. The question is an inquiry with the route `oncall`
  // (a rule on core.st2.generic.inquiry can page them); the execution shows `paused` until they answer, and
  // fails if nobody does within approval_ttl minutes.
  step = 'approve';
  const approval = await ask<{ approved: boolean; reason?: string }>(APPROVAL_SCHEMA, { route: 'oncall', ttl: input.approval_ttl, task: 'approve' });
  if (!approval.approved) return { ...report, remediation: `declined by on-call${approval.reason ? `: ${approval.reason}` : ''}` };

  step = 'clean';
  const cleaned = await actions.examples.clean_dir({ path: input.cleanup_dir, mountpoint: input.mountpoint, older_than_minutes: input.older_than_minutes }, { task: 'clean' });
  report.cleaned = /freed [0-9]+ KiB in .*/.exec(cleaned.stdout)?.[0] ?? null;
  report.remediation = `cleaned ${input.cleanup_dir}`;

  // A durable timer: the wait survives a worker restart and holds no process.
  step = 'settle';
  if (input.settle_seconds > 0) await sleep(input.settle_seconds * 1000);

  step = 'verify';
  report.used_after = await used(input.mountpoint, 'verify');
  if (report.used_after < input.threshold) return report;

  // Deleted files cannot be put back: report what still fills the disk, and fail so that someone looks.
  step = 'report';
  const diagnosis = await run('examples.diagnose_disk', { mountpoint: input.mountpoint, host: input.host, depth: 1, count: 5 }, { task: 'report' });
  const largest = diagnosis.stdout.split('== largest folders')[1]?.split('\n').slice(1).join('\n').trim() ?? '';
  throw new Error(`${report.remediation}, but ${input.mountpoint} is still ${report.used_after}% used (threshold ${input.threshold}%); largest folders:\n${largest}`);
}

/** Percent of the filesystem's space in use: df -P's "Capacity" column. */
async function used(mountpoint: string, task: string): Promise<number> {
  // The mount point goes in through the environment, never into the command line.
  const df = await actions.core.local({ cmd: 'df -P "$MOUNTPOINT"', env: { MOUNTPOINT: mountpoint } }, { task });
  const percent = / ([0-9]+)% \//.exec(df.stdout)?.[1];
  if (percent === undefined) throw new Error(`cannot read the use of ${mountpoint} from df:\n${df.stdout}`);
  return Number(percent);
}
