// What run.sh hands the tests: where the gateway and the mock upstream listen, and the keys its generated config
// defines (the models are listed in run.sh).
//   chat     a normal model              other    a model bob's key may not use
//   cut      a stream the upstream ends (no finish, no [DONE]) after 3 events
//   broken   a stream whose upstream connection is aborted after 3 events
//   limited  always 429 with Retry-After: 3     embed    an embeddings model
function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the client tests through tests/Clients/run.sh`);
  return value;
}

export const gatewayUrl = required('GATEWAY_URL');
export const baseURL = `${gatewayUrl}/v1`;
export const aliceKey = required('SB_ALICE_KEY');
export const bobKey = required('SB_BOB_KEY');
export const masterKey = required('SB_MASTER_KEY');
export const mockUrl = required('MOCK_URL');

/** The requests the mock upstream received since `since` (ms) whose path contains `pathPart`, bodies parsed. */
export async function upstreamRequests(since, pathPart) {
  const log = await (await fetch(`${mockUrl}/_mock/requests`)).json();
  return log
    .filter((r) => Date.parse(r.received_at) >= since && r.path.includes(pathPart))
    .map((r) => ({ ...r, json: r.body ? JSON.parse(r.body) : null }));
}
