import { DEFAULT_EXCHANGE } from '../topology';

/** Where a client sends: a queue name (through the default exchange) or an exchange and key. */
export type MessageTarget = string | { exchange: string; routingKey: string; persistent?: boolean };

export interface ResolvedTarget {
  exchange: string;
  routingKey: string;
  persistent: boolean;
}

export function resolveTarget(target: unknown): ResolvedTarget {
  if (typeof target === 'string') {
    return { exchange: DEFAULT_EXCHANGE, routingKey: target, persistent: true };
  }
  if (typeof target === 'object' && target !== null) {
    const { exchange, routingKey, persistent } = target as Record<string, unknown>;
    if (typeof exchange === 'string' && typeof routingKey === 'string') {
      return { exchange, routingKey, persistent: persistent !== false };
    }
  }
  throw new TypeError(`not a message target: ${JSON.stringify(target)}`);
}
