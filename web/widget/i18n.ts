/**
 * The widget's strings, in every language it speaks. The widget carries its
 * own few strings rather than the web client's catalogue, to stay small.
 */
export interface WidgetStrings {
  readonly locale: string;
  readonly defaultTitle: string;
  readonly nameLabel: string;
  readonly join: string;
  readonly joining: string;
  readonly messagesLabel: string;
  readonly messageLabel: string;
  readonly send: string;
  readonly readOnly: string;
  readonly connecting: string;
  readonly reconnecting: string;
  readonly connected: string;
  readonly empty: string;
  readonly guestsOff: string;
  readonly roomNotFound: string;
  readonly tooMany: string;
  readonly failed: string;
  readonly sendFailed: string;
  readonly nameProblem: string;
}

const en: WidgetStrings = {
  locale: 'en',
  defaultTitle: 'Chat',
  nameLabel: 'Your name',
  join: 'Join the chat',
  joining: 'Joining…',
  messagesLabel: 'Messages',
  messageLabel: 'Message',
  send: 'Send',
  readOnly: 'Guests can read this room but not post in it.',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost; reconnecting…',
  connected: 'Connected.',
  empty: 'No messages yet.',
  guestsOff: 'This room does not let guests in.',
  roomNotFound: 'This chat room does not exist.',
  tooMany: 'Too many attempts; try again in a moment.',
  failed: 'Something went wrong; try again.',
  sendFailed: 'Your message was not sent.',
  nameProblem: 'Enter a name of 1 to 40 characters.',
};

const de: WidgetStrings = {
  locale: 'de',
  defaultTitle: 'Chat',
  nameLabel: 'Dein Name',
  join: 'Dem Chat beitreten',
  joining: 'Trete bei…',
  messagesLabel: 'Nachrichten',
  messageLabel: 'Nachricht',
  send: 'Senden',
  readOnly: 'Gäste können in diesem Raum mitlesen, aber nicht schreiben.',
  connecting: 'Verbinde…',
  reconnecting: 'Verbindung verloren; verbinde erneut…',
  connected: 'Verbunden.',
  empty: 'Noch keine Nachrichten.',
  guestsOff: 'Dieser Raum lässt keine Gäste zu.',
  roomNotFound: 'Diesen Chatraum gibt es nicht.',
  tooMany: 'Zu viele Versuche; versuche es gleich noch einmal.',
  failed: 'Etwas ist schiefgegangen; versuche es noch einmal.',
  sendFailed: 'Deine Nachricht wurde nicht gesendet.',
  nameProblem: 'Gib einen Namen mit 1 bis 40 Zeichen ein.',
};

export const WIDGET_LANGUAGES = { en, de } as const;
export type WidgetLanguage = keyof typeof WIDGET_LANGUAGES;

/**
 * The language: the embed's `data-lang`, else the host page's `lang`, each
 * reduced to its base (`de-AT` → `de`) when the widget speaks it, else English.
 */
export function chooseWidgetLanguage(dataLang: string | null | undefined, pageLang: string | null | undefined): WidgetLanguage {
  for (const tag of [dataLang, pageLang]) {
    const base = (tag ?? '').toLowerCase().split('-')[0] ?? '';
    if (Object.hasOwn(WIDGET_LANGUAGES, base)) return base as WidgetLanguage;
  }
  return 'en';
}
