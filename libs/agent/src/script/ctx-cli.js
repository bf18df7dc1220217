#!/usr/bin/env node
// The `ctx` command scripts call (workflows.md §6): posts its arguments to the operation's ctx
// proxy (CTX_SOCKET_URL) and prints the answer. Plain Node with no dependencies, so it runs
// without a build step.
'use strict';
/* global require, process, Buffer */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const http = require('node:http');

const USAGE =
  'usage: ctx [-t TIMEOUT] [--socket-url URL] [-j|--json-output] [--json-arg-prefix PREFIX] args...';

/** Splits the command line into options and the arguments for the proxy. */
function parseCommandLine(argv) {
  const options = { timeout: 30, socketUrl: process.env.CTX_SOCKET_URL, json: false, prefix: '@' };
  let i = 0;
  const value = (name) => {
    if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
    i += 1;
    return argv[i];
  };
  for (; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-t' || arg === '--timeout') options.timeout = Number(value(arg));
    else if (arg === '--socket-url') options.socketUrl = value(arg);
    else if (arg === '-j' || arg === '--json-output') options.json = true;
    else if (arg === '--json-arg-prefix') options.prefix = value(arg);
    else if (arg === '--') {
      i += 1;
      break;
    } else break;
  }
  return { options, args: argv.slice(i) };
}

/** Arguments starting with the prefix are JSON (`@30`, `@'{"a":1}'`); the rest are strings. */
function decodeArgs(args, prefix) {
  return args.map((arg) => {
    if (!prefix || !arg.startsWith(prefix)) return arg;
    const text = arg.slice(prefix.length);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`argument ${arg} is not JSON after ${prefix}: ${error.message}`);
    }
  });
}

function post(url, body, timeoutSeconds) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      timeout: timeoutSeconds * 1000,
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutSeconds} s`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`ctx proxy answered HTTP ${response.statusCode}`));
          return;
        }
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
    });
    request.end(body);
  });
}

function format(payload, json) {
  if (json) return JSON.stringify(payload);
  if (payload === null || payload === undefined) return '';
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

async function main() {
  const { options, args } = parseCommandLine(process.argv.slice(2));
  if (!options.socketUrl)
    throw new Error('CTX_SOCKET_URL is not set (is this run by an operation?)');
  if (args.length === 0) throw new Error(USAGE);
  const body = JSON.stringify({ args: decodeArgs(args, options.prefix) });
  const answer = await post(options.socketUrl, body, options.timeout);
  if (answer.type === 'result') {
    const text = format(answer.payload, options.json);
    if (text !== '') process.stdout.write(`${text}\n`);
    return 0;
  }
  if (answer.type === 'stop_operation') {
    process.stderr.write(`${answer.payload.message}\n`);
    return 1;
  }
  const error = answer.payload || {};
  process.stderr.write(`ctx: ${error.type || 'Error'}: ${error.message}\n`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`ctx: ${error.message}\n`);
    process.exit(1);
  },
);
