//! `/resources`, `/orgs/{id}/resources`: the resource library (listings) and the comparison of
//! 2–5 listings. Listing needs a verified, unsuspended organisation.

pub mod service;

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::comparison::{MAX_LISTINGS, MIN_LISTINGS, compare};
use shared::domain::market::listing::{self, ListingEvent, ListingState};
use shared::dto::*;
use shared::validate::Check;

use crate::auth::session::BearerAuth;
use crate::db::models::resources::{ResourceFilter, ResourceRow};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{self, acting_member, ensure_may_transact};
use crate::routes::ApiTags;
use crate::routes::resources::service::{self as resources, not_found};
use crate::state::AppState;

/// The resource library.
pub struct ResourcesApi;

#[derive(ApiResponse)]
enum ResourceCreated {
    /// Listed.
    #[oai(status = 201)]
    Created(Json<Resource>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Withdrawn {
    /// Withdrawn: no longer listed or searchable (the organisation still sees it).
    #[oai(status = 204)]
    NoContent,
}

fn owned(conn: &mut DbConn, id: &str, org: &str, user: &str) -> Result<(ResourceRow, String), ApiError> {
    acting_member(conn, org, user)?;
    let (row, name) = ResourceRow::find(conn, id)?.ok_or_else(not_found)?;
    if row.org_id != org {
        return Err(not_found());
    }
    Ok((row, name))
}

#[OpenApi(tag = "ApiTags::Resources")]
impl ResourcesApi {
    /// List a resource for the organisation in `X-Org-Id`; it is live at once. Verified,
    /// unsuspended organisations only.
    #[oai(path = "/resources", method = "post", operation_id = "create_resource")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<CreateResourceRequest>,
    ) -> Result<ResourceCreated, ApiError> {
        let user = auth.0.user_id;
        let listing = state
            .write(move |c, _| {
                acting_member(c, &org.0, &user)?;
                ensure_may_transact(c, &org.0)?;
                let fields = body.check()?;
                let at = now();
                let mut row = ResourceRow {
                    id: new_id(),
                    org_id: org.0.clone(),
                    kind: body.kind,
                    category: body.category.clone(),
                    name: String::new(),
                    description: String::new(),
                    parameters: "[]".into(),
                    unit_price_fen: 0,
                    unit: String::new(),
                    stock: None,
                    availability: None,
                    regions_served: "[]".into(),
                    lead_time_days: 0,
                    tags: "[]".into(),
                    listed: true,
                    created_by: user.clone(),
                    created_at: at,
                    updated_at: at,
                };
                resources::write(&mut row, fields);
                row.insert(c)?;
                let (row, name) = ResourceRow::find(c, &row.id)?.ok_or_else(not_found)?;
                Ok::<_, ApiError>(resources::dto(row, name))
            })
            .await?;
        self.reindex(&state, &listing.id).await;
        let location = format!("/api/v1/resources/{}", listing.id);
        Ok(ResourceCreated::Created(Json(listing), location))
    }

    /// Live listings, newest first; filter by organisation, kind or category. (Text, region
    /// and price filters are in `GET /search`.)
    #[oai(path = "/resources", method = "get", operation_id = "list_resources")]
    async fn list(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 64))] org_id: Query<Option<String>>,
        kind: Query<Option<ResourceKind>>,
        #[oai(validator(max_length = 64))] category: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ResourcePage>, ApiError> {
        let limit = market::limit(limit.0);
        let filter = ResourceFilter { org_id: org_id.0, kind: kind.0, category: category.0, own_org: None };
        self.page(&state, filter, cursor.0, limit).await
    }

    /// Every listing of an organisation, withdrawn ones included (its members).
    #[oai(path = "/orgs/:id/resources", method = "get", operation_id = "list_organisation_resources")]
    async fn list_own(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ResourcePage>, ApiError> {
        let (org_id, user) = (id.0.clone(), auth.0.user_id);
        state
            .db
            .run(move |c| crate::routes::orgs::service::acting_role(c, &org.0, &org_id, &user).map(drop))
            .await?;
        let filter = ResourceFilter { own_org: Some(id.0), ..ResourceFilter::default() };
        self.page(&state, filter, cursor.0, market::limit(limit.0)).await
    }

    /// Compare 2–5 listings (`ids` comma-separated): parameters aligned by name, the best
    /// value in each row marked.
    #[oai(path = "/resources/comparison", method = "get", operation_id = "get_resource_comparison")]
    async fn comparison(
        &self,
        state: Data<&AppState>,
        #[oai(validator(max_length = 400))] ids: Query<String>,
    ) -> Result<Json<ResourceComparison>, ApiError> {
        let mut wanted: Vec<String> = Vec::new();
        for id in ids.0.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !wanted.iter().any(|w| w == id) {
                wanted.push(id.to_owned());
            }
        }
        if !(MIN_LISTINGS..=MAX_LISTINGS).contains(&wanted.len()) {
            return Err(ApiError::field("ids", "out_of_range", "pick 2 to 5 different listings"));
        }
        let listings = state
            .db
            .run(move |c| {
                let found = ResourceRow::find_many(c, &wanted)?;
                let mut ordered = Vec::with_capacity(wanted.len());
                for (i, id) in wanted.iter().enumerate() {
                    let (row, name) = found
                        .iter()
                        .find(|(r, _)| &r.id == id && r.listed)
                        .cloned()
                        .ok_or_else(|| not_found().with_detail(&format!("ids[{i}]"), "not_found"))?;
                    ordered.push(resources::dto(row, name));
                }
                Ok::<_, ApiError>(ordered)
            })
            .await?;
        let rows = compare(&listings);
        Ok(Json(ResourceComparison { listings, rows }))
    }

    /// One listing (withdrawn ones only for their organisation's members).
    #[oai(path = "/resources/:id", method = "get", operation_id = "get_resource")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &poem::Request,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<Option<String>>,
    ) -> Result<Json<Resource>, ApiError> {
        let user = crate::auth::session::optional_user(req).await?;
        let listing = state
            .db
            .run(move |c| {
                let (row, name) = ResourceRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let member = match (user, org.0) {
                    (Some(user), Some(org)) if org == row.org_id => {
                        acting_member(c, &org, &user.user_id).is_ok()
                    }
                    _ => false,
                };
                if !row.listed && !member {
                    return Err(not_found());
                }
                Ok(resources::dto(row, name))
            })
            .await?;
        Ok(Json(listing))
    }

    /// Change a listing (its organisation's members).
    #[oai(path = "/resources/:id", method = "patch", operation_id = "update_resource")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<UpdateResourceRequest>,
    ) -> Result<Json<Resource>, ApiError> {
        let user = auth.0.user_id;
        let listing = state
            .write(move |c, _| {
                let (mut row, name) = owned(c, &id.0, &org.0, &user)?;
                listing::transition(ListingState::from_listed(row.listed), ListingEvent::Edit)?;
                ensure_may_transact(c, &org.0)?;
                let fields = body.apply(resources::fields(&row))?;
                resources::write(&mut row, fields);
                row.updated_at = now();
                row.save(c)?;
                Ok::<_, ApiError>(resources::dto(row, name))
            })
            .await?;
        self.reindex(&state, &listing.id).await;
        Ok(Json(listing))
    }

    /// Withdraw a listing (its organisation's members).
    #[oai(path = "/resources/:id", method = "delete", operation_id = "delete_resource")]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Withdrawn, ApiError> {
        let (user, listing) = (auth.0.user_id, id.0.clone());
        state
            .write(move |c, _| {
                let (mut row, _) = owned(c, &listing, &org.0, &user)?;
                let next =
                    listing::transition(ListingState::from_listed(row.listed), ListingEvent::Withdraw)?;
                row.listed = next.is_listed();
                row.updated_at = now();
                row.save(c).map_err(ApiError::from)
            })
            .await?;
        self.reindex(&state, &id.0).await;
        Ok(Withdrawn::NoContent)
    }
}

impl ResourcesApi {
    async fn page(
        &self,
        state: &AppState,
        filter: ResourceFilter,
        cursor: Option<String>,
        limit: i64,
    ) -> Result<Json<ResourcePage>, ApiError> {
        let page = state
            .db
            .run(move |c| {
                let rows = ResourceRow::page(c, &filter, cursor.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |(r, _)| r.id.clone());
                let items = rows.into_iter().map(|(r, n)| resources::dto(r, n)).collect();
                Ok::<_, ApiError>(ResourcePage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    async fn reindex(&self, state: &AppState, id: &str) {
        let (search, id) = (state.search.clone(), id.to_owned());
        if let Err(error) =
            state.db.run(move |c| search.refresh_resource(c, &id).map_err(ApiError::from)).await
        {
            tracing::error!(?error, "refreshing a listing in the search index failed");
        }
    }
}
