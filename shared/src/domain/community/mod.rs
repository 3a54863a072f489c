//! The professional community's rules (PRODUCT.md §9), enforced by the software rather than by a
//! tired admin: group join policies, roles and the nickname format; topics and @mentions in
//! posts; the banned-word filter; the three-step moderation ladder; the points ledger with its
//! awards, daily caps and self-dealing rules; event sign-up with a waitlist; polls; the shared
//! resources' rating order and monthly update log; who reads a post's edit history; surveys;
//! the digest's weeks and the group analytics.
//!
//! Everything here is pure: the server reads what a rule needs (how many resources a person was
//! already awarded for today, the members' strikes, the sign-up list), asks these functions, and
//! persists the answer.

pub mod events;
pub mod groups;
pub mod insights;
pub mod lifecycle;
pub mod moderation;
pub mod points;
pub mod polls;
pub mod resources;
pub mod revisions;
pub mod surveys;
pub mod text;
