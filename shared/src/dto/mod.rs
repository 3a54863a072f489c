//! Request and response bodies of the JSON API (`/api/v1`), shared by the server and the SPA.
//! With the `openapi` feature they also derive poem-openapi schemas; every `///` doc becomes the
//! field's description in openapi/openapi.json.

pub mod auth;
pub mod calendar;
pub mod closing;
pub mod community;
pub mod community_events;
pub mod community_insights;
pub mod community_resources;
pub mod contracts;
pub mod credit;
pub mod demands;
pub mod disputes;
pub mod error;
pub mod escrow;
pub mod membership;
pub mod notifications;
pub mod orgs;
pub mod payouts;
pub mod progress;
pub mod projects;
pub mod resources;
pub mod search;
pub mod staff;
pub mod tenders;
pub mod verification;

pub use auth::*;
pub use calendar::*;
pub use closing::*;
pub use community::*;
pub use community_events::*;
pub use community_insights::*;
pub use community_resources::*;
pub use contracts::*;
pub use credit::*;
pub use demands::*;
pub use disputes::*;
pub use error::*;
pub use escrow::*;
pub use membership::*;
pub use notifications::*;
pub use orgs::*;
pub use payouts::*;
pub use progress::*;
pub use projects::*;
pub use resources::*;
pub use search::*;
pub use staff::*;
pub use tenders::*;
pub use verification::*;
