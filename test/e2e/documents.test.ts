import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, joinRoom, screenshot } from './support/browser';

/**
 * Room documents in a real headless Chromium against the local runtime: the
 * browser posts the presigned form straight to the local S3 (the page's
 * content security policy and the bucket's CORS rules allow it), and the
 * Documents tab follows the statuses Parley sends.
 */
describe('room documents in the web client', { timeout: 240_000 }, () => {
  const suite = browserSuite();
  const dir = mkdtempSync(join(tmpdir(), 'parley-documents-e2e-'));
  const markdown = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('lets an owner upload, replace, scope and delete documents, and a member list them without the controls', async () => {
    const owner = await suite.person('olga');
    const roomId = await createRoom(owner.page, 'Handbook');
    await owner.page.getByRole('tab', { name: 'Documents' }).click();
    const tab = owner.page.getByRole('tabpanel', { name: 'Documents' });
    await tab.getByText('No documents yet.').waitFor();

    // A file Parley would refuse is refused before anything is asked.
    await tab.getByLabel(/^File/).setInputFiles(markdown('setup.exe', 'MZ'));
    await tab.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => tab.getByRole('alert').first().innerText()).toMatch(/\.txt, \.md, \.html or \.pdf/);

    await tab.getByLabel(/^File/).setInputFiles(markdown('Returns policy.md', '# Returns\n\nGoods may be returned within 30 days with a receipt.\n'));
    await tab.getByRole('button', { name: 'Upload' }).click();
    const row = tab.locator('.document-item', { hasText: 'Returns policy.md' });
    await tab.locator('.document-item[data-status="ready"]', { hasText: 'Returns policy.md' }).waitFor({ timeout: 60_000 });
    expect(await row.locator('.document-status').innerText()).toMatch(/^ready · v1/);
    expect(await tab.getByRole('status').first().innerText()).toBe('Returns policy.md: ready');
    expect(await tab.getByRole('alert').first().innerText()).toBe('');
    await screenshot(owner.page, 'documents-ready');

    await row.getByRole('button', { name: 'Replace Returns policy.md' }).click();
    await tab.getByText('Replacing Returns policy.md').waitFor();
    await tab.getByLabel(/^File/).setInputFiles(markdown('Returns policy.md', '# Returns\n\nGoods may be returned within 60 days.\n'));
    await tab.getByRole('button', { name: 'Replace', exact: true }).click();
    await tab.locator('.document-item[data-status="ready"]', { hasText: 'v2' }).waitFor({ timeout: 60_000 });
    expect(await tab.locator('.document-item').count()).toBe(1);
    expect(await tab.getByRole('button', { name: 'Upload' }).isVisible()).toBe(true);

    // A document for one agent of the room.
    await owner.page.getByRole('tab', { name: 'Agents' }).click();
    await owner.page.getByLabel('Handle').fill('clerk');
    await owner.page.getByRole('button', { name: 'Add agent' }).click();
    await owner.page.locator('.agent-list .agent', { hasText: '@clerk' }).waitFor();
    await owner.page.getByRole('tab', { name: 'Documents' }).click();
    await tab.getByLabel('Agents that may search it').selectOption('clerk');
    await tab.getByLabel(/^File/).setInputFiles(markdown('Till.txt', 'Count the till at six.'));
    await tab.getByRole('button', { name: 'Upload' }).click();
    await tab.locator('.document-item[data-status="ready"]', { hasText: 'Till.txt' }).waitFor({ timeout: 60_000 });
    expect(await tab.locator('.document-item', { hasText: 'Till.txt' }).locator('.document-status').innerText()).toContain('for @clerk');

    // A member sees the documents listed, and nothing to change them with.
    const member = await suite.person('mika');
    await joinRoom(member.page, roomId);
    await member.page.getByRole('tab', { name: 'Documents' }).click();
    const memberTab = member.page.getByRole('tabpanel', { name: 'Documents' });
    await memberTab.locator('.document-item[data-status="ready"]', { hasText: 'Returns policy.md' }).waitFor();
    expect(await memberTab.getByRole('button').count()).toBe(0);
    expect(await memberTab.locator('form').isVisible()).toBe(false);

    await row.getByRole('button', { name: 'Delete Returns policy.md' }).click();
    await row.getByRole('group').getByRole('button', { name: 'Delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await tab.locator('.document-item').allInnerTexts()).toEqual([expect.stringContaining('Till.txt')]);
    expect(await tab.getByRole('status').first().innerText()).toBe('Returns policy.md deleted.');

    expect(owner.incidents).toEqual([]);
    expect(member.incidents).toEqual([]);
  });
});
