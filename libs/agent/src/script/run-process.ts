import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

const TAIL_BYTES = 4096;
/** After the script exits, how long its output may still drain (background children keep pipes open). */
const DRAIN_MS = 1000;

export interface ProcessRun {
  command: string[];
  cwd?: string;
  env: Record<string, string>;
  signal: AbortSignal;
  onStdout?(line: string): void;
  onStderr?(line: string): void;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdoutTail: string;
  stderrTail: string;
}

function collectLines(stream: Readable, onLine: ((line: string) => void) | undefined) {
  let tail = '';
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    tail = `${tail}${line}\n`.slice(-TAIL_BYTES);
    onLine?.(line);
  });
  return { tail: () => tail, closed: new Promise<void>((resolve) => lines.once('close', resolve)) };
}

/**
 * Runs a command (an argument list, never through a shell) in its own process group, streaming
 * its output line by line. Aborting the signal kills the whole group, children included.
 */
export function runProcess(run: ProcessRun): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = run.command;
    const child = spawn(file, args, {
      cwd: run.cwd,
      env: run.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = collectLines(child.stdout, run.onStdout);
    const stderr = collectLines(child.stderr, run.onStderr);
    const kill = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (run.signal.aborted) kill();
    run.signal.addEventListener('abort', kill, { once: true });
    child.once('error', (error) => {
      run.signal.removeEventListener('abort', kill);
      reject(error);
    });
    child.once('exit', (exitCode, signal) => {
      run.signal.removeEventListener('abort', kill);
      const drained = Promise.all([stdout.closed, stderr.closed]);
      const timeout = new Promise((done) => setTimeout(done, DRAIN_MS).unref());
      void Promise.race([drained, timeout]).then(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ exitCode, signal, stdoutTail: stdout.tail(), stderrTail: stderr.tail() });
      });
    });
  });
}
