import { describe, expect, it } from 'vitest';
import type { CircuitOptions } from '../../../../lambdas/domain/agents/circuit-breaker';
import {
  admitModelCall,
  recordModelFailure,
  recordModelSuccess,
  type CircuitChange,
  type ModelCircuitDeps,
} from '../../../../lambdas/use-cases/agents/model-circuit';
import { FakeCircuitStore } from '../../../support/fakes/agents';

const MODEL = 'amazon.nova-lite-v1:0';
const options: CircuitOptions = { failures: 2, windowMs: 60_000, coolDownMs: 30_000, probeTimeoutMs: 120_000 };
const T = 1_000_000;

function circuit() {
  const store = new FakeCircuitStore();
  const changes: CircuitChange[] = [];
  const deps: ModelCircuitDeps = { store, options, onChange: (change) => changes.push(change) };
  return { store, changes, deps };
}

describe('admitModelCall', () => {
  it('lets a job call a closed circuit’s model without writing', async () => {
    const { store, deps } = circuit();

    const ticket = await admitModelCall(deps, MODEL, await store.read(MODEL), T);

    expect(ticket.decision).toBe('call');
    expect(store.writes).toBe(0);
  });

  it('refuses a job while the circuit is open, saying when the model is tried again', async () => {
    const { store, deps } = circuit();
    store.set(MODEL, { state: 'open', openedAt: T });

    const ticket = await admitModelCall(deps, MODEL, await store.read(MODEL), T + 1_000);

    expect(ticket).toMatchObject({ decision: 'refuse', retryAt: T + 30_000 });
  });

  it('claims the probe after the cool-down and reports the circuit half open', async () => {
    const { store, changes, deps } = circuit();
    store.set(MODEL, { state: 'open', openedAt: T });

    const ticket = await admitModelCall(deps, MODEL, await store.read(MODEL), T + 30_000);

    expect(ticket.decision).toBe('probe');
    expect(store.stateOf(MODEL)).toBe('halfOpen');
    expect(changes).toEqual([{ modelId: MODEL, from: 'open', to: { state: 'halfOpen', probeStartedAt: T + 30_000 } }]);
  });

  it('lets exactly one of two workers probe when both read the cool-down over', async () => {
    const { store, deps } = circuit();
    store.set(MODEL, { state: 'open', openedAt: T });
    const readByBoth = await store.read(MODEL);

    const first = await admitModelCall(deps, MODEL, readByBoth, T + 30_000);
    const second = await admitModelCall(deps, MODEL, readByBoth, T + 30_001);

    expect([first.decision, second.decision]).toEqual(['probe', 'refuse']);
  });

  it('refuses a worker whose probe claim loses to another worker’s claim made meanwhile', async () => {
    const { store, changes, deps } = circuit();
    store.set(MODEL, { state: 'open', openedAt: T });
    const known = await store.read(MODEL);
    store.beforeWrite = () => store.set(MODEL, { state: 'halfOpen', probeStartedAt: T + 30_000 });

    const ticket = await admitModelCall(deps, MODEL, known, T + 30_000);

    expect(ticket.decision).toBe('refuse');
    expect(changes).toEqual([]);
  });
});

describe('recordModelFailure', () => {
  it('opens the circuit at the threshold and reports it once', async () => {
    const { store, changes, deps } = circuit();

    await recordModelFailure(deps, MODEL, await admitModelCall(deps, MODEL, await store.read(MODEL), T), T);
    const after = await recordModelFailure(deps, MODEL, await admitModelCall(deps, MODEL, await store.read(MODEL), T + 1), T + 1);

    expect(after.circuit).toEqual({ state: 'open', openedAt: T + 1 });
    expect(changes.filter((c) => c.to.state === 'open')).toHaveLength(1);
  });

  it('loses no failure when two workers count at once: the loser reads again and counts on top', async () => {
    const { store, deps } = circuit();
    const readByBoth = await admitModelCall(deps, MODEL, await store.read(MODEL), T);

    await recordModelFailure(deps, MODEL, readByBoth, T);
    const after = await recordModelFailure(deps, MODEL, readByBoth, T + 1);

    expect(after.circuit.state).toBe('open');
    expect(store.stateOf(MODEL)).toBe('open');
  });

  it('reopens the circuit when the probe fails', async () => {
    const { store, deps } = circuit();
    store.set(MODEL, { state: 'open', openedAt: T });
    const probe = await admitModelCall(deps, MODEL, await store.read(MODEL), T + 30_000);

    const after = await recordModelFailure(deps, MODEL, probe, T + 31_000);

    expect(after.circuit).toEqual({ state: 'open', openedAt: T + 31_000 });
  });
});

describe('recordModelSuccess', () => {
  it('closes the circuit when the probe answers', async () => {
    const { store, changes, deps } = circuit();
    store.set(MODEL, { state: 'open', openedAt: T });
    const probe = await admitModelCall(deps, MODEL, await store.read(MODEL), T + 30_000);

    await recordModelSuccess(deps, MODEL, probe);

    expect(store.stateOf(MODEL)).toBe('closed');
    expect(changes.map((c) => `${c.from}→${c.to.state}`)).toEqual(['open→halfOpen', 'halfOpen→closed']);
  });

  it('writes nothing when a closed circuit’s model answers', async () => {
    const { store, deps } = circuit();

    await recordModelSuccess(deps, MODEL, await admitModelCall(deps, MODEL, await store.read(MODEL), T));

    expect(store.writes).toBe(0);
  });
});
