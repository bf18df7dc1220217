/** A jsonb column holding an object (inputs, properties, runtime properties, plans…). */
export type JsonObject = Record<string, unknown>;
