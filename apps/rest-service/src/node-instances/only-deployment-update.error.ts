import { NestifyError } from '@nestify/common';

/** Cloudify's 403 for changes only a deployment-update workflow may make. */
export class OnlyDeploymentUpdateError extends NestifyError {
  constructor(what: string) {
    super(`${what} may only be changed by a deployment update`, 'only_deployment_update');
  }
}

/** The workflows Cloudify counts as deployment updates. */
export const DEPLOYMENT_UPDATE_WORKFLOWS: ReadonlySet<string> = new Set([
  'update',
  'csys_new_deployment_update',
]);
