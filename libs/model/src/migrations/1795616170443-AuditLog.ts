import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit log of mutating REST requests (who, tenant, method, path, status, when, request id). */
export class AuditLog1795616170443 implements MigrationInterface {
  name = 'AuditLog1795616170443';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "username" text, "tenant_name" text, "method" text NOT NULL, "path" text NOT NULL, "status" integer NOT NULL, "request_id" text NOT NULL, "ip" text NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_518e937434c14b85e2d8cba799" ON "audit_log" ("tenant_name", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4324c92e26856b3c3f9a408977" ON "audit_log" ("username", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2ad7930a7c2af80585c8c1b770" ON "audit_log" ("created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_2ad7930a7c2af80585c8c1b770"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4324c92e26856b3c3f9a408977"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_518e937434c14b85e2d8cba799"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
