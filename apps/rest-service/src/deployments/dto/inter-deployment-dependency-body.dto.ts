import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';

/** One dependency as the batch endpoints take it (the source comes from the URL or body). */
export class DependencySpecDto {
  /** What made it, e.g. `component.my_node` or `nodes.vm.properties.x.get_capability`. */
  @IsString()
  dependency_creator: string;

  @IsOptional()
  @IsString()
  target_deployment?: string | null;

  /** The function that names the target, kept to re-evaluate it. */
  @IsOptional()
  @IsObject()
  target_deployment_func?: Record<string, unknown> | null;

  @IsOptional()
  @IsObject()
  external_source?: Record<string, unknown> | null;

  @IsOptional()
  @IsObject()
  external_target?: Record<string, unknown> | null;
}

/** PUT and DELETE /deployments/inter-deployment-dependencies: one dependency. */
export class DependencyDto extends DependencySpecDto {
  /** The deployment that depends on the target. */
  @IsString()
  source_deployment: string;

  /** DELETE: the target may already be gone (a component being removed). */
  @IsOptional()
  @IsBoolean()
  is_component_deletion?: boolean;
}

/** PUT /deployments/{id}/inter-deployment-dependencies: replaces the source's dependencies. */
export class ReplaceDependenciesDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DependencySpecDto)
  inter_deployment_dependencies: DependencySpecDto[];
}

/** POST /deployments/inter-deployment-dependencies: adds dependencies of one source. */
export class CreateDependenciesDto extends ReplaceDependenciesDto {
  @IsString()
  source_deployment_id: string;
}
