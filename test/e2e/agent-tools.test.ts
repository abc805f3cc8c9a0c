import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, screenshot, send } from './support/browser';

/**
 * Agents' tools in a real headless Chromium against the local runtime: an
 * owner gives an agent a tool in the agent form, and the offline model
 * calls it when asked (scripts/local/bedrock/offline-responder.ts).
 */
describe('agents’ tools in the web client', { timeout: 150_000 }, () => {
  // Paced slowly, so the tool's status stays on screen for a moment.
  const suite = browserSuite({ PARLEY_OFFLINE_PIECE_MS: '150' });

  it('lets an owner give an agent a tool, shows what the agent does with it, and shows the answer built from it', async () => {
    const ruth = await suite.person('ruth');
    await createRoom(ruth.page, 'Timekeeping');
    await ruth.page.getByRole('tab', { name: 'Agents' }).click();
    await ruth.page.getByLabel('Handle').fill('clock');
    const tools = ruth.page.getByRole('group', { name: 'Tools' });
    expect(await tools.getByRole('checkbox').count()).toBe(4);
    await tools.getByRole('checkbox', { name: 'Current time' }).check();
    await screenshot(ruth.page, 'agent-form-tools');
    await ruth.page.getByRole('button', { name: 'Add agent' }).click();
    await ruth.page.locator('.agent-list .agent', { hasText: '@clock' }).waitFor();

    // The status may last a moment only: every placeholder put on the page is recorded as it appears.
    await ruth.page.evaluate(() => {
      const seen: string[] = [];
      Object.assign(window, { thinkingSeen: seen });
      new MutationObserver(() => {
        for (const element of document.querySelectorAll('.message[data-sender-type="human"] .agent-thinking')) seen.push(element.textContent ?? '');
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await send(ruth.page, '@clock what time is it?');

    const reply = ruth.page.locator('.messages .message[data-sender-type="agent"][data-key^="m:"]');
    await reply.waitFor({ timeout: 30_000 });
    expect(await reply.locator('.message-text').innerText()).toMatch(/^I used current_time: It is \w+day/);
    await screenshot(ruth.page, 'agent-tool-answer');
    const seen = await ruth.page.evaluate(() => (window as unknown as { thinkingSeen: string[] }).thinkingSeen);
    expect(seen).toContain('Clock is thinking…');
    expect(seen).toContain('Clock is checking the time…');
    expect(seen.indexOf('Clock is thinking…')).toBeLessThan(seen.indexOf('Clock is checking the time…'));
    expect(await ruth.page.locator('.agent-thinking').count()).toBe(0);
    expect(ruth.incidents).toEqual([]);
  });
});
