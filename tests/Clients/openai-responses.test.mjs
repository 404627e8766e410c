// The official OpenAI Node SDK (npm "openai") on the gateway's Responses API (/v1/responses), on two upstreams:
//   cx-chat    an openai provider without `responses: true`: translated to Chat Completions and back
//   cx-native  an openai provider with `responses: true`: the request passes through, only `model` replaced
// create (plain, with a function tool and its round trip), both streaming styles, and the stored responses
// (retrieve, input items, delete, previous_response_id), which belong to the key that created them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bobKey, upstreamRequests } from './env.mjs';
import { client, thrown, weatherFunction } from './openai-shared.mjs';

// The Responses API's function tool is flat: name, description and parameters beside its type.
const weatherTool = { type: 'function', ...weatherFunction, strict: true };

const upstreams = [
  { model: 'cx-chat', path: '/v1/chat/completions' },
  { model: 'cx-native', path: '/v1/responses' },
];

for (const { model, path } of upstreams) {
  describe(`openai-node responses (${model})`, () => {
    test('create: a plain answer with usage', async () => {
      const since = Date.now();
      const reply = await client().responses.create({ model, input: 'Hello there', instructions: 'Be brief.' });
      assert.equal(reply.object, 'response');
      assert.match(reply.id, /^resp_/);
      assert.equal(reply.status, 'completed');
      assert.equal(reply.output_text, 'Echo: Hello there');
      assert.equal(reply.output.length, 1);
      assert.equal(reply.output[0].type, 'message');
      assert.equal(reply.output[0].role, 'assistant');
      assert.ok(reply.usage.input_tokens > 0);
      assert.equal(reply.usage.total_tokens, reply.usage.input_tokens + reply.usage.output_tokens);
      const requests = await upstreamRequests(since, path);
      assert.equal(requests.length, 1, `one request to ${path}`);
    });

    test('create with a function tool, then its output: the round trip', async () => {
      const since = Date.now();
      const input = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await client().responses.create({ model, input, tools: [weatherTool] });
      assert.equal(first.status, 'completed');
      const call = first.output.find((item) => item.type === 'function_call');
      assert.ok(call, `a function call: ${JSON.stringify(first.output)}`);
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.arguments), { city: 'sample', unit: 'celsius', days: 1 });
      assert.ok(call.call_id);

      const second = await client().responses.create({
        model,
        tools: [weatherTool],
        input: [...input, call, { type: 'function_call_output', call_id: call.call_id, output: '22 degrees and sunny' }],
      });
      assert.equal(second.output_text, 'The tool returned: 22 degrees and sunny');

      const requests = await upstreamRequests(since, path);
      assert.equal(requests.length, 2);
      assert.ok(requests[1].body.includes('22 degrees and sunny'), 'the tool output went upstream');
    });

    test('responses.stream: events in order, text deltas, the final response', async () => {
      const stream = client().responses.stream({ model, input: 'one two three four' });
      const types = [];
      const deltas = [];
      let lastSequence = -1;
      for await (const event of stream) {
        types.push(event.type);
        assert.ok(event.sequence_number > lastSequence, `sequence_number increases at ${event.type}`);
        lastSequence = event.sequence_number;
        if (event.type === 'response.output_text.delta') deltas.push(event.delta);
      }
      const final = await stream.finalResponse();
      assert.equal(types[0], 'response.created');
      assert.equal(types.at(-1), 'response.completed');
      for (const expected of ['response.output_item.added', 'response.content_part.added', 'response.output_text.done', 'response.output_item.done']) {
        assert.ok(types.includes(expected), `${expected} in ${types.join(', ')}`);
      }
      assert.ok(deltas.length >= 4, `several deltas: ${JSON.stringify(deltas)}`);
      assert.equal(deltas.join(''), 'Echo: one two three four');
      // finalResponse() is the SDK's snapshot built from the events (it has no output_text shortcut).
      const finalText = final.output.flatMap((i) => (i.type === 'message' ? i.content.map((c) => c.text) : [])).join('');
      assert.equal(finalText, 'Echo: one two three four');
      assert.equal(final.status, 'completed');
      assert.ok(final.usage.output_tokens > 0);
    });

    test('create({stream: true}): a function call streamed as argument deltas', async () => {
      const stream = await client().responses.create({ model, input: 'Weather?', tools: [weatherTool], stream: true });
      let argumentDeltas = '';
      let done = null;
      let completed = null;
      for await (const event of stream) {
        if (event.type === 'response.function_call_arguments.delta') argumentDeltas += event.delta;
        if (event.type === 'response.output_item.done' && event.item.type === 'function_call') done = event.item;
        if (event.type === 'response.completed') completed = event.response;
      }
      assert.ok(done, 'the function call item was done');
      assert.equal(done.name, 'get_weather');
      assert.equal(argumentDeltas, done.arguments);
      assert.deepEqual(JSON.parse(done.arguments), { city: 'sample', unit: 'celsius', days: 1 });
      assert.equal(completed.status, 'completed');
      assert.equal(completed.output.find((i) => i.type === 'function_call').call_id, done.call_id);
    });

    test('stored: retrieve, input items, previous_response_id, delete; other keys get 404', async () => {
      const created = await client().responses.create({ model, input: 'Remember me' });

      const retrieved = await client().responses.retrieve(created.id);
      assert.equal(retrieved.id, created.id);
      assert.equal(retrieved.status, 'completed');
      assert.equal(retrieved.output_text, 'Echo: Remember me');

      const items = [];
      for await (const item of client().responses.inputItems.list(created.id)) items.push(item);
      assert.equal(items.length, 1, JSON.stringify(items));
      assert.equal(items[0].type, 'message');
      assert.equal(items[0].role, 'user');
      assert.deepEqual(items[0].content.map((c) => [c.type, c.text]), [['input_text', 'Remember me']]);

      const since = Date.now();
      const next = await client().responses.create({ model, input: 'And now?', previous_response_id: created.id });
      assert.equal(next.output_text, 'Echo: And now?');
      assert.equal(next.previous_response_id, created.id);
      const [upstream] = await upstreamRequests(since, path);
      if (path === '/v1/chat/completions') {
        // Translated upstream: the gateway rebuilt the conversation from the stored turn.
        assert.deepEqual(upstream.json.messages.map((m) => [m.role, typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join('')]), [
          ['user', 'Remember me'],
          ['assistant', 'Echo: Remember me'],
          ['user', 'And now?'],
        ]);
      } else {
        // Native upstream: previous_response_id is passed through to the provider that created the response.
        assert.ok(upstream.json.previous_response_id, 'previous_response_id reached the upstream');
      }

      assert.equal((await thrown(() => client(bobKey).responses.retrieve(created.id))).status, 404, "another key does not see it");
      assert.equal((await thrown(() => client(bobKey).responses.delete(created.id))).status, 404);

      // The SDK types it void, but hands back what the API answers: OpenAI's deletion object.
      const deleted = await client().responses.delete(created.id);
      assert.deepEqual(deleted, { id: created.id, object: 'response', deleted: true });
      const gone = await thrown(() => client().responses.retrieve(created.id));
      assert.equal(gone.status, 404);
      assert.equal(gone.error?.type ?? gone.type, 'invalid_request_error');
    });

    test('store: false is not kept', async () => {
      const created = await client().responses.create({ model, input: 'Forget me', store: false });
      assert.equal(created.output_text, 'Echo: Forget me');
      assert.equal((await thrown(() => client().responses.retrieve(created.id))).status, 404);
    });
  });
}
