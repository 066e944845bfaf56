export { createTestDatabase, testConfig, testServers, uniqueName } from './environment';
export type { TestDatabase } from './environment';
export { captureLogs } from './log-capture';
export { freePort } from './ports';
export { runProcess } from './process';
export type { RunningProcess } from './process';
export { startTestSshd } from './sshd';
export type { TestKey, TestSshd } from './sshd';
