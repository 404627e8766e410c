// Claude Code (npm "@anthropic-ai/claude-code", pinned in package.json) pointed at the gateway with ANTHROPIC_BASE_URL,
// run non-interactively (`claude -p ... --output-format json`) against one gateway model per upstream type:
//   cc-anthropic  Anthropic upstream (the /v1/messages body passes through; the mid-conversation system messages
//                 Claude Code sends for this alias are folded, since claude-sonnet-4-5 refuses them)
//   cc-openai     OpenAI upstream (translated to Chat Completions)
//   cc-gemini     Gemini upstream (translated to streamGenerateContent)
// Each gets a plain answer and a turn with a tool call (Read) whose result goes back for the final answer. Claude Code
// sends what it sends to the real API: ?beta=true, anthropic-beta, cache_control, adaptive thinking, metadata,
// context_management, output_config, deferred tools and (for models it does not know) mid-conversation system messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aliceKey, gatewayUrl } from './env.mjs';

const mockUrl = process.env.MOCK_URL;

/** The native claude binary the package installs, or why it cannot run here. */
function findClaude() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('@anthropic-ai/claude-code/package.json'));
  } catch {
    return { reason: '@anthropic-ai/claude-code is not installed (npm ci could not fetch it)' };
  }
  const binary = join(dir, 'bin', 'claude.exe');
  if (!existsSync(binary)) return { reason: `${binary} is missing (the package's postinstall did not run)` };
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) return { reason: `claude --version failed: ${version.stderr || version.error}` };
  return { binary };
}

const claude = findClaude();

/** Runs claude -p in a fresh HOME and project directory; returns its parsed JSON result. */
function runClaude(model, prompt, toolArgs) {
  const home = mkdtempSync(join(tmpdir(), 'sb-claude-home-'));
  const project = mkdtempSync(join(tmpdir(), 'sb-claude-project-'));
  writeFileSync(join(project, 'notes.txt'), 'hello from a file\n');
  try {
    const run = spawnSync(claude.binary, ['-p', prompt, '--output-format', 'json', ...toolArgs], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ANTHROPIC_BASE_URL: gatewayUrl,
        ANTHROPIC_API_KEY: aliceKey,
        ANTHROPIC_MODEL: model,
        ANTHROPIC_SMALL_FAST_MODEL: model,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
      },
    });
    assert.equal(run.error, undefined, `claude did not run: ${run.error}`);
    let result;
    try {
      result = JSON.parse(run.stdout);
    } catch {
      assert.fail(`claude printed no JSON result (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
    }
    assert.equal(result.is_error, false, `claude reported an error: ${result.result} (status ${result.api_error_status})`);
    assert.equal(run.status, 0, run.stderr);
    return result;
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  }
}

/** The upstream requests the mock received since `since` on the given path fragment. */
async function upstreamRequests(since, pathPart) {
  const log = await (await fetch(`${mockUrl}/_mock/requests`)).json();
  return log.filter((r) => Date.parse(r.received_at) >= since && r.path.includes(pathPart));
}

const upstreams = [
  { model: 'cc-anthropic', path: '/v1/messages', toolResult: (body) => body.messages.some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result')) },
  { model: 'cc-openai', path: '/v1/chat/completions', toolResult: (body) => body.messages.some((m) => m.role === 'tool') },
  { model: 'cc-gemini', path: ':streamGenerateContent', toolResult: (body) => body.contents.some((c) => c.parts.some((p) => p.functionResponse?.name === 'Read')) },
];

describe('claude-code', { skip: claude.reason ?? false }, () => {
  for (const upstream of upstreams) {
    test(`${upstream.model}: plain answer`, { timeout: 150_000 }, async () => {
      const since = Date.now();
      const result = runClaude(upstream.model, 'Say hello', ['--tools', '']);
      assert.equal(result.num_turns, 1);
      // The mock echoes the last user turn, which on the Anthropic upstream ends with the folded system message.
      assert.match(result.result, /^Echo: [\s\S]*Say hello(\n<system-reminder>\n[\s\S]*<\/system-reminder>)?$/);
      assert.ok(result.usage.input_tokens > 0, 'usage reached Claude Code');
      const requests = await upstreamRequests(since, upstream.path);
      assert.ok(requests.length >= 1, `the ${upstream.model} upstream was called`);
      if (upstream.model === 'cc-anthropic') {
        // Claude Code sent a mid-conversation system message (it does not know the alias); claude-sonnet-4-5 refuses
        // those, so the gateway folded it into the user turn.
        const body = JSON.parse(requests.at(-1).body);
        assert.ok(!body.messages.some((m) => m.role === 'system'), 'no system message reached the upstream');
        assert.ok(JSON.stringify(body.messages).includes('<system-reminder>'), 'the system message was folded in');
      }
    });

    test(`${upstream.model}: a Read tool call, its result, and the answer`, { timeout: 150_000 }, async () => {
      const since = Date.now();
      const result = runClaude(upstream.model, 'Read notes.txt', ['--tools', 'Read', '--allowedTools', 'Read']);
      assert.equal(result.num_turns, 2, 'one tool round trip');
      assert.match(result.result, /^The tool returned: /);
      const requests = await upstreamRequests(since, upstream.path);
      const last = JSON.parse(requests.at(-1).body);
      assert.ok(upstream.toolResult(last), 'the tool result went back upstream');
    });
  }
});
