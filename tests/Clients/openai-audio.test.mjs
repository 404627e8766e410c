// The official OpenAI Node SDK's audio and moderation calls through the gateway: speech bytes, a transcription of an
// uploaded file (the SDK sends the file part before the model), a moderation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toFile } from 'openai';
import { mockUrl } from './env.mjs';
import { client } from './openai-shared.mjs';

/** What the mock upstream itself answers to a speech request: the bytes the gateway must relay unchanged. */
async function upstreamSpeech(body) {
  const stats = await (await fetch(`${mockUrl}/_mock/requests`)).json();
  const key = stats.findLast((r) => r.path === '/v1/audio/speech')?.headers?.authorization;
  const response = await fetch(`${mockUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: key },
    body: JSON.stringify(body),
  });
  return Buffer.from(await response.arrayBuffer());
}

describe('openai-node audio and moderations', () => {
  test('audio.speech.create returns the upstream audio', async () => {
    const response = await client().audio.speech.create({ model: 'tts', input: 'Hello from node', voice: 'alloy' });
    assert.equal(response.headers.get('content-type'), 'audio/mpeg');
    const audio = Buffer.from(await response.arrayBuffer());
    assert.equal(audio.subarray(0, 3).toString(), 'ID3');
    assert.deepEqual(audio, await upstreamSpeech({ model: 'tts-1', input: 'Hello from node', voice: 'alloy' }));
  });

  test('audio.transcriptions.create uploads a file and gets its transcript', async () => {
    const file = await toFile(Buffer.alloc(32_000, 7), 'meeting.mp3', { type: 'audio/mpeg' });
    const transcript = await client().audio.transcriptions.create({ model: 'whisper', file, response_format: 'verbose_json' });
    assert.equal(transcript.text, 'Transcribed meeting.mp3: 32000 bytes of audio.');
    assert.equal(transcript.duration, 2);
  });

  test('audio.transcriptions.create with response_format text returns the text', async () => {
    const file = await toFile(Buffer.alloc(16_000, 3), 'note.wav', { type: 'audio/wav' });
    const text = await client().audio.transcriptions.create({ model: 'whisper', file, response_format: 'text' });
    assert.equal(text, 'Transcribed note.wav: 16000 bytes of audio.\n');
  });

  test('moderations.create flags what the upstream flags', async () => {
    const result = await client().moderations.create({ model: 'moderation', input: ['kill the build', 'a calm sentence'] });
    assert.equal(result.results.length, 2);
    assert.equal(result.results[0].flagged, true);
    assert.equal(result.results[0].categories.violence, true);
    assert.equal(result.results[1].flagged, false);
  });

  test('a transcription without a file is refused in OpenAI shape', async () => {
    const err = await client().audio.transcriptions.create({ model: 'whisper' }).catch((e) => e);
    assert.equal(err.status, 400);
    assert.equal(err.error?.param ?? err.param, 'file');
  });
});
