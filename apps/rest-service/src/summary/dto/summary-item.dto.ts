/**
 * One group of a summary: `{<target field>: value, <type>: count, "by <sub field>": [{<sub
 * field>: value, <type>: count}]}` — the keys depend on the request, e.g.
 * `{"blueprint_id": "bp", "deployments": 3}`.
 */
export class SummaryItemDto {
  [key: string]: unknown;
}
