import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, joinRoom, screenshot, send, texts } from './support/browser';

/**
 * Controls on agents' replies in a real headless Chromium against the local
 * runtime, whose offline model answers agents (paced slowly here, so a
 * reply is still streaming when someone presses Stop).
 */
describe('agent reply controls in the web client', { timeout: 150_000 }, () => {
  const suite = browserSuite({ PARLEY_OFFLINE_PIECE_MS: '250' });
  const { person, people } = suite;

  it('shows the agent thinking, stops its streaming reply for everyone, keeps its part marked stopped, and copies its text', async () => {
    const grace = await person('grace');
    const hal = await person('hal');
    const roomId = await createRoom(grace.page, 'Help desk');
    await joinRoom(hal.page, roomId);
    await grace.page.getByRole('tab', { name: 'Agents' }).click();
    await grace.page.getByLabel('Handle').fill('guide');
    await grace.page.getByRole('button', { name: 'Add agent' }).click();
    await grace.page.locator('.agent-list .agent', { hasText: '@guide' }).waitFor();

    // From the moment the agent takes the message until its first words, a placeholder under the
    // message: it may last a moment only, so every placeholder put on the page is recorded as it appears.
    await hal.page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { thinkingSeen: seen });
      new MutationObserver(() => {
        for (const element of document.querySelectorAll('.message[data-sender-type="human"] .agent-thinking')) seen.push(element.textContent ?? '');
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await send(hal.page, '@guide tell me everything about the release');
    const streaming = hal.page.locator('.messages .message.streaming');
    await streaming.locator('.message-text:not(:empty)').waitFor({ timeout: 30_000 });
    await screenshot(hal.page, 'agent-reply-stop-offered');
    // Hal asked: he may stop it.
    await streaming.getByRole('button', { name: /^Stop Guide.s reply$/ }).click();

    for (const { page } of [grace, hal]) {
      const reply = page.locator('.messages .message[data-sender-type="agent"][data-key^="m:"]');
      await reply.waitFor({ timeout: 30_000 });
      await reply.locator('.badge-stopped').waitFor();
      expect(await reply.locator('.badge-stopped').innerText()).toBe('stopped');
      expect((await reply.locator('.message-text').innerText()).length).toBeGreaterThan(0);
      expect(await page.locator('.messages .message.streaming').count()).toBe(0);
      expect(await page.locator('.agent-thinking').count()).toBe(0);
    }
    await screenshot(grace.page, 'agent-reply-stopped');
    expect(await hal.page.evaluate(() => (window as unknown as { thinkingSeen: string[] }).thinkingSeen)).toContain('Guide is thinking…');

    await grace.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(suite.parley.webUrl).origin });
    const reply = grace.page.locator('.messages .message[data-sender-type="agent"][data-key^="m:"]');
    await reply.getByRole('button', { name: /^Copy Guide.s reply$/ }).click();
    await reply.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
    const stored = await reply.locator('.message-text').innerText();
    expect((await grace.page.evaluate(() => navigator.clipboard.readText())).trim()).toBe(stored.trim());
    expect(await texts(hal.page)).toHaveLength(2);
    for (const p of people) expect(p.incidents).toEqual([]);
  });

  it('asks the agent for another answer with Regenerate, which arrives as a second reply while the first stays', async () => {
    const [grace, hal] = people;
    const stored = (page: Page) => page.locator('.messages .message[data-sender-type="agent"][data-key^="m:"]');
    const first = await stored(hal!.page).first().locator('.message-text').innerText();

    // Hal asked the question the reply answered: he may ask again.
    await stored(hal!.page).first().getByRole('button', { name: /^Ask Guide for another answer$/ }).click();

    for (const { page } of [grace!, hal!]) {
      await stored(page).nth(1).waitFor({ timeout: 90_000 });
      expect(await stored(page).count()).toBe(2);
      expect(await stored(page).first().locator('.message-text').innerText()).toBe(first);
    }
    await screenshot(hal!.page, 'agent-reply-regenerated');
    expect(await hal!.page.locator('.reply-error').count()).toBe(0);
    for (const p of people) expect(p.incidents).toEqual([]);
  });
});
