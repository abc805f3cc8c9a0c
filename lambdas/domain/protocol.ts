import { z } from 'zod';
import { ROLES, VISIBILITIES } from './types';
import type { Membership, Message, Room } from './types';

/**
 * The wire protocol: what clients send (requests, one per action) and what
 * Parley sends back (frames). docs/protocol.md describes it with examples.
 */

const id = z.string().trim().min(1).max(128);
const requestId = z.string().max(128).optional();

const base = { requestId };
const inRoom = { ...base, roomId: id };

export const requestSchemas = {
  createRoom: z.object({
    ...base,
    name: z.string().trim().min(1).max(100),
    visibility: z.enum(VISIBILITIES).default('public'),
  }),
  listRooms: z.object({ ...base, cursor: z.string().max(1024).optional() }),
  joinRoom: z.object(inRoom),
  leaveRoom: z.object(inRoom),
  inviteMember: z.object({
    ...inRoom,
    userId: id,
    role: z.enum(ROLES).exclude(['owner']).default('member'),
  }),
  setRole: z.object({ ...inRoom, userId: id, role: z.enum(ROLES) }),
  removeMember: z.object({ ...inRoom, userId: id }),
  listMembers: z.object(inRoom),
  sendMessage: z.object({
    ...inRoom,
    clientMessageId: z.string().min(1).max(64),
    // The byte limit is configurable and checked by the use case; this bound
    // only stops absurd payloads before any work is done.
    text: z.string().min(1).max(131_072),
  }),
  getHistory: z.object({
    ...inRoom,
    cursor: z.string().max(1024).optional(),
    limit: z.number().int().min(1).max(100).default(50),
    direction: z.enum(['backward', 'forward']).default('backward'),
  }),
} as const;

export type Action = keyof typeof requestSchemas;
export type RequestOf<A extends Action> = z.output<(typeof requestSchemas)[A]>;

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && Object.hasOwn(requestSchemas, value);

/** Frames sent to clients. */
export type Frame =
  | { type: 'ack'; action: string; requestId?: string; data: unknown }
  | { type: 'error'; code: string; message: string; requestId?: string; action?: string }
  | { type: 'message'; roomId: string; message: Message }
  | { type: 'roomEvent'; roomId: string; event: RoomEvent };

export type RoomEvent =
  | { kind: 'memberJoined'; member: Membership }
  | { kind: 'memberLeft'; userId: string }
  | { kind: 'memberRemoved'; userId: string; by: string }
  | { kind: 'roleChanged'; member: Membership; by: string }
  | { kind: 'roomCreated'; room: Room };
