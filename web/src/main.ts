import { refreshTokens, revokeRefreshToken, updateDisplayName } from './auth/cognito';
import { signInLocally } from './auth/local';
import {
  clearSession,
  createTokenSource,
  identityOf,
  loadSession,
  saveSession,
  sessionFromToken,
  SessionExpiredError,
  type Session,
} from './auth/session';
import { RoomAddress, roomFromHash, roomHash } from './address';
import { ChatClient } from './client';
import { parseConfig, type RuntimeConfig } from './config';
import { IntegrationsClient } from './integrations';
import { ParleyConnection } from './connection';
import { PeopleClient } from './people';
import { RoomAdmin } from './room-admin';
import { DocumentsClient } from './documents';
import { DialogueClient, ImposterClient, isGameFrame } from './games/games-client';
import { RoomTools } from './room-tools';
import { ChatView } from './ui/chat-view';
import { h, replaceChildren } from './ui/dom';
import { renderSignIn } from './ui/sign-in-view';
import { languagePicker } from './ui/language-picker';
import { chooseLanguage, LANGUAGE_KEY, t, useLanguage, type Language } from './i18n';

/** The browser entry point: configuration, sign-in, then the chat. */

const root = document.getElementById('app') as HTMLElement;

/** The reader's saved language, if the browser lets us read it. */
const savedLanguage = (): string | null => {
  try {
    return localStorage.getItem(LANGUAGE_KEY);
  } catch {
    return null;
  }
};

let language: Language = chooseLanguage(navigator.languages ?? [navigator.language], savedLanguage());
useLanguage(language);

function showSignIn(config: RuntimeConfig, message?: string): void {
  document.title = t().app.signInTitle;
  renderSignIn(
    root,
    config.auth,
    (session) => {
      saveSession(sessionStorage, session);
      startChat(config, session);
    },
    message,
  );
  root.append(
    languagePicker(language, (chosen) => {
      language = chosen;
      try {
        localStorage.setItem(LANGUAGE_KEY, chosen);
      } catch {
        // Storage refused (private mode): the choice holds for this page only.
      }
      useLanguage(chosen);
      showSignIn(config, message);
      document.getElementById('language')?.focus();
    }),
  );
}

function startChat(config: RuntimeConfig, session: Session): void {
  document.title = t().app.brand;
  const auth = config.auth;
  const tokens = createTokenSource(session, {
    ...(auth.kind === 'cognito'
      ? {
          renew: async (refreshToken: string) => {
            const renewed = await refreshTokens(auth, refreshToken);
            return sessionFromToken('cognito', renewed.idToken, renewed.refreshToken, { accessToken: renewed.accessToken });
          },
        }
      : {}),
    onRenewed: (renewed) => saveSession(sessionStorage, renewed),
  });

  const connection: ParleyConnection = new ParleyConnection({
    url: config.wsUrl,
    getToken: async () => {
      try {
        return await tokens.getToken();
      } catch (error) {
        if (error instanceof SessionExpiredError) queueMicrotask(() => signOut(error.message));
        throw error;
      }
    },
    onFrame: (frame) => {
      client.receive(frame);
      if (frame.type === 'documentStatus' || frame.type === 'documentDeleted') view.receiveDocumentFrame(frame);
      if (isGameFrame(frame)) view.receiveGameFrame(frame);
    },
    onStatus: (status) => client.setStatus(status),
    onOpen: (info) => {
      void client.resume(info);
      void people.resume();
    },
  });
  /**
   * Keeps a new display name for the next session: Cognito's `name`
   * attribute, then fresh tokens that carry it; locally, a token from the
   * local sign-in for the same person with that name.
   */
  const saveDisplayName = async (displayName: string): Promise<void> => {
    const current = tokens.session;
    if (auth.kind === 'cognito') {
      if (current.accessToken === undefined || current.refreshToken === undefined) throw new Error(t().errors.noAccessToken);
      await updateDisplayName(auth, current.accessToken, displayName);
      const renewed = await refreshTokens(auth, current.refreshToken);
      tokens.replace(sessionFromToken('cognito', renewed.idToken, renewed.refreshToken, { accessToken: renewed.accessToken }));
    } else {
      const signInName = current.signInName ?? identityOf(current).displayName;
      const token = await signInLocally(auth.tokenUrl, signInName, fetch, displayName);
      tokens.replace(sessionFromToken('local', token, undefined, { signInName }));
    }
  };
  const client = new ChatClient({ me: identityOf(session), transport: connection, onDisplayNameChanged: saveDisplayName });
  const people = new PeopleClient(client, connection);

  const view = new ChatView(root, {
    client,
    signOut: () => signOut(),
    maxTextBytes: config.maxTextBytes,
    editWindowSeconds: config.editWindowSeconds,
    people,
    admin: new RoomAdmin(client, connection),
    tools: new RoomTools(connection),
    documents: new DocumentsClient(connection),
    games: { imposter: new ImposterClient(connection), dialogue: new DialogueClient(connection) },
    ...(config.modelServedBy !== undefined ? { modelServedBy: config.modelServedBy } : {}),
    ...(config.apiUrl !== undefined ? { integrations: new IntegrationsClient(config.apiUrl, () => tokens.getToken()) } : {}),
    navigate: (roomId) => {
      location.hash = roomHash(roomId);
    },
  });

  const address = new RoomAddress({
    get hash() {
      return location.hash;
    },
    set hash(hash: string) {
      location.hash = hash;
    },
    clear: () => history.replaceState(history.state, '', location.pathname + location.search),
  });
  // One render per frame, however many frames arrived; the address follows the open room at once.
  let scheduled = false;
  const unsubscribe = client.subscribe(() => {
    address.follow(client.state.activeRoomId);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      view.render(client.state);
    });
  });
  view.render(client.state);

  const route = () => {
    const roomId = roomFromHash(location.hash);
    if (roomId !== undefined && roomId !== client.state.activeRoomId) {
      void client.openRoom(roomId).then(() => view.focusComposer());
    }
  };
  const online = () => connection.wentOnline();
  const offline = () => connection.wentOffline();
  const visible = () => {
    if (document.visibilityState === 'visible') connection.reconnectNow();
  };
  window.addEventListener('hashchange', route);
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  document.addEventListener('visibilitychange', visible);
  route();
  connection.start();

  let signedOut = false;
  function signOut(message?: string): void {
    if (signedOut) return;
    signedOut = true;
    connection.stop();
    unsubscribe();
    window.removeEventListener('hashchange', route);
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    document.removeEventListener('visibilitychange', visible);
    const { refreshToken } = tokens.session;
    if (auth.kind === 'cognito' && refreshToken !== undefined) void revokeRefreshToken(auth, refreshToken).catch(() => undefined);
    clearSession(sessionStorage);
    history.replaceState(null, '', location.pathname);
    showSignIn(config, message);
  }
}

async function boot(): Promise<void> {
  let config: RuntimeConfig;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    config = parseConfig(await response.json());
  } catch (error) {
    replaceChildren(
      root,
      h(
        'main',
        { id: 'main', className: 'sign-in' },
        h('h1', { className: 'brand' }, t().app.brand),
        h('p', { role: 'alert' }, error instanceof Error ? error.message : t().app.configFailed),
      ),
    );
    return;
  }
  const session = loadSession(sessionStorage);
  if (session) startChat(config, session);
  else showSignIn(config);
}

void boot();
