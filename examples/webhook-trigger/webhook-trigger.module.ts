import { Module } from '@nestjs/common';
import { WebhookTrigger } from './webhook.trigger';

/**
 * The example extension: import it into the policy engine —
 * `startRiemannPolicy(config, { extensions: [WebhookTriggerModule] })` — and the engine finds the
 * `@PolicyTrigger()` provider and registers it under its name.
 */
@Module({ providers: [WebhookTrigger] })
export class WebhookTriggerModule {}
