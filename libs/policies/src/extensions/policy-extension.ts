/** What an extension class provides to the policy engine. */
export type PolicyExtensionKind = 'policy-type' | 'trigger';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any class
const kinds = new WeakMap<Function, PolicyExtensionKind>();

/**
 * Marks a class as a policy trigger (it implements `TriggerType`). Provide it in any Nest module
 * the policy engine imports and the engine registers it under its `name` at start-up.
 */
export function PolicyTrigger(): ClassDecorator {
  return (target) => {
    kinds.set(target, 'trigger');
  };
}

/** Marks a class as a policy type (it implements `PolicyType`); see PolicyTrigger. */
export function PolicyTypeExtension(): ClassDecorator {
  return (target) => {
    kinds.set(target, 'policy-type');
  };
}

/** The kind a class was marked with, if any. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any class
export function policyExtensionKind(type: Function): PolicyExtensionKind | undefined {
  return kinds.get(type);
}
