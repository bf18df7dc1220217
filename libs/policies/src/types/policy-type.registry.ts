import { ewmaType } from './ewma.type';
import { hostFailureType } from './host-failure.type';
import { PolicyType } from './policy-type';
import { thresholdType } from './threshold.type';

/** Policy types by name: the built-in ones, plus those registered by extensions. */
export class PolicyTypeRegistry {
  private readonly types = new Map<string, PolicyType>();

  constructor(types: PolicyType[] = BUILTIN_POLICY_TYPES) {
    for (const type of types) this.register(type);
  }

  register(type: PolicyType): void {
    this.types.set(type.name, type);
  }

  get(name: string): PolicyType | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()];
  }
}

export const BUILTIN_POLICY_TYPES: PolicyType[] = [thresholdType, ewmaType, hostFailureType];
