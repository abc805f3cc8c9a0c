import type { LocalService } from '../runtime';
import { listen } from '../ports';
import { OFFLINE_TEST_MODELS, OfflineResponder } from './offline-responder';
import { OpenAiBackend } from './openai-backend';
import { createBedrockServer } from './server';
import type { ChatBackend } from './types';

/**
 * The backend the local Bedrock endpoint answers with: an OpenAI-compatible
 * chat server when PARLEY_OPENAI_BASE_URL is set (e.g.
 * `http://127.0.0.1:11434/v1` for Ollama; PARLEY_OPENAI_MODEL picks the
 * model, PARLEY_OPENAI_API_KEY authenticates), otherwise the offline
 * responder (PARLEY_OFFLINE_PIECE_MS paces its words, default 20 ms).
 */
function backendFromEnvironment(env: NodeJS.ProcessEnv = process.env): ChatBackend {
  const baseUrl = env['PARLEY_OPENAI_BASE_URL'];
  if (baseUrl) {
    return new OpenAiBackend({
      baseUrl,
      ...(env['PARLEY_OPENAI_MODEL'] ? { model: env['PARLEY_OPENAI_MODEL'] } : {}),
      ...(env['PARLEY_OPENAI_API_KEY'] ? { apiKey: env['PARLEY_OPENAI_API_KEY'] } : {}),
    });
  }
  const delay = env['PARLEY_OFFLINE_PIECE_MS'];
  return new OfflineResponder(delay !== undefined && delay !== '' ? { pieceDelayMs: Number(delay) } : {});
}

/**
 * The local runtime's Bedrock: serves the Bedrock runtime API on 127.0.0.1
 * (a free port, or PARLEY_BEDROCK_PORT) and points every function's
 * BedrockRuntimeClient at it through AWS_ENDPOINT_URL_BEDROCK_RUNTIME. It
 * also offers its test model ids to agents (AGENT_LOCAL_MODEL_IDS).
 */
export function localBedrock(backend: ChatBackend = backendFromEnvironment()): LocalService {
  return {
    name: 'Bedrock',
    async start({ onServerError }) {
      const bedrock = createBedrockServer(backend, { onServerError });
      const port = await listen(bedrock.server, Number(process.env['PARLEY_BEDROCK_PORT'] ?? 0), 'Bedrock endpoint', 'PARLEY_BEDROCK_PORT');
      const url = `http://127.0.0.1:${port}`;
      return {
        url: `${url} (${backend.name})`,
        environment: {
          AWS_ENDPOINT_URL_BEDROCK_RUNTIME: url,
          AGENT_LOCAL_MODEL_IDS: Object.values(OFFLINE_TEST_MODELS).join(','),
        },
        stop: () => bedrock.close(),
      };
    },
  };
}
