//! `api`: the Gongzhu server — poem + poem-openapi HTTP layer, diesel persistence over SQLite
//! and PostgreSQL, authentication, background jobs, and serving the built SPA.

pub mod auth;
pub mod calendar;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod jobs;
pub mod market;
pub mod metrics;
pub mod middleware;
pub mod ops;
pub mod outbox;
pub mod payments;
pub mod pdf;
pub mod routes;
pub mod server;
pub mod state;
pub mod strict;
