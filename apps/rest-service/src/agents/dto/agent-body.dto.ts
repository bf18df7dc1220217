import { IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { Visibility, VISIBILITIES } from '@nestify/common';

/** PUT /agents/{name}: an agent registering itself. */
export class CreateAgentDto {
  @IsString()
  node_instance_id: string;

  /** One of the agent states (`creating`, `started`…). */
  @IsString()
  state: string;

  /** Accepted for compatibility; nestify creates no per-agent broker user. */
  @IsBoolean()
  create_rabbitmq_user: boolean;

  @IsOptional()
  @IsString()
  ip?: string;

  /** `remote`, `init_script`, `plugin`, `provided`… */
  @IsString()
  install_method: string;

  @IsOptional()
  @IsString()
  system?: string;

  @IsOptional()
  @IsString()
  version?: string;

  @IsOptional()
  @IsString()
  rabbitmq_username?: string;

  /** Stored encrypted. */
  @IsOptional()
  @IsString()
  rabbitmq_password?: string;

  /** Defaults to the agent's name. */
  @IsOptional()
  @IsString()
  rabbitmq_exchange?: string;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;
}

/** PATCH /agents/{name}. */
export class UpdateAgentDto {
  @IsOptional()
  @IsString()
  state?: string;

  @IsOptional()
  @IsString()
  system?: string;

  @IsOptional()
  @IsString()
  version?: string;
}
