// What the openai-node tests share: the OpenAI client on the gateway, a weather function, and a catcher.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { aliceKey, baseURL } from './env.mjs';

export const client = (apiKey = aliceKey) => new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });

/** A weather function's name, description and JSON schema (the mock samples {city: 'sample', unit: 'celsius', days: 1}). */
export const weatherFunction = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      days: { type: 'integer' },
    },
    required: ['city', 'unit', 'days'],
    additionalProperties: false,
  },
};

/** Runs fn, expecting it to throw; returns what it threw. */
export async function thrown(fn) {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('expected an error, but the call succeeded');
}
