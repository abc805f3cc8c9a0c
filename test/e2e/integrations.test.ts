import { describe, expect, it } from 'vitest';
import { browserSuite, createRoom, screenshot } from './support/browser';

/**
 * The Integrations section in a real headless Chromium against the local
 * runtime: an owner creates an API key, sees it once, and a message posted
 * with it through the HTTP API shows with the integration badge.
 */
const soon = { timeout: 20_000, interval: 100 };

describe('integrations in the web client', () => {
  const suite = browserSuite();
  const { person } = suite;

  it('lets an owner create a key, shown once, whose messages show as an integration’s', async () => {
    const alice = await person('alice');
    const roomId = await createRoom(alice.page, 'Deploys');

    await alice.page.getByRole('tab', { name: 'Settings' }).click();
    const section = alice.page.getByRole('region', { name: 'Integrations' });
    await section.getByLabel('Key name').fill('CI bot');
    await section.getByLabel('Read messages').uncheck();
    // The key's answer is held back a moment: the next key's name, typed meanwhile, stays in the box.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await alice.page.route('**/v1/rooms/*/keys', async (route) => {
      if (route.request().method() === 'POST') await answered;
      await route.continue();
    });
    await section.getByRole('button', { name: 'Create key' }).click();
    await section.getByLabel('Key name').fill('Nightly');
    answer();
    const secretField = section.getByLabel('Your new key');
    await expect.poll(() => secretField.inputValue(), soon).toMatch(/^prk_/);
    expect(await section.getByLabel('Key name').inputValue()).toBe('Nightly');
    await alice.page.unrouteAll();
    const secret = await secretField.inputValue();
    await section.locator('.integration-key', { hasText: 'CI bot' }).waitFor();
    expect(await section.locator('.integration-key').innerText()).toContain('post');
    await screenshot(alice.page, 'integrations-key-created');

    const posted = await fetch(`${suite.parley.apiUrl}/v1/rooms/${encodeURIComponent(roomId)}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Build 42 passed' }),
    });
    expect(posted.status).toBe(201);

    const message = alice.page.locator('.message', { hasText: 'Build 42 passed' });
    await message.waitFor({ timeout: 20_000 });
    expect(await message.locator('.sender-integration').innerText()).toBe('integration');

    // Shown once: after a reload the key is listed with its last use, and its text is gone.
    await alice.page.reload();
    await alice.page.getByRole('tab', { name: 'Settings' }).click();
    const again = alice.page.getByRole('region', { name: 'Integrations' });
    await again.locator('.integration-key', { hasText: 'last used' }).waitFor({ timeout: 20_000 });
    expect(await alice.page.content()).not.toContain(secret);

    await again.getByRole('button', { name: 'Revoke CI bot' }).click();
    await again.getByRole('group').getByRole('button', { name: 'Revoke' }).click();
    await again.locator('.integration-key', { hasText: 'revoked' }).waitFor();
    await screenshot(alice.page, 'integrations-key-revoked');
  });
});
