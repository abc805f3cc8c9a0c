import { beforeAll, describe, expect, it } from 'vitest';
import type { ValidateFunction } from 'ajv';
import { frameSchema, frameSchemas } from '../../lambdas/domain/frame-schemas';
import { banMember } from '../../lambdas/use-cases/ban-member';
import { createRoom } from '../../lambdas/use-cases/create-room';
import { deleteRoom } from '../../lambdas/use-cases/delete-room';
import { editMessage } from '../../lambdas/use-cases/edit-message';
import { inviteMember } from '../../lambdas/use-cases/invite-member';
import { joinRoom } from '../../lambdas/use-cases/join-room';
import { leaveRoom } from '../../lambdas/use-cases/leave-room';
import { declineInvitation } from '../../lambdas/use-cases/people/decline-invitation';
import { revokeInvitation } from '../../lambdas/use-cases/people/revoke-invitation';
import { markRead } from '../../lambdas/use-cases/presence/mark-read';
import { sendTyping } from '../../lambdas/use-cases/presence/send-typing';
import { removeMember } from '../../lambdas/use-cases/remove-member';
import { sendMessage } from '../../lambdas/use-cases/send-message';
import { setRole } from '../../lambdas/use-cases/set-role';
import { transferOwnership } from '../../lambdas/use-cases/transfer-ownership';
import { updateProfile } from '../../lambdas/use-cases/update-profile';
import { updateRoom } from '../../lambdas/use-cases/update-room';
import { alice, bob, carol, FakeRateLimiter, fakeWorld } from '../support/fakes/chat';
import { FakeReadStates } from '../support/fakes/presence';
import { readSpec, specAjv } from '../support/spec-cases';

/**
 * The frames real use cases deliver, over fakes, against the published
 * frame schemas: each must be valid under its message in docs/asyncapi.json
 * and carry no field the schema leaves out (zod's parse keeps only declared
 * fields, so a frame equal to its parse has nothing undocumented).
 */

const dave = { userId: 'u-dave', displayName: 'Dave' };
const spec = readSpec('docs/asyncapi.json');
const messages = (spec['components'] as { messages: Record<string, { payload: object }> }).messages;
const ajv = specAjv();
const validators = new Map<string, ValidateFunction>();
const specValidatorOf = (type: string): ValidateFunction | undefined => {
  const message = messages[`${type}Frame`];
  if (message === undefined) return undefined;
  if (!validators.has(type)) validators.set(type, ajv.compile(message.payload));
  return validators.get(type);
};

/** A room's life, from creation to deletion, through the use cases that tell people about it. */
async function deliveredFrames(): Promise<Array<Record<string, unknown>>> {
  const world = fakeWorld();
  for (const [connectionId, who] of [
    ['c-alice', alice],
    ['c-bob', bob],
    ['c-carol', carol],
    ['c-dave', dave],
  ] as const) {
    await world.connections.saveConnection({ connectionId, ...who, connectedAt: '' }, []);
    await world.profiles.ensureProfile({ ...who, createdAt: '2026-12-01T00:00:00.000Z' });
  }
  const deps = world.roomDeps;
  const { roomId } = (await createRoom(deps, alice, { name: 'Lobby', visibility: 'public' })).room;
  await joinRoom(deps, bob, { roomId });
  await joinRoom(deps, carol, { roomId });
  await setRole(deps, alice, { roomId, userId: bob.userId, role: 'moderator' });
  const { message } = await sendMessage(world.sendDeps, bob, { roomId, clientMessageId: 'm1', text: 'hello @carol' });
  await sendMessage(world.sendDeps, carol, { roomId, clientMessageId: 'm2', text: 'mail me at carol@example.com' });
  await editMessage({ ...world.sendDeps, audit: world.audit, editWindowSeconds: 600 }, bob, {
    roomId,
    messageId: message.messageId,
    text: 'hello again',
  });
  await sendTyping({ ...deps, typingLimiter: new FakeRateLimiter(true) }, carol, { roomId });
  await markRead({ ...deps, readStates: new FakeReadStates() }, carol, { roomId, messageId: message.messageId }, 'c-carol-2');
  await updateProfile(deps, carol, { displayName: 'Caroline' });
  await updateRoom(deps, alice, { roomId, topic: 'All welcome' });
  await inviteMember(deps, alice, { roomId, userId: dave.userId, role: 'member' });
  await revokeInvitation(deps, alice, { roomId, userId: dave.userId });
  await inviteMember(deps, alice, { roomId, userId: dave.userId, role: 'guest' });
  await declineInvitation(deps, dave, { roomId });
  await banMember(deps, bob, { roomId, userId: carol.userId, reason: 'Spam' });
  await transferOwnership(deps, alice, { roomId, userId: bob.userId });
  await leaveRoom(deps, alice, { roomId });
  await joinRoom(deps, alice, { roomId });
  await removeMember(deps, bob, { roomId, userId: alice.userId });
  await deleteRoom(deps, bob, { roomId, confirm: 'Lobby' });
  return world.gateway.posts.map((post) => post.frame as Record<string, unknown>);
}

describe('frames delivered by the use cases', () => {
  let frames: Array<Record<string, unknown>>;

  beforeAll(async () => {
    frames = await deliveredFrames();
  });

  it('cover the room, message, people and presence frames', () => {
    const types = new Set(frames.map((frame) => frame['type']));

    expect([...types].sort()).toEqual(
      expect.arrayContaining([
        'invitation',
        'invitationDeclined',
        'invitationRevoked',
        'message',
        'messageUpdated',
        'readState',
        'roomAdded',
        'roomEvent',
        'roomRemoved',
        'roomUpdated',
        'typing',
      ]),
    );
  });

  it('are each valid under their message of the AsyncAPI document', () => {
    for (const frame of frames) {
      const validate = specValidatorOf(String(frame['type']));
      expect(validate, `no schema for ${String(frame['type'])}`).toBeDefined();
      expect(validate?.(frame), `${JSON.stringify(frame)}: ${JSON.stringify(validate?.errors)}`).toBe(true);
    }
  });

  it('carry no field their schema leaves out', () => {
    for (const frame of frames) {
      expect(frameSchema.parse(frame)).toEqual(frame);
    }
  });

  it('would be caught with a field of the wrong type', () => {
    const frame = frames.find((f) => f['type'] === 'message')!;
    const broken = { ...frame, message: { ...(frame['message'] as object), createdAt: 7 } };

    expect(specValidatorOf('message')?.(broken)).toBe(false);
    expect(frameSchemas.message.safeParse(broken).success).toBe(false);
  });
});
