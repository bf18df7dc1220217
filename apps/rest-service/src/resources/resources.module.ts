import { Module } from '@nestjs/common';
import { FileServerController } from './file-server.controller';
import { FileServerService } from './file-server.service';
import { MultipartReceiver } from './multipart-receiver';

/**
 * The file server: its folders on disk, the `/resources/…` route that serves them, and the
 * multipart reader that lands uploads in its scratch folder.
 */
@Module({
  controllers: [FileServerController],
  providers: [FileServerService, MultipartReceiver],
  exports: [FileServerService, MultipartReceiver],
})
export class ResourcesModule {}
