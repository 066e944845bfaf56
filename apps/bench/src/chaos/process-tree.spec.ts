import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { eventually } from '@tempest/testing';
import { descendants } from './process-tree';

describe(descendants.name, () => {
  it('finds a grandchild in a process group of its own', async () => {
    // sh starts sleep detached (setsid), as the worker starts an action.
    const child = spawn('sh', ['-c', 'setsid sleep 30 & wait'], { stdio: 'ignore' });
    try {
      const [sleep] = await eventually(() => {
        const below = descendants(child.pid!);
        return below.length > 0 && below;
      }, 'the sleep to show up under sh');
      expect(readFileSync(`/proc/${sleep}/cmdline`, 'utf8')).toContain('sleep');
      expect(descendants(process.pid)).toEqual(expect.arrayContaining([child.pid, sleep]));
    } finally {
      for (const pid of [...descendants(child.pid!), child.pid!]) process.kill(pid, 'SIGKILL');
    }
  });
});
