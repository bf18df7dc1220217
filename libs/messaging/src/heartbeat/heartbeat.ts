import { hostname } from 'node:os';

/** What every app announces on the heartbeat exchange every few seconds. */
export interface Heartbeat {
  app: string;
  instance_id: string;
  host: string;
  pid: number;
  sent_at: string;
  interval_ms: number;
  /** Sent once by an app that is shutting down, so it shows Inactive at once. */
  stopping?: boolean;
}

export function newInstanceId(app: string): string {
  return `${app}-${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export function isHeartbeat(body: unknown): body is Heartbeat {
  if (typeof body !== 'object' || body === null) return false;
  const beat = body as Record<string, unknown>;
  return (
    typeof beat.app === 'string' &&
    typeof beat.instance_id === 'string' &&
    typeof beat.sent_at === 'string' &&
    typeof beat.interval_ms === 'number'
  );
}
