//! The community's lifecycles as pure state machines, in the style of
//! [`crate::domain::dispute`]: each takes the current state, the event, who fires it and (where
//! time matters) `now`, and answers the next state or a [`Refusal`]. The server loads the row,
//! asks here, and persists the answer (with a conditional update where two requests may race).
//!
//! - [`event`]: a community event (scheduled → started → ended, or called off) and its sign-ups;
//! - [`redemption`]: a reward redemption (requested → fulfilled / cancelled);
//! - [`report`]: a report (open → actioned / dismissed, once);
//! - [`appeal`]: an appeal against a sanction (pending → upheld / overturned, once), and who may
//!   sanction whom;
//! - [`membership`]: joining a group (open / approval / invite-only) and deciding applications;
//! - [`post`]: held-for-review posts and replies, and the accepted answer.

pub mod appeal;
pub mod event;
pub mod membership;
pub mod post;
pub mod redemption;
pub mod refusal;
pub mod report;

pub use refusal::{Refusal, RefusalKind};
