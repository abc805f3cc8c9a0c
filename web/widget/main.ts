import { chooseWidgetLanguage, WIDGET_LANGUAGES, type WidgetStrings } from './i18n';
import {
  mergeMessages,
  readSettings,
  reconnectDelay,
  renewIn,
  subjectOf,
  toWidgetMessage,
  tokenProblemOf,
  type WidgetMessage,
  type WidgetSettings,
} from './state';
import { WidgetView } from './view';

/**
 * Parley's embeddable chat widget (docs/widget.md):
 *
 *   <script async src="https://…/widget.js" data-room="…"></script>
 *
 * mounts a chat for one room in a shadow root right after its script tag
 * (or into `data-target`), asks the visitor's name, gets a guest token from
 * the HTTP API, and talks over the WebSocket API like any client.
 */

interface GuestToken {
  readonly token: string;
  readonly expiresAt: string;
  readonly wsUrl: string;
  readonly canPost: boolean;
  readonly room: { readonly id: string; readonly name: string };
}

/** Keeps an idle connection open: API Gateway closes one after 10 minutes without a frame. */
const HEARTBEAT_MS = 5 * 60_000;

class ParleyWidget {
  private messages: WidgetMessage[] = [];
  private grant: GuestToken | undefined;
  private name = '';
  private socket: WebSocket | undefined;
  private attempt = 0;
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private sent = 0;

  constructor(
    private readonly settings: WidgetSettings,
    private readonly api: () => Promise<string>,
    private readonly view: WidgetView,
    private readonly strings: WidgetStrings,
  ) {
    view.nameForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.join(view.nameInput.value);
    });
    // Enter in the single-line input submits the form, as native forms do.
    view.messageForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.send(view.messageInput.value);
    });
  }

  private async requestToken(renew?: string): Promise<GuestToken> {
    const response = await fetch(`${await this.api()}/v1/rooms/${encodeURIComponent(this.settings.room)}/guest-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: this.name, ...(renew === undefined ? {} : { renew }) }),
    });
    if (response.status !== 201) throw new TokenRefused(tokenProblemOf(response.status));
    return (await response.json()) as GuestToken;
  }

  private async join(name: string): Promise<void> {
    this.name = name.trim();
    if (this.name === '' || [...this.name].length > 40) return this.view.say(this.strings.nameProblem);
    this.view.joining(true);
    this.view.say(this.strings.connecting);
    try {
      this.grant = await this.requestToken();
    } catch (error) {
      this.view.joining(false);
      return this.view.say(this.strings[error instanceof TokenRefused ? error.problem : 'failed']);
    }
    this.scheduleRenewal();
    this.view.joined(this.grant.canPost);
    this.connect();
  }

  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    if (!this.grant) return;
    this.renewTimer = setTimeout(() => void this.renew(), renewIn(this.grant.expiresAt, Date.now()));
  }

  /** A new token before the old one lapses, then a new connection with it (the server refuses a connection's actions once its token lapses). */
  private async renew(): Promise<void> {
    try {
      this.grant = await this.requestToken(this.grant?.token);
      this.view.setCanPost(this.grant.canPost);
      this.scheduleRenewal();
      const old = this.socket;
      this.socket = undefined;
      old?.close(1000);
      this.connect();
    } catch {
      this.renewTimer = setTimeout(() => void this.renew(), reconnectDelay(this.attempt++));
    }
  }

  private connect(): void {
    const grant = this.grant;
    if (!grant) return;
    const socket = new WebSocket(`${grant.wsUrl}?token=${encodeURIComponent(grant.token)}`);
    this.socket = socket;
    const mine = subjectOf(grant.token);
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.view.say('');
      socket.send(JSON.stringify({ action: 'getHistory', roomId: this.settings.room, limit: 30, requestId: 'history' }));
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => socket.send(JSON.stringify({ action: 'ping' })), HEARTBEAT_MS);
    });
    socket.addEventListener('message', (event) => this.onFrame(String(event.data), mine));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return; // replaced on purpose (renewal)
      clearInterval(this.heartbeat);
      this.view.say(this.strings.reconnecting);
      // A token that lapsed while offline is renewed (or replaced) before reconnecting.
      const expired = Date.parse(grant.expiresAt) - Date.now() < 60_000;
      setTimeout(() => (expired ? void this.renew() : this.connect()), reconnectDelay(this.attempt++));
    });
  }

  private onFrame(data: string, mine: string | undefined): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    const incoming: WidgetMessage[] = [];
    if (frame['type'] === 'ack' && frame['action'] === 'getHistory') {
      for (const raw of ((frame['data'] as { items?: unknown[] } | undefined)?.items ?? [])) {
        const message = toWidgetMessage(raw, mine);
        if (message) incoming.push(message);
      }
      if (incoming.length === 0) this.view.render(this.messages);
    } else if ((frame['type'] === 'message' || frame['type'] === 'messageUpdated') && frame['roomId'] === this.settings.room) {
      const message = toWidgetMessage(frame['message'], mine);
      if (message) incoming.push(message);
      else if (frame['type'] === 'messageUpdated') this.drop((frame['message'] as { messageId?: unknown } | undefined)?.messageId);
    } else if (frame['type'] === 'ack' && frame['action'] === 'sendMessage') {
      const message = toWidgetMessage((frame['data'] as { message?: unknown } | undefined)?.message, mine);
      if (message) incoming.push(message);
    } else if (frame['type'] === 'error' && frame['action'] === 'sendMessage') {
      // The owner made guests read-only since the token was issued: say so, hide the form.
      if (frame['code'] === 'FORBIDDEN') this.view.setCanPost(false);
      else this.view.say(this.strings.sendFailed);
    }
    if (incoming.length > 0) {
      this.messages = mergeMessages(this.messages, incoming);
      this.view.render(this.messages);
    }
  }

  private drop(messageId: unknown): void {
    this.messages = this.messages.filter((m) => m.messageId !== messageId);
    this.view.render(this.messages);
  }

  private send(text: string): void {
    if (text.trim() === '' || this.socket?.readyState !== WebSocket.OPEN) return;
    this.sent += 1;
    const clientMessageId = `w${Date.now().toString(36)}${this.sent}`;
    this.socket.send(JSON.stringify({ action: 'sendMessage', roomId: this.settings.room, text, clientMessageId, requestId: clientMessageId }));
    this.view.messageInput.value = '';
  }
}

class TokenRefused extends Error {
  constructor(readonly problem: ReturnType<typeof tokenProblemOf>) {
    super(problem);
  }
}

/** The HTTP API's URL: `data-api`, else the `apiUrl` in config.json beside widget.js. */
function apiOf(settings: WidgetSettings, scriptSrc: string): () => Promise<string> {
  let found: Promise<string> | undefined;
  return () =>
    (found ??=
      settings.api !== undefined
        ? Promise.resolve(settings.api)
        : fetch(new URL('config.json', scriptSrc)).then(async (response) => {
            const apiUrl = ((await response.json()) as { apiUrl?: unknown }).apiUrl;
            if (typeof apiUrl !== 'string') throw new Error('No data-api and no apiUrl in config.json.');
            return apiUrl.replace(/\/+$/, '');
          }));
}

/** Mounts the widget next to its script tag (or into `data-target`). */
function mount(script: HTMLScriptElement): void {
  const settings = readSettings((name) => script.getAttribute(name));
  if (!settings) return;
  const strings = WIDGET_LANGUAGES[chooseWidgetLanguage(settings.lang, document.documentElement.lang)];
  const target = settings.target === undefined ? undefined : document.getElementById(settings.target);
  const host = document.createElement('div');
  host.className = 'parley-widget';
  if (target) target.append(host);
  else script.after(host);
  const view = new WidgetView(host, strings, settings.title ?? strings.defaultTitle);
  view.render([]);
  new ParleyWidget(settings, apiOf(settings, script.src), view, strings);
}

// An async script runs once loaded; currentScript names it while it runs.
const current = document.currentScript;
if (current instanceof HTMLScriptElement) mount(current);
