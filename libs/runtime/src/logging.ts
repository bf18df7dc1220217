import { DynamicModule, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { NestifyConfig } from '@nestify/config';
import { AppName } from './app-name';

/** Structured logs (pino): JSON for machines, pretty for a person at a terminal; every line names its app. */
export function loggingModule(app: AppName, config: NestifyConfig): DynamicModule {
  return LoggerModule.forRoot({
    // Nest 11's path syntax for "every route" (the default '*' draws a deprecation warning).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.log.level,
      name: app,
      // Only the HTTP service has requests worth a line each.
      autoLogging: app === 'rest-service',
      redact: [
        'req.headers.authorization',
        'req.headers["authentication-token"]',
        'req.headers["execution-token"]',
      ],
      transport:
        config.log.format === 'pretty'
          ? {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
            }
          : undefined,
    },
  });
}
