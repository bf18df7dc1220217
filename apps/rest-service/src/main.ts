import { loadConfig } from '@nestify/config';
import { runMain } from '@nestify/runtime';
import { startRestService } from './rest-service.app';

runMain(() => startRestService(loadConfig()));
