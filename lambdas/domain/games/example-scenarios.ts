import harbourCouncil from '../../../scenarios/harbour-council.json' with { type: 'json' };
import marketHaggle from '../../../scenarios/market-haggle.json' with { type: 'json' };
import rentNegotiation from '../../../scenarios/rent-negotiation.json' with { type: 'json' };
import { scenarioSchema, type Scenario } from './dialogue';

/**
 * The scenarios shipped with Parley (the JSON files in `scenarios/`, bundled
 * into the functions): every dialogue room can start from them, and their
 * ids are reserved (a room cannot upload a scenario under one). Parsed with
 * the upload's own schema, so an example that drifts from the format fails
 * at cold start and in its unit test, never in front of a player.
 */
export const EXAMPLE_SCENARIOS: readonly Scenario[] = [rentNegotiation, marketHaggle, harbourCouncil].map((json) =>
  scenarioSchema.parse(json),
);

export const exampleScenario = (scenarioId: string): Scenario | undefined =>
  EXAMPLE_SCENARIOS.find((scenario) => scenario.id === scenarioId);

export const isExampleScenarioId = (scenarioId: string): boolean => exampleScenario(scenarioId) !== undefined;
