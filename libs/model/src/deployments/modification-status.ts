/** Status of a deployment modification (scale). */
export enum DeploymentModificationStatus {
  Started = 'started',
  Finished = 'finished',
  RolledBack = 'rolledback',
}

export const DEPLOYMENT_MODIFICATION_STATUSES: readonly DeploymentModificationStatus[] =
  Object.values(DeploymentModificationStatus);

export const END_DEPLOYMENT_MODIFICATION_STATUSES: ReadonlySet<DeploymentModificationStatus> =
  new Set([DeploymentModificationStatus.Finished, DeploymentModificationStatus.RolledBack]);
