import { MigrationInterface, QueryRunner } from 'typeorm';

/** The mgmtworker's lease per running execution (one owner at a time, renewed by heartbeat). */
export class ExecutionLeases1795602921897 implements MigrationInterface {
  name = 'ExecutionLeases1795602921897';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "execution_leases" ("_execution_fk" integer NOT NULL, "owner" text NOT NULL, "acquired_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_608a02e25b863f3d7cb907a3bcb" PRIMARY KEY ("_execution_fk"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_52c1882a99e7816e02761a7160" ON "execution_leases" ("expires_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "execution_leases" ADD CONSTRAINT "FK_608a02e25b863f3d7cb907a3bcb" FOREIGN KEY ("_execution_fk") REFERENCES "executions"("_storage_id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "execution_leases" DROP CONSTRAINT "FK_608a02e25b863f3d7cb907a3bcb"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_52c1882a99e7816e02761a7160"`);
    await queryRunner.query(`DROP TABLE "execution_leases"`);
  }
}
