/**
 * The widget benchmark: its gzipped size beside the web client's, and its
 * time to first message in headless Chromium against the local runtime
 * (`npm start`): from inserting the `<script async>` tag on a host page of
 * another origin to the first history message rendered in the widget,
 * the visitor's name typed by the bench as soon as the field appears. The
 * baseline, in the same run: the full web client, from navigation to the
 * first message of the same room, signing in by name the same way.
 * Each round uses a fresh browser context (a cold cache), alternating the
 * two, so both meet the same load.
 *
 *   npm run bench -- widget
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { buildWebClient, buildWidget } from '../../web/build';
import { startLocalParley } from '../../test/support/local-parley';

const ROUNDS = 7;
const CHROMIUM = process.env['PARLEY_CHROMIUM'] ?? '/usr/bin/chromium';

export interface WidgetFigures {
  readonly widgetGzipBytes: number;
  readonly clientGzipBytes: number;
  readonly widgetMs: readonly number[];
  readonly clientMs: readonly number[];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The gzipped bytes of what a first visit loads: widget.js alone, against the client's script, styles and page. */
export function measureSizes(): { widget: number; client: number } {
  const gz = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).byteLength;
  const client = buildWebClient({ minify: true });
  let clientBytes = 0;
  for (const [path, contents] of client.files) if (path !== 'widget.js') clientBytes += gz(contents);
  return { widget: gz(buildWidget({ minify: true })), client: clientBytes };
}

export async function runWidgetBenchmark(log: (line: string) => void = () => undefined): Promise<WidgetFigures> {
  const sizes = measureSizes();
  const parley = await startLocalParley({ startTimeoutMs: 400_000, env: { PARLEY_FUNCTION_ENV: JSON.stringify({ GUEST_TOKENS_PER_IP_BURST: '100' }) } });
  let browser: Browser | undefined;
  const host = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html lang="en"><title>Host</title><main id="main"></main></html>'));
  try {
    const owner = await parley.connect('bench-widget-owner');
    const { room } = await owner.ok<{ room: { roomId: string } }>('createRoom', { name: 'Widget bench', visibility: 'public' });
    await owner.ok('updateRoom', { roomId: room.roomId, guestAccess: 'read' });
    await owner.ok('sendMessage', { roomId: room.roomId, text: 'The first message', clientMessageId: 'first' });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const widgetMs: number[] = [];
    const clientMs: number[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      // The widget: script inserted on a loaded host page, then the name, then the first message.
      let context = await browser.newContext();
      let page = await context.newPage();
      await page.goto(hostUrl);
      await page.evaluate(
        ({ src, roomId, api }) => {
          (window as unknown as { t0: number }).t0 = performance.now();
          const script = document.createElement('script');
          script.async = true;
          script.src = src;
          script.dataset['room'] = roomId;
          script.dataset['api'] = api;
          document.getElementById('main')?.append(script);
        },
        { src: `${parley.webUrl}/widget.js`, roomId: room.roomId, api: parley.apiUrl },
      );
      const widget = page.locator('.parley-widget');
      await widget.getByLabel('Your name').fill(`Guest ${i}`);
      await widget.getByLabel('Your name').press('Enter');
      await widget.getByRole('log').getByText('The first message').waitFor();
      widgetMs.push(await page.evaluate(() => performance.now() - (window as unknown as { t0: number }).t0));
      await context.close();

      // The baseline: the web client from navigation, signing in by name, opening the room's link.
      context = await browser.newContext();
      page = await context.newPage();
      await page.goto(`${parley.webUrl}/#/room/${encodeURIComponent(room.roomId)}`);
      await page.getByLabel('Your name').fill(`bench-reader-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('The first message').first().waitFor();
      clientMs.push(await page.evaluate(() => performance.now()));
      await context.close();
      log(`round ${i + 1}: widget ${widgetMs.at(-1)?.toFixed(0)} ms, web client ${clientMs.at(-1)?.toFixed(0)} ms`);
    }
    return { widgetGzipBytes: sizes.widget, clientGzipBytes: sizes.client, widgetMs, clientMs };
  } finally {
    await browser?.close();
    await new Promise<void>((resolve) => host.close(() => resolve()));
    await parley.stop();
  }
}

export function formatWidget(figures: WidgetFigures): string {
  const widget = median(figures.widgetMs);
  const client = median(figures.clientMs);
  return [
    '| measure | widget | web client (baseline) | ratio |',
    '|---|---|---|---|',
    `| gzipped bytes of a first visit's code | ${figures.widgetGzipBytes} | ${figures.clientGzipBytes} | ${(figures.widgetGzipBytes / figures.clientGzipBytes).toFixed(2)} |`,
    `| time to first message, median of ${figures.widgetMs.length} (ms) | ${widget.toFixed(0)} | ${client.toFixed(0)} | ${(widget / client).toFixed(2)} |`,
    `| time to first message, min–max (ms) | ${Math.min(...figures.widgetMs).toFixed(0)}–${Math.max(...figures.widgetMs).toFixed(0)} | ${Math.min(...figures.clientMs).toFixed(0)}–${Math.max(...figures.clientMs).toFixed(0)} | |`,
  ].join('\n');
}
