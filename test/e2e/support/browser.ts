import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type LocalParleyProcess, startLocalParley } from '../../support/local-parley';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = process.env['PARLEY_CHROMIUM'] ?? '/usr/bin/chromium';

/** Where the end-to-end tests keep their screenshots (git-ignored). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../../test-results/web');

/**
 * Headless Chromium, quiet on the network: without the background
 * networking switches it keeps trying to reach Google's services. Playwright
 * gives each launch a fresh, temporary profile (user data dir).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (or set PARLEY_CHROMIUM).`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What a suite of browser tests shares: one local runtime, one Chromium, and the people opened in it. */
export interface BrowserSuite {
  readonly parley: LocalParleyProcess;
  readonly browser: Browser;
  /** Everyone `person` opened, so a test can check that no page reported an incident. */
  readonly people: readonly Person[];
  person(name: string, viewport?: { width: number; height: number }): Promise<Person>;
}

/**
 * Starts the local runtime (with `env` for its functions) and Chromium
 * before the suite's tests and stops both after them. The first suite to
 * start the runtime synthesizes the app, after any other suite's synth,
 * hence the long start timeout.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let parley: LocalParleyProcess | undefined;
  let browser: Browser | undefined;
  const people: Person[] = [];
  beforeAll(async () => {
    [parley, browser] = await Promise.all([startLocalParley({ startTimeoutMs: 280_000, env }), launchChromium()]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await parley?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running: use the suite inside its tests`);
    return value;
  };
  return {
    get parley() {
      return started(parley, 'The local runtime');
    },
    get browser() {
      return started(browser, 'Chromium');
    },
    people,
    async person(name, viewport) {
      const p = await openPerson(started(browser, 'Chromium'), started(parley, 'The local runtime').webUrl, name, viewport);
      people.push(p);
      return p;
    },
  };
}

/**
 * A person in their own browser context (their own storage, so their own
 * session), with a handle on their WebSocket to cut it like a network
 * failure would, and to keep them offline for a while.
 */
export interface Person {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the live socket at both ends and refuses reconnections until `restore()`. */
  cut(): Promise<void>;
  restore(): void;
  /** Keeps the page's requests for `action` from Parley, as a slow network would, until the returned release is called. */
  hold(action: string): () => void;
  /** Page errors and dialogs (an injected script would show up here). */
  readonly incidents: string[];
}

export async function openPerson(browser: Browser, webUrl: string, name: string, viewport = { width: 1280, height: 800 }): Promise<Person> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC' });
  let offline = false;
  const live: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
  const held = new Map<string, Array<() => void>>();
  await context.routeWebSocket(/.*/, (page) => {
    if (offline) {
      void page.close({ code: 1001, reason: 'Network unreachable' });
      return;
    }
    const server = page.connectToServer();
    // Playwright forwards through this process either way: a handler of our own costs nothing more.
    page.onMessage((message) => {
      const queue = held.get(actionOf(message));
      if (queue) queue.push(() => server.send(message));
      else server.send(message);
    });
    live.push({ page, server });
  });
  const page = await context.newPage();
  const incidents: string[] = [];
  page.on('pageerror', (error) => incidents.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    incidents.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(webUrl);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.status[data-status="online"]').waitFor();
  return {
    name,
    context,
    page,
    incidents,
    async cut() {
      offline = true;
      for (const { page: client, server } of live.splice(0)) {
        await server.close({ code: 1001, reason: 'Going away' });
        await client.close({ code: 1001, reason: 'Connection lost' });
      }
    },
    restore() {
      offline = false;
    },
    hold(action) {
      const queue: Array<() => void> = [];
      held.set(action, queue);
      return () => {
        held.delete(action);
        for (const send of queue.splice(0)) send();
      };
    },
  };
}

/** The action a frame from the page asks for ('' for anything else). */
const actionOf = (message: string | Buffer): string => {
  try {
    const frame: unknown = JSON.parse(message.toString());
    return typeof frame === 'object' && frame !== null && 'action' in frame && typeof frame.action === 'string' ? frame.action : '';
  } catch {
    return '';
  }
};

export const screenshot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

/**
 * Creates a room from the rooms panel, public and in chat mode unless told
 * otherwise; resolves with its id (from the address bar, which names it by
 * the time its title shows).
 */
export async function createRoom(
  page: Page,
  name: string,
  options: { readonly mode?: 'imposter' | 'dialogue'; readonly private?: boolean } = {},
): Promise<string> {
  await page.getByLabel('Room name').fill(name);
  if (options.mode !== undefined) await page.getByLabel('Room mode').selectOption(options.mode);
  if (options.private === true) await page.getByLabel('Private (invitation only)').check();
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.locator('#room-title', { hasText: name }).waitFor();
  return decodeURIComponent((await page.evaluate(() => location.hash)).replace('#/room/', ''));
}

export async function joinRoom(page: Page, roomId: string): Promise<void> {
  await page.getByLabel('Room id').fill(roomId);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.locator('.room-meta', { hasText: 'you are member' }).waitFor();
}

/** Types a message and sends it with Enter, as a keyboard user would. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
}

/** The texts of the timeline's stored messages, in display order. */
export const texts = (page: Page): Promise<string[]> =>
  page.locator('.messages .message[data-key^="m:"] .message-text').allInnerTexts();
