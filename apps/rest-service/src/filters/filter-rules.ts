import { BadParametersError, NestifyError, validateResourceId } from '@nestify/common';
import { escapeLike } from '../common/list/list-query-builder';

/**
 * Filter rules (rest-api.md §1.3): `{key, values, operator, type}` items that narrow a list of
 * deployments or blueprints by their labels or by a few attributes. Parsing is strict (Cloudify's
 * messages); the SQL condition keeps every value a parameter.
 */

export const LABEL_OPERATORS = [
  'any_of',
  'not_any_of',
  'is_null',
  'is_not_null',
  'is_not',
] as const;
export const ATTRIBUTE_OPERATORS = [
  'any_of',
  'not_any_of',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'is_not_empty',
] as const;
export const FILTER_RULE_TYPES = ['label', 'attribute'] as const;

export type LabelOperator = (typeof LABEL_OPERATORS)[number];
export type AttributeOperator = (typeof ATTRIBUTE_OPERATORS)[number];
export type FilterRuleType = (typeof FILTER_RULE_TYPES)[number];

export interface FilterRule {
  key: string;
  values: string[];
  operator: LabelOperator | AttributeOperator;
  type: FilterRuleType;
}

/** What filter rules can narrow. */
export type FilteredResource = 'deployments' | 'blueprints';

/** Attributes a rule may name, per resource (Cloudify's `allowed_filter_attrs`). */
export const FILTER_ATTRIBUTES: Record<FilteredResource, readonly string[]> = {
  blueprints: ['created_by', 'state', 'id', 'tenant_name'],
  deployments: [
    'id',
    'blueprint_id',
    'created_by',
    'site_name',
    'schedules',
    'tenant_name',
    'display_name',
    'installation_status',
  ],
};

/** Python's repr of a JSON value, as Cloudify's messages print a rule. */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
    .join(', ')}}`;
}

/** 400 `invalid_filter_rule`, carrying the offending rule and the reason. */
export class InvalidFilterRuleError extends NestifyError {
  constructor(
    readonly errFilterRule: unknown,
    readonly errReason = '',
  ) {
    super(
      `The filter rule ${pyRepr(errFilterRule)} is not in the right format. ${errReason}`,
      'invalid_filter_rule',
    );
  }

  /** Cloudify's body names the rule and the reason apart from the message. */
  override get bodyFields(): Record<string, unknown> {
    return { err_filter_rule: this.errFilterRule, err_reason: this.errReason };
  }
}

const RULE_KEYS = ['key', 'operator', 'type', 'values'];
const LABEL_KEY_PATTERN = /^[A-Za-z0-9._~-]+$/;

function validateLabel(key: string, value: unknown): void {
  if (typeof value !== 'string') throw new BadParametersError('Labels must be strings');
  if (key.length > 256 || value.length > 256) {
    throw new BadParametersError(
      'The key or value is too long. Maximum allowed length is 256 characters',
    );
  }
  if (!LABEL_KEY_PATTERN.test(key)) {
    throw new BadParametersError(
      `The key \`${key}\` contains illegal characters. Only letters, digits and the characters ` +
        '`-`, `.` and `_` are allowed',
    );
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f"]/.test(value)) {
    throw new BadParametersError(
      `The value \`${value}\` contains illegal characters. Control characters and \`"\` are not allowed.`,
    );
  }
}

function parseOne(raw: unknown, resource: FilteredResource): FilterRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidFilterRuleError(raw, 'The filter rule is not a dictionary');
  const rule = raw as Record<string, unknown>;
  const keys = Object.keys(rule).sort();
  if (keys.length !== RULE_KEYS.length || keys.some((key, i) => key !== RULE_KEYS[i]))
    throw new InvalidFilterRuleError(
      raw,
      'At least one of the entries in the filter rule is missing',
    );
  const { key, values, operator, type } = rule;
  if (typeof key !== 'string')
    throw new InvalidFilterRuleError(raw, 'The filter rule key must be a string');
  if (!Array.isArray(values))
    throw new InvalidFilterRuleError(raw, 'The filter rule values must be a list');

  if (type === 'label') {
    if (!(LABEL_OPERATORS as readonly unknown[]).includes(operator))
      throw new InvalidFilterRuleError(
        raw,
        `The operator for filtering by labels must be one of ${LABEL_OPERATORS.join(', ')}`,
      );
    const nullOperator = operator === 'is_null' || operator === 'is_not_null';
    if (nullOperator && values.length > 0)
      throw new InvalidFilterRuleError(
        raw,
        'Values list must be empty if the operator is one of is_null, is_not_null',
      );
    if (!nullOperator && values.length === 0)
      throw new InvalidFilterRuleError(
        raw,
        'Values list must include at least one item if the operator is one of any_of, not_any_of, is_not',
      );
  } else if (type === 'attribute') {
    if (!(ATTRIBUTE_OPERATORS as readonly unknown[]).includes(operator))
      throw new InvalidFilterRuleError(
        raw,
        `The operator for filtering by attributes must be one of ${ATTRIBUTE_OPERATORS.join(', ')}`,
      );
    if (operator === 'is_not_empty' && values.length > 0)
      throw new InvalidFilterRuleError(
        raw,
        'Values list must be empty if the operator is is_not_empty',
      );
    const allowed = FILTER_ATTRIBUTES[resource];
    if (!allowed.includes(key))
      throw new InvalidFilterRuleError(
        raw,
        `Allowed attributes to filter ${resource} by are ${allowed.join(', ')}`,
      );
    if (key === 'schedules' && operator !== 'is_not_empty')
      throw new InvalidFilterRuleError(
        raw,
        'Filtering by deployment schedules is only possible with the is_not_empty operator',
      );
  } else {
    throw new InvalidFilterRuleError(
      raw,
      `Filter rule type must be one of ${FILTER_RULE_TYPES.join(', ')}`,
    );
  }

  for (const value of values) {
    try {
      if (type === 'label') validateLabel(key, value);
      else validateResourceId(value, "attributes' filter rule value");
    } catch (error) {
      if (error instanceof BadParametersError) throw new InvalidFilterRuleError(raw, error.message);
      throw error;
    }
  }
  return {
    key: key.toLowerCase(),
    values: values as string[],
    operator: operator as FilterRule['operator'],
    type,
  };
}

/** Validates raw rules for a resource; duplicates are dropped, keys lower-cased. */
export function parseFilterRules(raw: unknown, resource: FilteredResource): FilterRule[] {
  if (!Array.isArray(raw)) throw new BadParametersError('filter_rules must be a list');
  const rules: FilterRule[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    const rule = parseOne(item, resource);
    const identity = JSON.stringify([rule.key, rule.values, rule.operator, rule.type]);
    if (seen.has(identity)) continue;
    seen.add(identity);
    rules.push(rule);
  }
  return rules;
}

/** A WHERE fragment with its named parameters. */
export interface SqlCondition {
  sql: string;
  params: Record<string, unknown>;
}

/** Where a resource's rules point in SQL: its key, its labels table, its attribute columns. */
export interface FilterTarget {
  /** Expression of the resource's `_storage_id`. */
  storageId: string;
  /** Table of its labels (with `key`, `value`, `_labeled_model_fk`). */
  labelsTable: string;
  /** Attribute name → SQL expression (text); missing attributes never match. */
  attributes: Record<string, string>;
}

/**
 * One condition ANDing every rule, or undefined without rules. Label semantics follow Cloudify:
 * `not_any_of` wants the key present with another value, `is_not` also accepts the key missing.
 */
export function filterRulesCondition(
  rules: readonly FilterRule[],
  target: FilterTarget,
  prefix = 'fr',
): SqlCondition | undefined {
  if (!rules.length) return undefined;
  const params: Record<string, unknown> = {};
  let counter = 0;
  const param = (value: unknown): string => {
    const name = `${prefix}${counter++}`;
    params[name] = value;
    return name;
  };
  const parts = rules.map((rule): string => {
    if (rule.type === 'label') {
      const keyName = param(rule.key);
      const labels = (extra: string) =>
        `(SELECT fl._labeled_model_fk FROM ${target.labelsTable} fl WHERE fl.key = :${keyName}${extra})`;
      const valuesIn = () => ` AND fl.value IN (:...${param(rule.values)})`;
      switch (rule.operator) {
        case 'any_of':
          return `${target.storageId} IN ${labels(valuesIn())}`;
        case 'not_any_of':
          return `${target.storageId} IN ${labels(` AND fl.value NOT IN (:...${param(rule.values)})`)}`;
        case 'is_null':
          return `${target.storageId} NOT IN ${labels('')}`;
        case 'is_not_null':
          return `${target.storageId} IN ${labels('')}`;
        default: // is_not
          return `${target.storageId} NOT IN ${labels(valuesIn())}`;
      }
    }
    const column = target.attributes[rule.key];
    if (!column) return 'FALSE';
    const each = (make: (name: string) => string, joiner: string) =>
      `(${rule.values.map((value) => make(param(value))).join(joiner)})`;
    switch (rule.operator) {
      case 'any_of':
        return `${column} IN (:...${param(rule.values)})`;
      case 'not_any_of':
        return `${column} NOT IN (:...${param(rule.values)})`;
      case 'contains':
        return each((name) => `${column} LIKE '%' || :${name} || '%'`, ' OR ');
      case 'not_contains':
        return each((name) => `${column} NOT LIKE '%' || :${name} || '%'`, ' AND ');
      case 'starts_with':
        return `(${rule.values
          .map((value) => `${column} ILIKE :${param(`${escapeLike(value)}%`)}`)
          .join(' OR ')})`;
      case 'ends_with':
        return `(${rule.values
          .map((value) => `${column} ILIKE :${param(`%${escapeLike(value)}`)}`)
          .join(' OR ')})`;
      default: // is_not_empty
        return `(${column} IS NOT NULL AND ${column} <> '')`;
    }
  });
  return { sql: parts.map((part) => `(${part})`).join(' AND '), params };
}
