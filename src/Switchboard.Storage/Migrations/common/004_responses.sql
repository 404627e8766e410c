-- Storage schema v4, both backends: stored Responses API answers (store, previous_response_id,
-- GET /v1/responses/{id}). A row belongs to the key that created it; past expires_at_ms it is invisible and the
-- background pruner deletes it. (PostgreSQL has no 003: its numbers skip the SQLite-only spend roll-up.)

CREATE TABLE responses (
    id                    TEXT PRIMARY KEY,      -- the response's own id (the upstream's when relayed, resp_... when translated)
    owner_key_id          TEXT NOT NULL,         -- the creating key's id (never its secret)
    created_at_ms         BIGINT NOT NULL,
    expires_at_ms         BIGINT NOT NULL,
    provider              TEXT NOT NULL,         -- the provider (config name) that answered
    upstream_model        TEXT NOT NULL,
    native                INTEGER NOT NULL,      -- 1: answered by the provider's own Responses API (it holds the conversation)
    previous_response_id  TEXT,
    input_items           TEXT NOT NULL,         -- this request's input items, a JSON array
    response              TEXT NOT NULL          -- the response object as the client received it (JSON)
);
CREATE INDEX ix_responses_expires ON responses (expires_at_ms);
