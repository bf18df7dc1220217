import { loadConfig } from '@nestify/config';
import { runMain } from '@nestify/runtime';
import { startStandalone, stopAll } from './standalone';

runMain(async () => {
  const apps = await startStandalone(loadConfig());
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void stopAll(apps).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return apps;
});
