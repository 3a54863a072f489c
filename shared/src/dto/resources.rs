//! The resource library (资源库): listings of materials, equipment, labour teams and machinery
//! rental, and the side-by-side comparison of 2–5 of them (资源对比表).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::stored_enum! {
    /// What a listing offers.
    pub enum ResourceKind in "resources.kind" {
        /// 材料 building materials.
        Material = "material",
        /// 设备 equipment for sale.
        Equipment = "equipment",
        /// 劳务 a labour team.
        Labour = "labour",
        /// 机械租赁 machinery rental.
        MachineryRental = "machinery_rental",
    }
}

impl ResourceKind {
    /// The Chinese name, which search also indexes.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Material => "材料",
            Self::Equipment => "设备",
            Self::Labour => "劳务",
            Self::MachineryRental => "机械租赁",
        }
    }
}

/// Which way a numeric parameter is better, so a comparison can mark the best listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Enum))]
#[cfg_attr(feature = "openapi", oai(rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// A larger number is better (strength, capacity).
    Higher,
    /// A smaller number is better (weight, consumption).
    Lower,
}

/// One technical parameter of a listing, e.g. 抗压强度 = 42.5 MPa.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields, skip_serializing_if_is_none))]
pub struct ResourceParameter {
    /// Parameter name, 1–30 characters; comparisons align rows by it.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 120)))]
    pub name: String,
    /// Value, 1–100 characters; a number when it should be compared numerically.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    pub value: String,
    /// Unit of the value.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 40)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which way is better, when the value is numeric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub better: Option<Better>,
}

/// Create a listing; it is live at once. Verified organisations only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct CreateResourceRequest {
    /// What is offered.
    pub kind: ResourceKind,
    /// Taxonomy category code (`GET /taxonomy/categories`).
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 64)))]
    pub category: String,
    /// Listing name, 2–100 characters, e.g. P.O 42.5 普通硅酸盐水泥.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    pub name: String,
    /// Description, up to 5000 characters.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub description: String,
    /// Technical parameters, up to 30, names unique.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 30)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub parameters: Vec<ResourceParameter>,
    /// Unit price in fen (per `unit`).
    pub unit_price_fen: i64,
    /// Price unit, e.g. 吨, 台班, 人·天.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 40)))]
    pub unit: String,
    /// Quantity in stock, in `unit` (materials, equipment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<i64>,
    /// Availability in words (labour, machinery), e.g. 3日内可进场.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// Regions served (GB/T 2260 codes), 1–50; a province serves all its cities.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 50)))]
    pub regions_served: Vec<String>,
    /// Lead time in days (0–365).
    pub lead_time_days: i32,
    /// Free tags, up to 10.
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[cfg_attr(feature = "openapi", oai(default))]
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Change a listing. Absent fields stay.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(deny_unknown_fields))]
pub struct UpdateResourceRequest {
    /// Listing name.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 300)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 20000)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Parameters (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 30)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<ResourceParameter>>,
    /// Unit price in fen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price_fen: Option<i64>,
    /// Price unit.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 40)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<i64>,
    /// Availability in words.
    #[cfg_attr(feature = "openapi", oai(validator(max_length = 400)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// Regions served (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 50)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions_served: Option<Vec<String>>,
    /// Lead time in days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_days: Option<i32>,
    /// Tags (replaces the list).
    #[cfg_attr(feature = "openapi", oai(validator(max_items = 20)))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
}

/// A listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct Resource {
    /// Listing id.
    pub id: String,
    /// The organisation offering it.
    pub org_id: String,
    /// That organisation's name.
    pub org_name: String,
    /// What is offered.
    pub kind: ResourceKind,
    /// Category code.
    pub category: String,
    /// Category name in Chinese.
    pub category_name: String,
    /// Listing name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Technical parameters.
    pub parameters: Vec<ResourceParameter>,
    /// Unit price in fen.
    pub unit_price_fen: i64,
    /// Price unit.
    pub unit: String,
    /// Stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<i64>,
    /// Availability in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    /// Regions served.
    pub regions_served: Vec<String>,
    /// Lead time in days.
    pub lead_time_days: i32,
    /// Tags.
    pub tags: Vec<String>,
    /// Whether it is still offered (`false` once withdrawn).
    pub listed: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A page of listings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ResourcePage {
    /// Listings, newest first.
    pub items: Vec<Resource>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One row of a comparison table: one parameter across the chosen listings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
#[cfg_attr(feature = "openapi", oai(skip_serializing_if_is_none))]
pub struct ComparisonRow {
    /// Row label: a parameter name, or 单价 / 交货期 / 库存 / 供货区域 / 供应商.
    pub label: String,
    /// Unit shown with the values, when all listings agree on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// One cell per listing, in the order asked; `null` when the listing lacks the parameter.
    pub values: Vec<Option<String>>,
    /// Indexes of the cells holding the best value (ties all marked); empty when the row has
    /// no order (text, or fewer than two numeric values).
    pub best: Vec<i32>,
}

/// Listings side by side with aligned parameters and the best value per row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(poem_openapi::Object))]
pub struct ResourceComparison {
    /// The listings, in the order asked.
    pub listings: Vec<Resource>,
    /// The rows: price, lead time, stock first, then parameters in first-seen order.
    pub rows: Vec<ComparisonRow>,
}
