/**
 * Plugin version matching for `plugin:<name>?version=<spec>` imports, as Cloudify's import
 * resolver does it with Python's `packaging`: a spec is a comma-separated list of clauses
 * (`==1.2`, `>=1.0,<2`, `~=1.4`, `!=1.3`, `==1.*`); a bare version means exactly that version.
 * Versions compare by their dotted numeric release, then a release beats a pre-release suffix
 * (`1.0` > `1.0rc1`, `1.0.0` > `1.0.0-beta`), then suffixes compare as text.
 */

const OPERATORS = ['===', '==', '!=', '~=', '>=', '<=', '>', '<'] as const;
type Operator = (typeof OPERATORS)[number];

export interface VersionClause {
  operator: Operator;
  version: string;
}

const VERSION_TEXT = /^[A-Za-z0-9._+!-]+$/;

/** A version spec that cannot be read. */
export class InvalidVersionSpecError extends Error {}

interface ParsedVersion {
  release: number[];
  suffix: string;
}

function parse(version: string): ParsedVersion {
  const text = version.trim().replace(/^v/i, '');
  const match = /^(\d+(?:\.\d+)*)(.*)$/.exec(text);
  if (!match) return { release: [], suffix: text };
  return {
    release: match[1].split('.').map(Number),
    suffix: match[2].replace(/^[-.+_]/, ''),
  };
}

function compareReleases(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff) return diff;
  }
  return 0;
}

/** Negative, zero or positive as `a` is older than, the same as, or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  const release = compareReleases(left.release, right.release);
  if (release) return release;
  if (left.suffix === right.suffix) return 0;
  if (!left.suffix) return 1; // a release is newer than its pre-releases
  if (!right.suffix) return -1;
  return left.suffix < right.suffix ? -1 : 1;
}

function parseClause(raw: string): VersionClause {
  const text = raw.trim();
  const operator = OPERATORS.find((op) => text.startsWith(op));
  const version = (operator ? text.slice(operator.length) : text).trim();
  const wildcard = version.endsWith('.*');
  const bare = wildcard ? version.slice(0, -2) : version;
  if (!bare || !VERSION_TEXT.test(bare) || (wildcard && operator !== '==' && operator !== '!=')) {
    throw new InvalidVersionSpecError(raw);
  }
  // No operator: that exact version (Cloudify turns it into `===`).
  return { operator: operator ?? '===', version };
}

/** Reads every clause of the specs (each may itself be comma-separated). */
export function parseVersionSpecs(specs: string[]): VersionClause[] {
  return specs.flatMap((spec) => spec.split(',')).map(parseClause);
}

function prefixMatches(version: string, prefix: string): boolean {
  const release = parse(version).release;
  const wanted = parse(prefix).release;
  return wanted.every((part, i) => release[i] === part);
}

function satisfies(version: string, { operator, version: wanted }: VersionClause): boolean {
  if (wanted.endsWith('.*')) {
    const matches = prefixMatches(version, wanted.slice(0, -2));
    return operator === '==' ? matches : !matches;
  }
  const order = compareVersions(version, wanted);
  switch (operator) {
    case '===':
      return version === wanted;
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '~=': {
      const release = parse(wanted).release;
      const prefix = release.slice(0, Math.max(1, release.length - 1)).join('.');
      return order >= 0 && prefixMatches(version, prefix);
    }
  }
}

/** Whether `version` (null: unversioned) meets every clause; no clauses accept anything. */
export function versionMatches(version: string | null, clauses: VersionClause[]): boolean {
  if (!clauses.length) return true;
  if (version === null) return false;
  return clauses.every((clause) => satisfies(version, clause));
}
