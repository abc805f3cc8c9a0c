import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { violations } from './support/axe';
import { browserSuite, createRoom, type Person, screenshot } from './support/browser';

/**
 * An imposter round in headless Chromium against the local runtime: the
 * owner creates an imposter room, two people read the notice that a hidden
 * AI plays before joining, the owner starts a round, everyone writes under
 * a round name, the hidden AI (Parley's offline model) writes too, all three
 * vote at the same moment, and the reveal and the leaderboard count right.
 * Screenshots land in test-results/web/.
 */
const soon = { timeout: 60_000, interval: 200 };

/** Opens a room's link, reads its mode's notice in the preview, and joins. */
async function joinAfterNotice(person: Person, webUrl: string, roomId: string): Promise<string> {
  await person.page.goto(`${webUrl}#/room/${encodeURIComponent(roomId)}`);
  const notice = person.page.locator('.room-preview .mode-notice');
  await notice.waitFor();
  const text = await notice.innerText();
  await person.page.locator('.room-preview').getByRole('button', { name: 'Join this room' }).click();
  await person.page.locator('.room-meta', { hasText: 'you are member' }).waitFor();
  return text;
}

/** The round name the page marks as the person's own seat. */
async function ownAlias(page: Page): Promise<string> {
  const you = page.locator('.imposter-panel .round-seat-you');
  await you.waitFor();
  return (await you.innerText()).replace(/\s*\(you\)$/, '');
}

const lineAuthors = (page: Page) => page.locator('.imposter-panel .round-log .round-line .author').allInnerTexts();

async function writeLine(page: Page, text: string): Promise<void> {
  const panel = page.locator('.imposter-panel');
  await panel.getByLabel('Your line').fill(text);
  await panel.getByLabel('Your line').press('Enter');
  await panel.locator('.round-log .round-line .text', { hasText: text }).first().waitFor();
}

describe('an imposter round in the web client', () => {
  const suite = browserSuite();
  const { person } = suite;

  it('plays a round with three people and the hidden AI to its reveal and leaderboard', async () => {
    const ann = await person('ann');
    const ben = await person('ben');
    // cat plays on a 320 px phone.
    const cat = await person('cat', { width: 320, height: 700 });
    const roomId = await createRoom(ann.page, 'Spot the bot', { mode: 'imposter' });
    await ann.page.locator('.room-meta', { hasText: 'Imposter game' }).waitFor();

    // The consent comes before joining: the preview says a hidden AI plays.
    for (const p of [ben, cat]) expect(await joinAfterNotice(p, suite.parley.webUrl, roomId)).toMatch(/hidden AI/);

    const panel = ann.page.locator('.imposter-panel');
    await panel.getByLabel('Round length (seconds)').fill('300');
    await panel.getByRole('button', { name: 'Start a round' }).click();

    // Everyone is seated under a round name: three people and the AI.
    const [annAlias, benAlias, catAlias] = await Promise.all([ownAlias(ann.page), ownAlias(ben.page), ownAlias(cat.page)]);
    const people = new Set([annAlias, benAlias, catAlias]);
    expect(people.size).toBe(3);
    await expect.poll(() => cat.page.locator('.imposter-panel .round-seats li').count(), soon).toBe(4);
    await ann.page.locator('.imposter-panel .round-timer', { hasText: /\d:\d\d left/ }).waitFor();

    await writeLine(ann.page, 'hi all, how is everyone doing today');
    await writeLine(ben.page, 'good thanks, bit tired after the football');
    await writeLine(cat.page, 'same here, did anyone watch the match');

    // The hidden AI answers under the fourth round name: wait for its line on every screen.
    const aiAlias = await (async () => {
      let found: string | undefined;
      await expect
        .poll(async () => {
          found = (await lineAuthors(ben.page)).find((author) => !people.has(author));
          return found;
        }, { timeout: 120_000, interval: 250 })
        .toBeDefined();
      return found!;
    })();
    await expect.poll(async () => (await lineAuthors(cat.page)).includes(aiAlias), soon).toBe(true);
    await screenshot(ben.page, 'imposter-round-chat');
    // The round as a player sees it (seats, chat, line box, vote buttons) passes axe's WCAG rules.
    expect(await violations(ben.page)).toEqual([]);

    // All three vote at the same moment: ann and ben find the AI, cat suspects ann.
    await Promise.all([
      ann.page.getByRole('button', { name: `Vote for ${aiAlias}` }).click(),
      ben.page.getByRole('button', { name: `Vote for ${aiAlias}` }).click(),
      cat.page.getByRole('button', { name: `Vote for ${annAlias}` }).click(),
    ]);

    for (const p of [ann, ben, cat]) {
      const reveal = p.page.locator('.imposter-panel .round-reveal');
      await reveal.locator('.reveal-ai', { hasText: `${aiAlias} was the AI` }).waitFor({ timeout: 60_000 });
      await p.page.locator('.imposter-panel .round-status', { hasText: 'Round ended: everyone voted.' }).waitFor();
    }
    const rows = await ann.page.locator('.imposter-panel .reveal-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())),
    );
    const row = (alias: string) => rows.find((cells) => cells[0]?.replace(/ \(you\)$/, '') === alias);
    expect(row(annAlias)?.slice(1)).toEqual(['ann', aiAlias, '2', 'found the AI']);
    expect(row(benAlias)?.slice(1)).toEqual(['ben', aiAlias, '2', 'found the AI']);
    expect(row(catAlias)?.slice(1)).toEqual(['cat', annAlias, '0', 'missed']);
    // The AI scores one point for each person who did not find it.
    expect(row(aiAlias)?.[3]).toBe('1');
    expect(row(aiAlias)?.[4]).toBe('was found');
    // On the phone the reveal's table scrolls sideways on its own, not the panel with it.
    const sideways = (selector: string) => cat.page.locator(selector).evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(await sideways('.imposter-panel')).toBeLessThanOrEqual(0);
    expect(await sideways('.imposter-panel .round-reveal .table-scroll')).toBeGreaterThan(0);
    await screenshot(cat.page, 'imposter-reveal');

    // The room's leaderboard: ann and ben share the first rank, the AI follows.
    const board = async (p: Person) =>
      p.page.locator('.imposter-panel .leaderboard-table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => [...tr.children].map((cell) => (cell.textContent ?? '').trim())),
      );
    // Each row: rank, player, points, rounds.
    await expect.poll(async () => (await board(cat)).slice(0, 3).map((cells) => [cells[0], cells[2], cells[3]]), soon).toEqual([
      ['1', '2', '1'],
      ['1', '2', '1'],
      ['3', '1', '1'],
    ]);
    expect((await board(cat)).slice(0, 2).map((cells) => cells[1]).sort()).toEqual(['ann', 'ben']);
    await ben.page.locator('.imposter-panel .your-rank', { hasText: 'You are ranked 1 with 2 points.' }).waitFor();
    await ann.page.locator('.imposter-panel').getByLabel('Leaderboard of').selectOption('overall');
    await expect.poll(async () => (await board(ann)).some((cells) => cells[1] === 'ann' && cells[2] === '2'), soon).toBe(true);
    await screenshot(ann.page, 'imposter-leaderboard');
    expect(await violations(ann.page)).toEqual([]);

    for (const p of [ann, ben, cat]) expect(p.incidents).toEqual([]);
  }, 300_000);
});
