import { loadConfig } from '@nestify/config';
import { runMain } from '@nestify/runtime';
import { startMgmtworker } from './mgmtworker.app';

runMain(() => startMgmtworker(loadConfig()));
