import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, screenshot, send, texts } from './support/browser';

/**
 * Finding people and invitations in a real headless Chromium against the
 * local runtime, each person in their own browser context (bob in two tabs).
 */
const soon = { timeout: 20_000, interval: 100 };

describe('people and invitations in the web client', () => {
  const suite = browserSuite();
  const { person, people } = suite;

  it('lets alice invite bob by typing part of his name; bob sees it live in two tabs, accepts, and they chat', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const bobsOtherTab = await bob.context.newPage();
    // A sign-in is kept per tab: the second tab signs in too.
    await bobsOtherTab.goto(suite.parley.webUrl);
    await bobsOtherTab.getByLabel('Your name').fill('bob');
    await bobsOtherTab.getByRole('button', { name: 'Sign in' }).click();
    await bobsOtherTab.locator('.status[data-status="online"]').waitFor();

    // A private room, so only an invitation lets bob in.
    await createRoom(alice.page, 'Secret garden', { private: true });

    // Find bob by typing "bo", choose him with the keyboard, invite.
    const search = alice.page.getByRole('combobox', { name: 'Name (or user id)' });
    await search.fill('bo');
    const option = alice.page.getByRole('option', { name: 'bob' });
    await option.waitFor();
    await search.press('ArrowDown');
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await search.press('Enter');
    expect(await search.inputValue()).toBe('bob');
    await alice.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await alice.page.locator('.notice', { hasText: 'Invited bob as member.' }).waitFor();

    // Both of bob's tabs show the invitation, live.
    for (const page of [bob.page, bobsOtherTab]) {
      await page.locator('.invitation', { hasText: 'Secret garden' }).waitFor();
      expect(await page.locator('.invitation').innerText()).toContain('From alice, as member.');
    }
    await screenshot(bob.page, 'people-invitation');

    await bob.page.getByRole('button', { name: 'Accept the invitation to Secret garden' }).click();
    await bob.page.locator('#room-title', { hasText: 'Secret garden' }).waitFor();
    await bob.page.locator('.room-meta', { hasText: 'you are member' }).waitFor();
    // The other tab lists the room too, and its invitation is gone.
    await bobsOtherTab.locator('.room-link', { hasText: 'Secret garden' }).waitFor();
    await expect.poll(() => bobsOtherTab.locator('.invitation').count(), soon).toBe(0);

    await send(alice.page, 'Welcome, Bob!');
    await expect.poll(() => texts(bob.page), soon).toEqual(['Welcome, Bob!']);
    await send(bob.page, 'Thanks!');
    await expect.poll(() => texts(alice.page), soon).toEqual(['Welcome, Bob!', 'Thanks!']);
    await screenshot(alice.page, 'people-chat');
  });

  it('shows each person their own user id in the profile area, to copy', async () => {
    const carol = await person('carol');

    await carol.page.getByRole('button', { name: /Signed in as carol/ }).click();

    const id = await carol.page.locator('#my-id-value').innerText();
    expect(id).toMatch(/^local-[0-9a-f]{16}$/);
    await carol.page.getByRole('button', { name: 'Copy id' }).click();
    await carol.page.locator('.my-id [role="status"]', { hasText: /Copied|Selected/ }).waitFor();
  });

  it('tells the invitee a game room has a hidden AI, and lets them decline: the invitation goes and the room stays closed', async () => {
    const dora = await person('dora');
    const eli = await person('eli');
    await createRoom(dora.page, 'Not for eli', { mode: 'imposter', private: true });
    const search = dora.page.getByRole('combobox', { name: 'Name (or user id)' });
    await search.fill('el');
    await dora.page.getByRole('option', { name: 'eli' }).click();
    await dora.page.getByRole('button', { name: 'Invite', exact: true }).click();

    // The invitation says what the room is before eli chooses: an imposter game, where a hidden AI plays.
    const notice = eli.page.locator('.invitation', { hasText: 'Not for eli' }).getByRole('note', { name: 'Before you join' });
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/Imposter game[\s\S]*hidden AI/);
    await eli.page.getByRole('button', { name: 'Decline the invitation to Not for eli' }).click();

    await expect.poll(() => eli.page.locator('.invitation').count(), soon).toBe(0);
    expect(await eli.page.locator('.room-link', { hasText: 'Not for eli' }).count()).toBe(0);
    for (const p of people) expect(p.incidents).toEqual([]);
  });

  it('keeps the next name typed into the invite form while the invitation before is on its way', async () => {
    const jon = await person('jon');
    await person('hal');
    await createRoom(jon.page, 'Workshop', { private: true });
    const search = jon.page.getByRole('combobox', { name: 'Name (or user id)' });
    await search.fill('ha');
    await jon.page.getByRole('option', { name: 'hal' }).click();
    const release = jon.hold('inviteMember');
    await jon.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await search.fill('iv');
    release();
    await jon.page.locator('.notice', { hasText: 'Invited hal as member.' }).waitFor();
    expect(await search.inputValue()).toBe('iv');
    expect(jon.incidents).toEqual([]);
  });

  it('lets the owner see the room’s pending invitations and withdraw one; the invitee’s list drops it at once', async () => {
    const fay = await person('fay');
    const gil = await person('gil');
    await fay.page.getByLabel('Room name').fill('Plans');
    await fay.page.getByLabel('Private (invitation only)').check();
    await fay.page.getByRole('button', { name: 'Create room' }).click();
    await fay.page.locator('#room-title', { hasText: 'Plans' }).waitFor();
    const search = fay.page.getByRole('combobox', { name: 'Name (or user id)' });
    await search.fill('gi');
    await fay.page.getByRole('option', { name: 'gil' }).click();
    await fay.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await gil.page.locator('.invitation', { hasText: 'Plans' }).waitFor();

    await fay.page.getByRole('tab', { name: 'Settings' }).click();
    await fay.page.getByRole('button', { name: 'Show invitations' }).click();
    const pending = fay.page.locator('.pending-invitations li');
    await expect.poll(() => pending.count(), soon).toBe(1);
    // The invitee by name, not by id.
    expect(await pending.innerText()).toContain('gil (member, by fay)');
    await fay.page.getByRole('button', { name: 'Withdraw the invitation to gil' }).click();

    await expect.poll(() => gil.page.locator('.invitation').count(), soon).toBe(0);
    await expect.poll(() => pending.count(), soon).toBe(0);
    await fay.page.locator('.room-invitations [role="status"]', { hasText: 'No invitation is pending.' }).waitFor();
    for (const p of people) expect(p.incidents).toEqual([]);
  });
});
