// Codex CLI (npm "@openai/codex", pinned in package.json) pointed at the gateway through a custom model provider
// (`[model_providers.switchboard]`, wire_api = "responses"), run non-interactively (`codex exec --json`) in a fresh
// CODEX_HOME and project directory, against one gateway model per upstream type:
//   cx-native     an openai provider with `responses: true`: the Responses request passes through
//   cx-chat       an openai provider without it: translated to Chat Completions
//   cx-anthropic  translated to Anthropic Messages
//   cx-gemini     translated to Gemini streamGenerateContent
//   cx-azure      an azure-openai provider (Responses API by default): passed through to /openai/v1/responses (Azure's v1 API)
// Codex sends what it sends to the real API: developer messages with item ids, `reasoning`, `include`,
// `prompt_cache_key`, `client_metadata`, `store: false` (it resends the whole conversation every turn), function
// tools, a `namespace` tool and the hosted `web_search` tool.
//
// Codex always declares function tools, and the strict mock answers a first turn that declares function tools with a
// call of the first one (arguments sampled from its schema), so every run here is a tool round trip:
//   - shell on: the first tool is exec_command, sampled as {"cmd":"sample"}; Codex runs `sample` (a script this test
//     puts on PATH) and sends its output back as function_call_output;
//   - shell off: the first tool is request_user_input, which Codex refuses outside Plan mode; the refusal goes back.
// The mock answers the second turn with "The tool returned: <output>", which Codex prints as its final message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aliceKey, baseURL, upstreamRequests } from './env.mjs';

/** The codex launcher the package installs (it starts the platform binary), or why it cannot run here. */
function findCodex() {
  let dir;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('@openai/codex/package.json'));
  } catch {
    return { reason: '@openai/codex is not installed (npm ci could not fetch it)' };
  }
  const launcher = join(dir, 'bin', 'codex.js');
  if (!existsSync(launcher)) return { reason: `${launcher} is missing` };
  const version = spawnSync(process.execPath, [launcher, '--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) {
    return { reason: `codex --version failed (no platform package for ${process.platform}-${process.arch}?): ${version.stderr || version.error}` };
  }
  return { launcher };
}

const codex = findCodex();

/** config.toml: the gateway as the only provider, no approvals, no sandbox, nothing that calls home. */
function configToml(model) {
  return `model = "${model}"
model_provider = "switchboard"
approval_policy = "never"
sandbox_mode = "danger-full-access"
check_for_update_on_startup = false

[analytics]
enabled = false

[model_providers.switchboard]
name = "Switchboard"
base_url = "${baseURL}"
env_key = "SWITCHBOARD_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

/**
 * Runs `codex exec --json` in a fresh CODEX_HOME and project directory whose bin/ (first on PATH) holds the `sample`
 * script; returns the parsed JSONL events.
 */
function runCodex(model, prompt, extraArgs = []) {
  const home = mkdtempSync(join(tmpdir(), 'sb-codex-home-'));
  const project = mkdtempSync(join(tmpdir(), 'sb-codex-project-'));
  writeFileSync(join(home, 'config.toml'), configToml(model));
  mkdirSync(join(project, 'bin'));
  writeFileSync(join(project, 'bin', 'sample'), '#!/bin/sh\necho "sample ran in $(basename "$(pwd)")"\n');
  chmodSync(join(project, 'bin', 'sample'), 0o755);
  // Codex runs commands in a login shell, and Debian's /etc/profile resets PATH: the profile puts bin/ back first.
  writeFileSync(join(home, '.bash_profile'), `export PATH="${join(project, 'bin')}:$PATH"\n`);
  try {
    const run = spawnSync(
      process.execPath,
      [codex.launcher, 'exec', '--json', '--strict-config', '--skip-git-repo-check', '--ephemeral', '-C', project, ...extraArgs, prompt],
      {
        cwd: project,
        encoding: 'utf8',
        input: '',
        timeout: 120_000,
        env: {
          PATH: `${join(project, 'bin')}:${process.env.PATH}`,
          HOME: home,
          CODEX_HOME: home,
          SWITCHBOARD_API_KEY: aliceKey,
        },
      },
    );
    assert.equal(run.error, undefined, `codex did not run: ${run.error}\n${run.stdout}\n${run.stderr}`);
    const events = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    const failure = events.find((e) => e.type === 'turn.failed' || e.type === 'error');
    assert.equal(failure, undefined, `codex reported an error: ${JSON.stringify(failure)}\n${run.stderr}`);
    assert.equal(run.status, 0, `codex exited ${run.status}: ${run.stderr}`);
    return { events, project: project.split('/').at(-1) };
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  }
}

const completed = (events, type) => events.filter((e) => e.type === 'item.completed' && e.item.type === type).map((e) => e.item);

// Per upstream: the path its requests take, the names of the function tools the first request declared, and the tool
// output the last request carried back (in the upstream's own dialect).
const responsesTools = (body) => body.tools.filter((t) => t.type === 'function').map((t) => t.name);
const responsesOutput = (body) => body.input.filter((i) => i.type === 'function_call_output').map((i) => i.output).join('\n');
const upstreams = [
  { model: 'cx-native', path: '/v1/responses', tools: responsesTools, output: responsesOutput },
  {
    model: 'cx-chat',
    path: '/v1/chat/completions',
    tools: (body) => body.tools.map((t) => t.function.name),
    output: (body) => body.messages.filter((m) => m.role === 'tool').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n'),
  },
  {
    model: 'cx-anthropic',
    path: '/v1/messages',
    tools: (body) => body.tools.map((t) => t.name),
    output: (body) => JSON.stringify(body.messages.flatMap((m) => (Array.isArray(m.content) ? m.content.filter((b) => b.type === 'tool_result') : []))),
  },
  {
    model: 'cx-gemini',
    path: ':streamGenerateContent',
    tools: (body) => body.tools.flatMap((t) => t.functionDeclarations ?? []).map((f) => f.name),
    output: (body) => JSON.stringify(body.contents.flatMap((c) => c.parts.filter((p) => p.functionResponse).map((p) => p.functionResponse))),
  },
  { model: 'cx-azure', path: '/openai/v1/responses', tools: responsesTools, output: responsesOutput },
];

describe('codex', { skip: codex.reason ?? false }, () => {
  for (const upstream of upstreams) {
    test(`${upstream.model}: exec_command runs, its output goes back, Codex prints the answer`, { timeout: 150_000 }, async () => {
      const since = Date.now();
      const { events, project } = runCodex(upstream.model, 'Run the sample script');

      // What the user sees: the command Codex ran (the mock's sampled call), its output, then the final answer.
      const commands = completed(events, 'command_execution');
      assert.equal(commands.length, 1, `one command ran: ${JSON.stringify(events)}`);
      assert.match(commands[0].command, /\bsample\b/);
      assert.equal(commands[0].exit_code, 0, JSON.stringify(commands[0]));
      assert.equal(commands[0].aggregated_output.trim(), `sample ran in ${project}`);
      const messages = completed(events, 'agent_message');
      assert.equal(messages.length, 1, `one final message: ${JSON.stringify(messages)}`);
      assert.match(messages[0].text, /^The tool returned: /);
      assert.ok(messages[0].text.includes(`sample ran in ${project}`), `the command's output reached the answer: ${messages[0].text}`);
      const usage = events.find((e) => e.type === 'turn.completed')?.usage;
      assert.ok(usage?.input_tokens > 0 && usage.output_tokens > 0, `usage reached Codex: ${JSON.stringify(usage)}`);

      // What the upstream got: two turns, the first declaring Codex's tools, the second answering the call.
      const requests = await upstreamRequests(since, upstream.path);
      assert.equal(requests.length, 2, `two ${upstream.path} requests, got ${requests.map((r) => r.path).join(', ')}`);
      assert.equal(upstream.tools(requests[0].json)[0], 'exec_command', 'exec_command is the first declared tool');
      assert.ok(upstream.output(requests[1].json).includes(`sample ran in ${project}`), 'the command output went back upstream');
    });

    test(`${upstream.model}: a tool Codex refuses, the refusal goes back, Codex prints the answer`, { timeout: 150_000 }, async () => {
      const since = Date.now();
      // Without the shell and the other optional tools, request_user_input is the first function tool.
      const { events } = runCodex(upstream.model, 'Ask me something', [
        '--disable', 'shell_tool', '--disable', 'goals', '--disable', 'multi_agent', '-c', 'web_search="disabled"',
      ]);
      assert.equal(completed(events, 'command_execution').length, 0, 'no command ran');
      const messages = completed(events, 'agent_message');
      assert.equal(messages.length, 1, `one final message: ${JSON.stringify(events)}`);
      assert.match(messages[0].text, /^The tool returned: .*request_user_input is unavailable in Default mode/s);

      const requests = await upstreamRequests(since, upstream.path);
      assert.equal(requests.length, 2, `two ${upstream.path} requests, got ${requests.map((r) => r.path).join(', ')}`);
      const declared = upstream.tools(requests[0].json);
      assert.equal(declared[0], 'request_user_input');
      assert.ok(!declared.includes('exec_command'), 'the shell tool was not declared');
      assert.match(upstream.output(requests[1].json), /request_user_input is unavailable in Default mode/);
    });
  }
});
