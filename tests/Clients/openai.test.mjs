// The official OpenAI Node SDK (npm "openai") pointed at the gateway: only baseURL, apiKey and model change.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { aliceKey, bobKey } from './env.mjs';
import { client, thrown, weatherFunction } from './openai-shared.mjs';

const weatherTool = { type: 'function', function: weatherFunction };

describe('openai-node', () => {
  test('chat completion', async () => {
    const reply = await client().chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    assert.equal(reply.object, 'chat.completion');
    assert.equal(typeof reply.model, 'string');
    assert.equal(reply.choices[0].message.role, 'assistant');
    assert.equal(reply.choices[0].message.content, 'Echo: Hello there');
    assert.equal(reply.choices[0].finish_reason, 'stop');
    assert.ok(reply.usage.prompt_tokens > 0);
    assert.equal(reply.usage.total_tokens, reply.usage.prompt_tokens + reply.usage.completion_tokens);
  });

  test('stream: text deltas in order, then usage when include_usage', async () => {
    const stream = await client().chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'one two three four' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const deltas = [];
    let finish = null;
    let usage = null;
    let chunksAfterUsage = 0;
    for await (const chunk of stream) {
      if (usage) chunksAfterUsage++;
      assert.equal(chunk.object, 'chat.completion.chunk');
      for (const choice of chunk.choices) {
        if (choice.delta?.content) deltas.push(choice.delta.content);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    assert.ok(deltas.length >= 4, `several text deltas, got ${JSON.stringify(deltas)}`);
    assert.equal(deltas.join(''), 'Echo: one two three four');
    assert.equal(finish, 'stop');
    assert.ok(usage, 'a final usage chunk');
    assert.equal(usage.completion_tokens, deltas.length);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
    assert.equal(chunksAfterUsage, 0, 'usage is the last chunk');
  });

  test('stream without include_usage carries no usage chunk', async () => {
    const stream = await client().chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'quiet' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) {
      assert.ok(!chunk.usage, `unexpected usage chunk ${JSON.stringify(chunk)}`);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    assert.equal(text, 'Echo: quiet');
  });

  test('tools: the model calls a tool with a name and JSON arguments', async () => {
    const reply = await client().chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const choice = reply.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    const call = choice.message.tool_calls[0];
    assert.equal(call.type, 'function');
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sample', unit: 'celsius', days: 1 });
  });

  test('streamed tool call: argument fragments assemble to valid JSON', async () => {
    const stream = await client().chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      stream: true,
    });
    const calls = new Map();
    let fragments = 0;
    let finish = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      for (const tc of choice.delta?.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', args: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) {
          call.args += tc.function.arguments;
          fragments++;
        }
        calls.set(tc.index, call);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    assert.equal(finish, 'tool_calls');
    assert.equal(calls.size, 1);
    const call = calls.get(0);
    assert.match(call.id, /^call_/);
    assert.equal(call.name, 'get_weather');
    assert.ok(fragments > 1, `arguments arrive in fragments, got ${fragments}`);
    assert.deepEqual(JSON.parse(call.args), { city: 'sample', unit: 'celsius', days: 1 });
  });

  test('streamed tool call through the SDK stream helper (finalChatCompletion)', async () => {
    const runner = client().chat.completions.stream({
      model: 'chat',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0].message.tool_calls[0];
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'sample', unit: 'celsius', days: 1 });
  });

  test('multi-turn tool conversation: call, tool result, answer', async () => {
    const openai = client();
    const messages = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await openai.chat.completions.create({ model: 'chat', messages, tools: [weatherTool] });
    const call = first.choices[0].message.tool_calls[0];
    // The assistant turn as a request message (role, content, tool_calls). Replaying the response object itself
    // also sends its response-only fields (refusal, annotations), which the strict mock rejects like older models do.
    messages.push({ role: 'assistant', content: null, tool_calls: first.choices[0].message.tool_calls });
    messages.push({ role: 'tool', tool_call_id: call.id, content: 'Sunny, 21 degrees' });
    const second = await openai.chat.completions.create({ model: 'chat', messages, tools: [weatherTool] });
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.equal(second.choices[0].message.content, 'The tool returned: Sunny, 21 degrees');
  });

  test('json_schema response_format: the answer parses and follows the schema', async () => {
    const reply = await client().chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'A city, as JSON' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              country: { type: 'string', enum: ['FR', 'DE'] },
              population: { type: 'integer' },
            },
            required: ['name', 'country', 'population'],
            additionalProperties: false,
          },
        },
      },
    });
    assert.deepEqual(JSON.parse(reply.choices[0].message.content), { name: 'sample', country: 'FR', population: 1 });
  });

  test('embeddings', async () => {
    const reply = await client().embeddings.create({ model: 'embed', input: ['first text', 'second text'] });
    assert.equal(reply.object, 'list');
    assert.equal(reply.data.length, 2);
    assert.deepEqual(reply.data.map((d) => d.index), [0, 1]);
    for (const d of reply.data) {
      assert.ok(Array.isArray(d.embedding) && d.embedding.length > 0, 'a float vector (the SDK decodes base64)');
      assert.ok(d.embedding.every((x) => typeof x === 'number' && Number.isFinite(x)));
    }
    assert.notDeepEqual(reply.data[0].embedding, reply.data[1].embedding);
    assert.ok(reply.usage.prompt_tokens > 0);
  });

  test('models.list shows only the models the key may use', async () => {
    const alice = [];
    for await (const m of client(aliceKey).models.list()) alice.push(m.id);
    assert.deepEqual(alice, [
      'chat', 'other', 'cut', 'broken', 'limited', 'embed', 'cc-anthropic', 'cc-openai', 'cc-gemini',
      'cx-native', 'cx-chat', 'cx-anthropic', 'cx-gemini', 'cx-azure', 'img-dalle', 'img-gemini', 'img-edit', 'tts', 'whisper', 'moderation',
    ]);

    const bob = [];
    for await (const m of client(bobKey).models.list()) {
      assert.equal(m.object, 'model');
      bob.push(m.id);
    }
    assert.deepEqual(bob, ['chat', 'cut', 'broken', 'limited', 'embed']);

    const one = await client(aliceKey).models.retrieve('other');
    assert.equal(one.id, 'other');
  });

  test('401: a wrong key is an AuthenticationError', async () => {
    const err = await thrown(() =>
      client('sk-not-a-real-key').chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(err instanceof OpenAI.AuthenticationError, `got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
  });

  test('404: an unknown model is a NotFoundError with code model_not_found', async () => {
    const err = await thrown(() =>
      client().chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(err instanceof OpenAI.NotFoundError, `got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, 404);
    assert.equal(err.code, 'model_not_found');
    assert.match(err.message, /no-such-model/);
  });

  test('404: a model the key may not use is a NotFoundError too', async () => {
    const err = await thrown(() =>
      client(bobKey).chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(err instanceof OpenAI.NotFoundError, `got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.code, 'model_not_found');
  });

  test('429 from the upstream is a RateLimitError with Retry-After', async () => {
    const err = await thrown(() =>
      client().chat.completions.create({ model: 'limited', messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(err instanceof OpenAI.RateLimitError, `got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, 429);
    assert.equal(err.headers.get('retry-after'), '3');
    assert.ok(err.message.length > 0);
  });

  for (const [model, what] of [['cut', 'ended early by the upstream'], ['broken', 'whose upstream connection broke']]) {
    test(`a stream ${what} makes the SDK throw, not end cleanly`, async () => {
      const stream = await client().chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'a fairly long question to answer word by word' }],
        stream: true,
      });
      let text = '';
      const err = await thrown(async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      });
      // The SDK raises the gateway's in-stream error event as an APIError carrying its error object.
      assert.ok(err instanceof OpenAI.APIError, `got ${err?.constructor?.name}: ${err?.message}`);
      assert.equal(err.type, 'upstream_error');
      assert.ok(err.message.length > 0);
      assert.ok(text.length > 0, 'some text arrived before the failure');
      assert.notEqual(text, 'Echo: a fairly long question to answer word by word');
    });
  }

  test('400: an unknown parameter is a BadRequestError with the upstream message', async () => {
    const err = await thrown(() =>
      client().chat.completions.create({
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        not_a_real_parameter: true,
      }));
    assert.ok(err instanceof OpenAI.BadRequestError, `got ${err?.constructor?.name}: ${err?.message}`);
    assert.equal(err.status, 400);
    assert.equal(err.type, 'invalid_request_error');
    assert.equal(err.param, 'not_a_real_parameter');
    assert.match(err.message, /Unrecognized request argument supplied: not_a_real_parameter/);
  });

  test('every response carries x-request-id', async () => {
    const { response } = await client()
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'id?' }] })
      .withResponse();
    assert.ok(response.headers.get('x-request-id'));
  });
});
