//! Organisation pages: the create wizard, an organisation's own page (profile, members,
//! invitations), its API keys, and the form fields and page frame they share.

pub mod api_keys;
pub mod fields;
mod invite;
mod members;
pub mod new;
pub mod page;
mod profile;
pub mod region;
pub mod scope;
