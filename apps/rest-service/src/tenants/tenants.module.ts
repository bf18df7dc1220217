import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Tenant } from '@nestify/model';
import { SecretsModule } from '../secrets/secrets.module';
import { UsersModule } from '../users/users.module';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

/** The tenants context: tenants and their user and group memberships. */
@Module({
  imports: [TypeOrmModule.forFeature([Tenant]), UsersModule, SecretsModule],
  controllers: [TenantsController],
  providers: [TenantsRepository, TenantsService],
})
export class TenantsModule {}
