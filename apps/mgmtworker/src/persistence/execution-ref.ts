/** The stored execution a workflow run belongs to: what every row it writes copies. */
export interface ExecutionRef {
  storageId: number;
  id: string;
  tenantId: number;
  tenantName: string;
  creatorId: number;
  visibility: string;
  deploymentFk: number | null;
}
