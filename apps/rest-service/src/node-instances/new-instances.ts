import { randomInt } from 'node:crypto';
import { ConflictError, Visibility } from '@nestify/common';
import type { JsonObject, NodeInstance } from '@nestify/model';
import { NodeInstanceState } from '@nestify/model';

/** One instance of POST /node-instances as the workflow engine sends it. */
export interface NewInstance {
  id: string;
  node_id: string;
  host_id?: string | null;
  relationships?: JsonObject[] | null;
  scaling_groups?: JsonObject[] | null;
  index?: number | null;
  runtime_properties?: JsonObject | null;
  system_properties?: JsonObject | null;
  state?: string | null;
  version?: number | null;
  is_status_check_ok?: boolean | null;
  has_configuration_drift?: boolean | null;
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Attempts at finding free ids before giving up (each one a query). */
const MAX_RENAME_ROUNDS = 100;

/** Six random `[a-z0-9]` characters: the suffix of a node instance id. */
export function randomInstanceSuffix(): string {
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return suffix;
}

/**
 * Finds new ids for the requested instance ids that are already taken, as Cloudify does: each
 * taken id becomes `<node>_<new6>`, and the new ids are checked again until none is taken.
 * `taken` answers which of the given ids exist (one query per round, not per id). Returns
 * requested id → new id.
 */
export async function findInstanceRenames(
  instances: readonly Pick<NewInstance, 'id' | 'node_id'>[],
  taken: (ids: string[]) => Promise<Set<string>>,
  suffix: () => string = randomInstanceSuffix,
): Promise<Map<string, string>> {
  const nodeOf = new Map(instances.map((instance) => [instance.id, instance.node_id]));
  const requested = new Set(nodeOf.keys());
  const renames = new Map<string, string>();
  const originalOf = new Map<string, string>([...requested].map((id) => [id, id]));
  let toCheck = [...requested];
  for (let round = 0; round < MAX_RENAME_ROUNDS; round += 1) {
    const dupes = await taken(toCheck);
    if (!dupes.size) return renames;
    for (const dupe of dupes) {
      const original = originalOf.get(dupe) ?? dupe;
      originalOf.delete(dupe);
      let renamed: string;
      do renamed = `${nodeOf.get(original)}_${suffix()}`;
      while (requested.has(renamed) || originalOf.has(renamed));
      renames.set(original, renamed);
      originalOf.set(renamed, original);
    }
    toCheck = [...renames.values()];
  }
  throw new ConflictError(
    `Could not find unique node instance IDs. Use a different node name. Conflicting ids: ${toCheck.join(', ')}`,
  );
}

/** The instance with renamed ids applied to itself, its host and its relationship targets. */
export function applyRenames(
  instance: NewInstance,
  renames: ReadonlyMap<string, string>,
): NewInstance {
  const rename = (id: string | null | undefined) => (id != null ? (renames.get(id) ?? id) : id);
  return {
    ...instance,
    id: rename(instance.id) as string,
    host_id: rename(instance.host_id),
    relationships: instance.relationships?.map((rel) =>
      typeof rel.target_id === 'string' ? { ...rel, target_id: rename(rel.target_id) } : rel,
    ),
  };
}

/**
 * The 1-based `index` of each new instance: its own if given, else one more than the highest
 * index its node has so far (stored or assigned earlier in this batch).
 */
export function assignIndexes(
  instances: readonly Pick<NewInstance, 'node_id' | 'index'>[],
  highestStored: ReadonlyMap<string, number>,
): number[] {
  const current = new Map(highestStored);
  return instances.map((instance) => {
    const index = instance.index ?? (current.get(instance.node_id) ?? 0) + 1;
    current.set(instance.node_id, index);
    return index;
  });
}

/** Where a new instance goes: its tenant, creator and node (whose visibility it copies). */
export interface InstanceParent {
  tenantId: number;
  creatorId: number;
  nodeFk: number;
  visibility: Visibility;
}

/** The row of a new instance, with Cloudify's defaults for what the request left out. */
export function newInstanceRow(
  instance: NewInstance,
  index: number,
  parent: InstanceParent,
): Partial<NodeInstance> {
  return {
    id: instance.id,
    tenantId: parent.tenantId,
    creatorId: parent.creatorId,
    visibility: parent.visibility,
    nodeFk: parent.nodeFk,
    index,
    state: instance.state ?? NodeInstanceState.Uninitialized,
    version: instance.version ?? 1,
    runtimeProperties: instance.runtime_properties ?? {},
    systemProperties: instance.system_properties ?? null,
    relationships: instance.relationships ?? [],
    scalingGroups: instance.scaling_groups ?? [],
    hostId: instance.host_id ?? null,
    isStatusCheckOk: instance.is_status_check_ok ?? false,
    hasConfigurationDrift: instance.has_configuration_drift ?? false,
  };
}
