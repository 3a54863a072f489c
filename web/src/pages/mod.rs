//! The pages of the app, one file per subject.

pub mod account;
pub mod auth;
pub mod landing;
