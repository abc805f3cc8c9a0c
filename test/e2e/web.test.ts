import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DynamoMessageRepository } from '../../lambdas/adapters/dynamodb/message-repository';
import { createIdGenerator } from '../../lambdas/domain/ids';
import type { RequestInputOf } from '../../lambdas/domain/protocol';
import { fakeCognito } from '../support/fakes/cognito';
import { browserSuite, createRoom, joinRoom, screenshot, send, texts } from './support/browser';

/**
 * The browser client in a real headless Chromium against the local runtime
 * (`npm start`), each person in their own browser context. Screenshots of
 * each scenario land in test-results/web/.
 */
/** Messages pass moderation (a stream consumer) before others see them: allow for it. */
const soon = { timeout: 20_000, interval: 100 };

describe('the web client', () => {
  const suite = browserSuite({ PARLEY_OFFLINE_PIECE_MS: '80' });
  const { person } = suite;

  const messages = () => {
    const tableName = Object.entries(suite.parley.tables).find(([key]) => /TablesMessages/.test(key))?.[1];
    if (tableName === undefined) throw new Error('No messages table in the local runtime');
    const client = new DynamoDBClient({
      endpoint: suite.parley.dynamoDbEndpoint,
      region: suite.parley.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    return new DynamoMessageRepository(DynamoDBDocumentClient.from(client), tableName);
  };

  it('lets two people chat, each seeing the other’s messages in order with sender and role', async () => {
    const alice = await person('alice');
    const bob = await person('bob');
    const roomId = await createRoom(alice.page, 'Book club');
    await joinRoom(bob.page, roomId);

    await send(alice.page, 'Hello Bob!');
    await expect.poll(() => texts(bob.page), soon).toEqual(['Hello Bob!']);
    await send(bob.page, 'Hi Alice, shall we start?');
    await send(alice.page, 'Yes: chapter one.');

    const conversation = ['Hello Bob!', 'Hi Alice, shall we start?', 'Yes: chapter one.'];
    await expect.poll(() => texts(alice.page), soon).toEqual(conversation);
    await expect.poll(() => texts(bob.page), soon).toEqual(conversation);
    const authors = await bob.page.locator('.messages .message .author').allInnerTexts();
    expect(authors).toEqual(['alice', 'bob', 'alice']);
    const bobsMembers = bob.page.locator('.member-list .member');
    await expect.poll(() => bobsMembers.allInnerTexts(), soon).toEqual([
      expect.stringMatching(/^alice\s+owner/),
      expect.stringMatching(/^bob \(you\)\s+member/),
    ]);
    await screenshot(alice.page, 'chat-alice');
    await screenshot(bob.page, 'chat-bob');
  });

  it('shows Markdown as formatting, with web links that open apart and HTML as the text it is', async () => {
    const gina = await person('gina');
    const hal = await person('hal');
    const roomId = await createRoom(gina.page, 'Formatting');
    await joinRoom(hal.page, roomId);

    await send(gina.page, 'Deploy is **done**, see `ops/deploy.md` and https://example.com/runbook <b>not bold</b>');

    const text = hal.page.locator('.messages .message[data-key^="m:"] .message-text').last();
    await expect.poll(() => text.innerText(), soon).toBe('Deploy is done, see ops/deploy.md and https://example.com/runbook <b>not bold</b>');
    expect(await text.locator('strong').innerText()).toBe('done');
    expect(await text.locator('code').innerText()).toBe('ops/deploy.md');
    expect(await text.locator('b').count()).toBe(0);
    const link = text.getByRole('link', { name: 'https://example.com/runbook' });
    expect(await link.getAttribute('href')).toBe('https://example.com/runbook');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');

    // A fenced block shows whole, in monospace, and its button copies the code.
    await send(gina.page, '```\nnpm ci\nnpm start\n```');
    const block = hal.page.locator('.messages .message[data-key^="m:"] .code-block').last();
    await expect.poll(() => block.locator('pre').innerText(), soon).toBe('npm ci\nnpm start');
    await hal.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await block.getByRole('button', { name: 'Copy code' }).click();
    await expect.poll(() => block.getByRole('button', { name: 'Copy code' }).innerText(), soon).toBe('Copied');
    expect(await hal.page.evaluate(() => navigator.clipboard.readText())).toBe('npm ci\nnpm start');
    await screenshot(hal.page, 'markdown');
  });

  it('lays out right-to-left text from its own direction, in the message box and in the log', async () => {
    const dana = await person('dana');
    await createRoom(dana.page, 'Hebrew and Arabic');
    expect(await dana.page.locator('#composer-input').getAttribute('dir')).toBe('auto');

    await send(dana.page, 'שלום לכולם');
    await send(dana.page, 'Hello everyone');

    await expect.poll(() => texts(dana.page), soon).toEqual(['שלום לכולם', 'Hello everyone']);
    const directions = await dana.page
      .locator('.messages .message-text')
      .evaluateAll((rows) => rows.map((row) => [row.getAttribute('dir'), getComputedStyle(row).direction]));
    expect(directions).toEqual([
      ['auto', 'rtl'],
      ['auto', 'ltr'],
    ]);
  });

  it('counts bytes near the size limit, and a refused message keeps its place, offers no retry and goes back to the box', async () => {
    const erin = await person('erin');
    const frank = await person('frank');
    const roomId = await createRoom(erin.page, 'Long letters');
    await joinRoom(frank.page, roomId);
    const box = erin.page.getByLabel('Message', { exact: true });
    const count = erin.page.locator('.composer-count');
    const sendButton = erin.page.getByRole('button', { name: 'Send', exact: true });

    await box.fill('a'.repeat(3700));
    await expect.poll(() => count.innerText()).toBe('396 bytes left');
    await box.fill('😀'.repeat(1025));
    await expect.poll(() => count.innerText()).toBe('4 bytes over the limit of 4,096 bytes: shorten the message to send it.');
    expect(await sendButton.isDisabled()).toBe(true);
    await box.fill('');

    // A client that believes the limit is higher than Parley's: Parley refuses the message.
    await erin.context.route('**/config.json', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), maxTextBytes: 10_000 } });
    });
    await erin.page.reload();
    await erin.page.locator('.status[data-status="online"]').waitFor();
    await send(erin.page, 'before');
    await expect.poll(() => texts(erin.page), soon).toEqual(['before']);
    const long = 'x'.repeat(5000);
    await send(erin.page, long);
    const refused = erin.page.locator('.messages .message[data-key^="p:"]');
    await expect.poll(() => refused.locator('.send-error').innerText(), soon).toMatch(/limit is 4096/);
    await send(frank.page, 'after');

    await expect.poll(() => texts(erin.page), soon).toEqual(['before', 'after']);
    const rows = await erin.page.locator('.messages .message').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset['key']?.slice(0, 2)));
    expect(rows).toEqual(['m:', 'p:', 'm:']);
    expect(await refused.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    expect(await refused.getByRole('button', { name: 'Discard' }).count()).toBe(1);
    expect(await box.inputValue()).toBe(long);
    await screenshot(erin.page, 'refused-message');
  });

  it('renders a script injection attempt as text', async () => {
    const mallory = await person('mallory');
    const carol = await person('carol');
    const roomId = await createRoom(mallory.page, 'Open mic');
    await joinRoom(carol.page, roomId);
    const attacks = [
      '<img src=x onerror="window.__pwned=1;alert(1)">',
      '<script>window.__pwned=2</script><b>bold?</b>',
      '"><svg onload=alert(3)>',
    ];

    for (const attack of attacks) await send(mallory.page, attack);

    await expect.poll(() => texts(carol.page), soon).toEqual(attacks);
    expect(await carol.page.locator('.messages img, .messages script, .messages svg, .messages b').count()).toBe(0);
    expect(await carol.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect([...carol.incidents, ...mallory.incidents]).toEqual([]);
    await screenshot(carol.page, 'injection-as-text');
  });

  it('reconnects after the socket is cut and catches up on what it missed, without duplicates', async () => {
    const dave = await person('dave');
    const erin = await person('erin');
    const roomId = await createRoom(dave.page, 'Night shift');
    await joinRoom(erin.page, roomId);
    await send(dave.page, 'before the cut');
    await expect.poll(() => texts(erin.page), soon).toEqual(['before the cut']);

    await erin.cut();
    await erin.page.locator('.status[data-status="reconnecting"]').waitFor();
    for (const text of ['missed 1', 'missed 2', 'missed 3']) await send(dave.page, text);
    await expect.poll(() => texts(dave.page), soon).toEqual(['before the cut', 'missed 1', 'missed 2', 'missed 3']);
    await send(erin.page, 'written while offline');
    await screenshot(erin.page, 'reconnect-offline');
    erin.restore();

    await erin.page.locator('.status[data-status="online"]').waitFor({ timeout: 20_000 });
    const everything = ['before the cut', 'missed 1', 'missed 2', 'missed 3', 'written while offline'];
    await expect.poll(() => texts(erin.page), soon).toEqual(everything);
    await expect.poll(() => texts(dave.page), soon).toEqual(everything);
    // A message sent now reaches erin after every frame posted to her before it, so a late
    // duplicate would already show when it arrives.
    await send(dave.page, 'after the catch-up');
    await expect.poll(() => texts(erin.page), soon).toEqual([...everything, 'after the catch-up']);
    expect(await erin.page.locator('.messages .message[data-key^="p:"]').count()).toBe(0);
    await screenshot(erin.page, 'reconnect-caught-up');
  });

  it('streams an agent’s reply in as it is written, then shows it as the agent’s message', async () => {
    const grace = await person('grace');
    await createRoom(grace.page, 'Help desk');
    await grace.page.getByRole('tab', { name: 'Agents' }).click();
    await grace.page.getByLabel('Handle').fill('helper');
    await grace.page.getByRole('button', { name: 'Add agent' }).click();
    await grace.page.locator('.agent-list .agent', { hasText: '@helper' }).waitFor();
    // Memory is on for a new agent unless its manager unticks it.
    await grace.page.locator('.agent-list .agent', { hasText: 'remembers the room' }).waitFor();

    await send(grace.page, '@helper what is up?');
    const streaming = grace.page.locator('.messages .message.streaming');
    await streaming.locator('.message-text:not(:empty)').waitFor({ timeout: 20_000 });
    const partial = await streaming.locator('.message-text').innerText();
    expect(await streaming.getAttribute('aria-busy')).toBe('true');
    expect(await streaming.locator('.author').innerText()).toBe('Helper');
    await screenshot(grace.page, 'agent-streaming');

    const reply = grace.page.locator('.messages .message[data-sender-type="agent"][data-key^="m:"]');
    await reply.waitFor({ timeout: 20_000 });
    const final = await reply.locator('.message-text').innerText();
    expect(await streaming.count()).toBe(0);
    expect(final.startsWith(partial)).toBe(true);
    expect(final.length).toBeGreaterThan(partial.length);
    expect(await reply.locator('.sender-label').innerText()).toBe('Agent');
    expect(await texts(grace.page)).toEqual(['@helper what is up?', final]);
    await screenshot(grace.page, 'agent-done');
  });

  it('pages a long history in as the reader scrolls up, on a phone-sized screen, one request per page', async () => {
    const olive = await suite.parley.connect('olive');
    const { room } = await olive.ok<{ room: { roomId: string } }>('createRoom', { name: 'Archive' });
    const roomId = room.roomId;
    // A long history, written straight to the table already moderated (sending it would meet the rate
    // limit; a message stored without a decision waits for the moderation consumer instead). Between
    // its oldest and newest messages, two pages' worth that moderation withheld from members: a page
    // of history can come back with nothing the reader may see, and paging must go on past it.
    const shown = Array.from({ length: 160 }, (_, i) => `line ${String(i).padStart(3, '0')}`);
    const withheld = Array.from({ length: 100 }, (_, i) => `withheld ${i}`);
    const stored = [...shown.slice(0, 30), ...withheld, ...shown.slice(30)];
    const repository = messages();
    const nextId = createIdGenerator();
    const start = Date.now() - 3_600_000;
    const seed = stored.map((text, i) => {
      const decision = text.startsWith('withheld') ? 'quarantined' : 'allowed';
      const at = new Date(start + i * 1000).toISOString();
      return {
        roomId,
        messageId: nextId(start + i * 1000),
        senderId: 'someone',
        senderName: 'Someone',
        senderType: 'human',
        text,
        clientMessageId: `seed-${i}`,
        createdAt: at,
        moderation: decision,
        decision,
        moderatedAt: at,
      } as Parameters<DynamoMessageRepository['saveMessage']>[0];
    });
    for (let i = 0; i < seed.length; i += 20) await Promise.all(seed.slice(i, i + 20).map((m) => repository.saveMessage(m)));

    const frank = await person('frank');
    // Every getHistory the page sends, as sent (from the next page load on).
    await frank.page.addInitScript(() => {
      const requests: unknown[] = [];
      (window as unknown as { historyRequests: unknown[] }).historyRequests = requests;
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
        if (typeof data === 'string' && (JSON.parse(data) as { action?: string }).action === 'getHistory') requests.push(JSON.parse(data));
        send.call(this, data);
      };
    });
    type HistoryRequest = RequestInputOf<'getHistory'>;
    const historyRequests = () => frank.page.evaluate(() => (window as unknown as { historyRequests: HistoryRequest[] }).historyRequests);
    const log = frank.page.locator('.timeline');
    await joinRoom(frank.page, roomId);
    await frank.page.waitForURL(/#\/room\//);

    // Opening the room on a phone: the newest page, exactly, scrolled to its newest message.
    await frank.page.setViewportSize({ width: 390, height: 844 });
    await frank.page.reload();
    await expect.poll(async () => (await historyRequests()).length, soon).toBe(1);
    const [first] = await historyRequests();
    expect(first).toMatchObject({ roomId, direction: 'backward' });
    expect(first?.cursor).toBeUndefined();
    const pageSize = first?.limit ?? 0;
    await expect.poll(() => texts(frank.page), soon).toEqual(shown.slice(-pageSize));
    const newestOnScreen = () =>
      log.evaluate((el) => {
        const newest = el.querySelector('.messages .message:last-child')?.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return newest !== undefined && newest.top >= box.top && newest.bottom <= box.bottom + 1;
      });
    await expect.poll(newestOnScreen, soon).toBe(true);
    // Nothing more is asked for while the reader stays at the newest message.
    await frank.page.waitForTimeout(1_000);
    expect(await historyRequests()).toHaveLength(1);
    expect(await texts(frank.page)).toEqual(shown.slice(-pageSize));
    await screenshot(frank.page, 'history-phone-opened');

    // At the top, the next page goes in above what the reader is looking at, which stays where it is.
    const offsetOf = (text: string) =>
      log.evaluate((el, wanted) => {
        const row = [...el.querySelectorAll('.messages .message')].find((r) => r.querySelector('.message-text')?.textContent === wanted);
        return row === undefined ? undefined : row.getBoundingClientRect().top - el.getBoundingClientRect().top;
      }, text);
    const firstShown = shown.at(-pageSize) as string;
    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    const before = await offsetOf(firstShown);
    await expect.poll(() => texts(frank.page), soon).toEqual(shown.slice(-2 * pageSize));
    const after = await offsetOf(firstShown);
    expect(before).toBeDefined();
    expect(Math.abs((after ?? Infinity) - (before ?? 0))).toBeLessThanOrEqual(1);

    // Each scroll to the top brings the next older page, past the withheld ones, until the beginning:
    // every message the reader may see, once, in order.
    await expect
      .poll(async () => {
        await log.evaluate((el) => el.scrollTo({ top: 0 }));
        return texts(frank.page);
      }, { timeout: 60_000, interval: 200 })
      .toEqual(shown);
    await frank.page.locator('.history-start').waitFor();
    await screenshot(frank.page, 'history-phone');

    // One request per stored page (a full page always has a cursor, so one more, short or empty, ends it),
    // each from a cursor of its own, and none once the beginning is reached.
    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    await frank.page.waitForTimeout(1_000);
    const requests = await historyRequests();
    expect(requests).toHaveLength(Math.floor(stored.length / pageSize) + 1);
    expect(requests.slice(1).every((r) => r.cursor !== undefined)).toBe(true);
    expect(new Set(requests.map((r) => r.cursor)).size).toBe(requests.length);
    expect(requests.every((r) => r.direction === 'backward' && r.limit === pageSize)).toBe(true);

    // The side panels are drawers on a phone: opened and closed from the keyboard.
    const roomsToggle = frank.page.getByRole('button', { name: 'Rooms' });
    await roomsToggle.click();
    await expect.poll(() => roomsToggle.getAttribute('aria-expanded'), soon).toBe('true');
    await frank.page.getByRole('link', { name: 'Archive' }).waitFor();
    await screenshot(frank.page, 'rooms-drawer-phone');
    await frank.page.keyboard.press('Escape');
    await expect.poll(() => roomsToggle.getAttribute('aria-expanded'), soon).toBe('false');
  }, 180_000);

  it('renames a person: others see the new name on new messages and in the members list, old messages keep the old one', async () => {
    const heidi = await person('heidi');
    const ivan = await person('ivan');
    const roomId = await createRoom(heidi.page, 'Naming');
    await joinRoom(ivan.page, roomId);
    await send(heidi.page, 'as heidi');
    await expect.poll(() => texts(ivan.page), soon).toEqual(['as heidi']);

    await heidi.page.getByRole('button', { name: /Change your display name/ }).click();
    await heidi.page.getByRole('textbox', { name: 'Display name', exact: true }).fill('Heidi Klum');
    await heidi.page.getByRole('button', { name: 'Save' }).click();
    await heidi.page.locator('.top-bar .me', { hasText: 'Heidi Klum' }).waitFor();
    await expect.poll(() => ivan.page.locator('.member-list .member').allInnerTexts(), soon).toContainEqual(
      expect.stringMatching(/^Heidi Klum\s+owner/),
    );
    await send(heidi.page, 'as Heidi Klum');

    await expect.poll(() => texts(ivan.page), soon).toEqual(['as heidi', 'as Heidi Klum']);
    expect(await ivan.page.locator('.messages .message .author').allInnerTexts()).toEqual(['heidi', 'Heidi Klum']);
    // The session now holds a token with the new name: a reload keeps it, and the same person (same id).
    await heidi.page.reload();
    await heidi.page.locator('.status[data-status="online"]').waitFor();
    await heidi.page.locator('.top-bar .me', { hasText: 'Heidi Klum' }).waitFor();
    await screenshot(ivan.page, 'renamed');
  });

  it('refuses a display name with a control character and keeps the old one', async () => {
    const judy = await person('judy');

    await judy.page.getByRole('button', { name: /Change your display name/ }).click();
    await judy.page.getByRole('textbox', { name: 'Display name', exact: true }).fill('ju\u0007dy');
    await judy.page.getByRole('button', { name: 'Save' }).click();

    await judy.page.locator('#profile-form [role="alert"]', { hasText: /control or invisible/ }).waitFor();
    expect(await judy.page.locator('.top-bar .me').innerText()).toBe('judy');
  });

  it("speaks a German browser's language, and keeps the reader's own choice of language", async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'de-DE', timezoneId: 'UTC' });
    try {
      const page = await context.newPage();
      await page.goto(suite.parley.webUrl);
      await page.getByLabel('Dein Name').waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
      expect(await page.title()).toBe('Anmelden · Parley');

      // Chosen in the picker, English stays after a reload, whatever the browser prefers.
      await page.getByLabel('Sprache').selectOption('en');
      await page.getByLabel('Your name').waitFor();
      expect(await page.getByLabel('Language').evaluate((select) => select === document.activeElement)).toBe(true);
      await page.reload();
      await page.getByLabel('Your name').waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

      // And back to German: the rooms panel speaks it after signing in.
      await page.getByLabel('Language').selectOption('de');
      await page.getByLabel('Dein Name').fill('kai');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByRole('heading', { name: 'Räume', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Raum anlegen' }).waitFor();
      await screenshot(page, 'language-de');
    } finally {
      await context.close();
    }
  });

  it('fits a 320 px phone in German: nothing scrolls sideways, the room’s name shows whole, the drawer gives way to a new room', async () => {
    // 320 CSS px: the width WCAG's reflow criterion asks content to fit without scrolling sideways.
    const context = await suite.browser.newContext({ viewport: { width: 320, height: 700 }, locale: 'de-DE', timezoneId: 'UTC' });
    try {
      const page = await context.newPage();
      const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await page.goto(suite.parley.webUrl);
      await page.getByLabel('Dein Name').fill('lena');
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.locator('.status[data-status="online"]').waitFor();
      expect(await sideways()).toBeLessThanOrEqual(0);
      // The header keeps one row.
      const top = async (name: string) => (await page.getByRole('button', { name, exact: true }).boundingBox())?.y;
      expect(await top('Abmelden')).toBe(await top('Räume'));

      const drawer = page.getByRole('button', { name: 'Räume', exact: true });
      await drawer.click();
      await page.getByLabel('Name des Raums').fill('Wer ist der Bot');
      await page.getByLabel('Raummodus').selectOption('imposter');
      await page.getByRole('button', { name: 'Raum anlegen' }).click();
      await page.locator('#room-title', { hasText: 'Wer ist der Bot' }).waitFor();
      await expect.poll(() => drawer.getAttribute('aria-expanded'), soon).toBe('false');
      expect(await sideways()).toBeLessThanOrEqual(0);
      // The heading keeps its room whole; the buttons beside it take a row of their own when they would not leave room.
      expect(await page.locator('#room-title').evaluate((title) => title.scrollWidth - title.clientWidth)).toBeLessThanOrEqual(0);
      await screenshot(page, 'phone-de-room');
      // Every tab of the room's details, in the drawer.
      await page.getByRole('button', { name: 'Raumdetails' }).click();
      for (const name of ['Mitglieder', 'Agenten', 'Moderieren', 'Protokoll', 'Dokumente', 'Einstellungen']) {
        await page.getByRole('tab', { name, exact: true }).click();
        await page.getByRole('tabpanel', { name }).waitFor();
        expect(await sideways(), name).toBeLessThanOrEqual(0);
        await screenshot(page, `phone-de-${name}`);
      }
    } finally {
      await context.close();
    }
  });

  describe('against Cognito (a fake of its JSON API)', () => {
    /** A browser context whose config.json names a user pool, with Cognito's API answered by the fake. */
    const cognitoPage = async (selfSignUp: boolean) => {
      const cognito = fakeCognito();
      // The local server's CSP allows only itself: Cognito's endpoint is allowed by the deployed CSP instead.
      const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      await context.route('**/config.json', (route) =>
        route.fulfill({
          json: {
            wsUrl: suite.parley.wsUrl,
            auth: { kind: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_Fake123', clientId: cognito.clientId, selfSignUp },
          },
        }),
      );
      await context.route('https://cognito-idp.eu-west-1.amazonaws.com/', async (route) => {
        const request = route.request();
        const target = (request.headers()['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
        const answer = cognito.handle(target, request.postDataJSON() as Record<string, any>);
        await route.fulfill({ status: answer.status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(answer.body) });
      });
      const page = await context.newPage();
      await page.goto(suite.parley.webUrl);
      return { cognito, context, page };
    };
    const alertText = (page: Page) => page.locator('.sign-in-form .form-error').innerText();

    it('signs up, confirms with the emailed code (after a wrong one and a new one), signs out and resets the password', async () => {
      const { cognito, context, page } = await cognitoPage(true);

      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByLabel('Display name').fill('Ada Lovelace');
      await page.getByLabel('Password').fill('Analytical-Engine-1843');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
      expect(await page.locator('.sign-in-form .notice').innerText()).toContain('a***@e***');

      await page.getByLabel('Confirmation code').fill('000000');
      await page.getByRole('button', { name: 'Confirm' }).click();
      await expect.poll(() => alertText(page), soon).toMatch(/Invalid verification code/);
      await page.getByRole('button', { name: 'Send a new code' }).click();
      await expect.poll(() => page.locator('.sign-in-form .notice').innerText(), soon).toMatch(/a new code/);
      await screenshot(page, 'sign-up-confirm');
      await page.getByLabel('Confirmation code').fill(cognito.codes.signUp);
      await page.getByRole('button', { name: 'Confirm' }).click();

      // Confirmed and signed in at once: the header shows the display name given at sign-up.
      await page.locator('.top-bar .me', { hasText: 'Ada Lovelace' }).waitFor();
      expect(cognito.calls.map((c) => c.target)).toEqual(['SignUp', 'ConfirmSignUp', 'ResendConfirmationCode', 'ConfirmSignUp', 'InitiateAuth']);
      expect(cognito.calls.find((c) => c.target === 'InitiateAuth')?.body['AuthFlow']).toBe('USER_PASSWORD_AUTH');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expect.poll(() => cognito.calls.at(-1)?.target, soon).toBe('RevokeToken');

      await page.getByRole('button', { name: 'Forgot your password?' }).click();
      await page.getByLabel('Email').fill('ada@example.com');
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
      await page.getByLabel('Code', { exact: true }).fill(cognito.codes.reset);
      await page.getByLabel('New password', { exact: true }).fill('Difference-Engine-1822');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.locator('.top-bar .me', { hasText: 'Ada Lovelace' }).waitFor();
      expect(cognito.users.get('ada@example.com')?.password).toBe('Difference-Engine-1822');
      await context.close();
    });

    it('sends an unconfirmed person who signs in to the confirmation step, and shows Cognito’s refusals', async () => {
      const { cognito, context, page } = await cognitoPage(true);
      cognito.addUser({ email: 'grace@example.com', name: 'Grace', password: 'Compiler-A0-1952', confirmed: false });

      await page.getByLabel('Email').fill('grace@example.com');
      await page.getByLabel('Password').fill('wrong-password');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => alertText(page), soon).toBe('Incorrect username or password.');
      await page.getByLabel('Password').fill('Compiler-A0-1952');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();

      await page.getByRole('heading', { name: 'Confirm your email' }).waitFor();
      await page.getByLabel('Confirmation code').fill(cognito.codes.signUp);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.locator('.top-bar .me', { hasText: 'Grace' }).waitFor();
      await context.close();
    });

    it('offers no sign-up when the user pool is invite-only', async () => {
      const { context, page } = await cognitoPage(false);

      await page.getByRole('heading', { name: 'Sign in' }).waitFor();

      expect(await page.getByRole('button', { name: 'Create an account' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Forgot your password?' }).count()).toBe(1);
      await context.close();
    });
  });
});
