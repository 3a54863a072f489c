//! Gongzhu integration tests: every test spawns the real server on 127.0.0.1:0 with a database
//! of its own — a SQLite file, or a fresh PostgreSQL database when `GONGZHU_TEST_DATABASE=postgres`
//! (then `GONGZHU_TEST_PG_URL` names the server's admin URL; each test creates and drops its own
//! database). The browser tests are `#[ignore]`d here and run by `scripts/test.sh`.

mod fixtures;
mod helpers;

mod api_keys;
mod audit;
mod auth_login;
mod auth_register;
mod auth_tokens;
mod browser;
mod browser_community;
mod browser_contracts;
mod browser_credit;
mod browser_disputes;
mod browser_escrow;
mod browser_information;
mod browser_membership;
mod browser_money;
mod browser_roles;
mod browser_tenders;
mod calendar;
mod closing;
mod community;
mod community_events;
mod community_insights;
mod community_resources;
mod contracts;
mod crash;
mod credit;
mod demands;
mod disputes;
mod escrow;
mod escrow_races;
mod jobs;
mod me;
mod membership;
mod notifications;
mod orgs;
mod password_reset;
mod payouts;
mod persistence;
mod progress;
mod projects;
mod resources;
mod search;
mod security_auth;
mod security_community;
mod security_orgs;
mod server_process;
mod staff;
mod stored_values;
mod surface;
mod tenders;
mod totp;
mod typed;
mod verification;
mod webdriver;
mod wechat_pay;
mod wechatpay_sim;
