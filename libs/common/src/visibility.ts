/** Who can see a resource: its creator (and admins), its tenant, or every tenant. */
export enum Visibility {
  Private = 'private',
  Tenant = 'tenant',
  Global = 'global',
}

export const VISIBILITIES: readonly Visibility[] = [
  Visibility.Private,
  Visibility.Tenant,
  Visibility.Global,
];
