import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';

/**
 * Authentication and authorization for every route of the REST service (a global guard), plus
 * the `/tokens` and `/user` routes it brings along.
 */
@Module({
  imports: [UsersModule, TokensModule],
  providers: [AuthRepository, AuthService, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
