import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canEnter, clusterPlaceFor, reachableInstallation } from './embedded-postgres-access';

describe('embedded Postgres access', () => {
  // Someone who owns none of these folders, as the postgres user owns none of root's.
  const stranger = { uid: 65534, gid: 65534 };
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tempest-access-'));
    chmodSync(root, 0o755);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('sees that a stranger cannot enter anything under a folder only its owner can enter', () => {
    const open = join(root, 'open', 'data');
    const closed = join(root, 'closed', 'data');
    mkdirSync(open, { recursive: true });
    mkdirSync(closed, { recursive: true });
    chmodSync(join(root, 'closed'), 0o700);
    expect(canEnter(open, stranger)).toBe(true);
    expect(canEnter(closed, stranger)).toBe(false);
    expect(canEnter(closed, { uid: process.getuid!(), gid: process.getgid!() })).toBe(true);
  });

  it('copies an installation a stranger cannot reach, once per version, links included', () => {
    const installation = join(root, 'private', 'native');
    mkdirSync(join(installation, 'bin'), { recursive: true });
    mkdirSync(join(installation, 'lib'));
    writeFileSync(join(installation, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(installation, 'lib', 'libpq.so.5.17'), 'library');
    symlinkSync('libpq.so.5.17', join(installation, 'lib', 'libpq.so.5'));
    chmodSync(join(root, 'private'), 0o700);
    const place = join(root, 'shared');

    const sut = reachableInstallation(installation, '17.0-test', stranger, place);
    expect(sut).toBe(join(place, 'postgres-binaries', '17.0-test'));
    expect(canEnter(join(sut, 'bin'), stranger)).toBe(true);
    expect(readFileSync(join(sut, 'bin', 'postgres'), 'utf8')).toBe('#!/bin/sh\n');
    expect(readlinkSync(join(sut, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17');
    expect(reachableInstallation(installation, '17.0-test', stranger, place)).toBe(sut);
    expect(reachableInstallation(installation, '17.0-test', { uid: process.getuid!(), gid: process.getgid!() }, place)).toBe(installation);
  });

  it('gives each data folder its own cluster place, where every user can reach it', () => {
    const place = join(root, 'shared');
    const sut = clusterPlaceFor('/root/clone/.data', place);
    expect(sut).toMatch(new RegExp(`^${place}/postgres-clusters/[0-9a-f]{16}$`));
    expect(clusterPlaceFor('/root/clone/.data', place)).toBe(sut);
    expect(clusterPlaceFor('/root/other/.data', place)).not.toBe(sut);
    expect(canEnter(join(sut, '..'), stranger)).toBe(true);
  });
});
