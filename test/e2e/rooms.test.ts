import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, joinRoom, type Person, screenshot, send, texts } from './support/browser';

/**
 * Room administration in a real headless Chromium against the local
 * runtime: an owner's settings, a room link for someone outside the room,
 * and a ban as the banned person sees it. Screenshots land in test-results/web/.
 */
const soon = { timeout: 20_000, interval: 100 };

describe('room administration in the web client', () => {
  const suite = browserSuite();
  const { person } = suite;
  /** Accepts the page's confirmation dialogs from now on (the default dismisses them). */
  const acceptDialogs = (p: Person) => {
    p.page.removeAllListeners('dialog');
    p.page.on('dialog', (dialog) => void dialog.accept());
  };

  it('lets the owner rename a room, and members see the new name at once', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const roomId = await createRoom(alice.page, 'Garden');
    await joinRoom(bob.page, roomId);

    await alice.page.getByRole('tab', { name: 'Settings' }).click();
    const settings = alice.page.getByRole('form', { name: 'Room settings' });
    await settings.getByLabel('Name').fill('Rose garden');
    await settings.getByLabel('Topic').fill('Pruning and planting');
    await settings.getByRole('button', { name: 'Update room' }).click();

    await alice.page.locator('#room-title', { hasText: 'Rose garden' }).waitFor();
    await bob.page.locator('#room-title', { hasText: 'Rose garden' }).waitFor();
    await expect.poll(() => bob.page.locator('#rooms-panel .room-name').allInnerTexts(), soon).toContain('Rose garden');
    expect(await bob.page.getByRole('form', { name: 'Room settings' }).isVisible()).toBe(false);
    await screenshot(alice.page, 'rooms-settings-owner');
  });

  it('moves the address to a new room at once, so another room’s link works while the new one still loads', async () => {
    const dan = await person('dan');
    const first = await createRoom(dan.page, 'Orchard');
    const hash = () => dan.page.evaluate(() => location.hash);
    // A slow network: the new room's members (and anything else's) take their time.
    const release = dan.hold('listMembers');
    await dan.page.getByLabel('Room name').fill('Meadow');
    await dan.page.getByRole('button', { name: 'Create room' }).click();
    await dan.page.locator('#room-title', { hasText: 'Meadow' }).waitFor();
    expect(await hash()).toMatch(/^#\/room\//);
    expect(await hash()).not.toBe(`#/room/${encodeURIComponent(first)}`);

    await dan.page.getByRole('link', { name: /^Orchard/ }).click();
    await dan.page.locator('#room-title', { hasText: 'Orchard' }).waitFor();
    release();
    // Meadow's creation finishes (its form empties) and leaves the person where they went.
    await expect.poll(() => dan.page.getByLabel('Room name').inputValue(), soon).toBe('');
    expect(await hash()).toBe(`#/room/${encodeURIComponent(first)}`);
    expect(await dan.page.locator('#room-title').innerText()).toBe('Orchard');
    expect(dan.incidents).toEqual([]);
  }, 90_000);

  it('keeps the next room’s name typed while the one before is still being created', async () => {
    const ida = await person('ida');
    const release = ida.hold('createRoom');
    await ida.page.getByLabel('Room name').fill('Hay barn');
    await ida.page.getByRole('button', { name: 'Create room' }).click();
    await ida.page.getByLabel('Room name').fill('Hay loft');
    release();
    await ida.page.locator('#room-title', { hasText: 'Hay barn' }).waitFor();
    // One room made, the one asked for; the name typed since is still there, not sent.
    await expect.poll(async () => (await ida.page.locator('#rooms-panel .room-name').allInnerTexts()).filter((n) => n.startsWith('Hay')), soon).toEqual(['Hay barn']);
    expect(await ida.page.getByLabel('Room name').inputValue()).toBe('Hay loft');
    expect(ida.incidents).toEqual([]);
  }, 90_000);

  it('shows someone outside a public room a preview with a Join button, and nothing broken', async () => {
    const carol = await person('carol');
    const dan = await person('dan');
    const roomId = await createRoom(carol.page, 'Open house');
    await send(carol.page, 'Welcome, everyone');
    await expect.poll(() => texts(carol.page), soon).toEqual(['Welcome, everyone']);

    await dan.page.goto(`${suite.parley.webUrl}#/room/${encodeURIComponent(roomId)}`);
    const preview = dan.page.locator('.room-preview');
    await preview.getByText('1 member').waitFor();
    await expect.poll(() => preview.locator('.message .text').allInnerTexts(), soon).toEqual(['Welcome, everyone']);
    expect(await dan.page.locator('.notice-error').count()).toBe(0);
    expect(await dan.page.getByRole('button', { name: /older/i }).count()).toBe(0);
    await screenshot(dan.page, 'rooms-preview');

    await preview.getByRole('button', { name: 'Join this room' }).click();
    await dan.page.locator('.room-meta', { hasText: 'you are member' }).waitFor();
    expect(await preview.isVisible()).toBe(false);
    await expect.poll(() => texts(dan.page), soon).toEqual(['Welcome, everyone']);

    await dan.page.goto(`${suite.parley.webUrl}#/room/no-such-room`);
    await dan.page.getByText('This room does not exist, or you do not have access to it.').waitFor();
    expect(await dan.page.locator('.notice-error').count()).toBe(0);
    // Two people, a room, a message, a preview, a join and a dead link: about 15 s alone, twice that on a loaded machine.
  }, 90_000);

  it('says again what a public game room is when someone who left it is offered to join', async () => {
    const fern = await person('fern');
    const gus = await person('gus');
    const roomId = await createRoom(fern.page, 'Bot or not', { mode: 'imposter' });
    await joinRoom(gus.page, roomId);

    await gus.page.getByRole('button', { name: 'Leave room' }).click();
    // The public room stays listed and open, with a Join button under its mode's notice.
    const prompt = gus.page.locator('.join-prompt');
    await prompt.waitFor();
    expect(await prompt.getByRole('note', { name: 'Before you join' }).innerText()).toMatch(/Imposter game[\s\S]*hidden AI/);
    await prompt.getByRole('button', { name: 'Join this room' }).click();
    await gus.page.locator('.room-meta', { hasText: 'you are member' }).waitFor();
    expect(await prompt.isVisible()).toBe(false);
    for (const p of [fern, gus]) expect(p.incidents).toEqual([]);
  }, 90_000);

  it('tells a banned person why the room went, and does not let them back in', async () => {
    const erin = await person('erin');
    const frank = await person('frank');
    acceptDialogs(erin);
    const roomId = await createRoom(erin.page, 'Quiet room');
    await joinRoom(frank.page, roomId);
    await erin.page.locator('.member-list .member', { hasText: 'frank' }).waitFor();

    await erin.page.getByRole('button', { name: 'Ban frank' }).click();

    await frank.page.getByText('You were banned from Quiet room.').waitFor();
    await frank.page.locator('.room-banned').waitFor();
    expect(await frank.page.locator('.member-list .member').count()).toBe(0);
    await expect.poll(() => frank.page.locator('#rooms-panel .room-list .room-name').allInnerTexts(), soon).not.toContain('Quiet room');
    await screenshot(frank.page, 'rooms-banned');

    await frank.page.getByLabel('Room id').fill(roomId);
    await frank.page.getByRole('button', { name: 'Join', exact: true }).click();
    await frank.page.getByText('Could not join: You are banned from this room.').waitFor();
    await expect.poll(() => erin.page.locator('.member-list .member').allInnerTexts(), soon).toEqual([expect.stringMatching(/^erin \(you\)/)]);
  });
});
