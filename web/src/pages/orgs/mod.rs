//! Organisation pages: the create wizard, an organisation's own page (profile, members,
//! invitations), its API keys, the public profile with its credit report and the ratings it
//! received, and the form fields and page frame they share.

pub mod api_keys;
pub mod credit;
mod credit_chart;
pub mod fields;
mod invite;
mod members;
pub mod membership;
pub mod new;
pub mod page;
mod profile;
pub mod public;
mod ratings;
pub mod region;
pub mod scope;
