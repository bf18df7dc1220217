#!/usr/bin/env node
// Process mode: runs rest-service, logstash-bridge, riemann-policy and N mgmtworkers as separate
// OS processes against a real PostgreSQL and RabbitMQ, prefixes their output, restarts a crashed
// one with back-off and stops them all on SIGINT/SIGTERM. See docs/cluster.md.
//
//   node scripts/cluster.js [--workers N] [--dist DIR | --from-sources]
//
// Env: CLUSTER_WORKERS (N, default 2), NESTIFY_DIST_DIR (compiled tree, default ./dist),
// CLUSTER_FROM_SOURCES=1 (run the TypeScript sources through ts-node instead).
'use strict';
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { createInterface } = require('node:readline');

const ROOT = join(__dirname, '..');
/** Restart delay after a crash: doubles from the first to the last, reset after a stable run. */
const BACKOFF_MS = { first: 500, max: 30000, stableAfter: 30000 };
/** How long a child gets to close cleanly on shutdown before SIGKILL. */
const STOP_TIMEOUT_MS = 15000;

function fail(message) {
  process.stderr.write(`cluster: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv, env) {
  const options = {
    workers: env.CLUSTER_WORKERS ?? '2',
    dist: env.NESTIFY_DIST_DIR ?? join(ROOT, 'dist'),
    fromSources: env.CLUSTER_FROM_SOURCES === '1',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '--workers') options.workers = value();
    else if (arg.startsWith('--workers=')) options.workers = arg.slice('--workers='.length);
    else if (arg === '--dist') options.dist = value();
    else if (arg === '--from-sources') options.fromSources = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: cluster [--workers N] [--dist DIR | --from-sources]\n');
      process.exit(0);
    } else fail(`unknown argument ${arg}`);
  }
  const workers = Number(options.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    fail(`--workers must be an integer from 1 to 64, not "${options.workers}"`);
  }
  return { ...options, workers, dist: resolve(options.dist) };
}

/** The command line of one app: its compiled main.js, or its main.ts through ts-node. */
function commandOf(app, options) {
  if (options.fromSources) {
    const args = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];
    return [...args, join('apps', app, 'src', 'main.ts')];
  }
  const main = join(options.dist, 'apps', app, 'src', 'main.js');
  if (!existsSync(main)) fail(`${main} not found: run \`npm run build\` or pass --from-sources`);
  return [main];
}

/**
 * The children and what sets each apart. Every process gets the whole environment, so each
 * opens only its own Prometheus listener; mgmtworkers get consecutive ports from
 * MGMTWORKER_METRICS_PORT (8103 by default; 0 keeps every listener off).
 */
function childSpecs(options, env) {
  const metricsBase = Number(env.MGMTWORKER_METRICS_PORT ?? 8103);
  const specs = [
    { name: 'rest-service', app: 'rest-service', env: {} },
    { name: 'logstash-bridge', app: 'logstash-bridge', env: {} },
    { name: 'riemann-policy', app: 'riemann-policy', env: {} },
  ];
  for (let i = 0; i < options.workers; i++) {
    const port = metricsBase === 0 ? 0 : metricsBase + i;
    specs.push({
      name: `mgmtworker-${i + 1}`,
      app: 'mgmtworker',
      env: { MGMTWORKER_METRICS_PORT: String(port) },
    });
  }
  return specs;
}

function log(message) {
  process.stdout.write(`[cluster] ${message}\n`);
}

/** Copies a stream line by line with `[name] ` in front. */
function prefixLines(stream, name, out) {
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
    out.write(`[${name}] ${line}\n`),
  );
}

class Supervisor {
  constructor(options, env) {
    this.options = options;
    this.env = env;
    this.stopping = false;
    this.children = childSpecs(options, env).map((spec) => ({
      ...spec,
      args: commandOf(spec.app, options),
      process: undefined,
      startedAt: 0,
      delay: BACKOFF_MS.first,
      timer: undefined,
    }));
  }

  start() {
    for (const child of this.children) this.spawn(child);
  }

  spawn(child) {
    child.timer = undefined;
    const proc = spawn(process.execPath, child.args, {
      cwd: ROOT,
      env: { ...this.env, ...child.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.process = proc;
    child.startedAt = Date.now();
    log(`${child.name} started pid ${proc.pid}`);
    prefixLines(proc.stdout, child.name, process.stdout);
    prefixLines(proc.stderr, child.name, process.stderr);
    proc.on('exit', (code, signal) => this.exited(child, proc, code, signal));
  }

  exited(child, proc, code, signal) {
    if (child.process !== proc) return;
    child.process = undefined;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.stopping) {
      log(`${child.name} stopped (${how})`);
      this.maybeDone();
      return;
    }
    // A run that lasted resets the back-off: only a crash loop waits long.
    if (Date.now() - child.startedAt >= BACKOFF_MS.stableAfter) child.delay = BACKOFF_MS.first;
    log(`${child.name} exited (${how}); restarting in ${child.delay} ms`);
    child.timer = setTimeout(() => this.spawn(child), child.delay);
    child.delay = Math.min(child.delay * 2, BACKOFF_MS.max);
  }

  stop(signal) {
    if (this.stopping) {
      // A second signal: no more waiting.
      log(`${signal} again: killing every child`);
      for (const child of this.children) child.process?.kill('SIGKILL');
      return;
    }
    this.stopping = true;
    log(`${signal}: stopping every child`);
    for (const child of this.children) {
      clearTimeout(child.timer);
      child.process?.kill('SIGTERM');
    }
    setTimeout(() => {
      for (const child of this.children) {
        if (child.process) log(`${child.name} did not stop in time: SIGKILL`);
        child.process?.kill('SIGKILL');
      }
    }, STOP_TIMEOUT_MS).unref();
    this.maybeDone();
  }

  maybeDone() {
    if (this.stopping && this.children.every((child) => !child.process)) {
      log('all stopped');
      process.exit(0);
    }
  }
}

function main() {
  const env = { ...process.env };
  const options = parseArgs(process.argv.slice(2), env);
  // Without them each process would embed its own database and bus: nothing would be shared.
  const missing = ['DATABASE_URL', 'AMQP_URL'].filter((name) => !env[name]);
  if (missing.length > 0) {
    fail(`${missing.join(' and ')} must be set: process mode needs a real PostgreSQL and RabbitMQ`);
  }
  const supervisor = new Supervisor(options, env);
  process.on('SIGINT', () => supervisor.stop('SIGINT'));
  process.on('SIGTERM', () => supervisor.stop('SIGTERM'));
  log(`starting ${supervisor.children.length} processes (${options.workers} mgmtworkers)`);
  supervisor.start();
}

main();
