import { describe, expect, it } from 'vitest';
import type { TestClient } from '../support/local-parley';
import { until } from '../support/wait';
import { browserSuite, screenshot, texts } from './support/browser';

/**
 * The review queue in a real headless Chromium against the local runtime:
 * a message held long before the history the tab loads is in the owner's
 * queue all the same (Parley lists it), a held message arriving live joins
 * it, and approving or rejecting empties it. Screenshots land in
 * test-results/web/.
 */
const soon = { timeout: 20_000, interval: 100 };

describe('the review queue in the web client', () => {
  const suite = browserSuite();

  it('shows a message held before the loaded history, adds one held live, and empties as the owner decides', async () => {
    // The room and its history come over sockets, before the owner's tab opens it.
    const owner = await suite.parley.connect('olive');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'Reviewed' });
    const roomId = room.roomId;
    await owner.ok('setModerationSettings', { roomId, settings: { profanity: { action: 'quarantine' } } });
    const members: TestClient[] = [];
    for (const name of ['pia', 'quin', 'rosa', 'sven', 'tara', 'ugo']) {
      const member = await suite.parley.connect(name);
      await member.ok('joinRoom', { roomId });
      members.push(member);
    }
    const [pia] = members as [TestClient];
    await pia.ok('sendMessage', { roomId, clientMessageId: 'held-old', text: 'this old one is bullshit' });
    // More than the 50 messages a tab loads, from six people so none of them runs into the send rate limit.
    for (const [i, member] of members.entries()) {
      for (let n = 0; n < 9; n += 1) await member.ok('sendMessage', { roomId, clientMessageId: `clean-${n}`, text: `clean ${i}.${n}` });
    }
    await until(
      () => owner.ok<{ items: unknown[] }>('listHeldMessages', { roomId }),
      (page) => page.items.length === 1,
    );

    const olive = await suite.person('olive');
    await olive.page.getByRole('link', { name: /^Reviewed/ }).click();
    await olive.page.locator('#room-title', { hasText: 'Reviewed' }).waitFor();
    await olive.page.getByRole('tab', { name: 'Moderation', exact: true }).click();
    const held = olive.page.locator('.held-list .tool-item');

    await held.filter({ hasText: 'this old one is bullshit' }).waitFor(soon);
    expect(await held.count()).toBe(1);
    expect(await texts(olive.page)).not.toContain('this old one is bullshit');

    await pia.ok('sendMessage', { roomId, clientMessageId: 'held-new', text: 'and this new one is bullshit' });
    await expect.poll(() => held.count(), soon).toBe(2);
    await screenshot(olive.page, 'held-queue');

    await held.filter({ hasText: 'old one' }).getByRole('button', { name: /^Approve/ }).click();
    await held.filter({ hasText: 'new one' }).getByRole('button', { name: /^Reject/ }).click();
    await expect.poll(() => held.count(), soon).toBe(0);
    await olive.page.getByText('Nothing is waiting for review.').waitFor(soon);
    const after = await owner.ok<{ items: unknown[] }>('listHeldMessages', { roomId });
    expect(after.items).toEqual([]);
    expect(olive.incidents).toEqual([]);
  }, 180_000);
});
