import type { EventItem } from '@nestify/client';
import { levelStyle, paint } from './colors';

function text(item: Partial<Record<keyof EventItem, unknown>>, key: keyof EventItem): string {
  const value = item[key];
  return typeof value === 'string' ? value : '';
}

/** `CFY` for events, the upper-cased level for logs. */
export function eventLevel(item: Partial<Record<keyof EventItem, unknown>>): string {
  return item.type === 'cloudify_log' ? text(item, 'level').toUpperCase() || 'INFO' : 'CFY';
}

/** A line like `cfy events list --tail` prints: time, level, <deployment>, [instance.operation], text. */
export function formatEventLine(
  item: Partial<Record<keyof EventItem, unknown>>,
  colors = false,
): string {
  const time = text(item, 'timestamp').replace('T', ' ').replace(/Z$/, '');
  const level = eventLevel(item);
  const operation = text(item, 'operation').split('.').pop() ?? '';
  const context = [text(item, 'node_instance_id'), operation].filter(Boolean).join('.');
  const where = text(item, 'deployment_id') ? ` <${text(item, 'deployment_id')}>` : '';
  const line = `${time}  ${level}${where}${context ? ` [${context}]` : ''} ${text(item, 'message')}`;
  return paint(colors, levelStyle(level), line);
}
