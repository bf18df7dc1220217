import { newUuid } from '@nestify/common';

/**
 * A new task id. `randomUUID()` builds its result by concatenation, which V8 keeps as a tree of
 * string pieces until something needs it flat; reading one character flattens it once, here,
 * instead of at the first hash lookup (graph and subgraph maps), and leaves fewer objects for the
 * garbage collector to trace while the task lives.
 */
export function newTaskId(): string {
  const id = newUuid();
  void id.charCodeAt(0);
  return id;
}
