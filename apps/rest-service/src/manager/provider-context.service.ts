import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ConflictError } from '@nestify/common';
import { JsonObject } from '@nestify/model';
import { ProviderContextDto } from './dto/provider-context.dto';
import { ManagerRepository } from './manager.repository';

/** What a fresh manager holds until someone posts its own (Cloudify's installer does the same). */
export const DEFAULT_PROVIDER_CONTEXT = { name: 'provider', context: { cloudify: {} } };

/** The provider context: manager-wide settings the workflows read (`context.cloudify`). */
@Injectable()
export class ProviderContextService implements OnApplicationBootstrap {
  constructor(private readonly manager: ManagerRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureDefault();
  }

  async get(): Promise<ProviderContextDto> {
    const row = (await this.manager.providerContext()) ?? (await this.ensureDefault());
    return { id: row.id, name: row.name, context: row.context };
  }

  /** Stores a new context; without `update` an existing one is a conflict. */
  async save(name: string, context: JsonObject, update: boolean): Promise<void> {
    const stored = await this.manager.saveProviderContext(name, context, update);
    if (!stored) throw new ConflictError('Provider context already exists');
  }

  private async ensureDefault() {
    const { name, context } = DEFAULT_PROVIDER_CONTEXT;
    await this.manager.saveProviderContext(name, context, false);
    const row = await this.manager.providerContext();
    if (!row) throw new Error('provider_context row missing right after it was written');
    return row;
  }
}
