import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The metrics store: raw values (`metrics`) and their downsampled buckets (`metric_rollups`).
 * Both get a BRIN index on their time column — hand-written, TypeORM cannot declare one — for
 * time-range scans and the retention purge on append-mostly tables.
 */
export class MetricsStore1795613720429 implements MigrationInterface {
  name = 'MetricsStore1795613720429';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "metrics" ("_storage_id" BIGSERIAL NOT NULL, "_tenant_id" integer NOT NULL, "deployment_id" text NOT NULL, "node_name" text NOT NULL, "node_instance_id" text NOT NULL, "metric" text NOT NULL, "value" double precision NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "host" text, "ttl" integer, CONSTRAINT "PK_aaf819b42fd03ed81005fa57a1a" PRIMARY KEY ("_storage_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4bccbed37d7efebc62aca41b49" ON "metrics" ("_tenant_id", "deployment_id", "node_instance_id", "metric", "time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_metrics_time_brin" ON "metrics" USING BRIN ("time") WITH (pages_per_range = 32)`,
    );
    await queryRunner.query(
      `CREATE TABLE "metric_rollups" ("_tenant_id" integer NOT NULL, "deployment_id" text NOT NULL, "node_instance_id" text NOT NULL, "metric" text NOT NULL, "resolution" integer NOT NULL, "bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "node_name" text NOT NULL, "count" integer NOT NULL, "sum" double precision NOT NULL, "min" double precision NOT NULL, "max" double precision NOT NULL, CONSTRAINT "PK_0365b51c4065b723d84d8454117" PRIMARY KEY ("_tenant_id", "deployment_id", "node_instance_id", "metric", "resolution", "bucket"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_metric_rollups_bucket_brin" ON "metric_rollups" USING BRIN ("bucket")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_metric_rollups_bucket_brin"`);
    await queryRunner.query(`DROP TABLE "metric_rollups"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_metrics_time_brin"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4bccbed37d7efebc62aca41b49"`);
    await queryRunner.query(`DROP TABLE "metrics"`);
  }
}
