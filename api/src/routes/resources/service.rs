//! Listing rules at the API edge: storing the fields checked by `shared::validate::market`, and
//! the DTO.

use shared::dto::Resource;
use shared::error::ErrorCode;
use shared::validate::market::ResourceFields;

use crate::db::models::resources::ResourceRow;
use crate::error::ApiError;
use crate::market::{from_json, to_json};

/// 404 for a listing the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "listing not found")
}

/// The stored fields, which an update request is applied to and checked against.
pub fn fields(row: &ResourceRow) -> ResourceFields {
    ResourceFields {
        name: row.name.clone(),
        description: row.description.clone(),
        parameters: from_json(&row.parameters),
        unit_price_fen: row.unit_price_fen,
        unit: row.unit.clone(),
        stock: row.stock,
        availability: row.availability.clone(),
        regions_served: from_json(&row.regions_served),
        lead_time_days: row.lead_time_days,
        tags: from_json(&row.tags),
    }
}

/// Stores checked fields.
pub fn write(row: &mut ResourceRow, fields: ResourceFields) {
    row.name = fields.name;
    row.description = fields.description;
    row.parameters = to_json(&fields.parameters);
    row.unit_price_fen = fields.unit_price_fen;
    row.unit = fields.unit;
    row.stock = fields.stock;
    row.availability = fields.availability;
    row.regions_served = to_json(&fields.regions_served);
    row.lead_time_days = fields.lead_time_days;
    row.tags = to_json(&fields.tags);
}

/// The API view of a listing.
pub fn dto(row: ResourceRow, org_name: String) -> Resource {
    Resource {
        kind: row.kind,
        category_name: shared::taxonomy::category(&row.category).map(|c| c.zh.clone()).unwrap_or_default(),
        parameters: from_json(&row.parameters),
        regions_served: from_json(&row.regions_served),
        tags: from_json(&row.tags),
        id: row.id,
        org_id: row.org_id,
        org_name,
        category: row.category,
        name: row.name,
        description: row.description,
        unit_price_fen: row.unit_price_fen,
        unit: row.unit,
        stock: row.stock,
        availability: row.availability,
        lead_time_days: row.lead_time_days,
        listed: row.listed,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}
