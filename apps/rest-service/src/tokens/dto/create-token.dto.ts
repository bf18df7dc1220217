import { IsOptional, IsString } from 'class-validator';

/** `POST /tokens`: both fields optional; the date is any ISO-8601 date with a time zone. */
export class CreateTokenDto {
  @IsOptional()
  @IsString()
  description?: string | null;

  @IsOptional()
  @IsString()
  expiration_date?: string | null;
}
