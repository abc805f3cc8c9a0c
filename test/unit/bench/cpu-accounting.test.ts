import { describe, expect, it } from 'vitest';
import {
  componentOfThread,
  cpuBetween,
  type CpuProfile,
  cpuMsOfStat,
  ownerOfFrame,
  samplesByOwner,
  splitMainThread,
} from '../../../scripts/bench/cpu-accounting';
import { threadNameOf } from '../../../scripts/local/functions/function-pool';

// A real /proc/<pid>/task/<tid>/stat line, with utime 250 and stime 50 ticks.
const STAT = '4242 (fn SendMessage) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 12 0 100 0 0';

describe('cpuMsOfStat', () => {
  it('reads user and system ticks after a name that holds spaces', () => {
    expect(cpuMsOfStat(STAT)).toBe(3000);
  });
});

describe('threadNameOf', () => {
  it('names a function thread after its logical id without hash or Function', () => {
    expect(threadNameOf('Parley-local-Realtime/SendMessageFunctionB1BE0BFA')).toBe('fn SendMessage');
  });

  it('keeps within the 15 bytes Linux stores', () => {
    expect(threadNameOf('Stack/ModerationConsumerFunction4DFFB0D2')).toBe('fn ModerationCo');
  });
});

describe('componentOfThread', () => {
  it('tells the main thread, function threads and V8 background threads apart', () => {
    expect(componentOfThread('MainThread')).toBe('runtime main thread');
    expect(componentOfThread('fn SendMessage')).toBe('function SendMessage');
    expect(componentOfThread('V8Worker')).toBe('V8 background threads (GC, compiler)');
  });
});

describe('cpuBetween', () => {
  it('counts each component from the first snapshot, new threads from zero', () => {
    const before = { runtimeThreads: new Map([['1:MainThread', 100]]), runtimeTotal: 100, dynamoDb: 1000, bench: 50 };
    const after = {
      runtimeThreads: new Map([
        ['1:MainThread', 160],
        ['7:fn SendMessage', 30],
      ]),
      runtimeTotal: 200,
      dynamoDb: 1400,
      bench: 70,
    };

    const used = cpuBetween(before, after);

    expect(Object.fromEntries(used)).toEqual({
      'runtime main thread': 60,
      'function SendMessage': 30,
      'ended threads': 10,
      'DynamoDB Local (JVM)': 400,
      "benchmark's clients": 20,
    });
  });
});

describe('ownerOfFrame', () => {
  it('gives the management API its own handler inside the gateway file', () => {
    const url = 'file:///repo/scripts/local/gateway/websocket-gateway.ts';
    expect(ownerOfFrame({ functionName: 'deliverPost', url })).toBe('management API');
    expect(ownerOfFrame({ functionName: 'handleMessage', url })).toBe('gateway (WebSocket server)');
    expect(ownerOfFrame({ functionName: 'emit', url: 'node:events' })).toBeUndefined();
  });
});

describe('samplesByOwner', () => {
  // root → the gateway's request closure → the management API → ws send (the gateway's library)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 5, 6, 7] },
      { id: 2, callFrame: { functionName: '', url: 'file:///r/scripts/local/gateway/websocket-gateway.ts' }, children: [3] },
      { id: 3, callFrame: { functionName: 'managementCall', url: 'file:///r/scripts/local/gateway/websocket-gateway.ts' }, children: [4] },
      { id: 4, callFrame: { functionName: 'send', url: 'file:///r/node_modules/ws/lib/websocket.js' } },
      { id: 5, callFrame: { functionName: '(idle)', url: '' } },
      { id: 6, callFrame: { functionName: 'poll', url: 'file:///r/scripts/local/event-sources/stream-poller.ts' } },
      { id: 7, callFrame: { functionName: 'parserOnHeadersComplete', url: 'node:_http_common' } },
    ],
    startTime: 1000,
    samples: [4, 4, 5, 6, 7, 4],
    timeDeltas: [0, 10, 10, 10, 10, 100],
  };

  it('puts each sample to the management API or the outermost owner of its stack, within the window', () => {
    const counts = samplesByOwner(profile, 1000, 1050);

    expect(Object.fromEntries(counts)).toEqual({
      'management API': 2,
      idle: 1,
      'event-source pollers': 1,
      'Node internals (HTTP parsing, sockets, timers)': 1,
    });
  });

  it('splits the thread time over busy samples only', () => {
    const split = splitMainThread(80, samplesByOwner(profile, 1000, 1050));

    expect(split.get('management API')).toBe(40);
    expect(split.has('idle')).toBe(false);
  });
});
