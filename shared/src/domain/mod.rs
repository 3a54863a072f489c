//! Pure domain rules of Gongzhu: business calendar, matching engine, credit model,
//! membership tiers and the dispute workflow. No I/O, no clock reads: `now` is passed in.
//!
//! Every rule here is documented in `docs/DOMAIN.md` with its default numbers; the modules are:
//! - [`calendar`]: Asia/Shanghai business days (official holidays and make-up workdays) and SLAs;
//! - [`region`]: GB/T 2260 administrative region codes and which region covers which;
//! - [`identity`]: checksum validators for the USCC (GB 32100) and the resident ID (GB 11643);
//! - [`qualification`]: qualification certificates and "at or above the required grade";
//! - [`credit`]: the five-dimension credit model, grades, privileges and reviewer overrides;
//! - [`membership`]: the New → Regular → Certified → VIP tiers, promotion and quarterly review;
//! - [`matching`]: the demand–supplier matching engine with explainable scores;
//! - [`dispute`]: the dispute state machine with its deadlines;
//! - [`search`]: the search index with BM25 ranking, filters and stable keyset pages;
//! - [`comparison`]: the side-by-side comparison of resource listings;
//! - [`ledger`]: the double-entry escrow ledger, funding references, bank statement reconciliation;
//! - [`community`]: groups, the moderation ladder, points, event waitlists, polls, text rules.

pub mod calendar;
pub mod community;
pub mod comparison;
pub mod contract;
pub mod credit;
pub mod dispute;
pub mod exif;
pub mod identity;
pub mod ledger;
pub mod market;
pub mod matching;
pub mod membership;
pub mod messaging;
pub mod notices;
pub mod qualification;
pub mod region;
pub mod search;
pub mod standing;
pub mod tender;
