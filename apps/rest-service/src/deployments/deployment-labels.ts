import { BadParametersError } from '@nestify/common';
import { BAD_LABELS_LIST, parseLabel } from '../blueprints/blueprint-labels';
import { LabelPair } from '../blueprints/blueprints.repository';

/**
 * The `labels` of PUT /deployments: 1-entry mappings `{key: value}` or `{key: [values]}`, each
 * checked and normalised (keys lower-cased); the same pair twice is refused.
 */
export function parseDeploymentLabels(raw: unknown): LabelPair[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new BadParametersError(BAD_LABELS_LIST);
  const labels: LabelPair[] = [];
  for (const entry of raw) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new BadParametersError(BAD_LABELS_LIST);
    const pairs = Object.entries(entry as Record<string, unknown>);
    if (pairs.length !== 1) throw new BadParametersError(BAD_LABELS_LIST);
    const [key, value] = pairs[0];
    for (const one of Array.isArray(value) ? value : [value]) labels.push(parseLabel(key, one));
  }
  const distinct = new Set(labels.map(({ key, value }) => `${key}\0${value}`));
  if (distinct.size !== labels.length)
    throw new BadParametersError('You cannot define the same label twice');
  return labels;
}
