import { randomUUID } from 'node:crypto';
import { matchesFilters } from '../event-sources/filter';
import type { LocalEventBridgeModel, LocalEventRule, LocalRuleTarget } from '../model/event-rules';

/** An event as EventBridge hands it to a target. */
export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/** An error EventBridge answers with: its `__type` and message (HTTP 400). */
export class EventBridgeError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventBridgeError';
  }
}

/** One PutEvents entry, as the SDK sends it. */
export interface PutEventsEntry {
  readonly Source?: unknown;
  readonly DetailType?: unknown;
  readonly Detail?: unknown;
  readonly EventBusName?: unknown;
  readonly Resources?: unknown;
  /** Seconds since the epoch (the SDK's JSON 1.1 timestamps), or an ISO string. */
  readonly Time?: unknown;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** Where a matched event goes: the target, the payload (the event, or its Input/InputPath), and the rule. */
export type Deliver = (target: LocalRuleTarget, payload: unknown, rule: LocalEventRule) => Promise<void>;

/** PutEvents' limits: entries per call and bytes per entry. */
const MAX_ENTRIES = 10;
const MAX_ENTRY_BYTES = 256 * 1024;
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** `$.a.b` of a value (the subset of JSONPath InputPath uses here). */
export function inputPathOf(event: unknown, path: string): unknown {
  if (path === '$') return event;
  if (!path.startsWith('$.')) throw new EventBridgeError('ValidationException', `InputPath "${path}" is not supported locally.`);
  return path
    .slice(2)
    .split('.')
    .reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), event);
}

/** What a target receives for an event: its constant Input, the InputPath of the event, or the event. */
export function payloadFor(target: LocalRuleTarget, event: DeliveredEvent): unknown {
  if (target.Input !== undefined) return JSON.parse(target.Input) as unknown;
  if (target.InputPath !== undefined) return inputPathOf(event, target.InputPath);
  return event;
}

const parsePattern = (pattern: unknown): Record<string, unknown> => {
  if (typeof pattern !== 'string') throw new EventBridgeError('ValidationException', 'EventPattern must be a JSON string.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(pattern);
  } catch {
    throw new EventBridgeError('InvalidEventPatternException', 'Event pattern is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
    throw new EventBridgeError('InvalidEventPatternException', 'Event pattern must be a non-empty JSON object.');
  }
  return parsed as Record<string, unknown>;
};

const timeOf = (time: unknown): string => {
  if (typeof time === 'number') return new Date(time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (typeof time === 'string' && !Number.isNaN(Date.parse(time))) return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
};

/**
 * EventBridge on this machine: buses, rules with event patterns, and
 * targets. Rules come from the template and from PutRule/PutTargets at run
 * time (that is how a test subscribes, as in AWS). A put event is matched
 * against each enabled rule of its bus and handed to `deliver` for each
 * target, after PutEvents has answered, as EventBridge does; a failed
 * delivery goes to `onDeliveryError`.
 */
export class LocalEventBus {
  private readonly buses = new Map<string, Map<string, { rule: LocalEventRule; pattern: Record<string, unknown> }>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      readonly region: string;
      readonly accountId: string;
      readonly model: LocalEventBridgeModel;
      readonly deliver: Deliver;
      readonly onDeliveryError: (error: unknown, rule: LocalEventRule, target: LocalRuleTarget) => void;
    },
  ) {
    this.buses.set('default', new Map());
    for (const bus of options.model.buses) this.buses.set(bus, new Map());
    for (const rule of options.model.rules) this.rulesOf(rule.eventBusName).set(rule.name, { rule, pattern: parsePattern(rule.eventPattern) });
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.options.region}:${this.options.accountId}:event-bus/${name}`;
  }

  ruleArn(bus: string, name: string): string {
    const prefix = `arn:aws:events:${this.options.region}:${this.options.accountId}:rule/`;
    return bus === 'default' ? `${prefix}${name}` : `${prefix}${bus}/${name}`;
  }

  describeEventBus(name = 'default'): { Name: string; Arn: string } {
    this.rulesOf(name);
    return { Name: name, Arn: this.busArn(name) };
  }

  putRule(input: { Name?: unknown; EventBusName?: unknown; EventPattern?: unknown; State?: unknown; Description?: unknown }): { RuleArn: string } {
    const name = this.nameOf(input.Name, 'Name');
    const bus = this.busNameOf(input.EventBusName);
    if (input.EventPattern === undefined) throw new EventBridgeError('ValidationException', 'Scheduled rules are not run locally: give an EventPattern.');
    const pattern = parsePattern(input.EventPattern);
    const rules = this.rulesOf(bus);
    const targets = rules.get(name)?.rule.targets ?? [];
    const rule: LocalEventRule = {
      name,
      eventBusName: bus,
      eventPattern: input.EventPattern as string,
      state: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      ...(typeof input.Description === 'string' ? { description: input.Description } : {}),
      targets,
    };
    rules.set(name, { rule, pattern });
    return { RuleArn: this.ruleArn(bus, name) };
  }

  deleteRule(input: { Name?: unknown; EventBusName?: unknown }): Record<string, never> {
    const { rules, name, rule } = this.existingRule(input);
    if (rule.targets.length > 0) throw new EventBridgeError('ValidationException', 'Rule can’t be deleted since it has targets.');
    rules.delete(name);
    return {};
  }

  putTargets(input: { Rule?: unknown; EventBusName?: unknown; Targets?: unknown }): { FailedEntryCount: number; FailedEntries: unknown[] } {
    const { rules, name, rule, pattern } = this.existingRule({ Name: input.Rule, EventBusName: input.EventBusName });
    if (!Array.isArray(input.Targets) || input.Targets.length === 0 || input.Targets.length > 10) {
      throw new EventBridgeError('ValidationException', 'Targets must hold 1 to 10 targets.');
    }
    const added = (input.Targets as Array<Record<string, unknown>>).map((target): LocalRuleTarget => {
      if (typeof target['Id'] !== 'string' || typeof target['Arn'] !== 'string') {
        throw new EventBridgeError('ValidationException', 'Each target needs an Id and an Arn.');
      }
      const dlq = (target['DeadLetterConfig'] as { Arn?: unknown } | undefined)?.Arn;
      return {
        Id: target['Id'],
        Arn: target['Arn'],
        ...(typeof target['Input'] === 'string' ? { Input: target['Input'] } : {}),
        ...(typeof target['InputPath'] === 'string' ? { InputPath: target['InputPath'] } : {}),
        ...(typeof dlq === 'string' ? { DeadLetterConfig: { Arn: dlq } } : {}),
      };
    });
    const ids = new Set(added.map((t) => t.Id));
    rules.set(name, { rule: { ...rule, targets: [...rule.targets.filter((t) => !ids.has(t.Id)), ...added] }, pattern });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  removeTargets(input: { Rule?: unknown; EventBusName?: unknown; Ids?: unknown }): { FailedEntryCount: number; FailedEntries: unknown[] } {
    const { rules, name, rule, pattern } = this.existingRule({ Name: input.Rule, EventBusName: input.EventBusName });
    const ids = new Set(Array.isArray(input.Ids) ? input.Ids.map(String) : []);
    rules.set(name, { rule: { ...rule, targets: rule.targets.filter((t) => !ids.has(t.Id)) }, pattern });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listRules(input: { EventBusName?: unknown; NamePrefix?: unknown }): { Rules: unknown[] } {
    const bus = this.busNameOf(input.EventBusName);
    const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
    return {
      Rules: [...this.rulesOf(bus).values()]
        .filter(({ rule }) => rule.name.startsWith(prefix))
        .map(({ rule }) => ({
          Name: rule.name,
          Arn: this.ruleArn(bus, rule.name),
          EventPattern: rule.eventPattern,
          State: rule.state,
          EventBusName: bus,
          ...(rule.description === undefined ? {} : { Description: rule.description }),
        })),
    };
  }

  listTargetsByRule(input: { Rule?: unknown; EventBusName?: unknown }): { Targets: readonly LocalRuleTarget[] } {
    return { Targets: this.existingRule({ Name: input.Rule, EventBusName: input.EventBusName }).rule.targets };
  }

  putEvents(input: { Entries?: unknown }): { FailedEntryCount: number; Entries: PutEventsResultEntry[] } {
    if (!Array.isArray(input.Entries) || input.Entries.length === 0 || input.Entries.length > MAX_ENTRIES) {
      throw new EventBridgeError('ValidationException', `Entries must hold 1 to ${MAX_ENTRIES} entries.`);
    }
    const results = (input.Entries as PutEventsEntry[]).map((entry) => this.putEvent(entry));
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  /** Resolves once every delivery started so far has ended (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private putEvent(entry: PutEventsEntry): PutEventsResultEntry {
    const bus = typeof entry.EventBusName === 'string' && entry.EventBusName !== '' ? entry.EventBusName.replace(/^arn:.*:event-bus\//, '') : 'default';
    const rules = this.buses.get(bus);
    if (rules === undefined) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
    if (typeof entry.Source !== 'string' || entry.Source === '' || typeof entry.DetailType !== 'string' || entry.DetailType === '') {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameters Source and DetailType are required.' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(typeof entry.Detail === 'string' ? entry.Detail : '');
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail must be a JSON object.' };
    }
    const size = Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail as string) + 14;
    if (size > MAX_ENTRY_BYTES) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Total size of the entry exceeds 256KB.' };
    const event: DeliveredEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: this.options.accountId,
      time: timeOf(entry.Time),
      region: this.options.region,
      resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      detail,
    };
    for (const { rule, pattern } of rules.values()) {
      if (rule.state !== 'ENABLED' || !matchesFilters([pattern], event as unknown as Record<string, unknown>)) continue;
      for (const target of rule.targets) this.track(this.deliverOne(target, event, rule));
    }
    return { EventId: event.id };
  }

  private async deliverOne(target: LocalRuleTarget, event: DeliveredEvent, rule: LocalEventRule): Promise<void> {
    try {
      await this.options.deliver(target, payloadFor(target, event), rule);
    } catch (error) {
      this.options.onDeliveryError(error, rule, target);
    }
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private nameOf(value: unknown, field: string): string {
    if (typeof value !== 'string' || !NAME.test(value)) {
      throw new EventBridgeError('ValidationException', `${field} must be 1 to 64 letters, digits, dots, dashes or underscores.`);
    }
    return value;
  }

  private busNameOf(value: unknown): string {
    if (value === undefined || value === '') return 'default';
    if (typeof value !== 'string') throw new EventBridgeError('ValidationException', 'EventBusName must be a string.');
    return value.replace(/^arn:.*:event-bus\//, '');
  }

  private rulesOf(bus: string): Map<string, { rule: LocalEventRule; pattern: Record<string, unknown> }> {
    const rules = this.buses.get(bus);
    if (rules === undefined) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
    return rules;
  }

  private existingRule(input: { Name?: unknown; EventBusName?: unknown }) {
    const name = this.nameOf(input.Name, 'Rule');
    const rules = this.rulesOf(this.busNameOf(input.EventBusName));
    const found = rules.get(name);
    if (found === undefined) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist.`);
    return { rules, name, ...found };
  }
}
