import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogEntry } from '@nestify/model';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { AuditLogWriter } from './audit-log.writer';

/** The audit log: its batched writer (fed by the HTTP hook) and GET /audit-log. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntry])],
  controllers: [AuditLogController],
  providers: [AuditLogRepository, AuditLogService, AuditLogWriter],
  exports: [AuditLogWriter],
})
export class AuditModule {}
