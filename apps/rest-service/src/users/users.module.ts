import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '@nestify/model';
import { UsersAdminController } from './users-admin.controller';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Users: `GET /user`, `/users` management, and the lookups and login bookkeeping the auth guard
 * relies on.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [UsersController, UsersAdminController],
  providers: [UsersRepository, UsersService],
  exports: [UsersService],
})
export class UsersModule {}
