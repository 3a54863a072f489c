//! Listing rules at the API edge: checking a listing's fields (every problem named) and the DTO.

use shared::dto::{CreateResourceRequest, Resource, ResourceParameter, UpdateResourceRequest};
use shared::error::ErrorCode;

use crate::db::models::resources::ResourceRow;
use crate::error::ApiError;
use crate::market::{Checks, MAX_AMOUNT_FEN, from_json, to_json};

/// Most parameters on one listing.
const MAX_PARAMETERS: usize = 30;

/// 404 for a listing the caller may not see.
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "listing not found")
}

/// The create request as a full update.
pub fn as_update(body: &CreateResourceRequest) -> UpdateResourceRequest {
    UpdateResourceRequest {
        name: Some(body.name.clone()),
        description: Some(body.description.clone()),
        parameters: Some(body.parameters.clone()),
        unit_price_fen: Some(body.unit_price_fen),
        unit: Some(body.unit.clone()),
        stock: body.stock,
        availability: body.availability.clone(),
        regions_served: Some(body.regions_served.clone()),
        lead_time_days: Some(body.lead_time_days),
        tags: Some(body.tags.clone()),
    }
}

fn parameters(checks: &mut Checks, list: &[ResourceParameter]) -> Vec<ResourceParameter> {
    if list.len() > MAX_PARAMETERS {
        checks.issue("parameters", "too_many");
    }
    let mut out: Vec<ResourceParameter> = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let name = checks.text(&format!("parameters[{i}].name"), &p.name, 1, 30);
        let value = checks.text(&format!("parameters[{i}].value"), &p.value, 1, 100);
        let unit = checks.optional_text(&format!("parameters[{i}].unit"), p.unit.as_deref(), 10);
        if out.iter().any(|q| q.name == name) {
            checks.issue(&format!("parameters[{i}].name"), "duplicate");
        }
        out.push(ResourceParameter { name, value, unit, better: p.better });
    }
    out
}

/// Applies a partial update, checking every given field.
pub fn update_row(row: &mut ResourceRow, body: &UpdateResourceRequest) -> Result<(), ApiError> {
    let mut checks = Checks::default();
    if let Some(name) = &body.name {
        row.name = checks.text("name", name, 2, 100);
    }
    if let Some(description) = &body.description {
        row.description = checks.text("description", description, 0, 5000);
    }
    if let Some(list) = &body.parameters {
        row.parameters = to_json(&parameters(&mut checks, list));
    }
    if let Some(price) = body.unit_price_fen {
        checks.amount("unit_price_fen", price);
        row.unit_price_fen = price;
    }
    if let Some(unit) = &body.unit {
        row.unit = checks.text("unit", unit, 1, 10);
    }
    if let Some(stock) = body.stock {
        if !(0..=MAX_AMOUNT_FEN).contains(&stock) {
            checks.issue("stock", "out_of_range");
        }
        row.stock = Some(stock);
    }
    if body.availability.is_some() {
        row.availability = checks.optional_text("availability", body.availability.as_deref(), 100);
    }
    if let Some(regions) = &body.regions_served {
        row.regions_served = to_json(&checks.regions("regions_served", regions, 1, 50));
    }
    if let Some(days) = body.lead_time_days {
        if !(0..=365).contains(&days) {
            checks.issue("lead_time_days", "out_of_range");
        }
        row.lead_time_days = days;
    }
    if let Some(tags) = &body.tags {
        row.tags = to_json(&checks.tags(tags));
    }
    Ok(checks.finish()?)
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
