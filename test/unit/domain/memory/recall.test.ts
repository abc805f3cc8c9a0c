import { describe, expect, it } from 'vitest';
import { rankPassages } from '../../../../lambdas/domain/memory/recall';
import type { MemoryChunk, SequencedMessage } from '../../../../lambdas/domain/memory/types';
import { quantize } from '../../../../lambdas/domain/memory/vectors';
import { conceptVector, sequenced } from '../../../support/memory';

const chunk = (messages: SequencedMessage[]): MemoryChunk => ({
  roomId: 'r1',
  windowStart: messages[0]?.seq ?? 0,
  messages,
});

const chunks = [
  chunk([
    sequenced(1, 'Morning! Coffee machine is broken again.', 'Sam'),
    sequenced(2, 'Heads up: the staging database moved to port 6543 last night.', 'Priya'),
    sequenced(3, 'Thanks, updating my config.', 'Lee'),
  ]),
  chunk([
    sequenced(4, 'Lunch at the ramen place?', 'Sam'),
    sequenced(5, 'The production database backup runs at 02:00 UTC.', 'Dana'),
    sequenced(6, 'Sounds good to me.', 'Lee'),
  ]),
  chunk([
    sequenced(7, 'Who has the keys to the bike shed?', 'Lee'),
    sequenced(8, 'Dana has them until Thursday.', 'Sam'),
  ]),
];

const none = new Set<string>();

describe('rankPassages', () => {
  it('returns the window that answers the question first', () => {
    const passages = rankPassages(chunks, 'which port is the staging database on now?', {
      k: 2,
      excludeMessageIds: none,
      maxPassageChars: 1000,
    });

    expect(passages[0]?.messageIds).toEqual(['m001', 'm002', 'm003']);
    expect(passages[0]?.text).toContain('Priya: Heads up: the staging database moved to port 6543 last night.');
    expect(passages.map((p) => p.score)).toEqual([...passages.map((p) => p.score)].sort((a, b) => b - a));
  });

  it('starts every quoted line with its message\'s date and time, and does not match on them', () => {
    const [passage] = rankPassages(chunks, 'staging database port', { k: 1, excludeMessageIds: none, maxPassageChars: 1000 });
    const byDate = rankPassages(chunks, '2026 11 21 12:00', { k: 3, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(passage?.text.split('\n')).toEqual([
      '[2026-11-21 12:00] Sam: Morning! Coffee machine is broken again.',
      '[2026-11-21 12:00] Priya: Heads up: the staging database moved to port 6543 last night.',
      '[2026-11-21 12:00] Lee: Thanks, updating my config.',
    ]);
    expect(byDate.map((p) => p.messageIds)).not.toContainEqual(['m007', 'm008']);
  });

  it('leaves out the messages of excluded senders, and those with no sender kept', () => {
    const own = { ...sequenced(9, 'The staging database port is 6543, as Priya said.', 'Ada'), senderType: 'agent' as const, senderId: 'agent:ada' };
    const other = { ...sequenced(10, 'Staging database port: 6543.', 'Crit'), senderType: 'agent' as const, senderId: 'agent:critic' };
    const withReplies = [...chunks, chunk([own]), chunk([other])];

    const passages = rankPassages(withReplies, 'staging database port 6543', {
      k: 5,
      excludeMessageIds: none,
      excludeSenderIds: new Set(['agent:ada']),
      maxPassageChars: 1000,
    });

    const quoted = passages.flatMap((p) => p.messageIds);
    expect(quoted).not.toContain('m009');
    expect(quoted).toContain('m010');
    expect(quoted).toContain('m002');
  });

  it('matches inflected words and sender names', () => {
    const [best] = rankPassages(chunks, 'what did Dana say about backups?', { k: 1, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(best?.messageIds).toContain('m005');
  });

  it('returns at most k passages, and none that match no term', () => {
    const passages = rankPassages(chunks, 'database', { k: 5, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(passages).toHaveLength(2);
  });

  it('leaves out messages already in the agent window, and windows made only of them', () => {
    const inWindow = new Set(['m001', 'm002', 'm003', 'm006']);

    const passages = rankPassages(chunks, 'staging database port lunch', { k: 3, excludeMessageIds: inWindow, maxPassageChars: 1000 });

    const quoted = passages.flatMap((p) => p.messageIds);
    expect(quoted).not.toContain('m002');
    expect(quoted.some((id) => inWindow.has(id))).toBe(false);
    expect(passages[0]?.messageIds).toEqual(['m004', 'm005']);
  });

  it('returns nothing for a query made only of stopwords', () => {
    expect(rankPassages(chunks, 'what is it?', { k: 3, excludeMessageIds: none, maxPassageChars: 1000 })).toEqual([]);
  });

  it('keeps the best-matching message when a window is longer than a passage may be', () => {
    const long = chunk([
      sequenced(1, 'a'.repeat(300), 'Sam'),
      sequenced(2, 'b'.repeat(300), 'Sam'),
      sequenced(3, 'The wifi password for the cabin is bluefin-42.', 'Dana'),
      sequenced(4, 'c'.repeat(300), 'Sam'),
    ]);

    const [passage] = rankPassages([long], 'cabin wifi password', { k: 1, excludeMessageIds: none, maxPassageChars: 400 });

    expect(passage?.messageIds).toContain('m003');
    expect(passage?.text.length).toBeLessThanOrEqual(400);
  });

  it('cuts a long window around the message whose terms are rarest, not the one with most hits', () => {
    // "Caroline" is in most messages; only the answer says "workshop".
    const long = chunk([
      sequenced(1, `Caroline, Caroline! ${'x'.repeat(250)}`, 'Mel'),
      sequenced(2, `Caroline, did you see the game? ${'y'.repeat(250)}`, 'Mel'),
      sequenced(3, 'I went to a pottery workshop on Saturday, loved it.', 'Caroline'),
      sequenced(4, `Caroline, call me. ${'z'.repeat(250)}`, 'Mel'),
    ]);

    const [passage] = rankPassages([long], 'What workshop did Caroline go to?', {
      k: 1,
      excludeMessageIds: none,
      maxPassageChars: 400,
    });

    expect(passage?.messageIds).toContain('m003');
  });

  it('answers "What workshop did Caroline attend recently?" with the message that has both, not a window that names Caroline often', () => {
    const room = [
      chunk([
        sequenced(1, 'Caroline, are you around for the retro?', 'Mel'),
        sequenced(2, 'Caroline, did you see the invite from HR?', 'Sam'),
        sequenced(3, 'Caroline, can you review my PR?', 'Mel'),
        sequenced(4, 'Who is bringing snacks to the workshop?', 'Sam'),
      ]),
      chunk([
        sequenced(5, 'Lunch anyone?', 'Sam'),
        sequenced(6, 'Went to a letterpress printing workshop on Saturday, I made my own cards.', 'Caroline'),
        sequenced(7, 'Nice!', 'Mel'),
      ]),
    ];

    const [passage] = rankPassages(room, 'What workshop did Caroline attend recently?', {
      k: 1,
      excludeMessageIds: none,
      maxPassageChars: 120,
    });

    expect(passage?.messageIds).toContain('m006');
  });

  it('finds a message that says the asked word another way, kids for children, below one that says it', () => {
    const room = [
      chunk([sequenced(1, 'My kids are obsessed with dinosaurs at the moment.', 'Chen')]),
      chunk([sequenced(2, 'Ramen again?', 'Sam')]),
      chunk([sequenced(3, 'Children under twelve get in free at the museum.', 'Lee')]),
    ];

    const passages = rankPassages(room, "What are Chen's children into these days?", {
      k: 3,
      excludeMessageIds: none,
      maxPassageChars: 1000,
    });

    expect(passages.map((p) => p.messageIds)).toEqual([['m001'], ['m003']]);
  });

  it('favours what was said in the time the question names, "What did Farah do last weekend?"', () => {
    const at = (n: number, text: string, iso: string): SequencedMessage => ({ ...sequenced(n, text, 'Farah'), createdAt: iso });
    const room = [
      chunk([at(1, 'Did a weekend of code reviews, so tired.', '2026-10-24T10:00:00Z')]),
      chunk([at(2, 'Hiked up Ben Nevis with my brother today, legs destroyed.', '2026-11-07T17:00:00Z')]),
      chunk([at(3, 'Working from home tomorrow.', '2026-11-04T17:00:00Z')]),
    ];
    const options = { k: 1, excludeMessageIds: none, maxPassageChars: 1000 };

    const [timed] = rankPassages(room, 'What did Farah do last weekend?', { ...options, now: Date.parse('2026-11-09T12:00:00Z') });
    const [untimed] = rankPassages(room, 'What did Farah do last weekend?', options);

    expect(timed?.messageIds).toEqual(['m002']);
    expect(untimed?.messageIds).toEqual(['m001']);
  });

  it('finds the second half of a two-part answer through the names of the first: who took over billing, and where they move', () => {
    const room = [
      chunk([sequenced(1, 'I am taking over the billing service next sprint.', 'Dana')]),
      chunk([sequenced(2, 'Moving the sync to Thursday.', 'Sam'), sequenced(3, 'Moving desks again, sigh.', 'Sam')]),
      chunk([sequenced(4, 'Lunch?', 'Lee'), sequenced(5, 'We are moving to Porto in the spring.', 'Dana')]),
      chunk([sequenced(6, 'Moving day for the servers is Friday.', 'Lee')]),
    ];

    const passages = rankPassages(room, 'Where is the person who took over billing moving to?', {
      k: 2,
      excludeMessageIds: none,
      maxPassageChars: 1000,
    });

    expect(passages.flatMap((p) => p.messageIds)).toEqual(expect.arrayContaining(['m001', 'm005']));
  });

  it('does not search the words for "around now": "these days" finds the kids, not a day of Chen\'s', () => {
    const room = [
      chunk([sequenced(1, 'My kids are obsessed with dinosaurs at the moment.', 'Chen')]),
      chunk([sequenced(2, 'Spent the whole day rewriting the invoice exporter.', 'Chen')]),
    ];

    const [best] = rankPassages(room, "What are Chen's children into these days?", { k: 1, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(best?.messageIds).toEqual(['m001']);
  });

  it('among messages that match equally, prefers the one that says more the room does not say all the time', () => {
    const at = (n: number, text: string, iso: string): SequencedMessage => ({ ...sequenced(n, text, 'Farah'), createdAt: iso });
    const room = [
      chunk([at(1, 'Coffee machine on 2 is broken again.', '2026-10-20T10:00:00Z')]),
      chunk([at(2, 'Coffee machine on 2 is broken again.', '2026-11-04T10:00:00Z')]),
      chunk([at(3, 'Hiked up Ben Nevis with my brother today, legs destroyed.', '2026-11-07T17:00:00Z')]),
      chunk([at(4, 'Coffee machine on 2 is broken again.', '2026-11-07T18:00:00Z')]),
    ];

    const [best] = rankPassages(room, 'What did Farah do last weekend?', {
      k: 1,
      excludeMessageIds: none,
      maxPassageChars: 1000,
      now: Date.parse('2026-11-09T12:00:00Z'),
    });

    expect(best?.messageIds).toEqual(['m003']);
  });

  it('ranks a message that asks below one that tells: an earlier question is no answer', () => {
    const room = [
      chunk([sequenced(1, 'Dana moved into the new flat on the Quay.', 'Dana')]),
      chunk([sequenced(2, '@helper When did Dana move into her flat?', 'Gus')]),
    ];

    const [best] = rankPassages(room, 'Where did Dana move?', { k: 1, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(best?.messageIds).toEqual(['m001']);
  });

  it('keeps a slot for the second hop, found by a word of the first fact the question does not have: "Which city is the team offsite in?"', () => {
    const room = [
      chunk([sequenced(1, 'The team offsite will be in the city where I grew up.', 'Farah')]),
      chunk([sequenced(2, 'I grew up in Ghent, by the canals.', 'Farah')]),
      chunk([sequenced(3, 'The offsite agenda is in the shared folder.', 'Dana')]),
      chunk([sequenced(4, 'City traffic was terrible today.', 'Bilal')]),
      chunk([sequenced(5, 'The team lunch is at the ramen place.', 'Lee')]),
    ];

    const passages = rankPassages(room, 'Which city is the team offsite in?', { k: 3, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(passages.map((p) => p.messageIds)).toEqual([['m001'], expect.anything(), ['m002']]);
  });

  it('looks for the part of the question the first fact left open, tied to it by a name: who owns the gateway, and when they are on leave', () => {
    const room = [
      chunk([sequenced(1, 'The API gateway migration is owned by Farah.', 'Bilal')]),
      chunk([sequenced(2, 'I am out on parental leave from June.', 'Farah')]),
      chunk([sequenced(3, 'Leave requests go through the HR portal.', 'Sam')]),
      chunk([sequenced(4, 'The gateway logs are rotated daily.', 'Lee')]),
      chunk([sequenced(5, 'Gateway migration retro notes are up.', 'Lee')]),
    ];

    const passages = rankPassages(room, 'Who owns the gateway migration, and when are they on leave?', {
      k: 3,
      excludeMessageIds: none,
      maxPassageChars: 1000,
    });

    expect(passages[0]?.messageIds).toEqual(['m001']);
    expect(passages.flatMap((p) => p.messageIds)).toContain('m002');
  });

  it('brings in no second hop with fewer than three passages, nor one tied to the first fact by a single word', () => {
    const room = [
      chunk([sequenced(1, 'The team offsite will be in the city where I grew up.', 'Farah')]),
      chunk([sequenced(2, 'I grew up in Ghent, by the canals.', 'Farah')]),
      chunk([sequenced(3, 'The offsite agenda is in the shared folder.', 'Dana')]),
      chunk([sequenced(4, 'City traffic was terrible today.', 'Bilal')]),
      chunk([sequenced(5, 'Farah, you are on mute.', 'Lee')]),
    ];
    const ask = (k: number) => rankPassages(room, 'Which city is the team offsite in?', { k, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(ask(2).flatMap((p) => p.messageIds)).not.toContain('m002');
    expect(ask(3).flatMap((p) => p.messageIds)).not.toContain('m005');
  });

  it('finds a message in another tense or number than the question: bought for buy, children for child', () => {
    const history = [
      chunk([sequenced(1, 'I bought a standing desk for the spare room.', 'Omar')]),
      chunk([sequenced(2, 'The children made lanterns at school.', 'Ines')]),
      chunk([sequenced(3, 'Lunch plans anyone?', 'Sam')]),
    ];
    const ask = (query: string) => rankPassages(history, query, { k: 1, excludeMessageIds: none, maxPassageChars: 1000 })[0];

    expect(ask('what did he buy?')?.messageIds).toEqual(['m001']);
    expect(ask('what does the child make?')?.messageIds).toEqual(['m002']);
  });

  it('prefers the more recent window when scores tie', () => {
    const twins = [chunk([sequenced(1, 'Standup moved to 10:30.')]), chunk([sequenced(2, 'Standup moved to 10:30.')])];

    const [best] = rankPassages(twins, 'standup', { k: 1, excludeMessageIds: none, maxPassageChars: 1000 });

    expect(best?.messageIds).toEqual(['m002']);
  });
});

describe('rankPassages with embeddings', () => {
  const withVectors = (messages: SequencedMessage[]): SequencedMessage[] =>
    messages.map((m) => ({ ...m, vector: quantize(conceptVector(m.text)) }));
  const pets = [
    chunk(withVectors([sequenced(1, 'Our new beagle is called Biscuit.', 'Farah')])),
    chunk(withVectors([sequenced(2, 'Ramen for lunch again?', 'Sam')])),
    chunk(withVectors([sequenced(3, 'Postgres is slow today.', 'Lee')])),
  ];

  it('finds a passage that shares no word with the question', () => {
    const query = 'how is the puppy?';

    const lexical = rankPassages(pets, query, { k: 1, excludeMessageIds: none, maxPassageChars: 1000 });
    const hybrid = rankPassages(pets, query, {
      k: 1,
      excludeMessageIds: none,
      maxPassageChars: 1000,
      queryVector: quantize(conceptVector(query)),
    });

    expect(lexical).toEqual([]);
    expect(hybrid[0]?.messageIds).toEqual(['m001']);
  });

  it('ranks a window found both ways above one found only one way', () => {
    const query = 'dog lunch';

    const passages = rankPassages(
      [
        ...pets,
        chunk(withVectors([sequenced(4, 'The dog came to lunch with us.', 'Dana')])),
      ],
      query,
      { k: 2, excludeMessageIds: none, maxPassageChars: 1000, queryVector: quantize(conceptVector(query)) },
    );

    expect(passages[0]?.messageIds).toEqual(['m004']);
  });
});
