import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parseTimestamp } from '@nestify/common';
import { RejectMessageError } from '@nestify/messaging';
import { EVENT_ITEM_SCHEMA } from './event-message.schema';

/** Dead-letter reasons of the bridge (in the `x-nestify-reason` header and the metrics). */
export const REJECT_REASONS = {
  tooLarge: 'too_large',
  malformedJson: 'malformed_json',
  invalid: 'invalid_message',
  unknownExecution: 'unknown_execution',
} as const;

/** The execution (or execution group) a message says it belongs to. */
export interface OwnerRef {
  kind: 'execution' | 'execution_group';
  id: string;
  /** The tenant the producer named; matched against the stored one, never trusted alone. */
  tenantName: string | null;
}

/** One event or log, mapped to the stored columns (workflows.md §4.1), before its owner is known. */
export interface OutputItem {
  table: 'events' | 'logs';
  owner: OwnerRef;
  messageId: string;
  /** ISO-8601 UTC, the producer's time (or the time it was consumed, when it sent none). */
  timestamp: string;
  message: string | null;
  messageCode: string | null;
  operation: string | null;
  nodeId: string | null;
  sourceId: string | null;
  targetId: string | null;
  managerName: string | null;
  agentName: string | null;
  eventType: string | null;
  errorCauses: unknown[] | null;
  logger: string | null;
  level: string | null;
}

type Json = Record<string, unknown>;

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv, ['uuid']);
const validateItem = ajv.compile(EVENT_ITEM_SCHEMA);

/**
 * Decodes one message body into the rows it carries, or throws RejectMessageError with the
 * reason it must be dead-lettered: too large, not JSON, or not a valid event/log (§3.4).
 */
export function parseEventMessage(raw: string, size: number, maxBytes: number): OutputItem[] {
  if (size > maxBytes) {
    throw new RejectMessageError(
      REJECT_REASONS.tooLarge,
      `body of ${size} bytes exceeds the limit of ${maxBytes}`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new RejectMessageError(REJECT_REASONS.malformedJson, (error as Error).message);
  }
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new RejectMessageError(REJECT_REASONS.invalid, 'empty list');
  const consumedAt = new Date().toISOString();
  return items.map((item, index) => {
    if (!validateItem(item)) {
      const where = Array.isArray(body) ? `item ${index}` : 'message';
      throw new RejectMessageError(REJECT_REASONS.invalid, describe(where, validateItem.errors));
    }
    return toOutputItem(item as Json, consumedAt);
  });
}

function describe(where: string, errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0];
  if (!first) return `${where} is invalid`;
  return `${where}${first.instancePath || ''} ${first.message ?? 'is invalid'}`;
}

function toOutputItem(item: Json, consumedAt: string): OutputItem {
  const context = item.context as Json;
  const text = (value: unknown) => (typeof value === 'string' ? stripNul(value) : null);
  const isEvent = item.type === 'cloudify_event';
  return {
    table: isEvent ? 'events' : 'logs',
    owner: ownerOf(context),
    messageId: item.message_id as string,
    timestamp: timestampOf(item.timestamp, consumedAt),
    message: text((item.message as Json).text),
    messageCode: text(item.message_code),
    operation: text(item.operation ?? context.operation),
    nodeId: text(context.node_id ?? context.node_instance_id),
    sourceId: text(context.source_id),
    targetId: text(context.target_id),
    managerName: text(item.manager_name ?? context.manager_name),
    agentName: text(item.agent_name ?? context.agent_name),
    eventType: isEvent ? text(item.event_type) : null,
    errorCauses: isEvent ? errorCausesOf(item, context) : null,
    logger: isEvent ? null : text(item.logger),
    level: isEvent ? null : text(item.level),
  };
}

function ownerOf(context: Json): OwnerRef {
  const tenant = context.tenant as Json | undefined;
  const tenantName =
    typeof context.tenant_name === 'string'
      ? context.tenant_name
      : typeof tenant?.name === 'string'
        ? tenant.name
        : null;
  if (typeof context.execution_id === 'string')
    return { kind: 'execution', id: context.execution_id, tenantName };
  return { kind: 'execution_group', id: context.execution_group_id as string, tenantName };
}

/** Producers send UTC with or without the zone suffix (Cloudify's own format has none). */
function timestampOf(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  const text = value as string;
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;
  const parsed = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(text) ? parseTimestamp(zoned) : null;
  if (!parsed) throw new RejectMessageError(REJECT_REASONS.invalid, `invalid timestamp '${text}'`);
  return parsed.toISOString();
}

function errorCausesOf(item: Json, context: Json): unknown[] | null {
  const causes = item.error_causes ?? context.task_error_causes;
  if (!Array.isArray(causes)) return null;
  // jsonb cannot hold NUL characters either (a traceback may contain one).
  const clean = (_key: string, value: unknown) =>
    typeof value === 'string' ? stripNul(value) : value;
  return JSON.parse(JSON.stringify(causes, clean)) as unknown[];
}

/** PostgreSQL text cannot hold NUL characters. */
function stripNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
