import { randomUUID } from 'node:crypto';
import type { GraphStore } from '@nestify/workflows';

/** Dry runs persist no graph (workflows.md §1): a store that keeps nothing. */
export class DryRunGraphStore implements GraphStore {
  async find(): Promise<null> {
    return null;
  }

  async create(): Promise<string> {
    return randomUUID();
  }

  async addOperations(): Promise<void> {}

  recordStates(): void {}

  async flush(): Promise<void> {}
}
