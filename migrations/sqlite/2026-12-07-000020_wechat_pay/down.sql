DROP TABLE wechat_pay_notifications;
ALTER TABLE funding_requests DROP COLUMN provider_state;
ALTER TABLE funding_requests DROP COLUMN code_url;
