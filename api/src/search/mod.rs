//! Search across projects, listings and organisations.

pub mod segment;
