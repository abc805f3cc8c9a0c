import { describe, expect, it } from 'vitest';
import { chooseWidgetLanguage, WIDGET_LANGUAGES } from '../../../web/widget/i18n';
import {
  MAX_SHOWN,
  mergeMessages,
  readSettings,
  reconnectDelay,
  renewIn,
  subjectOf,
  toWidgetMessage,
  tokenProblemOf,
  type WidgetMessage,
} from '../../../web/widget/state';

const message = (messageId: string, text = messageId): WidgetMessage => ({ messageId, senderName: 'Ada (guest)', text, createdAt: '', mine: false });

describe('chooseWidgetLanguage', () => {
  it('takes data-lang first, then the page’s lang, by their base', () => {
    expect(chooseWidgetLanguage('de', 'en')).toBe('de');
    expect(chooseWidgetLanguage(undefined, 'de-AT')).toBe('de');
    expect(chooseWidgetLanguage('fr', 'de')).toBe('de');
  });

  it('falls back to English', () => {
    expect(chooseWidgetLanguage('fr', 'ja')).toBe('en');
    expect(chooseWidgetLanguage(null, '')).toBe('en');
  });

  it('has every string in every language', () => {
    expect(Object.keys(WIDGET_LANGUAGES.de).sort()).toEqual(Object.keys(WIDGET_LANGUAGES.en).sort());
  });
});

describe('mergeMessages', () => {
  it('shows each message once, in id order, a later copy replacing an earlier one', () => {
    const merged = mergeMessages([message('02'), message('01')], [message('03'), message('02', 'edited')]);

    expect(merged.map((m) => [m.messageId, m.text])).toEqual([['01', '01'], ['02', 'edited'], ['03', '03']]);
  });

  it('keeps the newest MAX_SHOWN', () => {
    const many = Array.from({ length: MAX_SHOWN + 5 }, (_, i) => message(String(i).padStart(4, '0')));

    const merged = mergeMessages([], many);

    expect(merged).toHaveLength(MAX_SHOWN);
    expect(merged[0]?.messageId).toBe('0005');
  });
});

describe('toWidgetMessage', () => {
  it('reads a message and tells the guest’s own', () => {
    const raw = { messageId: '01', senderId: 'guest-a', senderName: 'Ada (guest)', text: '<b>hi</b>', createdAt: 't' };

    expect(toWidgetMessage(raw, 'guest-a')).toEqual({ messageId: '01', senderName: 'Ada (guest)', text: '<b>hi</b>', createdAt: 't', mine: true });
    expect(toWidgetMessage(raw, 'guest-b')?.mine).toBe(false);
  });

  it('shows nothing withheld, hidden, deleted or malformed', () => {
    const base = { messageId: '01', senderName: 'A', text: 'x' };

    expect(toWidgetMessage({ ...base, moderation: 'quarantined' }, undefined)).toBeUndefined();
    expect(toWidgetMessage({ ...base, hidden: true }, undefined)).toBeUndefined();
    expect(toWidgetMessage({ ...base, deletedAt: 't' }, undefined)).toBeUndefined();
    expect(toWidgetMessage({ messageId: 1 }, undefined)).toBeUndefined();
    expect(toWidgetMessage(null, undefined)).toBeUndefined();
  });
});

describe('reconnectDelay', () => {
  it('doubles from half a second up to thirty seconds, with jitter on top', () => {
    expect([0, 1, 2, 3].map((n) => reconnectDelay(n, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(reconnectDelay(20, () => 0)).toBe(30_000);
    expect(reconnectDelay(0, () => 1)).toBe(650);
  });
});

describe('renewIn', () => {
  it('renews five minutes before the token lapses, at once when that has passed', () => {
    const now = Date.UTC(2026, 11, 7, 0, 0);

    expect(renewIn(new Date(now + 30 * 60_000).toISOString(), now)).toBe(25 * 60_000);
    expect(renewIn(new Date(now + 60_000).toISOString(), now)).toBe(0);
  });
});

describe('subjectOf', () => {
  it('reads the guest id from a token, and nothing from garbage', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'guest-Xy_-' })).toString('base64url');

    expect(subjectOf(`h.${payload}.s`)).toBe('guest-Xy_-');
    expect(subjectOf('garbage')).toBeUndefined();
  });
});

describe('readSettings', () => {
  const attributes = (values: Record<string, string>) => (name: string) => values[name] ?? null;

  it('reads the embed’s attributes, trimming the API’s trailing slash', () => {
    expect(readSettings(attributes({ 'data-room': ' r1 ', 'data-api': 'https://api.example.test/', 'data-lang': 'de', 'data-title': 'Help' }))).toEqual({
      room: 'r1',
      api: 'https://api.example.test',
      lang: 'de',
      title: 'Help',
      target: undefined,
    });
  });

  it('mounts nothing without a room', () => {
    expect(readSettings(attributes({}))).toBeUndefined();
  });
});

describe('tokenProblemOf', () => {
  it('names each refusal', () => {
    expect([403, 404, 429, 400, 500].map(tokenProblemOf)).toEqual(['guestsOff', 'roomNotFound', 'tooMany', 'nameProblem', 'failed']);
  });
});
