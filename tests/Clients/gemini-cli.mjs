// Runs Gemini CLI (npm "@google/gemini-cli", pinned in package.json) pointed at the gateway with GOOGLE_GEMINI_BASE_URL and
// GEMINI_API_KEY, run headless (`gemini -p ... --output-format json`) against one gateway model per upstream type:
//   cc-gemini     Gemini upstream (the generateContent body passes through; only the model in the URL changes)
//   cc-openai     OpenAI upstream (translated to Chat Completions)
//   cc-anthropic  Anthropic upstream (translated to Messages)
// Each gets a plain answer (no tools) and a turn with a tool call (read_file) whose result goes back for the final
// answer (gemini-cli.test.mjs, gemini-cli-tools.test.mjs: two files, since node's test timeout covers a whole file
// and each headless run starts the CLI anew). Gemini CLI sends what it sends to Google: systemInstruction, its session context, parametersJsonSchema
// tools, thinkingConfig, function calls with ids and thought signatures. Telemetry, usage statistics and update checks
// are off in its settings, so it talks only to the gateway on loopback.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aliceKey, gatewayUrl } from './env.mjs';

/** The CLI's entry point, or why it cannot run here. */
function findGemini() {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('@google/gemini-cli/package.json'));
    return { entry: join(dir, 'bundle', 'gemini.js') };
  } catch {
    return { reason: '@google/gemini-cli is not installed (npm ci could not fetch it)' };
  }
}

export const gemini = findGemini();

/** Runs gemini -p in a fresh HOME and project directory with the given core tools; returns its parsed JSON result. */
export function runGemini(model, prompt, coreTools) {
  const home = mkdtempSync(join(tmpdir(), 'sb-gemini-home-'));
  const project = mkdtempSync(join(tmpdir(), 'sb-gemini-project-'));
  mkdirSync(join(home, '.gemini'));
  writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({
    security: { auth: { selectedType: 'gemini-api-key' } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true },
    tools: { core: coreTools },
  }));
  // The mock upstreams fill a tool's arguments with "sample": that is the file read_file is asked for.
  writeFileSync(join(project, 'sample'), 'hello from a file\n');
  try {
    // Only loopback: the gateway's address and key, a trusted workspace (headless runs refuse an untrusted one).
    const env = { PATH: process.env.PATH, HOME: home, GOOGLE_GEMINI_BASE_URL: gatewayUrl, GEMINI_API_KEY: aliceKey, GEMINI_CLI_TRUST_WORKSPACE: 'true', NO_COLOR: '1' };
    const args = [gemini.entry, '-p', prompt, '-m', model, '--output-format', 'json'];
    const run = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8', timeout: 120_000, env });
    assert.equal(run.error, undefined, `gemini did not run: ${run.error}`);
    const start = run.stdout.indexOf('{');
    let result;
    try {
      result = JSON.parse(run.stdout.slice(start));
    } catch {
      assert.fail(`gemini printed no JSON result (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
    }
    assert.equal(result.error, undefined, `gemini reported an error: ${JSON.stringify(result.error)}`);
    assert.equal(run.status, 0, run.stderr);
    return result;
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  }
}

export const upstreams = [
  { model: 'cc-gemini', path: ':streamGenerateContent', toolResult: (body) => body.contents.some((c) => c.parts.some((p) => p.functionResponse?.name === 'read_file')) },
  { model: 'cc-openai', path: '/v1/chat/completions', toolResult: (body) => body.messages.some((m) => m.role === 'tool') },
  { model: 'cc-anthropic', path: '/v1/messages', toolResult: (body) => body.messages.some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result')) },
];

/** The token counts Gemini CLI took from the answers' usageMetadata, summed over its models. */
export function tokens(result) {
  return Object.values(result.stats.models).reduce((sum, m) => sum + m.tokens.input, 0);
}

