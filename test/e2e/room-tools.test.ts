import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, joinRoom, screenshot, send } from './support/browser';

/**
 * The right panel in a real headless Chromium against the local runtime:
 * its tabs from the keyboard, remembered per room; the owner's moderation
 * settings, held queue and originals; the audit log's filters; archive
 * ranges; the full agent form with its validation; and who sees which
 * tool. Screenshots land in test-results/web/.
 */
const soon = { timeout: 20_000, interval: 100 };

/**
 * Controls of the side panel on screen without an accessible name, and ids
 * used twice: what an accessibility checker would flag first in forms.
 */
const accessibilityProblems = (page: Page): Promise<string[]> =>
  page.locator('#side-panel').evaluate((panel) => {
    const problems: string[] = [];
    for (const control of panel.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement>('input, select, textarea, button')) {
      if (control.offsetParent === null) continue;
      const labelled = (control.labels?.length ?? 0) > 0 || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby');
      const named = labelled || (control instanceof HTMLButtonElement && control.textContent?.trim());
      if (!named) problems.push(`unnamed ${control.tagName.toLowerCase()}#${control.id}`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    for (const id of new Set(ids)) if (ids.filter((other) => other === id).length > 1) problems.push(`duplicate id ${id}`);
    for (const tab of panel.querySelectorAll('[role="tab"]')) {
      if (!document.getElementById(tab.getAttribute('aria-controls') ?? '')) problems.push(`tab without panel ${tab.id}`);
    }
    return problems;
  });

describe('the room tools in the web client', () => {
  const suite = browserSuite();
  const { person } = suite;
  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });
  const selectedTab = (page: Page) => page.locator('#side-panel [role="tab"][aria-selected="true"]').innerText();

  it('moves between tabs with the arrow keys and remembers each room’s tab', async () => {
    const ann = await person('ann');
    const first = await createRoom(ann.page, 'First');
    await createRoom(ann.page, 'Second');

    await tab(ann.page, 'Members').focus();
    await ann.page.keyboard.press('ArrowRight');
    expect(await selectedTab(ann.page)).toBe('Agents');
    expect(await ann.page.evaluate(() => document.activeElement?.textContent)).toBe('Agents');
    await ann.page.keyboard.press('End');
    expect(await selectedTab(ann.page)).toBe('Settings');
    await ann.page.keyboard.press('ArrowRight');
    expect(await selectedTab(ann.page)).toBe('Members');
    await ann.page.keyboard.press('ArrowLeft');
    expect(await selectedTab(ann.page)).toBe('Settings');
    await ann.page.keyboard.press('ArrowLeft');
    expect(await selectedTab(ann.page)).toBe('Documents');
    await ann.page.keyboard.press('ArrowLeft');
    expect(await selectedTab(ann.page)).toBe('Audit log');
    // One tab stop: only the selected tab is in the tab order.
    expect(await ann.page.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
    expect(await ann.page.locator('#panel-audit').isVisible()).toBe(true);
    expect(await ann.page.locator('#panel-members').isVisible()).toBe(false);
    expect(await accessibilityProblems(ann.page)).toEqual([]);

    await ann.page.getByRole('link', { name: /^First/ }).click();
    await ann.page.waitForURL(`**#/room/${encodeURIComponent(first)}`);
    await ann.page.locator('#room-title', { hasText: 'First' }).waitFor();
    expect(await selectedTab(ann.page)).toBe('Members');
    await ann.page.getByRole('link', { name: /^Second/ }).click();
    await ann.page.locator('#room-title', { hasText: 'Second' }).waitFor();
    await expect.poll(() => selectedTab(ann.page), soon).toBe('Audit log');
    expect(ann.incidents).toEqual([]);
  }, 120_000);

  it('lets the owner set moderation, read an original, approve and reject held messages, and read the audit log', async () => {
    const owen = await person('owen');
    const pia = await person('pia');
    const roomId = await createRoom(owen.page, 'Moderated');
    await joinRoom(pia.page, roomId);

    // Personal data is redacted by default: the owner reads the original on demand.
    await send(pia.page, 'write to pia@example.com');
    await tab(owen.page, 'Moderation').click();
    const changed = owen.page.locator('.changed-list .tool-item');
    await changed.first().waitFor(soon);
    expect(await changed.first().innerText()).toContain('[email]');
    await changed.first().getByRole('button', { name: /^Show the original/ }).click();
    await changed.first().locator('blockquote.original', { hasText: 'pia@example.com' }).waitFor(soon);

    const settings = owen.page.getByRole('form', { name: 'Settings', exact: true });
    await settings.getByLabel('Personal data').selectOption('quarantine');
    await settings.getByRole('button', { name: 'Save moderation settings' }).click();
    await settings.getByText('Moderation settings saved.').waitFor(soon);

    await send(pia.page, 'mail pia@example.com for the first');
    await send(pia.page, 'mail pia@example.org for the second');
    const held = owen.page.locator('.held-list .tool-item');
    await expect.poll(() => held.count(), soon).toBe(2);
    expect(await accessibilityProblems(owen.page)).toEqual([]);
    await screenshot(owen.page, 'room-tools-moderation');
    await held.filter({ hasText: 'the first' }).getByRole('button', { name: /^Approve/ }).click();
    await held.filter({ hasText: 'the second' }).getByRole('button', { name: /^Reject/ }).click();
    await expect.poll(() => held.count(), soon).toBe(0);

    await tab(owen.page, 'Audit log').click();
    const entries = owen.page.locator('.audit-list .tool-item');
    await entries.filter({ hasText: 'moderation.settingsChanged' }).waitFor(soon);
    await owen.page.getByLabel('Kind').selectOption('message');
    // Parley filters: the list starts again and fills with the two decisions only.
    await expect.poll(() => entries.count(), soon).toBe(2);
    expect((await entries.allInnerTexts()).every((t) => /message\.(released|deleted)/.test(t))).toBe(true);
    await owen.page.getByLabel('Done by (user id)').fill('nobody-like-this');
    await expect.poll(() => entries.count(), soon).toBe(0);
    await owen.page.getByText(/^0 of \d+ entries loaded match\.$/).waitFor();
    // Committing the id asks Parley, which filters the whole log: nothing of it is loaded.
    await owen.page.getByLabel('Done by (user id)').press('Enter');
    await owen.page.getByText('0 of 0 entries loaded match.').waitFor(soon);
    expect(await accessibilityProblems(owen.page)).toEqual([]);
    await screenshot(owen.page, 'room-tools-audit');

    // A member sees neither tool.
    expect(await tab(pia.page, 'Moderation').isVisible()).toBe(false);
    expect(await tab(pia.page, 'Audit log').isVisible()).toBe(false);
    for (const p of [owen, pia]) expect(p.incidents).toEqual([]);
  }, 120_000);

  it('gives a moderator the queue and the audit log, the settings to read only, and no archive', async () => {
    const quinn = await person('quinn');
    const rex = await person('rex');
    const roomId = await createRoom(quinn.page, 'Shared duty');
    await joinRoom(rex.page, roomId);
    await quinn.page.getByLabel('Role of rex').selectOption('moderator');
    await rex.page.locator('.room-meta', { hasText: 'you are moderator' }).waitFor(soon);

    await tab(rex.page, 'Moderation').click();
    const settings = rex.page.getByRole('form', { name: 'Settings', exact: true });
    await settings.getByText('Only the room owner changes these settings.').waitFor();
    await expect.poll(() => settings.getByLabel('Personal data').inputValue(), soon).toBe('redact');
    expect(await settings.getByLabel('Personal data').isDisabled()).toBe(true);
    expect(await settings.getByRole('button', { name: 'Save moderation settings' }).isVisible()).toBe(false);
    await tab(rex.page, 'Audit log').click();
    await rex.page.locator('.audit-list .tool-item', { hasText: 'member.roleChanged' }).waitFor(soon);
    await tab(rex.page, 'Settings').click();
    expect(await rex.page.getByRole('form', { name: 'Archive' }).count()).toBe(0);
    expect(await accessibilityProblems(rex.page)).toEqual([]);
    for (const p of [quinn, rex]) expect(p.incidents).toEqual([]);
  }, 120_000);

  it('explains an archive range Parley would refuse, and asks for one it accepts', async () => {
    const rae = await person('rae');
    await createRoom(rae.page, 'Archived');
    await tab(rae.page, 'Settings').click();
    const archive = rae.page.getByRole('form', { name: 'Archive' });

    await archive.getByLabel('First day (UTC)').fill('2026-01-01');
    await archive.getByLabel('Last day (UTC)').fill('2026-02-01');
    await archive.getByRole('button', { name: 'Get download links' }).click();
    await archive.getByText('A download covers at most 31 days, both ends included; this range covers 32.').waitFor();
    expect(await archive.getByLabel('First day (UTC)').getAttribute('aria-invalid')).toBe('true');

    await archive.getByLabel('Last day (UTC)').fill('2026-01-31');
    await archive.getByRole('button', { name: 'Get download links' }).click();
    await rae.page.getByText('Nothing archived on those days.').waitFor(soon);
    expect(await accessibilityProblems(rae.page)).toEqual([]);
    expect(rae.incidents).toEqual([]);
  });

  it('checks the agent form against Parley’s limits, saves a new agent and an edit, and shows the model that answers', async () => {
    const sam = await person('sam');
    await createRoom(sam.page, 'Agents room');
    await tab(sam.page, 'Agents').click();
    const form = sam.page.getByRole('form', { name: 'Add an agent' });
    await form.getByRole('combobox', { name: 'Model' }).locator('option', { hasText: 'parley.offline-interrupted' }).waitFor({ state: 'attached', ...soon });

    await form.getByLabel('Handle').fill('scribe');
    await form.getByLabel('Temperature').fill('1.5');
    await form.getByLabel('Recent messages read (history window)').fill('0');
    await form.getByRole('button', { name: 'Add agent' }).click();
    await form.getByText('Enter a number from 0 to 1.').waitFor();
    await form.getByText('Enter a number from 1 to 100.').waitFor();
    expect(await sam.page.evaluate(() => `${document.activeElement?.tagName}#${document.activeElement?.id}`)).toBe('INPUT#agent-form-temperature');
    expect(await form.getByLabel('Temperature').getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityProblems(sam.page)).toEqual([]);
    await screenshot(sam.page, 'room-tools-agent-form-invalid');

    await form.getByLabel('Temperature').fill('0.3');
    await form.getByLabel('Recent messages read (history window)').fill('10');
    await form.getByRole('combobox', { name: 'Model' }).selectOption('parley.offline-interrupted');
    await form.getByLabel('Persona (optional)').fill('A careful scribe.');
    await form.getByLabel('Daily token budget').fill('5000');
    await form.getByLabel('Speaks').selectOption('everyMessage');
    await form.getByRole('button', { name: 'Add agent' }).click();
    await form.getByText('Agent added.').waitFor(soon);
    const row = sam.page.locator('.agent-list .agent', { hasText: '@scribe' });
    await row.getByText('Answered by the offline model (configured: parley.offline-interrupted)').waitFor(soon);

    // The same handle again: Parley's refusal shows under the form.
    await form.getByLabel('Handle').fill('scribe');
    await form.getByRole('button', { name: 'Add agent' }).click();
    await form.getByRole('alert').filter({ hasText: /scribe/ }).waitFor(soon);

    await row.getByRole('button', { name: 'Edit Scribe' }).click();
    const edit = sam.page.getByRole('form', { name: 'Edit Scribe' });
    expect(await edit.getByLabel('Temperature').inputValue()).toBe('0.3');
    expect(await edit.getByLabel('Handle').isDisabled()).toBe(true);
    await edit.getByLabel('Daily token budget').fill('6000');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await sam.page.getByText('Agent saved.').waitFor(soon);
    expect(sam.incidents).toEqual([]);
  }, 120_000);

  it('reaches the tabs on a phone without scrolling past the timeline', async () => {
    const tia = await person('tia');
    await createRoom(tia.page, 'Pocket');
    await tia.page.setViewportSize({ width: 390, height: 844 });
    const toggle = tia.page.getByRole('button', { name: 'Details' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded'), soon).toBe('true');
    expect(await tia.page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
    const box = await tia.page.locator('#side-panel [role="tablist"]').boundingBox();
    expect(box !== null && box.y + box.height <= 844).toBe(true);
    await tia.page.keyboard.press('ArrowRight');
    expect(await selectedTab(tia.page)).toBe('Agents');
    expect(await accessibilityProblems(tia.page)).toEqual([]);
    await screenshot(tia.page, 'room-tools-phone');
    await tia.page.keyboard.press('Escape');
    await expect.poll(() => toggle.getAttribute('aria-expanded'), soon).toBe('false');
  });
});
