/**
 * `npm run token -- <name>`: prints a token for <name>, signed by the local
 * identity provider's key in the data folder, that the local runtime's
 * authorizer accepts. The same name always gets the same user id.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadIdentityProvider } from './local/identity/identity-provider';

const { values, positionals } = parseArgs({
  options: { data: { type: 'string' }, days: { type: 'string', default: '30' } },
  allowPositionals: true,
});
const name = positionals.join(' ').trim();
if (name === '') {
  process.stderr.write('Usage: npm run token -- <name> [--days 30] [--data .parley]\n');
  process.exit(2);
}
const days = Number(values.days);
if (!Number.isFinite(days) || days <= 0) {
  process.stderr.write('--days must be a positive number.\n');
  process.exit(2);
}
const identity = await loadIdentityProvider(resolve(values.data ?? process.env['PARLEY_DATA_DIR'] ?? '.parley'));
process.stdout.write(`${await identity.issueToken(name, { expiresInSeconds: Math.round(days * 86_400) })}\n`);
