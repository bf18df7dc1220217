import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/auth-context';
import { ManagerVersion, VersionService } from './version.service';

@Controller()
export class VersionController {
  constructor(private readonly version: VersionService) {}

  /** Also served unversioned at /api/version (see the API version middleware). */
  @Get('version')
  @Public()
  get(): ManagerVersion {
    return this.version.current();
  }
}
