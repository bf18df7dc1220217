import { Controller, Get } from '@nestjs/common';
import { Public } from '../auth/auth-context';
import { VersionResponseDto } from './dto/version-response.dto';
import { VersionService } from './version.service';

@Controller()
export class VersionController {
  constructor(private readonly version: VersionService) {}

  /** Also served unversioned at /api/version (see the API version middleware). */
  @Get('version')
  @Public()
  get(): VersionResponseDto {
    return this.version.current();
  }
}
