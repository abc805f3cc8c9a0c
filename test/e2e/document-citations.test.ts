import { describe, expect, it } from 'vitest';
import { browserSuite, joinRoom, screenshot, send } from './support/browser';

interface Upload {
  readonly document: { documentId: string };
  readonly upload: { url: string; fields: Record<string, string> };
}

/**
 * Citations in a real headless Chromium against the local runtime: an
 * owner (over the socket) shares a Markdown document and gives an agent
 * `search_documents`; a member asks the agent in the browser, and the
 * reply's [1] and its Sources entry open the cited passage in a dialog.
 */
describe('document citations in the web client', { timeout: 150_000 }, () => {
  const suite = browserSuite();

  it('links a reply’s [n] to its source and opens the passage in a dialog that Escape closes', async () => {
    const owner = await suite.parley.connect('olga');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'Warranty desk', visibility: 'public' });
    const text = new TextEncoder().encode('# Handbook\n\n## Warranty\n\nEvery kettle carries a warranty of two years from the day of purchase.\n');
    const granted = await owner.ok<Upload>('requestDocumentUpload', { roomId: room.roomId, name: 'Handbook.md', contentType: 'text/markdown', size: text.byteLength });
    const form = new FormData();
    for (const [name, value] of Object.entries(granted.upload.fields)) form.append(name, value);
    form.append('file', new Blob([text], { type: 'text/markdown' }), 'upload');
    const posted = await fetch(granted.upload.url, { method: 'POST', body: form });
    await posted.arrayBuffer();
    expect(posted.status).toBeLessThan(300);
    const settled = await owner.waitFor(
      (f) => f.type === 'documentStatus' && f['documentId'] === granted.document.documentId && (f['status'] === 'ready' || f['status'] === 'failed'),
      60_000,
    );
    expect(settled['status']).toBe('ready');
    await owner.ok('addAgent', { roomId: room.roomId, agent: { handle: 'clerk', tools: ['search_documents'] } });

    const mick = await suite.person('mick');
    await joinRoom(mick.page, room.roomId);
    await send(mick.page, '@clerk search documents for kettle warranty');

    const reply = mick.page.locator('.messages .message[data-sender-type="agent"][data-key^="m:"]');
    await reply.waitFor({ timeout: 30_000 });
    const marker = reply.locator('.message-text').getByRole('button', { name: /^Source 1: Handbook\.md/ });
    await marker.waitFor();
    expect(await marker.innerText()).toBe('[1]');
    const sources = reply.getByRole('group', { name: 'Sources' });
    expect(await sources.getByRole('button').count()).toBeGreaterThanOrEqual(1);

    // Opened from the keyboard: the dialog takes focus and shows the passage as text.
    await marker.focus();
    await mick.page.keyboard.press('Enter');
    const dialog = mick.page.getByRole('dialog');
    await dialog.locator('.passage-text').waitFor();
    expect(await dialog.locator('.passage-text').innerText()).toContain('warranty of two years');
    expect(await dialog.getByRole('heading').innerText()).toMatch(/^Source 1: Handbook\.md/);
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await screenshot(mick.page, 'citation-passage');

    await mick.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await marker.evaluate((button) => button === document.activeElement)).toBe(true);

    // The Sources entry opens the same passage.
    await sources.getByRole('button').first().click();
    await dialog.locator('.passage-text', { hasText: 'warranty of two years' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(mick.incidents).toEqual([]);
  });
});
