import { ModelUnavailableError } from './errors';
import { readModelRef } from './models';
import type { ModelClient, ModelEvent, ModelRequest } from './ports';

/** The chat models behind each provider; `openai` is absent when the deployment has no such endpoint. */
export interface ModelProviders {
  readonly bedrock: ModelClient;
  readonly openai?: ModelClient;
}

/**
 * One ModelClient over the providers: a call goes to the provider its model
 * id names, with the provider's own model name. Failures are the providers'
 * own (ModelUnavailableError, ModelStreamError), so budgets, retries, notices
 * and dead-lettering work the same whichever provider answers.
 */
export class ModelRouter implements ModelClient {
  constructor(private readonly providers: ModelProviders) {}

  async *stream(request: ModelRequest): AsyncGenerator<ModelEvent> {
    const result = readModelRef(request.modelId);
    if (!result.ok) throw new ModelUnavailableError(`The model id is not valid: ${result.problem}`, false, 'ValidationException');
    const { ref } = result;
    if (ref.provider === 'bedrock') {
      yield* this.providers.bedrock.stream(request);
      return;
    }
    if (!this.providers.openai) {
      throw new ModelUnavailableError(
        `${ref.id} needs the OpenAI-compatible endpoint, which this deployment does not configure.`,
        false,
        'ProviderNotConfigured',
      );
    }
    yield* this.providers.openai.stream({ ...request, modelId: ref.model });
  }
}
