//! `shared`: the domain types, DTOs, error codes and pure domain rules of Gongzhu, used by the
//! API server and compiled to WASM for the SPA. No I/O and no clock reads here: callers pass `now`.
//! Server-only derives sit behind features: poem-openapi behind `openapi`, diesel text columns
//! behind `diesel`.

pub mod account;
pub mod domain;
pub mod dto;
pub mod error;
pub mod gb2260;
pub mod stored;
pub mod taxonomy;
pub mod validate;
