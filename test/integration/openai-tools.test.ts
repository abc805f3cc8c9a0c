import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, type LocalParleyProcess, startLocalParley } from '../support/local-parley';

interface ChatBody {
  readonly model: string;
  readonly messages: ReadonlyArray<{ role: string; content: string | null; tool_call_id?: string }>;
  readonly tools?: ReadonlyArray<{ function: { name: string } }>;
}

const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ delta, finish_reason: finish }] })}\n\n`;
const callPiece = (fields: object) => chunk({ tool_calls: [{ index: 0, ...fields }] });

/**
 * A scripted OpenAI-compatible chat server: offered current_time, it calls
 * it, streaming the call in pieces; given the tool's answer, it replies
 * with it. What it answers depends only on what it is sent.
 */
function scriptedChatServer(received: ChatBody[]): Server {
  return createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as ChatBody;
      received.push(body);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const result = body.messages.find((m) => m.role === 'tool');
      if (result) {
        res.write(chunk({ content: 'The clock says: ' }));
        res.write(chunk({ content: result.content ?? '' }, 'stop'));
      } else if (body.tools?.some((t) => t.function.name === 'current_time')) {
        res.write(chunk({ role: 'assistant', content: null }));
        res.write(callPiece({ id: 'call_clock', type: 'function', function: { name: 'current_time', arguments: '' } }));
        res.write(callPiece({ function: { arguments: '{' } }));
        res.write(callPiece({ function: { arguments: '}' } }));
        res.write(chunk({}, 'tool_calls'));
      } else {
        res.write(chunk({ content: 'No tools here.' }, 'stop'));
      }
      res.end('data: [DONE]\n\n');
    });
  });
}

/**
 * Agents' tools on the local runtime when its Bedrock endpoint forwards to
 * an OpenAI-compatible server (PARLEY_OPENAI_BASE_URL), through Parley's
 * front door: the server's streamed tool call runs the tool, and the agent
 * answers with what the server made of the result.
 */
describe('agents’ tools through a local OpenAI-compatible server', { timeout: 150_000 }, () => {
  let parley: LocalParleyProcess;
  let chatServer: Server;
  const received: ChatBody[] = [];

  beforeAll(async () => {
    chatServer = scriptedChatServer(received);
    await new Promise<void>((resolve) => chatServer.listen(0, '127.0.0.1', resolve));
    const { port } = chatServer.address() as AddressInfo;
    parley = await startLocalParley({
      env: { PARLEY_OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, PARLEY_OPENAI_MODEL: 'scripted' },
    });
  });

  afterAll(async () => {
    await parley?.stop();
    chatServer?.closeAllConnections();
    await new Promise<void>((resolve) => (chatServer ? chatServer.close(() => resolve()) : resolve()));
  });

  it('runs the tool the chat server called and replies with its answer', async () => {
    const ivy = await parley.connect('ivy');
    const { room } = await ivy.ok<{ room: { roomId: string } }>('createRoom', { name: 'clock room' });
    await ivy.ok('addAgent', { roomId: room.roomId, agent: { handle: 'clock', tools: ['current_time'] } });

    const asked = await ivy.ok<{ messageId: string }>('sendMessage', { roomId: room.roomId, text: '@clock what time is it?', clientMessageId: 'm1' });

    const status = await ivy.waitFor((f) => f.type === 'agentThinking' && f['messageId'] === asked.messageId && f['status'] !== undefined, 60_000);
    expect(status).toMatchObject({ status: 'checkingTime', agent: { handle: 'clock' } });
    const done = await ivy.waitFor((f: Frame) => f.type === 'agentDone' && f['roomId'] === room.roomId, 60_000);
    const reply = done['message'] as { text: string; agent: { triggerMessageId: string } };
    expect(reply.agent.triggerMessageId).toBe(asked.messageId);
    expect(reply.text).toMatch(/^The clock says: .*\d{4}.*UTC/);

    const asking = received.filter((body) => body.tools?.some((t) => t.function.name === 'current_time'));
    expect(asking.map((body) => body.model)).toEqual(['scripted', 'scripted']);
    const answer = asking[1]?.messages.find((m) => m.role === 'tool');
    expect(answer).toMatchObject({ tool_call_id: 'call_clock' });
    expect(reply.text).toBe(`The clock says: ${answer?.content ?? ''}`);
  });
});
