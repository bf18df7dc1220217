import { EntityManager } from 'typeorm';
import { NodeInstance } from './node-instance.entity';

/** The columns PATCH /node-instances and the workflow engine may change. */
export type NodeInstanceChanges = Partial<
  Pick<
    NodeInstance,
    | 'state'
    | 'runtimeProperties'
    | 'systemProperties'
    | 'relationships'
    | 'scalingGroups'
    | 'hostId'
    | 'index'
    | 'hasConfigurationDrift'
    | 'isStatusCheckOk'
  >
>;

/**
 * The optimistic lock of node instances: one UPDATE that applies `changes` and bumps `version` by
 * one only if the row still has `expectedVersion` (the version the caller read). Returns the new
 * version, or null when someone else changed the row first (or it is gone) — answer 409 then.
 * Atomic, unlike TypeORM's `save()` (bumps without checking) or an optimistic-lock `findOne`
 * (checks at read time only).
 */
export async function updateNodeInstanceIfVersion(
  manager: EntityManager,
  storageId: number,
  expectedVersion: number,
  changes: NodeInstanceChanges,
): Promise<number | null> {
  // TypeORM appends `version = version + 1` to every UPDATE of an entity with a @VersionColumn.
  const result = await manager
    .createQueryBuilder()
    .update(NodeInstance)
    .set(changes)
    .where('_storage_id = :storageId AND version = :expectedVersion', {
      storageId,
      expectedVersion,
    })
    .execute();
  return result.affected ? expectedVersion + 1 : null;
}
