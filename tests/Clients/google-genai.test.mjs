// The Google Gen AI SDK (npm "@google/genai", pinned in package.json) pointed at the gateway with httpOptions.baseUrl,
// on one gateway model per upstream type (cc-gemini: passed through; cc-openai, cc-anthropic: translated): a whole
// answer, a stream, a function call round trip, countTokens, the model list, and errors the SDK reads as ApiError.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GoogleGenAI, FunctionCallingConfigMode } from '@google/genai';
import { aliceKey, bobKey, gatewayUrl, upstreamRequests } from './env.mjs';

const client = (apiKey = aliceKey, apiVersion = undefined) =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: gatewayUrl, ...(apiVersion ? { apiVersion } : {}) } });

const weather = {
  functionDeclarations: [{
    name: 'get_weather',
    description: 'The weather in a city',
    parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  }],
};

const upstreams = [
  { model: 'cc-gemini', path: ':generateContent' },
  { model: 'cc-openai', path: '/v1/chat/completions' },
  { model: 'cc-anthropic', path: '/v1/messages' },
];

describe('@google/genai', () => {
  for (const { model } of upstreams) {
    test(`${model}: generateContent answers with text and usage`, async () => {
      const response = await client().models.generateContent({
        model,
        contents: 'Say hello',
        config: { systemInstruction: 'Be brief.', temperature: 0.2, maxOutputTokens: 64 },
      });
      assert.equal(response.text, 'Echo: Say hello');
      assert.equal(response.candidates[0].finishReason, 'STOP');
      assert.ok(response.usageMetadata.promptTokenCount > 0);
      assert.ok(response.usageMetadata.totalTokenCount >= response.usageMetadata.promptTokenCount);
    });

    test(`${model}: generateContentStream streams the answer and ends with a finish reason`, async () => {
      let text = '';
      let finish;
      let usage;
      let chunks = 0;
      for await (const chunk of await client().models.generateContentStream({ model, contents: 'Stream this please' })) {
        chunks++;
        text += chunk.text ?? '';
        finish = chunk.candidates?.[0]?.finishReason ?? finish;
        usage = chunk.usageMetadata ?? usage;
      }
      assert.equal(text, 'Echo: Stream this please');
      assert.ok(chunks > 1, 'more than one chunk');
      assert.equal(finish, 'STOP');
      assert.ok(usage.candidatesTokenCount > 0);
    });

    test(`${model}: a function call, its response, and the answer`, async () => {
      const since = Date.now();
      const ai = client();
      const contents = [{ role: 'user', parts: [{ text: 'What is the weather in Paris?' }] }];
      const first = await ai.models.generateContent({
        model,
        contents,
        config: { tools: [weather], toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } } },
      });
      const call = first.functionCalls?.[0];
      assert.equal(call?.name, 'get_weather');
      assert.equal(typeof call.args.city, 'string');
      contents.push(first.candidates[0].content);
      contents.push({ role: 'user', parts: [{ functionResponse: { id: call.id, name: call.name, response: { output: '18C and sunny' } } }] });
      const second = await ai.models.generateContent({ model, contents, config: { tools: [weather] } });
      assert.match(second.text, /^The tool returned: .*18C and sunny/);
      const upstream = upstreams.find((u) => u.model === model);
      const requests = await upstreamRequests(since, upstream.path);
      assert.equal(requests.length, 2, 'two upstream calls');
    });

    test(`${model}: countTokens counts the prompt`, async () => {
      const short = await client().models.countTokens({ model, contents: 'hi' });
      const long = await client().models.countTokens({ model, contents: 'hi '.repeat(200) });
      assert.ok(short.totalTokens > 0);
      assert.ok(long.totalTokens > short.totalTokens);
    });
  }

  test('the stable v1 API version is served too', async () => {
    const response = await client(aliceKey, 'v1').models.generateContent({ model: 'cc-openai', contents: 'Say hello' });
    assert.equal(response.text, 'Echo: Say hello');
  });

  test('models.list lists the models the key may use, in Google\'s shape', async () => {
    const names = [];
    for await (const m of await client(bobKey).models.list()) names.push(m.name);
    assert.ok(names.includes('models/chat'), names.join(','));
    assert.ok(!names.includes('models/other'), 'bob may not use "other"');
    const one = await client().models.get({ model: 'cc-gemini' });
    assert.equal(one.name, 'models/cc-gemini');
  });

  test('errors reach the SDK as ApiError with the HTTP status', async () => {
    const badKey = await client('sb-not-a-key').models.generateContent({ model: 'cc-openai', contents: 'x' }).catch((e) => e);
    assert.equal(badKey.name, 'ApiError');
    assert.equal(badKey.status, 401);
    assert.match(badKey.message, /UNAUTHENTICATED/);
    const noModel = await client().models.generateContent({ model: 'no-such-model', contents: 'x' }).catch((e) => e);
    assert.equal(noModel.status, 404);
    const forbidden = await client(bobKey).models.generateContent({ model: 'other', contents: 'x' }).catch((e) => e);
    assert.equal(forbidden.status, 404, 'a model the key may not use is not found');
  });
});
