import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This mgmtworker process's name in leases and its reply queue: `<host>-<pid>-<random>`. */
export const WORKER_ID = 'MGMTWORKER_ID';

export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
