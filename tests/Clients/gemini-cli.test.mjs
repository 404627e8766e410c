// Gemini CLI, headless, on every upstream type: a plain answer (see gemini-cli.mjs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { aliceKey, upstreamRequests } from './env.mjs';
import { gemini, runGemini, tokens, upstreams } from './gemini-cli.mjs';

describe('gemini-cli', { skip: gemini.reason ?? false }, () => {
  for (const upstream of upstreams) {
    test(`${upstream.model}: plain answer`, { timeout: 150_000 }, async () => {
      const since = Date.now();
      const result = runGemini(upstream.model, 'Say hello', []);
      // The mock echoes the last user turn: Gemini CLI's session context, then the prompt.
      assert.match(result.response, /^Echo: [\s\S]*Say hello$/);
      assert.ok(tokens(result) > 0, 'usage reached Gemini CLI');
      const requests = await upstreamRequests(since, upstream.path);
      assert.equal(requests.length, 1, `the ${upstream.model} upstream was called once`);
      if (upstream.model === 'cc-gemini') {
        // Passed through: the key is the provider's, never the client's, and the body is Gemini CLI's own.
        assert.equal(requests[0].headers['x-goog-api-key'] === aliceKey, false);
        assert.ok(requests[0].json.systemInstruction.parts[0].text.startsWith('You are Gemini CLI'));
      }
    });

  }
});
