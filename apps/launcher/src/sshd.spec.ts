import { findSshd, missingSshdPlan, needsAptUpdate } from './sshd';

describe(findSshd.name, () => {
  it('finds sshd in sbin even when PATH leaves sbin out', () => {
    const sut = findSshd('/usr/bin:/bin', (file) => file === '/usr/sbin/sshd');
    expect(sut).toBe('/usr/sbin/sshd');
  });

  it('finds sshd in a PATH folder, ignoring relative entries', () => {
    expect(findSshd('.:/opt/openssh/bin', (file) => file === '/opt/openssh/bin/sshd')).toBe('/opt/openssh/bin/sshd');
    expect(findSshd('.:bin', (file) => file === 'bin/sshd' || file === 'sshd')).toBeUndefined();
  });

  it('reports nothing when sshd is not installed', () => {
    expect(findSshd(undefined, () => false)).toBeUndefined();
  });
});

describe(missingSshdPlan.name, () => {
  it('installs with apt as root on a Debian-like system', () => {
    expect(missingSshdPlan({ isRoot: true, debianLike: true, hasAptGet: true })).toBe('install');
  });

  it.each([
    ['not root', { isRoot: false, debianLike: true, hasAptGet: true }],
    ['not Debian-like', { isRoot: true, debianLike: false, hasAptGet: false }],
    ['without apt-get', { isRoot: true, debianLike: true, hasAptGet: false }],
  ])('otherwise names the package to install (%s)', (_case, facts) => {
    expect(missingSshdPlan(facts)).toEqual({ error: expect.stringContaining('install the openssh-server package') });
  });
});

describe(needsAptUpdate.name, () => {
  it.each([
    'E: Unable to locate package openssh-server',
    "E: Package 'openssh-server' has no installation candidate",
    'E: Failed to fetch http://deb.debian.org/debian/pool/main/o/openssh/openssh-server_9.2p1-2+deb12u3_amd64.deb  404  Not Found [IP: 151.101.2.132 80]',
  ])('refreshes the lists when apt says: %s', (output) => {
    expect(needsAptUpdate(output)).toBe(true);
  });

  it('does not refresh them for other failures', () => {
    expect(needsAptUpdate('E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (apt-get)')).toBe(false);
  });
});
