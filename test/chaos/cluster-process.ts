import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnvironment, REPO_ROOT } from '../support/processes';

/**
 * `scripts/cluster.js` run as the operator runs it (`npm run start:cluster`), in its own process
 * group so a failed test never leaves children behind. Knows each child's current pid from the
 * supervisor's `[cluster] <name> started pid <pid>` lines.
 */
export class ClusterProcess {
  readonly child: ChildProcess;
  /** Current pid of each child by name (`rest-service`, `mgmtworker-1` …). */
  readonly pids = new Map<string, number>();
  /** Every pid each child has had, oldest first (restarts append). */
  readonly history = new Map<string, number[]>();
  private log = '';
  private readonly exited: Promise<unknown>;

  constructor(env: Record<string, string>, workers: number) {
    const args = [join(REPO_ROOT, 'scripts', 'cluster.js'), '--workers', String(workers)];
    // The compiled tree when there is one (`npm test` builds it first): far quicker to start.
    const dist = process.env.TEST_DIST_DIR ?? join(REPO_ROOT, 'dist');
    if (existsSync(join(dist, 'apps', 'mgmtworker', 'src', 'main.js'))) args.push('--dist', dist);
    else args.push('--from-sources');
    this.child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: cleanEnvironment(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.exited = once(this.child, 'exit');
    let partial = '';
    const take = (chunk: Buffer) => {
      this.log += chunk.toString();
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.noteStart(line);
    };
    this.child.stdout?.on('data', take);
    this.child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  private noteStart(line: string): void {
    const match = /^\[cluster\] (\S+) started pid (\d+)$/.exec(line);
    if (!match) return;
    const pid = Number(match[2]);
    this.pids.set(match[1], pid);
    this.history.set(match[1], [...(this.history.get(match[1]) ?? []), pid]);
  }

  /** The last `chars` of everything the supervisor and its children printed. */
  output(chars = 20000): string {
    return this.log.slice(-chars);
  }

  pid(name: string): number {
    const pid = this.pids.get(name);
    if (pid === undefined) throw new Error(`no ${name} in the cluster`);
    return pid;
  }

  /** kill -9 of one child; the supervisor is expected to start it again. */
  kill9(name: string): number {
    const pid = this.pid(name);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** SIGTERM to the supervisor; its exit code (null after SIGKILL of the group at the deadline). */
  async stop(timeoutMs = 30000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.killGroup(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    return this.child.exitCode;
  }

  /** SIGKILL of the supervisor and every child (cleanup after a failure). */
  killGroup(): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Whether a process with this pid still exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
