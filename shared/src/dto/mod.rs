//! Request and response bodies of the JSON API (`/api/v1`), shared by the server and the SPA.
//! With the `openapi` feature they also derive poem-openapi schemas; every `///` doc becomes the
//! field's description in openapi/openapi.json.

pub mod auth;
pub mod error;
pub mod orgs;
pub mod staff;
pub mod verification;

pub use auth::*;
pub use error::*;
pub use orgs::*;
pub use staff::*;
pub use verification::*;
