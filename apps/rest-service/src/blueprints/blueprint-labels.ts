import { BadParametersError } from '@nestify/common';
import { LabelPair } from './blueprints.repository';

/** `csys-` keys Cloudify lets users set; every other key with that prefix is reserved. */
const RESERVED_PREFIX = 'csys-';
const RESERVED_LABELS = [
  'csys-obj-name',
  'csys-obj-type',
  'csys-env-type',
  'csys-wrcp-services',
  'csys-location-name',
  'csys-location-lat',
  'csys-location-long',
  'csys-obj-parent',
  'csys-environment',
  'csys-consumer-id',
  'csys-wrcp-group-id',
];
const MAX_LENGTH = 256;
/** What Python's `quote(key, safe='')` leaves alone. */
const KEY_PATTERN = /^[A-Za-z0-9_.~-]+$/;
const BAD_VALUE = /[\p{C}"]/u;

export const BAD_LABELS_LIST =
  'Labels must be a list of 1-entry dictionaries: [{<key1>: <value1>}, {<key2>: [<value2>, <value3>]}, ...]';

function checkCoordinate(key: string, value: string): void {
  const limit = key === 'csys-location-lat' ? 90 : key === 'csys-location-long' ? 180 : undefined;
  if (limit === undefined) return;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || Math.abs(number) > limit) {
    const name = limit === 90 ? 'latitude' : 'longitude';
    throw new BadParametersError(
      `Invalid ${name} \`${value}\`. Must be a number between -${limit} and ${limit}`,
    );
  }
}

/** One label checked and normalised as Cloudify does: key lower-cased, value NFKC. */
export function parseLabel(key: unknown, value: unknown): LabelPair {
  if (typeof key !== 'string' || typeof value !== 'string') {
    throw new BadParametersError(BAD_LABELS_LIST);
  }
  if (key.length > MAX_LENGTH || value.length > MAX_LENGTH) {
    throw new BadParametersError(
      'The key or value is too long. Maximum allowed length is 256 characters',
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw new BadParametersError(
      `The key \`${key}\` contains illegal characters. Only letters, digits and the characters \`-\`, \`.\` and \`_\` are allowed`,
    );
  }
  if (BAD_VALUE.test(value)) {
    throw new BadParametersError(
      `The value \`${value}\` contains illegal characters. Control characters and \`"\` are not allowed.`,
    );
  }
  const parsedKey = key.toLowerCase();
  const parsedValue = value.normalize('NFKC');
  if (parsedKey.startsWith(RESERVED_PREFIX) && !RESERVED_LABELS.includes(parsedKey)) {
    throw new BadParametersError(
      `All labels with a \`${RESERVED_PREFIX}\` prefix are reserved for internal use. Allowed \`${RESERVED_PREFIX}\` prefixed labels are: ${RESERVED_LABELS.join(', ')}`,
    );
  }
  checkCoordinate(parsedKey, parsedValue);
  return { key: parsedKey, value: parsedValue };
}

/** The upload's `labels` parameter: `[{key, value}]` as the Python client sends it. */
export function parseLabelParam(raw: unknown): LabelPair[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new BadParametersError(BAD_LABELS_LIST);
  const labels = raw.map((label: unknown) => {
    if (typeof label !== 'object' || label === null || !('key' in label) || !('value' in label)) {
      throw new BadParametersError(BAD_LABELS_LIST);
    }
    return parseLabel(label.key, label.value);
  });
  const distinct = new Set(labels.map(({ key, value }) => `${key}\0${value}`));
  if (distinct.size !== labels.length) {
    throw new BadParametersError('You cannot define the same label twice');
  }
  return labels;
}

/** A plan's `blueprint_labels` section, `{key: {values: [..]}}`, as label pairs. */
export function planLabels(section: unknown): LabelPair[] {
  if (typeof section !== 'object' || section === null) return [];
  const labels: LabelPair[] = [];
  for (const [key, spec] of Object.entries(section as Record<string, unknown>)) {
    const values = (spec as { values?: unknown } | null)?.values;
    const list = Array.isArray(values) ? values : [values];
    for (const value of list) {
      if (value === undefined || value === null) continue;
      labels.push(parseLabel(key, typeof value === 'string' ? value : String(value)));
    }
  }
  return labels;
}

/** Both lists without repeats, first occurrence first. */
export function mergeLabels(...lists: LabelPair[][]): LabelPair[] {
  const seen = new Set<string>();
  const merged: LabelPair[] = [];
  for (const label of lists.flat()) {
    const id = `${label.key}\0${label.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push(label);
  }
  return merged;
}
