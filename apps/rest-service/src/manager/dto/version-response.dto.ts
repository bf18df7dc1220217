/** `GET /version`, as `manager.get_version()` reads it. */
export class VersionResponseDto {
  edition: 'community' | 'premium';
  version: string;
  build: string | null;
  date: string | null;
  commit: string | null;
  distribution: string;
  distro_release: string;
}
