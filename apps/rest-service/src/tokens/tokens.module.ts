import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Token } from '@nestify/model';
import { UsersModule } from '../users/users.module';
import { TokensController } from './tokens.controller';
import { TokensRepository } from './tokens.repository';
import { TokensService } from './tokens.service';

/** API tokens: the `/tokens` routes, and the check the auth guard makes on a presented token. */
@Module({
  imports: [TypeOrmModule.forFeature([Token]), UsersModule],
  controllers: [TokensController],
  providers: [TokensRepository, TokensService],
  exports: [TokensService],
})
export class TokensModule {}
