import { randomUUID } from 'node:crypto';
import { ConflictError } from '@nestify/common';

/** What a new group deployment's id and display name are made from. */
export interface NameSources {
  groupId: string;
  blueprintId: string;
  /** The group's creation counter before this deployment. */
  count: number;
  siteName?: string | null;
  /** The spec's own id (taken as it is, placeholders filled). */
  id?: string | null;
  /** The blueprint's `deployment_settings.id_template`. */
  idTemplate?: string | null;
  /** The spec's display name, else the blueprint's `deployment_settings.display_name`. */
  displayNameTemplate?: unknown;
  uuid?: () => string;
}

/**
 * The id (and display name) of a deployment created from a group: the given id or template
 * (default `{group_id}-{uuid}`) with `{group_id}`, `{uuid}`, `{blueprint_id}`, `{count}` and
 * `{site_name}` filled in. A template without a variable part ({uuid} or {count}) would give
 * every deployment the same id: 409, as in Cloudify.
 */
export function newDeploymentName(sources: NameSources): { id: string; displayName?: string } {
  let id = sources.id || sources.idTemplate || '{group_id}-{uuid}';
  let display =
    typeof sources.displayNameTemplate === 'string' ? sources.displayNameTemplate : undefined;
  // The caller answers for the uniqueness of ids it gives.
  let variable = !!sources.id;
  const uuid = (sources.uuid ?? randomUUID)();
  const parts: Array<[string, string, boolean]> = [
    ['{group_id}', sources.groupId, false],
    ['{uuid}', uuid, true],
    ['{blueprint_id}', sources.blueprintId, false],
    ['{count}', String(sources.count), true],
    ['{site_name}', sources.siteName ?? '', false],
  ];
  for (const [placeholder, value, makesVariable] of parts) {
    if (id.includes(placeholder)) {
      id = id.split(placeholder).join(value);
      variable ||= makesVariable;
    }
    if (display?.includes(placeholder)) display = display.split(placeholder).join(value);
  }
  if (!variable) {
    throw new ConflictError(
      'When creating new deployments in a group, deployment ID template must contain a variable part, eg. `{uuid}`',
    );
  }
  return display ? { id, displayName: display } : { id };
}
