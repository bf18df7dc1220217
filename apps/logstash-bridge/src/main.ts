import { loadConfig } from '@nestify/config';
import { runMain } from '@nestify/runtime';
import { startLogstashBridge } from './logstash-bridge.app';

runMain(() => startLogstashBridge(loadConfig()));
