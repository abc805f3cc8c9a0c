import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { violations } from './support/axe';
import { browserSuite, createRoom, screenshot } from './support/browser';

/**
 * A guided dialogue in headless Chromium against the local runtime, played
 * by Parley's offline model: the room's mode and notice, an example
 * scenario started, an offered option chosen, a free line written, the
 * characters' state changing on screen, then End, and the outcome with its
 * summary and the final state. Screenshots land in test-results/web/.
 */
const soon = { timeout: 60_000, interval: 200 };

const transcript = (page: Page) => page.locator('.dialogue-panel .dialogue-log .dialogue-line').allInnerTexts();

/** Waits until the characters have answered: nothing pending and the options back. */
async function answered(page: Page, lines: number): Promise<void> {
  await expect.poll(async () => (await transcript(page)).length, soon).toBeGreaterThan(lines);
  await expect.poll(() => page.locator('.dialogue-panel .dialogue-status').innerText(), soon).toBe('');
}

describe('a guided dialogue in the web client', () => {
  const suite = browserSuite();
  const { person } = suite;

  it('plays an example scenario from its start to its outcome', async () => {
    const eve = await person('eve');
    // The notice others will read before joining shows as the mode is chosen.
    await eve.page.getByLabel('Room mode').selectOption('dialogue');
    await eve.page.locator('#new-room-mode-notice', { hasText: 'Guided dialogue' }).waitFor();
    await createRoom(eve.page, 'Rent talks', { mode: 'dialogue' });
    await eve.page.locator('.room-meta', { hasText: 'Guided dialogue' }).waitFor();
    const panel = eve.page.locator('.dialogue-panel');

    // The owner uploads scenario files: what is not JSON is refused in the page, what Parley refuses says why, a good one is listed.
    const upload = async (name: string, text: string) => {
      await panel.getByLabel('Upload a scenario (JSON)').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
      await panel.getByRole('button', { name: 'Upload', exact: true }).click();
    };
    const uploadStatus = panel.locator('.dialogue-upload [role="status"]');
    await upload('broken.json', '{ "id": ');
    await uploadStatus.getByText('The file is not valid JSON.').waitFor();
    await upload('no-characters.json', JSON.stringify({ id: 'empty-stage', title: 'Empty stage', summary: 'Nobody here.', goal: 'Talk.', characters: [] }));
    await expect.poll(() => uploadStatus.innerText(), soon).toMatch(/characters/i);
    const own = {
      id: 'bakery-queue',
      title: 'The bakery queue',
      summary: 'Someone cut in line at the bakery.',
      goal: 'Get your place back without a scene.',
      characters: [{ id: 'cutter', name: 'Dora', persona: 'An impatient regular in a hurry.', mood: 0 }],
    };
    await upload('bakery.json', JSON.stringify(own));
    await uploadStatus.getByText('Scenario uploaded.').waitFor();

    // An example scenario, picked from the list Parley gives (the room's own is listed too).
    const scenario = panel.getByLabel('Scenario', { exact: true });
    await expect.poll(() => scenario.locator('option').allInnerTexts(), soon).toContain('The bakery queue (this room’s)');
    await expect.poll(() => scenario.locator('option').count(), soon).toBeGreaterThan(0);
    await scenario.selectOption({ label: 'The rent talk (example)' });
    await panel.getByRole('button', { name: 'Start the dialogue' }).click();

    // The opening line and the characters as the scenario reveals them: mood as a labelled meter.
    await panel.locator('.dialogue-goal', { hasText: 'Goal:' }).waitFor();
    await expect.poll(async () => (await transcript(eve.page)).length, soon).toBeGreaterThan(0);
    const mood = panel.getByRole('meter', { name: /Mood/ });
    await mood.first().waitFor();
    const moodBefore = await mood.first().getAttribute('aria-valuetext');
    await screenshot(eve.page, 'dialogue-started');

    // One of the offered options, chosen with the keyboard.
    const options = panel.locator('.dialogue-options .dialogue-option');
    await expect.poll(() => options.count(), soon).toBeGreaterThanOrEqual(2);
    const chosen = await options.first().innerText();
    await options.first().focus();
    await eve.page.keyboard.press('Enter');
    await panel.locator('.dialogue-line-player', { hasText: chosen }).waitFor();
    let lines = (await transcript(eve.page)).length;
    await answered(eve.page, lines);

    // A free line, courteous and on the goal: the characters' state moves, and the page says how.
    lines = (await transcript(eve.page)).length;
    const free = 'Thank you for your time, I really appreciate it. I understand the roof repairs; could we agree a rent rise of eight percent?';
    await panel.getByLabel('Or in your own words').fill(free);
    await panel.getByLabel('Or in your own words').press('Enter');
    await panel.locator('.dialogue-line-player', { hasText: 'eight percent' }).waitFor();
    await answered(eve.page, lines);
    await expect.poll(() => panel.locator('.dialogue-changes').innerText(), soon).toMatch(/→|is now|no longer/);
    expect(await panel.locator('.dialogue-character .changed').count()).toBeGreaterThan(0);
    expect(await mood.first().getAttribute('aria-valuetext')).not.toBe(moodBefore);
    await screenshot(eve.page, 'dialogue-state-changed');
    // The running dialogue (characters, meter, transcript, options, free line) passes axe's WCAG rules.
    expect(await violations(eve.page)).toEqual([]);

    // Ended (unless the goal was reached already): the outcome and its summary.
    const end = panel.getByRole('button', { name: 'End the dialogue' });
    if ((await end.isVisible()) && (await end.isEnabled())) await end.click();
    const outcome = panel.locator('.dialogue-resolution');
    await outcome.locator('.dialogue-result').waitFor({ timeout: 60_000 });
    expect(await outcome.locator('.dialogue-result').innerText()).toMatch(/^(Success|Partial success|Failure) Goal (not )?reached\.$/);
    expect((await outcome.locator('.dialogue-summary').innerText()).length).toBeGreaterThan(0);
    // The final state shows everything, opinions included, which the scenario hid while it went on.
    await panel.locator('.dialogue-character .dialogue-opinions').first().waitFor();
    expect(await panel.locator('.dialogue-options .dialogue-option').count()).toBe(0);
    await screenshot(eve.page, 'dialogue-outcome');
    expect(await violations(eve.page)).toEqual([]);

    expect(eve.incidents).toEqual([]);
  }, 240_000);
});
