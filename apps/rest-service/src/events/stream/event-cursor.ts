import { BadParametersError } from '@nestify/common';

/**
 * A stream position: the largest storage id sent from each table (events and logs keep separate
 * sequences). Written `<events>-<logs>` as the SSE `id:`; it only grows within an execution, so
 * resuming after it sends exactly the rows stored later.
 */
export interface EventCursor {
  events: number;
  logs: number;
}

export const START_CURSOR: EventCursor = { events: 0, logs: 0 };

const CURSOR_PATTERN = /^(\d{1,15})-(\d{1,15})$/;

export function formatCursor(cursor: EventCursor): string {
  return `${cursor.events}-${cursor.logs}`;
}

/** The cursor of a `Last-Event-ID`; none (or empty) is the start of the execution. */
export function parseCursor(text: string | undefined): EventCursor {
  if (text === undefined || text.trim() === '') return START_CURSOR;
  const match = CURSOR_PATTERN.exec(text.trim());
  if (!match) {
    throw new BadParametersError(`Invalid last event id '${text}': expected <events>-<logs>`);
  }
  return { events: Number(match[1]), logs: Number(match[2]) };
}
