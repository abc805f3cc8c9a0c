import {
  admit,
  afterFailure,
  afterSuccess,
  type CircuitOptions,
  type CircuitState,
} from '../../domain/agents/circuit-breaker';
import type { ModelCircuitStore, StoredCircuit } from '../../domain/agents/ports';

/** A change of a model's circuit, as one worker made it. */
export interface CircuitChange {
  readonly modelId: string;
  readonly from: CircuitState['state'];
  readonly to: CircuitState;
}

export interface ModelCircuitDeps {
  readonly store: ModelCircuitStore;
  readonly options: CircuitOptions;
  /** Told of each change this worker wrote (metrics, logs). */
  readonly onChange?: (change: CircuitChange) => void;
}

/** How a job stands with its model's circuit: the circuit as last read or written, and whether the job probes. */
export interface CircuitTicket {
  readonly decision: 'call' | 'probe' | 'refuse';
  readonly stored: StoredCircuit;
  /** When a refused job's model may be tried again. */
  readonly retryAt?: number;
}

/** Tries of a read-and-write when other workers keep writing first; each loss means the circuit just changed. */
const TRIES = 3;

/**
 * Changes a model's circuit by `change`, starting from `known` (the state
 * the job read) and reading again whenever another worker wrote first.
 * Resolves with the circuit as it ended.
 */
async function update(
  deps: ModelCircuitDeps,
  modelId: string,
  known: StoredCircuit,
  change: (circuit: CircuitState) => CircuitState | undefined,
): Promise<StoredCircuit> {
  let current = known;
  for (let tries = 1; ; tries += 1) {
    const next = change(current.circuit);
    if (next === undefined) return current;
    if (await deps.store.write(modelId, next, current)) {
      deps.onChange?.({ modelId, from: current.circuit.state, to: next });
      return { circuit: next, version: current.version + 1 };
    }
    if (tries >= TRIES) return deps.store.read(modelId);
    current = await deps.store.read(modelId);
  }
}

/**
 * Whether a job may call its model, from the circuit the job read
 * (`known`). An open circuit whose cool-down is over lets one job probe:
 * the probe is claimed by a conditional write, so of concurrent workers
 * exactly one probes and the others are refused.
 */
export async function admitModelCall(
  deps: ModelCircuitDeps,
  modelId: string,
  known: StoredCircuit,
  now: number,
): Promise<CircuitTicket> {
  let current = known;
  for (let tries = 1; tries <= TRIES; tries += 1) {
    const admission = admit(current.circuit, now, deps.options);
    if (admission.decision === 'call') return { decision: 'call', stored: current };
    if (admission.decision === 'refuse') return { decision: 'refuse', stored: current, retryAt: admission.retryAt };
    if (await deps.store.write(modelId, admission.next, current)) {
      deps.onChange?.({ modelId, from: current.circuit.state, to: admission.next });
      return { decision: 'probe', stored: { circuit: admission.next, version: current.version + 1 } };
    }
    current = await deps.store.read(modelId);
  }
  // The circuit changed under every try: someone else is probing.
  return { decision: 'refuse', stored: current, retryAt: now + deps.options.coolDownMs };
}

/** Counts a job whose model failed; resolves with the circuit after it (open: later jobs fail fast). */
export const recordModelFailure = (deps: ModelCircuitDeps, modelId: string, ticket: CircuitTicket, now: number) =>
  update(deps, modelId, ticket.stored, (circuit) => afterFailure(circuit, now, deps.options));

/** Notes that the model answered: a probe's answer closes the circuit. Writes nothing while it is closed. */
export const recordModelSuccess = (deps: ModelCircuitDeps, modelId: string, ticket: CircuitTicket) =>
  update(deps, modelId, ticket.stored, afterSuccess);
