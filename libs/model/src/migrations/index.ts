import { InitialSchema1795566475292 } from './1795566475292-InitialSchema';
import { ExecutionLeases1795602921897 } from './1795602921897-ExecutionLeases';
import { MetricsStore1795613720429 } from './1795613720429-MetricsStore';
import { OperationsHotUpdates1795614028555 } from './1795614028555-OperationsHotUpdates';
import { AuditLog1795616170443 } from './1795616170443-AuditLog';

/**
 * Every migration, oldest first. Listed by import (not a glob) so the same list works from the
 * TypeScript sources (tests, CLI) and from the compiled dist.
 */
export const ALL_MIGRATIONS = [
  InitialSchema1795566475292,
  ExecutionLeases1795602921897,
  MetricsStore1795613720429,
  OperationsHotUpdates1795614028555,
  AuditLog1795616170443,
];
