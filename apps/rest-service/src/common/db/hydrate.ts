import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Turns a raw row (`SELECT alias.*`) into an entity the way TypeORM's own reads do — column
 * names to properties, values through the driver's hydration — for hot paths that send their
 * own SQL. Relation objects are left out; the caller adds what it joined.
 */
export function entityHydrator<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
): (row: Record<string, unknown>) => T {
  const metadata = dataSource.getMetadata(target);
  const driver = dataSource.driver;
  // Foreign keys are declared as plain columns beside their relations here, so every column maps.
  const columns = metadata.columns;
  return (row) => {
    const entity = metadata.create() as T;
    for (const column of columns) {
      if (!(column.databaseName in row)) continue;
      const value = row[column.databaseName];
      (entity as Record<string, unknown>)[column.propertyName] =
        value === null || value === undefined ? value : driver.prepareHydratedValue(value, column);
    }
    return entity;
  };
}
