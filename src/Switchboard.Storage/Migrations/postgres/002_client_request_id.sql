-- Storage schema v2 (PostgreSQL): the ledger is keyed by the gateway's own request id; the id a client sent in
-- x-request-id is kept beside it. Before, the client's id was the key, so repeated client ids left one row for
-- several requests. The index is partial: only rows that carry a client id pay for it (most requests send none).
-- (SQLite's copy is 003: its 002 is the spend roll-up.)

ALTER TABLE usage_ledger ADD COLUMN client_request_id TEXT;
CREATE INDEX ix_usage_ledger_client_request_id ON usage_ledger (client_request_id) WHERE client_request_id IS NOT NULL;
