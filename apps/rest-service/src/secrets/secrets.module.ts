import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NESTIFY_CONFIG, NestifyConfig } from '@nestify/config';
import { Secret, SecretsProvider } from '@nestify/model';
import { UsersModule } from '../users/users.module';
import { SecretCipher } from './secret-cipher';
import { SecretsController } from './secrets.controller';
import { loadSecretsKey } from './secrets-key';
import { SecretsRepository } from './secrets.repository';
import { SecretsShareService } from './secrets-share.service';
import { SecretsService } from './secrets.service';

/**
 * The secrets context of the REST API. It owns the key that encrypts values at rest (SECRETS_KEY,
 * else a generated key file) and exports the cipher to other contexts that store credentials.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Secret, SecretsProvider]), UsersModule],
  controllers: [SecretsController],
  providers: [
    {
      provide: SecretCipher,
      inject: [NESTIFY_CONFIG],
      useFactory: async (config: NestifyConfig) =>
        new SecretCipher(await loadSecretsKey(config.secrets)),
    },
    SecretsRepository,
    SecretsService,
    SecretsShareService,
  ],
  exports: [SecretCipher, SecretsService],
})
export class SecretsModule {}
