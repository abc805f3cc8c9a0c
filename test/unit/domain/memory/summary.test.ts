import { describe, expect, it } from 'vitest';
import {
  extractiveSummary,
  isSummaryDue,
  lastDueSummary,
  splitSentences,
  summaryRange,
} from '../../../../lambdas/domain/memory/summary';
import { DEFAULT_MEMORY_POLICY } from '../../../../lambdas/domain/memory/types';
import { sequenced } from '../../../support/memory';

const policy = DEFAULT_MEMORY_POLICY; // a summary every 20 messages

const conversation = [
  sequenced(1, 'hi all', 'Sam'),
  sequenced(2, 'The offsite moves to the Lisbon office on 14 May. Flights are booked through the travel desk.', 'Dana'),
  sequenced(3, 'lol ok', 'Sam'),
  sequenced(4, 'Budget for the Lisbon offsite is capped at 12k, hotel included.', 'Priya'),
  sequenced(5, 'nice', 'Lee'),
  sequenced(6, 'Can someone book the Lisbon hotel before Friday? The offsite hotel fills up fast.', 'Dana'),
  sequenced(7, 'sure', 'Sam'),
];

describe('isSummaryDue / lastDueSummary', () => {
  it('is due on every 20th remembered message', () => {
    expect([19, 20, 21, 40].map((seq) => isSummaryDue(seq, policy))).toEqual([false, true, false, true]);
  });

  it('finds the last window a summary is due for', () => {
    expect([0, 19, 20, 59].map((seq) => lastDueSummary(seq, policy))).toEqual([0, 0, 20, 40]);
  });
});

describe('summaryRange', () => {
  it('starts after the previous summary', () => {
    expect(summaryRange(40, { throughSeq: 20 }, policy)).toEqual({ fromSeq: 21, toSeq: 40 });
  });

  it('reads at most five windows back when the previous summary is far behind', () => {
    expect(summaryRange(400, undefined, policy)).toEqual({ fromSeq: 301, toSeq: 400 });
  });
});

describe('extractiveSummary', () => {
  it('quotes the sentences that carry the conversation and leaves out chatter', () => {
    const { text, lines } = extractiveSummary({ messages: conversation });

    expect(text).toContain('Dana: The offsite moves to the Lisbon office on 14 May.');
    expect(text).toContain('Priya: Budget for the Lisbon offsite is capped at 12k, hotel included.');
    expect(text).not.toMatch(/lol|nice|sure|hi all/);
    expect(lines.every((l) => conversation.some((m) => m.messageId === l.messageId))).toBe(true);
  });

  it('keeps quoted lines in the order they were said', () => {
    const { lines } = extractiveSummary({ messages: conversation });

    expect(lines.map((l) => l.seq)).toEqual([...lines.map((l) => l.seq)].sort((a, b) => a - b));
  });

  it('gives the same summary for the same messages', () => {
    expect(extractiveSummary({ messages: conversation })).toEqual(extractiveSummary({ messages: conversation }));
  });

  it('stays within its line and character budgets', () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      sequenced(i + 1, `Release ${i} of the billing service ships on day ${i} with the invoice export fix number ${i}.`),
    );

    const { text, lines } = extractiveSummary({ messages: many }, { maxLines: 5, maxChars: 400, maxLineChars: 240 });

    expect(lines.length).toBeLessThanOrEqual(5);
    expect(text.length).toBeLessThanOrEqual(400);
  });

  it('drops near-duplicate sentences', () => {
    const repeated = [
      sequenced(1, 'The deploy of the payments service is frozen until Monday.'),
      sequenced(2, 'The deploy of the payments service is frozen until Monday!'),
    ];

    expect(extractiveSummary({ messages: repeated }).lines).toHaveLength(1);
  });

  it('rolls the previous summary forward, keeping its salient lines next to the new ones', () => {
    const first = extractiveSummary({ messages: conversation });
    const later = [
      sequenced(21, 'The Lisbon offsite agenda is final: workshops Tuesday, hike Wednesday.', 'Dana'),
      sequenced(22, 'k', 'Sam'),
    ];

    const { text } = extractiveSummary({ previous: first, messages: later });

    expect(text).toContain('The offsite moves to the Lisbon office on 14 May.');
    expect(text).toContain('The Lisbon offsite agenda is final');
  });

  it('keeps carried lines in the order they had, two sentences of one message included', () => {
    const previous = {
      lines: [
        { messageId: 'm003', seq: 3, senderName: 'Dana', text: 'Second, the budget is capped at 12k.' },
        { messageId: 'm003', seq: 3, senderName: 'Dana', text: 'First, the offsite is booked in Lisbon for 14 May.' },
        { messageId: 'm007', seq: 7, senderName: 'Sam', text: 'The hotel deadline is Friday 9 May.' },
      ],
    };

    const { lines } = extractiveSummary({ previous, messages: [sequenced(30, 'ok', 'Lee')] });

    expect(lines.map((l) => l.text)).toEqual(previous.lines.map((l) => l.text));
  });

  it('leaves room for the recent gist when every carried line is more salient than the new ones', () => {
    const options = { maxLines: 4, maxChars: 1000, maxLineChars: 240 };
    const previous = extractiveSummary(
      {
        messages: [
          sequenced(1, 'The Lisbon offsite budget is capped at 12,000 euros, Finance confirmed.', 'Dana'),
          sequenced(2, 'Chen is release captain for version 4.2 of Billing.', 'Dana'),
          sequenced(3, 'The Acme demo moved to Thursday 14 May at 15:00.', 'Dana'),
          sequenced(4, 'Ingrid joins the Data team on 3 March.', 'Dana'),
        ],
      },
      options,
    );

    const { lines } = extractiveSummary(
      { previous, messages: [sequenced(9, 'the standup moves to the small room now', 'Sam'), sequenced(10, 'the small room has no standup screen', 'Lee')] },
      options,
    );

    expect(lines.filter((l) => l.seq >= 9).length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.seq < 9).length).toBeLessThanOrEqual(2);
  });

  it('writes each line with its message\'s date and time, so a model can say when', () => {
    const { text, lines } = extractiveSummary({ messages: [sequenced(3, 'The offsite moves to the Lisbon office on 14 May.', 'Dana')] });

    expect(lines[0]?.createdAt).toBe('2026-11-21T12:00:03.000Z');
    expect(text).toBe('[2026-11-21 12:00] Dana: The offsite moves to the Lisbon office on 14 May.');
  });

  it('writes a carried line kept before lines had a time without one', () => {
    const previous = { lines: [{ messageId: 'm001', seq: 1, senderName: 'Dana', text: 'The offsite budget is capped at 12,000 euros.' }] };

    const { text } = extractiveSummary({ previous, messages: [sequenced(30, 'ok', 'Lee')] });

    expect(text).toBe('Dana: The offsite budget is capped at 12,000 euros.');
  });

  it('cuts an overlong sentence', () => {
    const long = sequenced(1, `The migration plan covers ${'tables and indexes and backups '.repeat(20)}in detail`);

    const { lines } = extractiveSummary({ messages: [long] }, { maxLines: 3, maxChars: 1000, maxLineChars: 80 });

    expect(lines[0]?.text).toHaveLength(80);
    expect(lines[0]?.text.endsWith('…')).toBe(true);
  });
});

describe('splitSentences', () => {
  it('keeps decimals, model ids and URLs whole', () => {
    expect(splitSentences('We have 12.5k euros for the offsite. Book it!')).toEqual([
      'We have 12.5k euros for the offsite.',
      'Book it!',
    ]);
    expect(splitSentences('Switch @helper to amazon.nova-lite-v1:0 tomorrow. It is cheaper.')).toEqual([
      'Switch @helper to amazon.nova-lite-v1:0 tomorrow.',
      'It is cheaper.',
    ]);
    expect(splitSentences('The runbook is at https://wiki.example.com/ops/v2.1/runbook.html. Read it first.')).toEqual([
      'The runbook is at https://wiki.example.com/ops/v2.1/runbook.html.',
      'Read it first.',
    ]);
  });

  it('ends a sentence at a line break, and drops empty ones', () => {
    expect(splitSentences('deploy is frozen\n\nuntil Monday?! ok')).toEqual(['deploy is frozen', 'until Monday?!', 'ok']);
  });
});

describe('extractiveSummary sentences', () => {
  it('quotes a sentence with a decimal amount and a model id whole', () => {
    const messages = [
      sequenced(1, 'The offsite budget is 12.5k euros for the whole team. Dana approved the offsite budget.', 'Sam'),
      sequenced(2, 'Agents on the offsite channel run amazon.nova-lite-v1:0 for the whole team budget.', 'Priya'),
    ];

    const { text } = extractiveSummary({ messages });

    expect(text).toContain('Sam: The offsite budget is 12.5k euros for the whole team.');
    expect(text).toContain('Priya: Agents on the offsite channel run amazon.nova-lite-v1:0 for the whole team budget.');
  });
});
