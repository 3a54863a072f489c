//! Row structs and their queries, one table per file (no repository layer).

pub mod acceptances;
pub mod api_keys;
pub mod audit;
pub mod codes;
pub mod community;
pub mod contracts;
pub mod demands;
pub mod events;
pub mod files;
pub mod funding;
pub mod insights;
pub mod jobs;
pub mod ledger;
pub mod notifications;
pub mod orgs;
pub mod outbox;
pub mod projects;
pub mod resources;
pub mod rewards;
pub mod sessions;
pub mod shared_resources;
pub mod staff;
pub mod statements;
pub mod tenders;
pub mod users;
pub mod verification;
