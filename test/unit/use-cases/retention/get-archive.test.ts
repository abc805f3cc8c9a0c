import { beforeEach, describe, expect, it } from 'vitest';
import { PermissionError, ValidationError } from '../../../../lambdas/domain/errors';
import { archiveKey } from '../../../../lambdas/domain/retention/archive';
import { createRoom } from '../../../../lambdas/use-cases/create-room';
import { joinRoom } from '../../../../lambdas/use-cases/join-room';
import { getArchive, type GetArchiveDeps } from '../../../../lambdas/use-cases/retention/get-archive';
import { alice, bob, fakeWorld } from '../../../support/fakes/chat';
import { FakeArchive } from '../../../support/fakes/retention';

let world: ReturnType<typeof fakeWorld>;
let archive: FakeArchive;
let deps: GetArchiveDeps;
let roomId: string;

const request = (patch: Partial<Parameters<typeof getArchive>[2]> = {}) => ({
  roomId,
  from: '2026-11-01',
  to: '2026-11-03',
  limit: 10,
  ...patch,
});

beforeEach(async () => {
  world = fakeWorld();
  archive = new FakeArchive();
  deps = { rooms: world.rooms, archive, clock: world.clock, linkSeconds: 300, maxRangeDays: 31 };
  roomId = (await createRoom(world.roomDeps, alice, { name: 'lobby', visibility: 'public' })).room.roomId;
  await joinRoom(world.roomDeps, bob, { roomId });
  for (const [date, first] of [
    ['2026-10-31', 'A'],
    ['2026-11-01', 'B'],
    ['2026-11-01', 'C'],
    ['2026-11-03', 'D'],
    ['2026-11-04', 'E'],
  ] as const) {
    await archive.writeObject(archiveKey('expired', roomId, date, first), '{}\n');
  }
  await archive.writeObject(archiveKey('deleted', roomId, '2026-11-02', 'F'), '{}\n');
});

describe('getArchive', () => {
  it('gives the owner a link per archive file of the range, with when the links expire', async () => {
    const page = await getArchive(deps, alice, request());

    expect(page.files.map((f) => f.date)).toEqual(['2026-11-01', '2026-11-01', '2026-11-03']);
    expect(page.files[0]?.url).toContain('expires=300');
    expect(page.expiresAt).toBe(new Date(world.clock.now() + 300_000).toISOString());
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages with the cursor it returns', async () => {
    const first = await getArchive(deps, alice, request({ limit: 2 }));
    const second = await getArchive(deps, alice, request({ limit: 2, cursor: first.nextCursor! }));

    expect(first.files).toHaveLength(2);
    expect(second.files.map((f) => f.date)).toEqual(['2026-11-03']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('cuts a page whose links would not fit in one WebSocket message and continues after the last file kept', async () => {
    archive.downloadLink = async (key) => `https://archive.example/${key}?sig=${'s'.repeat(40_000)}`;

    const first = await getArchive(deps, alice, request());
    const second = await getArchive(deps, alice, request({ cursor: first.nextCursor! }));

    expect(first.files.map((f) => f.date)).toEqual(['2026-11-01', '2026-11-01']);
    expect(second.files.map((f) => f.date)).toEqual(['2026-11-03']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('refuses members who are not the owner', async () => {
    await expect(getArchive(deps, bob, request())).rejects.toThrow(PermissionError);
  });

  it('takes a range of up to 31 days, both ends included, such as any calendar month', async () => {
    for (const [from, to] of [
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-03-03'],
      ['2026-11-21', '2026-11-21'],
    ]) {
      await expect(getArchive(deps, alice, request({ from, to }))).resolves.toMatchObject({ from, to });
    }
  });

  it('refuses a range of 32 days, such as the 1st of a month to the 1st of the next', async () => {
    await expect(getArchive(deps, alice, request({ from: '2026-01-01', to: '2026-02-01' }))).rejects.toThrow(
      new ValidationError('A request covers at most 31 days, from and to included; this one covers 32.'),
    );
  });

  it('rejects a backwards, invalid or too long range before reading anything', async () => {
    await expect(getArchive(deps, alice, request({ from: '2026-11-03', to: '2026-11-01' }))).rejects.toThrow(
      /after/,
    );
    await expect(getArchive(deps, alice, request({ from: '2026-02-30' }))).rejects.toThrow(ValidationError);
    await expect(getArchive(deps, alice, request({ from: '2026-01-01', to: '2026-12-31' }))).rejects.toThrow(
      /at most 31 days/,
    );
  });
});
