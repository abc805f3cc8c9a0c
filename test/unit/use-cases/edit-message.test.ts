import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  ValidationError,
} from '../../../lambdas/domain/errors';
import { applySettingsPatch, DEFAULT_MODERATION_SETTINGS } from '../../../lambdas/domain/moderation/settings';
import { createRoom } from '../../../lambdas/use-cases/create-room';
import { editMessage, type EditMessageDeps } from '../../../lambdas/use-cases/edit-message';
import { joinRoom } from '../../../lambdas/use-cases/join-room';
import { sendMessage } from '../../../lambdas/use-cases/send-message';
import { alice, bob, carol, fakeWorld } from '../../support/fakes/chat';

const WINDOW_SECONDS = 900;

describe('editMessage', () => {
  let world: ReturnType<typeof fakeWorld>;
  let deps: EditMessageDeps;
  let roomId: string;

  beforeEach(async () => {
    world = fakeWorld();
    deps = { ...world.sendDeps, audit: world.audit, editWindowSeconds: WINDOW_SECONDS };
    await world.connections.saveConnection({ connectionId: 'c-alice', ...alice, connectedAt: '' }, []);
    await world.connections.saveConnection({ connectionId: 'c-bob', ...bob, connectedAt: '' }, []);
    roomId = (await createRoom(world.roomDeps, alice, { name: 'Lobby', visibility: 'public' })).room.roomId;
    await joinRoom(world.roomDeps, bob, { roomId });
  });

  const send = async (text: string, who = bob) => {
    const { message } = await sendMessage(world.sendDeps, who, { roomId, clientMessageId: `m-${text}`, text });
    world.gateway.posts.length = 0;
    world.audit.entries.length = 0;
    return message.messageId;
  };
  const edit = (messageId: string, text: string, who = bob) => editMessage(deps, who, { roomId, messageId, text });
  const quarantineProfanity = () =>
    world.settings.items.set(roomId, applySettingsPatch(DEFAULT_MODERATION_SETTINGS, { profanity: { action: 'quarantine' } }));
  const stored = (messageId: string) => world.messages.getMessage(roomId, messageId);

  it('replaces the text with an editedAt marker and tells every connection with messageUpdated', async () => {
    const messageId = await send('helo');
    world.clock.advance(5_000);

    const result = await edit(messageId, 'hello');

    const editedAt = new Date(world.clock.now()).toISOString();
    expect(result.decision).toBe('allowed');
    expect(await stored(messageId)).toMatchObject({ text: 'hello', editedAt, moderation: 'allowed' });
    expect(world.gateway.framesFor('c-alice')).toEqual([
      { type: 'messageUpdated', roomId, message: expect.objectContaining({ messageId, text: 'hello', editedAt }) },
    ]);
    expect(world.gateway.framesFor('c-bob')).toHaveLength(1);
  });

  it('records the edit in the audit trail without its text', async () => {
    const messageId = await send('helo');

    await edit(messageId, 'hello');

    expect(world.audit.entries).toEqual([
      expect.objectContaining({
        action: 'message.edited',
        actor: { type: 'user', id: bob.userId },
        target: { type: 'message', id: messageId },
        details: { decision: 'allowed', reasons: [], originalKept: true },
      }),
    ]);
    expect(JSON.stringify(world.audit.entries)).not.toContain('hello');
  });

  it('keeps the text members read before the edit for moderators, when the room keeps originals', async () => {
    const messageId = await send('first words');

    await edit(messageId, 'second words');

    expect(await world.originals.get(roomId, messageId)).toMatchObject({
      text: 'second words',
      previousText: 'first words',
      senderId: bob.userId,
    });
  });

  it('keeps no previous text when the room keeps no originals', async () => {
    world.settings.items.set(roomId, { ...DEFAULT_MODERATION_SETTINGS, keepOriginals: false });
    const messageId = await send('first words');

    await edit(messageId, 'second words');

    expect(await world.originals.get(roomId, messageId)).toBeUndefined();
  });

  it('moderates the new text like a send: redacted text reaches the others, never the original', async () => {
    const messageId = await send('call me');

    const result = await edit(messageId, 'mail me at bob@example.com');

    expect(result.decision).toBe('redacted');
    expect(await stored(messageId)).toMatchObject({ text: 'mail me at [email]', moderation: 'redacted', redacted: true });
    expect(JSON.stringify(world.gateway.posts)).not.toContain('bob@example.com');
  });

  it('withholds an edit moderation quarantines: plain members’ clients remove the message, moderators see it flagged', async () => {
    await world.connections.saveConnection({ connectionId: 'c-carol', ...carol, connectedAt: '' }, []);
    await joinRoom(world.roomDeps, carol, { roomId });
    quarantineProfanity();
    const messageId = await send('hi');

    const result = await edit(messageId, 'what the fuck');

    expect(result.decision).toBe('quarantined');
    expect(await stored(messageId)).toMatchObject({ moderation: 'quarantined', text: 'what the fuck' });
    expect(world.gateway.framesFor('c-carol')).toEqual([{ type: 'messageRemoved', roomId, messageId }]);
    expect(world.gateway.framesFor('c-alice')).toEqual([
      { type: 'messageUpdated', roomId, message: expect.objectContaining({ moderation: 'quarantined' }) },
    ]);
  });

  it('refuses someone else’s message and changes nothing', async () => {
    const messageId = await send('mine');

    await expect(edit(messageId, 'yours', alice)).rejects.toThrow(PermissionError);

    expect(await stored(messageId)).toMatchObject({ text: 'mine' });
    expect(world.gateway.posts).toEqual([]);
    expect(world.audit.entries).toEqual([]);
  });

  it('refuses an edit after the window and changes nothing', async () => {
    const messageId = await send('late');
    world.clock.advance(WINDOW_SECONDS * 1000 + 1);

    await expect(edit(messageId, 'later')).rejects.toThrow(ConflictError);

    expect(await stored(messageId)).toMatchObject({ text: 'late' });
    expect(await stored(messageId)).not.toHaveProperty('editedAt');
  });

  it('refuses to edit a quarantined message, whose text stays until a moderator acts', async () => {
    quarantineProfanity();
    const messageId = await send('what the fuck');

    await expect(edit(messageId, 'nothing to see')).rejects.toThrow(ConflictError);

    expect(await stored(messageId)).toMatchObject({ moderation: 'quarantined' });
  });

  it('refuses an unknown message, an oversize or blank text, and a non-member', async () => {
    const messageId = await send('ok');

    await expect(edit('01JD2Z8Q4M3V9X0K7F2B6C0000', 'x')).rejects.toThrow(NotFoundError);
    await expect(edit(messageId, 'x'.repeat(4097))).rejects.toThrow(PayloadTooLargeError);
    await expect(edit(messageId, '\u200B ')).rejects.toThrow(ValidationError);
    await expect(edit(messageId, 'x', carol)).rejects.toThrow(PermissionError);
    expect(await stored(messageId)).toMatchObject({ text: 'ok' });
  });

  it('refuses an edit made from a stale read, so concurrent edits never clobber each other', async () => {
    const messageId = await send('v1');
    const staleRead = await stored(messageId);
    await edit(messageId, 'v2');
    // A second editor read the message before the first edit landed.
    const staleMessages = Object.create(world.messages) as typeof world.messages;
    staleMessages.getMessage = async () => staleRead;

    await expect(editMessage({ ...deps, messages: staleMessages }, bob, { roomId, messageId, text: 'v3' })).rejects.toThrow(
      ConflictError,
    );

    expect(await stored(messageId)).toMatchObject({ text: 'v2' });
  });

  it('stores nothing and tells nobody for the same text', async () => {
    const messageId = await send('same');

    const result = await edit(messageId, 'same');

    expect(result.delivery).toBeUndefined();
    expect(await stored(messageId)).not.toHaveProperty('editedAt');
    expect(world.gateway.posts).toEqual([]);
  });

  it('resolves mentions again from the new text', async () => {
    const messageId = await send('hi @alice');
    expect(await stored(messageId)).toMatchObject({ mentions: [{ kind: 'member', id: alice.userId }] });

    await edit(messageId, 'hi everyone');

    expect(await stored(messageId)).not.toHaveProperty('mentions');
  });
});
