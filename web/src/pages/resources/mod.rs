//! The resource library (资源库): listings of materials, equipment, labour teams and machinery
//! rental — the list with filters and a pick of 2–5 to compare, the form to post or edit a
//! listing, a listing's page, and the comparison table (资源对比表).

mod compare;
mod detail;
mod form;
mod list;

pub use compare::ComparePage;
pub use detail::ResourcePage;
pub use form::NewResourcePage;
pub use list::ResourcesPage;

use shared::gb2260;

/// The regions a listing serves, by name.
fn regions_named(codes: &[String]) -> String {
    codes.iter().map(|c| gb2260::full_name(c).unwrap_or_else(|| c.clone())).collect::<Vec<_>>().join("、")
}
