/**
 * Where the CPU goes while a benchmark runs against the local runtime, by
 * component: read from Linux's per-thread counters (`/proc/<pid>/task/<tid>/stat`)
 * for the runtime's process, whose threads are named (the function pool names
 * each function's worker threads after the function), and for DynamoDB Local's
 * JVM; the runtime's main thread, which serves the WebSocket API, the
 * management API, fauxqs and the event-source pollers on one event loop, is
 * split by a V8 CPU profile of that thread (`--cpu-prof`).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime (Linux's USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) from one `/proc/.../stat` line. */
export function cpuMsOfStat(stat: string): number {
  // The command name (field 2) sits in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

const readOr = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/** CPU ms of each live thread of a process, keyed `<tid>:<name>`. */
export function threadCpu(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    const stat = readOr(`/proc/${pid}/task/${tid}/stat`);
    const name = readOr(`/proc/${pid}/task/${tid}/comm`)?.trim();
    if (stat && name !== undefined) threads.set(`${tid}:${name}`, cpuMsOfStat(stat));
  }
  return threads;
}

/** CPU ms of a whole process (every thread, living or gone). */
export function processCpu(pid: number): number {
  const stat = readOr(`/proc/${pid}/stat`);
  return stat ? cpuMsOfStat(stat) : 0;
}

/** The component a thread of the runtime's process belongs to, from its name. */
export function componentOfThread(name: string): string {
  if (name === 'MainThread' || name === 'node') return 'runtime main thread';
  if (name.startsWith('fn ')) return `function ${name.slice(3)}`;
  if (name.startsWith('V8') || name === 'DelayedTaskSche') return 'V8 background threads (GC, compiler)';
  if (name.startsWith('libuv')) return 'libuv threadpool';
  return `other thread (${name})`;
}

export interface CpuSnapshot {
  readonly runtimeThreads: Map<string, number>;
  readonly runtimeTotal: number;
  readonly dynamoDb: number;
  readonly bench: number;
}

export function snapshotCpu(runtimePid: number, dynamoDbPid: number | undefined): CpuSnapshot {
  const bench = process.cpuUsage();
  return {
    runtimeThreads: threadCpu(runtimePid),
    runtimeTotal: processCpu(runtimePid),
    dynamoDb: dynamoDbPid === undefined ? 0 : processCpu(dynamoDbPid),
    bench: (bench.user + bench.system) / 1000,
  };
}

/** CPU ms by component between two snapshots (a thread born in between counts from zero). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const byComponent = new Map<string, number>();
  const add = (component: string, ms: number) => byComponent.set(component, (byComponent.get(component) ?? 0) + ms);
  let threadsSum = 0;
  for (const [key, ms] of after.runtimeThreads) {
    const used = ms - (before.runtimeThreads.get(key) ?? 0);
    threadsSum += used;
    add(componentOfThread(key.slice(key.indexOf(':') + 1)), used);
  }
  // Threads that ended in between (a function instance killed on timeout, say).
  const gone = after.runtimeTotal - before.runtimeTotal - threadsSum;
  if (gone > 0) add('ended threads', gone);
  add('DynamoDB Local (JVM)', after.dynamoDb - before.dynamoDb);
  add("benchmark's clients", after.bench - before.bench);
  return byComponent;
}

/** The parts of a V8 `.cpuprofile` this module reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }>;
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The gateway's methods that serve the management API. */
const MANAGEMENT_FUNCTIONS = new Set(['handleManagement', 'managementCall', 'deliverPost', 'answerManagement']);

/**
 * Which part of the runtime a frame belongs to, or undefined when it is a
 * frame everyone passes through (Node's own streams, the request guard).
 */
export function ownerOfFrame(frame: { readonly functionName: string; readonly url: string }): string | undefined {
  const { functionName, url } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8 and native (program)';
  if (functionName === '(idle)') return 'idle';
  if (url.includes('/management-server.') || MANAGEMENT_FUNCTIONS.has(functionName)) {
    return 'management API';
  }
  if (url.includes('/event-sources/')) return 'event-source pollers';
  if (url.includes('/fauxqs/') || url.includes('/engines/fauxqs')) return 'fauxqs (SQS)';
  if (url.includes('/functions/')) return 'function pool (main thread side)';
  if (url.includes('/gateway/') || url.includes('/node_modules/ws/')) return 'gateway (WebSocket server)';
  if (url.includes('/@aws-sdk/') || url.includes('/@smithy/')) return 'SDK on the main thread';
  return undefined;
}

/**
 * Profile samples between `fromMicros` and `toMicros` (the monotonic clock of
 * `process.hrtime`, the one V8 stamps profiles with), by owner: each sample
 * goes to the management API when any frame of its stack is the management
 * API's (so its socket writes are not the gateway's), else to the outermost
 * frame of its stack that has an owner.
 * Samples with no owner are Node's own work (HTTP parsing, timers, sockets).
 */
export function samplesByOwner(profile: CpuProfile, fromMicros = -Infinity, toMicros = Infinity): Map<string, number> {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerCache = new Map<number, string>();
  const ownerOf = (id: number): string => {
    const cached = ownerCache.get(id);
    if (cached !== undefined) return cached;
    let owner = 'Node internals (HTTP parsing, sockets, timers)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      const found = frame ? ownerOfFrame(frame) : undefined;
      if (found) owner = found;
      // A post is the management API's whoever carried it (HTTP or a function's message).
      if (found === 'management API') break;
    }
    ownerCache.set(id, owner);
    return owner;
  };
  const counts = new Map<string, number>();
  let time = profile.startTime;
  for (const [i, sample] of profile.samples.entries()) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < fromMicros || time > toMicros) continue;
    const owner = ownerOf(sample);
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return counts;
}

/**
 * Splits the main thread's measured CPU ms among its owners in proportion to
 * the profile's non-idle samples.
 */
export function splitMainThread(mainThreadMs: number, samples: ReadonlyMap<string, number>): Map<string, number> {
  const busy = [...samples].filter(([owner]) => owner !== 'idle');
  const total = busy.reduce((n, [, count]) => n + count, 0);
  return new Map(busy.map(([owner, count]) => [owner, total === 0 ? 0 : (mainThreadMs * count) / total]));
}
