-- Storage schema v6 (both backends): the request fields the gateway adapted or left out for the upstream that
-- answered (a thinking budget shrunk to fit max_tokens, a temperature dropped beside thinking ...), comma-separated,
-- as the x-switchboard-adjusted response header named them; NULL when the request went as sent.

ALTER TABLE usage_ledger ADD COLUMN adjusted TEXT;
