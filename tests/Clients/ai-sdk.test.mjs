// Vercel AI SDK ("ai" + "@ai-sdk/openai") pointed at the gateway, speaking Chat Completions (.chat(model)).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { aliceKey, baseURL } from './env.mjs';

const provider = createOpenAI({ baseURL, apiKey: aliceKey });

const weather = tool({
  description: 'Current weather for a city',
  inputSchema: z.object({
    city: z.string().describe('City name'),
    unit: z.enum(['celsius', 'fahrenheit']),
    days: z.number().int(),
  }),
});

describe('Vercel AI SDK', () => {
  test('generateText', async () => {
    const result = await generateText({ model: provider.chat('chat'), prompt: 'Hello from the AI SDK', maxRetries: 0 });
    assert.equal(result.text, 'Echo: Hello from the AI SDK');
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.usage.inputTokens > 0);
    assert.ok(result.usage.outputTokens > 0);
    assert.equal(result.usage.totalTokens, result.usage.inputTokens + result.usage.outputTokens);
  });

  test('streamText: text arrives in pieces, then usage', async () => {
    const errors = [];
    const result = streamText({
      model: provider.chat('chat'),
      prompt: 'stream these words please',
      maxRetries: 0,
      onError: ({ error }) => errors.push(error),
    });
    const pieces = [];
    for await (const piece of result.textStream) pieces.push(piece);
    assert.deepEqual(errors, []);
    assert.ok(pieces.length > 1, `several pieces, got ${JSON.stringify(pieces)}`);
    assert.equal(pieces.join(''), 'Echo: stream these words please');
    assert.equal(await result.finishReason, 'stop');
    const usage = await result.usage;
    assert.ok(usage.inputTokens > 0);
    assert.ok(usage.outputTokens > 0, 'usage arrives at the end of the stream');
  });

  test('tool with a zod schema: the model calls it with typed input', async () => {
    const result = await generateText({
      model: provider.chat('chat'),
      tools: { get_weather: weather },
      prompt: 'What is the weather in Paris?',
      maxRetries: 0,
    });
    assert.equal(result.finishReason, 'tool-calls');
    assert.equal(result.toolCalls.length, 1);
    assert.equal(result.toolCalls[0].toolName, 'get_weather');
    assert.deepEqual(result.toolCalls[0].input, { city: 'sample', unit: 'celsius', days: 1 });
  });

  test('tool loop: executed tool result goes back, the model answers', async () => {
    const result = await generateText({
      model: provider.chat('chat'),
      tools: {
        get_weather: tool({ ...weather, execute: async ({ city }) => ({ city, forecast: 'sunny' }) }),
      },
      stopWhen: stepCountIs(3),
      prompt: 'What is the weather in Paris?',
      maxRetries: 0,
    });
    assert.equal(result.steps.length, 2);
    assert.equal(result.steps[0].toolResults[0].output.forecast, 'sunny');
    assert.equal(result.text, 'The tool returned: {"city":"sample","forecast":"sunny"}');
  });

  test('streamText with a tool: the streamed call assembles', async () => {
    const result = streamText({
      model: provider.chat('chat'),
      tools: { get_weather: weather },
      prompt: 'What is the weather in Paris?',
      maxRetries: 0,
    });
    const calls = await result.toolCalls;
    assert.equal(calls.length, 1);
    assert.equal(calls[0].toolName, 'get_weather');
    assert.deepEqual(calls[0].input, { city: 'sample', unit: 'celsius', days: 1 });
  });

  test('streamText cut mid-stream: the error surfaces', async () => {
    const errors = [];
    const result = streamText({
      model: provider.chat('cut'),
      prompt: 'a fairly long question to answer word by word',
      maxRetries: 0,
      onError: ({ error }) => errors.push(error),
    });
    let text = '';
    let rejected = null;
    try {
      for await (const piece of result.textStream) text += piece;
    } catch (err) {
      rejected = err;
    }
    assert.ok(errors.length > 0 || rejected, `an error must surface; the stream ended cleanly with ${JSON.stringify(text)}`);
    assert.notEqual(text, 'Echo: a fairly long question to answer word by word');
  });

  test('429 from the upstream: an APICallError with the status and Retry-After', async () => {
    let err = null;
    try {
      await generateText({ model: provider.chat('limited'), prompt: 'hi', maxRetries: 0 });
    } catch (e) {
      err = e;
    }
    assert.ok(APICallError.isInstance(err), `got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.statusCode, 429);
    assert.equal(err.isRetryable, true);
    assert.equal(err.responseHeaders['retry-after'], '3');
  });
});
