// LangChain.js ChatOpenAI ("@langchain/openai") pointed at the gateway through configuration.baseURL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatOpenAI } from '@langchain/openai';
import { ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { aliceKey, baseURL } from './env.mjs';

const chat = (options = {}) =>
  new ChatOpenAI({ model: 'chat', apiKey: aliceKey, configuration: { baseURL }, maxRetries: 0, ...options });

const weather = tool(async ({ city }) => `Sunny in ${city}`, {
  name: 'get_weather',
  description: 'Current weather for a city',
  schema: z.object({ city: z.string(), unit: z.enum(['celsius', 'fahrenheit']) }),
});

describe('LangChain ChatOpenAI', () => {
  test('invoke', async () => {
    const message = await chat().invoke('Hello from LangChain');
    assert.equal(message.content, 'Echo: Hello from LangChain');
    assert.ok(message.usage_metadata.input_tokens > 0);
    assert.ok(message.usage_metadata.output_tokens > 0);
  });

  test('stream', async () => {
    const pieces = [];
    let usage = null;
    for await (const chunk of await chat().stream('stream me some words')) {
      if (typeof chunk.content === 'string' && chunk.content) pieces.push(chunk.content);
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    assert.ok(pieces.length > 1, `several chunks, got ${JSON.stringify(pieces)}`);
    assert.equal(pieces.join(''), 'Echo: stream me some words');
    assert.ok(usage?.output_tokens > 0, 'streamed usage');
  });

  test('bindTools: the model answers with tool_calls', async () => {
    const message = await chat().bindTools([weather]).invoke('What is the weather in Paris?');
    assert.equal(message.tool_calls.length, 1);
    assert.equal(message.tool_calls[0].name, 'get_weather');
    assert.deepEqual(message.tool_calls[0].args, { city: 'sample', unit: 'celsius' });
    assert.match(message.tool_calls[0].id, /^call_/);
  });

  test('tool round trip: ToolMessage back, the model answers', async () => {
    const model = chat().bindTools([weather]);
    const history = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const ai = await model.invoke(history);
    const call = ai.tool_calls[0];
    // Built without `name`: LangChain would send it on the tool message, which the strict mock rejects
    // (as OpenAI did for older models); the gateway relays the messages untouched either way.
    const toolMessage = new ToolMessage({ content: await weather.invoke(call.args), tool_call_id: call.id });
    const answer = await model.invoke([...history, ai, toolMessage]);
    assert.equal(answer.content, 'The tool returned: Sunny in sample');
  });
});
