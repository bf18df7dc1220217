import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EnvironmentSource } from './environment';
import { loadConfig, NestifyConfig } from './nestify-config';

export const NESTIFY_CONFIG = 'NESTIFY_CONFIG';

/**
 * Global configuration: validated once at start-up from process.env, merged with `overrides`
 * (tests and the single-process launcher use them; nothing else should).
 */
@Module({})
export class NestifyConfigModule {
  static forRoot(overrides: EnvironmentSource = {}): DynamicModule {
    const config = loadConfig({ ...process.env, ...overrides });
    return NestifyConfigModule.forConfig(config);
  }

  /** Uses an already loaded configuration (several apps in one process share one). */
  static forConfig(config: NestifyConfig): DynamicModule {
    return {
      module: NestifyConfigModule,
      global: true,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ nestify: config })] })],
      providers: [{ provide: NESTIFY_CONFIG, useValue: config }],
      exports: [NESTIFY_CONFIG, ConfigModule],
    };
  }
}
