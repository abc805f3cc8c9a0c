import { describe, expect, it } from 'vitest';
import { FRAME_EXAMPLES } from '../../../lambdas/contracts/frames';
import { frameSchema, frameSchemas, type FrameType } from '../../../lambdas/domain/frame-schemas';

describe('frameSchemas', () => {
  it.each(Object.keys(frameSchemas) as FrameType[])('accepts the %s example as it is', (type) => {
    const example = FRAME_EXAMPLES[type];

    expect(frameSchemas[type].parse(example)).toEqual(example);
    expect(frameSchema.parse(example)).toEqual(example);
  });

  it('refuses a frame without a required field', () => {
    const { roomId: _roomId, ...withoutRoom } = FRAME_EXAMPLES.presence;

    expect(frameSchema.safeParse(withoutRoom).success).toBe(false);
  });

  it('refuses a frame of a type Parley does not send', () => {
    expect(frameSchema.safeParse({ type: 'teleport', roomId: 'r1' }).success).toBe(false);
  });

  it('refuses a room event of an unknown kind and a role outside the roles', () => {
    const member = FRAME_EXAMPLES.roomAdded.membership;

    expect(frameSchema.safeParse({ type: 'roomEvent', roomId: 'r1', event: { kind: 'memberDanced', member } }).success).toBe(false);
    expect(frameSchema.safeParse({ ...FRAME_EXAMPLES.roomAdded, membership: { ...member, role: 'king' } }).success).toBe(false);
  });

  it('drops fields no schema declares, so a frame equal to its parse has nothing undocumented', () => {
    const parsed = frameSchema.parse({ ...FRAME_EXAMPLES.typing, secret: 'x' });

    expect(parsed).not.toHaveProperty('secret');
  });
});
