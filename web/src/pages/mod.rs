//! The pages of the app, one file (or folder) per subject.

pub mod account;
pub mod auth;
pub mod community;
pub mod contracts;
pub mod demands;
pub mod directory;
pub mod disputes;
pub mod home;
pub mod invitations;
pub mod landing;
pub mod library;
pub mod notifications;
pub mod orgs;
pub mod password_reset;
pub mod projects;
pub mod resources;
pub mod search;
pub mod staff;
pub mod tenders;
pub mod verification;
pub mod wallet;
