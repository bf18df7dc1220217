import { OwnerRef } from './event-message';

/** A stored execution or execution group: the columns its events and logs copy from it. */
export interface StoredOwner {
  kind: OwnerRef['kind'];
  id: string;
  storageId: number;
  tenantId: number;
  tenantName: string;
  creatorId: number;
  visibility: string;
}

export const ownerKey = (ref: { kind: OwnerRef['kind']; id: string }) => `${ref.kind}:${ref.id}`;

/**
 * The stored owner a message refers to: same id, and the same tenant when the producer named one.
 * An id that exists in several tenants needs the tenant to pick one; otherwise there is no match
 * (the message is dead-lettered rather than written into a tenant it may not belong to).
 */
export function matchOwner(
  ref: OwnerRef,
  candidates: Map<string, StoredOwner[]>,
): StoredOwner | undefined {
  const stored = candidates.get(ownerKey(ref)) ?? [];
  if (ref.tenantName !== null) return stored.find((owner) => owner.tenantName === ref.tenantName);
  return stored.length === 1 ? stored[0] : undefined;
}
