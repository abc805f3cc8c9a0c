/**
 * `npm run smoke -- --outputs-file cdk-outputs.json` (a deployment) or
 * `npm run smoke -- --local` (the local runtime): the post-deploy smoke
 * test. Two people chat, read history, hear from an agent and see a
 * redaction over the real WebSocket; each step prints with its latency and
 * the first failure ends the run with exit code 1. `--help` lists the options.
 */
import { main } from './smoke/main';

const { exitCode } = await main(process.argv.slice(2), process.stdout);
// SDK clients and sockets may keep the event loop alive; the report is printed.
process.exit(exitCode);
