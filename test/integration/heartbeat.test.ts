import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalParleyProcess, startLocalParley } from '../support/local-parley';

/**
 * The clients' heartbeat through Parley's front door: `ping` on the local
 * runtime, whose idle timeout is cut to 2 s so that outliving it takes
 * seconds, not ten minutes.
 */
describe('the heartbeat on the local runtime', () => {
  let parley: LocalParleyProcess;

  beforeAll(async () => {
    parley = await startLocalParley({ env: { PARLEY_IDLE_TIMEOUT_SECONDS: '2' } });
  });

  afterAll(async () => {
    await parley?.stop();
  });

  it('answers ping with an empty ack, through its own route', async () => {
    const client = await parley.connect('heartbeat-ann');

    const frame = await client.request('ping');
    const logged = await parley.waitForEvent((e) => e.event === 'request' && e['route'] === 'ping');

    expect(frame).toEqual({ type: 'ack', action: 'ping', requestId: frame.requestId, data: {} });
    expect(logged['status']).toBe(200);
  });

  it('answers a malformed ping with a clear error to the caller only', async () => {
    const client = await parley.connect('heartbeat-bea');
    const other = await parley.connect('heartbeat-cid');

    client.send(JSON.stringify({ action: 'ping', requestId: 7 }));
    const error = await client.waitFor((f) => f.type === 'error' && f['action'] === 'ping');
    await other.ok('ping');

    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(other.frames.filter((f) => f.type === 'error')).toEqual([]);
  });

  it('keeps a pinging socket open past the idle timeout, while a silent one is closed', async () => {
    const pinger = await parley.connect('heartbeat-dee');
    const silent = await parley.connect('heartbeat-eve');
    let pongs = 0;
    // The pace of a heartbeat, well under the idle timeout; it stops when the silent socket closes.
    const beat = setInterval(() => {
      void pinger.ok('ping').then(() => (pongs += 1));
    }, 400);

    const closed = await silent.closed;
    clearInterval(beat);
    const after = await pinger.request('ping');

    expect(closed.code).toBe(1001);
    expect(pongs).toBeGreaterThan(0);
    expect(after).toMatchObject({ type: 'ack', action: 'ping' });
    expect(pinger.socket.readyState).toBe(pinger.socket.OPEN);
  });
});
