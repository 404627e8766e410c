// Gemini CLI, headless, on every upstream type: a read_file call, its result and the answer (see gemini-cli.mjs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { upstreamRequests } from './env.mjs';
import { gemini, runGemini, upstreams } from './gemini-cli.mjs';

describe('gemini-cli tools', { skip: gemini.reason ?? false }, () => {
  for (const upstream of upstreams) {
    test(`${upstream.model}: a read_file call, its result, and the answer`, { timeout: 150_000 }, async () => {
      const since = Date.now();
      const result = runGemini(upstream.model, 'Read the file', ['read_file']);
      assert.equal(result.stats.tools.totalCalls, 1, 'one tool call');
      assert.equal(result.stats.tools.totalSuccess, 1, 'the tool ran');
      assert.match(result.response, /^The tool returned: [\s\S]*hello from a file/);
      const requests = await upstreamRequests(since, upstream.path);
      assert.equal(requests.length, 2, 'one tool round trip');
      assert.ok(upstream.toolResult(requests.at(-1).json), 'the tool result went back upstream');
    });
  }
});
