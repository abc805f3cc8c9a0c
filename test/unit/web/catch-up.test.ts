import { describe, expect, it } from 'vitest';
import { catchUp, CATCH_UP_PAGE_SIZE, HISTORY_PAGE_SIZE } from '../../../web/src/catch-up';
import { applyCatchUp, applyOlderPage, catchUpFrom, emptyTimeline, lastSeenId, markGap, mergeMessages } from '../../../web/src/timeline';
import { historyOf, message } from '../../support/fakes/web';

describe('catchUp', () => {
  it('fetches forward from the last seen id and returns only what was missed', async () => {
    const seen = Array.from({ length: 3 }, (_, i) => message('r1', `seen ${i}`));
    const missed = Array.from({ length: 4 }, (_, i) => message('r1', `missed ${i}`));
    const history = historyOf([...seen, ...missed]);

    const result = await catchUp('r1', seen.at(-1)!.messageId, history.fetch);

    expect(result).toEqual({ kind: 'caught-up', items: missed });
    expect(history.requests).toEqual([
      { roomId: 'r1', limit: CATCH_UP_PAGE_SIZE, direction: 'forward', cursor: seen.at(-1)!.messageId },
    ]);
  });

  it('follows cursors across pages until the end', async () => {
    const seen = message('r1', 'seen');
    const missed = Array.from({ length: 7 }, (_, i) => message('r1', `missed ${i}`));
    const history = historyOf([seen, ...missed]);

    const result = await catchUp('r1', seen.messageId, (r) => history.fetch({ ...r, limit: 3 }));

    expect(result).toEqual({ kind: 'caught-up', items: missed });
    // 3 + 3 + 1: the last page is short, so no cursor follows it.
    expect(history.requests.map((r) => r.cursor)).toEqual([seen.messageId, missed[2]!.messageId, missed[5]!.messageId]);
  });

  it('stops after a full last page whose cursor leads to nothing', async () => {
    const seen = message('r1', 'seen');
    const missed = Array.from({ length: 6 }, (_, i) => message('r1', `missed ${i}`));
    const history = historyOf([seen, ...missed]);

    const result = await catchUp('r1', seen.messageId, (r) => history.fetch({ ...r, limit: 3 }));

    expect(result).toEqual({ kind: 'caught-up', items: missed });
    expect(history.requests).toHaveLength(3);
  });

  it('loads the latest page instead when too much was missed', async () => {
    const seen = message('r1', 'seen');
    const missed = Array.from({ length: 20 }, (_, i) => message('r1', `missed ${i}`));
    const history = historyOf([seen, ...missed]);

    const result = await catchUp('r1', seen.messageId, (r) => history.fetch({ ...r, limit: r.direction === 'forward' ? 2 : r.limit }), 3);

    expect(result.kind).toBe('latest');
    expect(history.requests.at(-1)).toEqual({ roomId: 'r1', limit: HISTORY_PAGE_SIZE, direction: 'backward' });
  });

  it('loads the latest page when nothing was seen yet', async () => {
    const history = historyOf([message('r1', 'only')]);

    const result = await catchUp('r1', undefined, history.fetch);

    expect(result).toMatchObject({ kind: 'latest', page: { items: [{ text: 'only' }] } });
  });

  it('starts from before the drop although newer messages arrived live since, and leaves no duplicates', async () => {
    const seen = Array.from({ length: 2 }, (_, i) => message('r1', `seen ${i}`));
    const missed = Array.from({ length: 3 }, (_, i) => message('r1', `missed ${i}`));
    const history = historyOf([...seen, ...missed]);
    let timeline = markGap(applyOlderPage(emptyTimeline(), { items: seen }));
    // The last missed message also arrives live once the socket is back, before catching up.
    timeline = mergeMessages(timeline, [missed[2]!]);

    const result = await catchUp('r1', catchUpFrom(timeline), history.fetch);
    if (result.kind !== 'caught-up') throw new Error('expected a catch-up');
    timeline = applyCatchUp(timeline, result.items);

    expect(history.requests[0]?.cursor).toBe(seen[1]!.messageId);
    expect(timeline.messages.map((m) => m.text)).toEqual(['seen 0', 'seen 1', 'missed 0', 'missed 1', 'missed 2']);
    expect(timeline.gap).toBeUndefined();
    expect(catchUpFrom(timeline)).toBe(lastSeenId(timeline));
  });
});
