import { Module } from '@nestjs/common';
import { FileServerController } from './file-server.controller';
import { FileServerService } from './file-server.service';

/** The file server: its folders on disk and the `/resources/…` route that serves them. */
@Module({
  controllers: [FileServerController],
  providers: [FileServerService],
  exports: [FileServerService],
})
export class ResourcesModule {}
