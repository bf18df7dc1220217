import { loadConfig } from '@nestify/config';
import { runMain } from '@nestify/runtime';
import { startStandalone } from './standalone';

runMain(() => startStandalone(loadConfig()));
