import { Module } from '@nestjs/common';
import { ConfigController } from './config.controller';
import { ManagerConfigService } from './manager-config.service';
import { ManagerRepository } from './manager.repository';
import { ManagersController } from './managers.controller';
import { ManagersService } from './managers.service';
import { ProviderContextController } from './provider-context.controller';
import { ProviderContextService } from './provider-context.service';
import { VersionController } from './version.controller';
import { VersionService } from './version.service';

/**
 * The manager itself: version, provider context, config and the managers list. At start-up it
 * registers this host in `managers` and creates the default provider context and settings.
 */
@Module({
  controllers: [VersionController, ProviderContextController, ConfigController, ManagersController],
  providers: [
    VersionService,
    ManagerRepository,
    ProviderContextService,
    ManagerConfigService,
    ManagersService,
  ],
  exports: [VersionService],
})
export class ManagerModule {}
