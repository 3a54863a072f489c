//! `api`: the Gongzhu server — poem + poem-openapi HTTP layer, diesel persistence over SQLite
//! and PostgreSQL, authentication, background jobs, and serving the built SPA.

pub mod accounts;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod community;
pub mod config;
pub mod db;
pub mod demands;
pub mod demo;
pub mod demo_community;
pub mod error;
pub mod events;
pub mod files;
pub mod idempotency;
pub mod jobs;
pub mod market;
pub mod matching;
pub mod metrics;
pub mod middleware;
pub mod notify;
pub mod orgs;
pub mod outbox;
pub mod projects;
pub mod referrals;
pub mod resources;
pub mod routes;
pub mod search;
pub mod seed;
pub mod server;
pub mod shared_resources;
pub mod staff;
pub mod staff_cli;
pub mod state;
pub mod strict;
pub mod verification;
