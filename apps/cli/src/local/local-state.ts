import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeploymentPlan, JsonObject } from '@nestify/dsl';
import type { DeploymentSnapshot } from '@nestify/workflows';
import { UsageError } from '../inputs';

/** The last execution of a workflow, kept for `nestify local` to report. */
export interface LocalExecutionRecord {
  id: string;
  workflow_id: string;
  status: string;
  error: string | null;
  created_at: string;
  ended_at: string | null;
}

export type LocalPlan = Pick<DeploymentPlan, 'workflows' | 'outputs' | 'capabilities'>;

/** Everything local mode keeps between commands: one JSON file per storage folder. */
export interface LocalState {
  format: typeof STATE_FORMAT;
  blueprint_id: string;
  /** Absolute path of the main blueprint file; resources are read from its folder. */
  blueprint_path: string;
  inputs: JsonObject;
  /** What later commands need of the prepared plan (nodes live in `deployment`). */
  plan: LocalPlan;
  /** The deployment, its nodes and node instances with state and runtime properties. */
  deployment: DeploymentSnapshot;
  executions: LocalExecutionRecord[];
}

const STATE_FORMAT = 1;

/** Who local runs are for: `cfy local` calls its deployment `local`, too. */
export const LOCAL_DEPLOYMENT_ID = 'local';
export const LOCAL_TENANT = 'default_tenant';
export const LOCAL_USER = 'local';
const STATE_FILE = 'state.json';

export function newLocalState(fields: Omit<LocalState, 'format' | 'executions'>): LocalState {
  return { format: STATE_FORMAT, executions: [], ...fields };
}

/**
 * The state file of one storage folder. Saves are atomic (a temporary file renamed over the old
 * one) and serialised: a save requested while one is being written waits for it, and bursts of
 * requests are written once, with the latest content.
 */
export class LocalStateFile {
  readonly path: string;
  private writing: Promise<void> | null = null;
  private next: LocalState | null = null;

  constructor(readonly dir: string) {
    this.path = join(dir, STATE_FILE);
  }

  /** The stored state; UsageError naming the folder when there is none. */
  async load(): Promise<LocalState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new UsageError(
        `no local deployment in ${this.dir}: run 'nestify local init <blueprint>' or 'nestify local install <blueprint>' first`,
      );
    }
    const state = JSON.parse(text) as LocalState;
    if (state.format !== STATE_FORMAT) {
      throw new UsageError(`${this.path} has an unknown format (${String(state.format)})`);
    }
    return state;
  }

  async exists(): Promise<boolean> {
    try {
      await readFile(this.path);
      return true;
    } catch {
      return false;
    }
  }

  /** Queues a save of `state` (its content as it is when written). */
  save(state: LocalState): Promise<void> {
    this.next = state;
    this.writing ??= this.drain();
    return this.writing;
  }

  /** Resolves once every requested save is on disk. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
      while (this.next) {
        const state = this.next;
        this.next = null;
        await this.writeAtomically(`${JSON.stringify(state, null, 2)}\n`);
      }
    } finally {
      // No await between the last check of `next` and this: a save arriving later starts anew.
      this.writing = null;
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
