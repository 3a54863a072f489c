-- WeChat Pay (API v3) as the second funding channel: a request paid through WeChat keeps the
-- Native order's payment link and the provider's last known order state.
ALTER TABLE funding_requests ADD COLUMN code_url TEXT;
ALTER TABLE funding_requests ADD COLUMN provider_state TEXT;

-- Every WeChat Pay notification that passed the signature check, once (by the notification id);
-- a retry or duplicate finds its row and changes nothing. `outcome`: `credited`, `already_paid`,
-- `not_paid` (a non-SUCCESS state), `request_not_pending`, `unknown_order`, `mismatch` (mchid,
-- appid or amount differ: left for finance, the request stays pending).
CREATE TABLE wechat_pay_notifications (
    id TEXT PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    transaction_id TEXT NOT NULL,
    out_trade_no TEXT NOT NULL,
    trade_state TEXT NOT NULL,
    amount_total BIGINT NOT NULL,
    funding_request_id TEXT REFERENCES funding_requests(id),
    ledger_transaction_id TEXT REFERENCES ledger_transactions(id),
    outcome TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX wechat_pay_notifications_transaction ON wechat_pay_notifications(transaction_id);
