//! Organisation pages: the create wizard, an organisation's own page (profile, members,
//! invitations), and the form fields they share.

mod fields;
mod invite;
mod members;
pub mod new;
pub mod page;
mod profile;
mod region;
