//! The pages of the app, one file (or folder) per subject.

pub mod account;
pub mod auth;
pub mod directory;
pub mod invitations;
pub mod landing;
pub mod orgs;
pub mod password_reset;
pub mod staff;
pub mod verification;
