import { loadConfig } from '@nestify/config';
import { runMain } from '@nestify/runtime';
import { startRiemannPolicy } from './riemann-policy.app';

runMain(() => startRiemannPolicy(loadConfig()));
