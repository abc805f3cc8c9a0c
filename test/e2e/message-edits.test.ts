import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, joinRoom, type Person, screenshot, send, texts } from './support/browser';

/** Messages pass moderation (a stream consumer) before others see them: allow for it. */
const soon = { timeout: 20_000, interval: 100 };

/**
 * Editing and deleting one's own messages, and mentions, in a real headless
 * Chromium against the local runtime, each person in their own context.
 * Everything is done from the keyboard, as a keyboard user would.
 */
describe('the web client: own messages', () => {
  const suite = browserSuite();
  const { person } = suite;
  /** Opens the actions menu of the reader's message with `text` from the keyboard and picks `item`. */
  const choose = async (p: Person, text: string, item: 'Edit' | 'Delete') => {
    const row = p.page.locator('.messages .message', { hasText: text });
    await row.getByRole('button', { name: 'Message actions' }).focus();
    await p.page.keyboard.press('ArrowDown');
    // The menu opens on its first item; Delete is the next one.
    if (item === 'Delete') await p.page.keyboard.press('ArrowDown');
    const menuItem = row.getByRole('menuitem', { name: item });
    await expect.poll(() => menuItem.evaluate((el) => el === document.activeElement)).toBe(true);
    await p.page.keyboard.press('Enter');
  };

  it('edits a message inline: Escape cancels, Enter saves, and the other member sees it marked edited', async () => {
    const ivy = await person('ivy');
    const jon = await person('jon');
    const roomId = await createRoom(ivy.page, 'Plans');
    await joinRoom(jon.page, roomId);
    await send(ivy.page, 'Meet at 5pm @jon');
    await expect.poll(() => texts(jon.page), soon).toEqual(['Meet at 5pm @jon']);
    // The mention Parley stored makes the message stand out for jon only.
    await expect.poll(() => jon.page.locator('.messages .message.mentions-me').count(), soon).toBe(1);
    expect(await ivy.page.locator('.messages .message.mentions-me').count()).toBe(0);
    expect(await jon.page.getByRole('button', { name: 'Message actions' }).count()).toBe(0);

    await choose(ivy, 'Meet at 5pm', 'Edit');
    const editor = ivy.page.locator('.edit-form textarea');
    await editor.fill('Meet at noon');
    await editor.press('Escape');
    expect(await texts(ivy.page)).toEqual(['Meet at 5pm @jon']);

    await choose(ivy, 'Meet at 5pm', 'Edit');
    await expect.poll(() => editor.inputValue()).toBe('Meet at 5pm @jon');
    await editor.fill('Meet at 6pm @jon');
    await editor.press('Enter');

    await expect.poll(() => texts(jon.page), soon).toEqual(['Meet at 6pm @jon']);
    const marker = jon.page.locator('.messages .edited-marker');
    await expect.poll(() => marker.innerText(), soon).toBe('(edited)');
    expect(await marker.getAttribute('title')).toMatch(/^Edited \d{2}:\d{2}$/);
    await expect.poll(() => texts(ivy.page), soon).toEqual(['Meet at 6pm @jon']);
    expect(await ivy.page.locator('.edit-form').count()).toBe(0);
    await screenshot(jon.page, 'edited-message');
    expect([...ivy.incidents, ...jon.incidents]).toEqual([]);
  });

  it('keeps a refused edit in the editor with the reason', async () => {
    const kim = await person('kim');
    await createRoom(kim.page, 'Refusals');
    // A client that believes the limit is higher than Parley's: Parley refuses the edit.
    await kim.context.route('**/config.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), maxTextBytes: 10_000 } });
    });
    await kim.page.reload();
    await kim.page.locator('.status[data-status="online"]').waitFor();
    await send(kim.page, 'short');
    await expect.poll(() => texts(kim.page), soon).toEqual(['short']);

    await choose(kim, 'short', 'Edit');
    const editor = kim.page.locator('.edit-form textarea');
    const long = 'y'.repeat(5000);
    await editor.fill(long);
    await editor.press('Enter');

    const alert = kim.page.locator('.edit-form [role="alert"]');
    await expect.poll(() => alert.innerText(), soon).toMatch(/limit is 4096/);
    expect(await editor.inputValue()).toBe(long);
    expect(await texts(kim.page)).toEqual([]);
    await editor.press('Escape');
    expect(await texts(kim.page)).toEqual(['short']);
  });

  it('deletes a message after confirmation, for everyone', async () => {
    const lea = await person('lea');
    const max = await person('max');
    const roomId = await createRoom(lea.page, 'Deletions');
    await joinRoom(max.page, roomId);
    await send(lea.page, 'keep this');
    await send(lea.page, 'oops, wrong room');
    await expect.poll(() => texts(max.page), soon).toEqual(['keep this', 'oops, wrong room']);

    await choose(lea, 'oops', 'Delete');
    const question = lea.page.getByRole('group', { name: 'Delete this message for everyone?' });
    await question.getByRole('button', { name: 'Keep it' }).click();
    expect(await texts(lea.page)).toEqual(['keep this', 'oops, wrong room']);
    await choose(lea, 'oops', 'Delete');
    await question.getByRole('button', { name: 'Delete' }).click();

    await expect.poll(() => texts(max.page), soon).toEqual(['keep this']);
    await expect.poll(() => texts(lea.page), soon).toEqual(['keep this']);
    // History after a reload has nothing where it was.
    await max.page.reload();
    await max.page.locator('.status[data-status="online"]').waitFor();
    await expect.poll(() => texts(max.page), soon).toEqual(['keep this']);
  });
});
