import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Announces that who-may-do-what changed: a user, a tenant membership, a role or an API token was
 * created, changed or removed. Authentication caches its lookups for a few seconds and drops them
 * on every announcement, so a change made through this process applies to the next request.
 */
@Injectable()
export class IdentityChanges {
  private readonly listeners: Array<() => void> = [];

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Global so users, tenants and tokens can announce changes without importing auth (a cycle). */
@Global()
@Module({ providers: [IdentityChanges], exports: [IdentityChanges] })
export class IdentityChangesModule {}

/** A service that may change identities holds the announcer under this name. */
export interface AnnouncesIdentityChanges {
  readonly identityChanges: IdentityChanges;
}

/**
 * Marks an async service method that changes users, memberships, roles or tokens: when it settles
 * (even by failing part-way), cached identity lookups are dropped.
 */
export function ChangesIdentity(): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    descriptor.value = async function (this: AnnouncesIdentityChanges, ...args: unknown[]) {
      try {
        return await original.apply(this, args);
      } finally {
        this.identityChanges.notify();
      }
    };
  };
}
