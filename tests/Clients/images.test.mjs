// The official OpenAI Node SDK's Images API (images.generate, images.edit) through the gateway: an OpenAI model
// relayed, a Gemini image model translated, an uploaded image edited, and the ledger row and cost of each as
// /admin/logs shows it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toFile } from 'openai';
import { gatewayUrl, masterKey, mockUrl, upstreamRequests } from './env.mjs';
import { client, thrown } from './openai-shared.mjs';

const PNG = [0x89, 0x50, 0x4e, 0x47];

/** The gateway's ledger row of the newest request for `model` (recorded just after the answer: polled briefly). */
async function ledgerRow(model, since) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const page = await (await fetch(`${gatewayUrl}/admin/logs?limit=50`, { headers: { authorization: `Bearer ${masterKey}` } })).json();
    const row = page.data.find((r) => r.model === model && Date.parse(r.time) >= since - 1000);
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`no ledger row for ${model}`);
}

describe('openai-node images', () => {
  test('images.generate on dall-e-3: bytes back, priced per image by size and quality', async () => {
    const since = Date.now();
    const reply = await client().images.generate({
      model: 'img-dalle', prompt: 'a lighthouse', size: '1024x1024', quality: 'hd', response_format: 'b64_json',
    });
    assert.equal(reply.data.length, 1);
    assert.deepEqual([...Buffer.from(reply.data[0].b64_json, 'base64').subarray(0, 4)], PNG);
    const [sent] = await upstreamRequests(since, '/images/generations');
    assert.equal(sent.json.model, 'dall-e-3');
    const row = await ledgerRow('img-dalle', since);
    assert.equal(row.endpoint, 'images.generations');
    assert.equal(row.status, 200);
    assert.equal(row.cost_usd, 0.08);
  });

  test('images.generate on a Gemini image model: translated, with token usage and cost', async () => {
    const since = Date.now();
    const reply = await client().images.generate({ model: 'img-gemini', prompt: 'a banana in space', size: '1024x1536' });
    assert.deepEqual([...Buffer.from(reply.data[0].b64_json, 'base64').subarray(0, 4)], PNG);
    assert.equal(reply.output_format, 'png');
    assert.ok(reply.usage.input_tokens > 0);
    assert.equal(reply.usage.total_tokens, reply.usage.input_tokens + reply.usage.output_tokens);
    const [sent] = await upstreamRequests(since, ':generateContent');
    assert.equal(sent.json.generationConfig.imageConfig.aspectRatio, '2:3');
    const row = await ledgerRow('img-gemini', since);
    assert.equal(row.provider, 'gemini');
    assert.equal(row.prompt_tokens, reply.usage.input_tokens);
    assert.equal(row.completion_tokens, reply.usage.output_tokens);
    assert.ok(Math.abs(row.cost_usd - (reply.usage.input_tokens * 0.3 + reply.usage.output_tokens * 30) / 1e6) < 1e-9);
  });

  test('a Gemini image model refuses response_format url by name', async () => {
    const err = await thrown(() => client().images.generate({ model: 'img-gemini', prompt: 'x', response_format: 'url' }));
    assert.equal(err.status, 400);
    assert.equal(err.param, 'response_format');
  });

  test('images.edit uploads a file: relayed as multipart with the upstream model, priced per image by size and quality', async () => {
    const since = Date.now();
    const image = await toFile(Buffer.from([...PNG, ...Buffer.alloc(2000, 5)]), 'room.png', { type: 'image/png' });
    const reply = await client().images.edit({ model: 'img-edit', image, prompt: 'paint the walls blue', size: '1536x1024', quality: 'low' });
    assert.equal(reply.data.length, 1);
    assert.deepEqual([...Buffer.from(reply.data[0].b64_json, 'base64').subarray(0, 4)], PNG);
    assert.ok(reply.usage.input_tokens_details.image_tokens > 0);
    // The mock's log, read raw: a multipart body is no JSON (upstreamRequests parses bodies).
    const sent = (await (await fetch(`${mockUrl}/_mock/requests`)).json())
      .findLast((r) => Date.parse(r.received_at) >= since && r.path === '/v1/images/edits');
    assert.match(sent.body, /name="?model"?\r\n\r\ngpt-image-1\r\n/);
    assert.match(sent.body, /filename="?room.png"?/);
    const row = await ledgerRow('img-edit', since);
    assert.equal(row.endpoint, 'images.edits');
    assert.equal(row.status, 200);
    assert.equal(row.cost_usd, 0.016);
  });

  test('images.edit without a prompt is a 400 naming it', async () => {
    const image = await toFile(Buffer.from(PNG), 'a.png', { type: 'image/png' });
    const err = await thrown(() => client().images.edit({ model: 'img-edit', image }));
    assert.equal(err.status, 400);
    assert.equal(err.param, 'prompt');
  });
});
