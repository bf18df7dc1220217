import { DynamicModule, Module } from '@nestjs/common';
import { NestifyConfig, NestifyConfigModule } from '@nestify/config';
import { DatabaseModule } from '@nestify/model';
import { MessagingModule } from '@nestify/messaging';
import { AppName } from './app-name';
import { createRootLogger, loggingModule, ROOT_LOGGER } from './logging';

/**
 * What every app stands on: validated configuration, logging, the database (migrated at start-up)
 * and the message bus with this app's heartbeat. Apps import this once and add their contexts.
 */
@Module({})
export class AppCoreModule {
  static forApp(app: AppName, config: NestifyConfig): DynamicModule {
    const logger = createRootLogger(app, config);
    return {
      module: AppCoreModule,
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      imports: [
        NestifyConfigModule.forConfig(config),
        loggingModule(logger),
        DatabaseModule.forRoot(),
        MessagingModule.forRoot({ heartbeat: { app }, watchHeartbeats: app === 'rest-service' }),
      ],
      exports: [DatabaseModule, MessagingModule, ROOT_LOGGER],
    };
  }
}
