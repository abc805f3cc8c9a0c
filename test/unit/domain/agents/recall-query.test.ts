import { describe, expect, it } from 'vitest';
import { recallExcludedSenders, recallQuery } from '../../../../lambdas/domain/agents/recall-query';
import { byAgent, human } from '../../../support/fakes/agents';

describe('recallQuery', () => {
  it('asks with the message answered, without its mentions', () => {
    const history = [human('M1', 'Alice', 'hi all'), human('M2', 'Bob', '@helper which port does the staging database use? cc @critic')];

    expect(recallQuery(history)).toBe('which port does the staging database use? cc');
  });

  it('keeps an e-mail address, which mentions nobody', () => {
    expect(recallQuery([human('M1', 'Bob', '@helper who wrote to ops@example.com about invoices')])).toBe(
      'who wrote to ops@example.com about invoices',
    );
  });

  it('widens a follow-up with the last two messages people sent, leaving agents out', () => {
    const history = [
      human('M1', 'Dana', 'unrelated chatter about lunch'),
      human('M2', 'Alice', 'the offsite venue is in Lisbon'),
      byAgent('M3', 'helper', 'Helper', 'Noted, Lisbon it is.'),
      human('M4', 'Bob', '@helper booked flights already'),
      human('M5', 'Alice', '@helper when was that?'),
    ];

    expect(recallQuery(history)).toBe('the offsite venue is in Lisbon booked flights already when was that?');
  });

  it('does not widen a message with enough content terms of its own', () => {
    const history = [human('M1', 'Alice', 'the offsite venue is in Lisbon'), human('M2', 'Bob', '@helper when did Priya book the flights?')];

    expect(recallQuery(history)).toBe('when did Priya book the flights?');
  });

  it('is empty without history', () => {
    expect(recallQuery([])).toBe('');
  });
});

describe('recallExcludedSenders', () => {
  it('is the asking agent itself', () => {
    expect([...recallExcludedSenders('helper')]).toEqual(['agent:helper']);
  });
});
