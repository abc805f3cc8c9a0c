import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JoseGuestTokens } from '../../lambdas/adapters/secrets/guest-token-signer';
import { GUEST_TOKEN_TTL_SECONDS } from '../../lambdas/domain/guests';
import { ConnectionRefusedError, type Frame, type LocalParleyProcess, startLocalParley, type TestClient } from '../support/local-parley';

/**
 * Guests through the front door: an owner lets guests in, a guest gets a
 * token and connects over a real WebSocket, and members see what guests post.
 */
describe('guests on the local runtime', () => {
  let parley: LocalParleyProcess;
  let owner: TestClient;
  let member: TestClient;
  let roomId: string;
  let otherRoomId: string;
  let issue: (roomId: string, name: string) => Promise<string>;
  const isMessage = (f: Frame) => f.type === 'message' && f['roomId'] === roomId;

  beforeAll(async () => {
    parley = await startLocalParley();
    issue = await tokenIssuer(parley);
    owner = await parley.connect('olga');
    member = await parley.connect('milo');
    ({ room: { roomId } } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'open house', visibility: 'public' }));
    ({ room: { roomId: otherRoomId } } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'back office', visibility: 'public' }));
    await member.ok('joinRoom', { roomId });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('lets a guest into a room that allows posting; members see the guest’s message marked as a guest’s', async () => {
    const updated = await owner.ok<{ room: { guestAccess: string } }>('updateRoom', { roomId, guestAccess: 'post' });
    expect(updated.room.guestAccess).toBe('post');
    await owner.ok('sendMessage', { roomId, text: 'welcome, visitors', clientMessageId: 'w1' });

    const guest = await parley.connect({ query: `token=${await issue(roomId, 'Ada')}` });
    const history = await guest.ok<{ items: Array<{ text: string }> }>('getHistory', { roomId });
    expect(history.items.map((m) => m.text)).toContain('welcome, visitors');
    await guest.ok('sendMessage', { roomId, text: 'hello from the widget', clientMessageId: 'g1' });

    const seen = await member.waitFor((f) => isMessage(f) && (f['message'] as { text: string }).text === 'hello from the widget');
    expect(seen['message']).toMatchObject({ senderName: 'Ada (guest)', senderId: expect.stringMatching(/^guest-/) });
  });

  it('refuses the next guest message once the owner makes guests read-only', async () => {
    const guest = await parley.connect({ query: `token=${await issue(roomId, 'Bea')}` });
    await guest.ok('sendMessage', { roomId, text: 'first', clientMessageId: 'b1' });

    await owner.ok('updateRoom', { roomId, guestAccess: 'read' });
    const refused = await guest.request('sendMessage', { roomId, text: 'second', clientMessageId: 'b2' });

    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN', message: 'Guests can read this room but not post in it.' });
    // Still a reader: the history answers.
    await guest.ok('getHistory', { roomId });
    await owner.ok('updateRoom', { roomId, guestAccess: 'post' });
  });

  it('keeps a guest of room A out of room B and out of everything guests do not have', async () => {
    await owner.ok('updateRoom', { roomId: otherRoomId, guestAccess: 'post' });
    const guest = await parley.connect({ query: `token=${await issue(roomId, 'Cy')}` });

    const elsewhere = await guest.request('getHistory', { roomId: otherRoomId });
    const posting = await guest.request('sendMessage', { roomId: otherRoomId, text: 'hi', clientMessageId: 'c1' });
    const creating = await guest.request('createRoom', { name: 'mine' });
    const joining = await guest.request('joinRoom', { roomId: otherRoomId });

    for (const frame of [elsewhere, posting, creating, joining]) expect(frame).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });

  it('refuses a guest connection once the room lets no guests in', async () => {
    const token = await issue(otherRoomId, 'Dee');
    await owner.ok('updateRoom', { roomId: otherRoomId, guestAccess: 'off' });

    await expect(parley.connect({ query: `token=${token}` })).rejects.toBeInstanceOf(ConnectionRefusedError);
  });

  it('lists the guest as a member with the guest role', async () => {
    const page = await owner.ok<{ members: Array<{ displayName: string; role: string }> }>('listMembers', { roomId });

    expect(page.members).toEqual(expect.arrayContaining([expect.objectContaining({ displayName: 'Ada (guest)', role: 'guest' })]));
  });
});

/**
 * Signs guest tokens as the runtime's token function does, with the secret
 * the runtime's Secrets Manager holds for the stacks' guest token secret.
 */
async function tokenIssuer(parley: LocalParleyProcess): Promise<(roomId: string, name: string) => Promise<string>> {
  const cdkOut = resolve(import.meta.dirname, '../../.parley/test-cdk.out/parley');
  const statefulTemplate = readdirSync(cdkOut).find((file) => /Stateful\.template\.json$/.test(file)) as string;
  const resources = (JSON.parse(readFileSync(join(cdkOut, statefulTemplate), 'utf8')) as { Resources: Record<string, { Type: string; Properties?: { Description?: string } }> }).Resources;
  const secretId = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::SecretsManager::Secret' && r.Properties?.Description?.startsWith('Signs Parley guest tokens'),
  )?.[0] as string;
  const endpoint = (parley.services.find((s) => s.name === 'Secrets Manager')?.url ?? '').split(' ')[0] as string;
  const client = new SecretsManagerClient({ endpoint, region: parley.region, credentials: { accessKeyId: 'parleylocal', secretAccessKey: 'parleylocal' } });
  const secret = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString as string;
  const tokens = new JoseGuestTokens(async () => secret, 'parley-local');
  let n = 0;
  return (roomId, name) => {
    n += 1;
    return tokens.sign({ sub: `guest-it${n}`, room: roomId, name, exp: Math.floor(Date.now() / 1000) + GUEST_TOKEN_TTL_SECONDS }, Date.now());
  };
}
