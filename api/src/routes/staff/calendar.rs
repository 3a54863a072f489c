//! `/staff/calendar-years`: the business calendar's years in the staff console — the shipped
//! ones and those platform admins uploaded once the State Council published them. An upload
//! (admin only, audited) is used at once by every server process and moves the review
//! deadlines of demands waiting for review (see `crate::calendar`).

use poem::web::Data;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::dto::{CalendarYear, CalendarYearList, CalendarYearUpload};

use crate::auth::session::BearerAuth;
use crate::calendar::{self, CalendarYearRow};
use crate::db::{now, write_tx};
use crate::error::ApiError;
use crate::routes::ApiTags;
use crate::routes::staff::service::require_staff;
use crate::state::AppState;

/// The business calendar's years.
pub struct CalendarApi;

#[derive(ApiResponse)]
enum YearStored {
    /// The year was not covered before; it is now.
    #[oai(status = 201)]
    Created(Json<CalendarYear>, #[oai(header = "Location")] String),
    /// An earlier upload of the year was replaced.
    #[oai(status = 200)]
    Replaced(Json<CalendarYear>),
}

#[OpenApi(prefix_path = "/staff", tag = "ApiTags::Staff")]
impl CalendarApi {
    /// The years with an official holiday table (shipped and uploaded), ascending, and the
    /// range of years an admin may upload now. Platform staff only.
    #[oai(path = "/calendar-years", method = "get", operation_id = "list_calendar_years")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
    ) -> Result<Json<CalendarYearList>, ApiError> {
        let cache = state.calendar.clone();
        let list = state
            .db
            .run(move |c| {
                require_staff(c, &auth.0.user_id)?;
                let calendar = cache.current(c)?;
                let rows = CalendarYearRow::all(c)?;
                calendar::list(c, &calendar, &rows, now())
            })
            .await?;
        Ok(Json(list))
    }

    /// Upload a year's official schedule (holidays and make-up workdays), or replace an earlier
    /// upload of it. Platform admins only; the shipped years cannot be replaced. Review
    /// deadlines of demands waiting for review are recomputed with it; the upload is audited.
    #[oai(path = "/calendar-years/:year", method = "put", operation_id = "replace_calendar_year")]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        year: Path<i32>,
        body: Json<CalendarYearUpload>,
    ) -> Result<YearStored, ApiError> {
        let user_id = auth.0.user_id;
        let uploaded =
            state.db.run(move |c| write_tx(c, |c| calendar::upload(c, &user_id, year.0, &body))).await?;
        let (fingerprint, built) = uploaded.calendar;
        state.calendar.remember(fingerprint, built);
        if uploaded.created {
            let location = format!("/api/v1/staff/calendar-years/{}", uploaded.view.year);
            Ok(YearStored::Created(Json(uploaded.view), location))
        } else {
            Ok(YearStored::Replaced(Json(uploaded.view)))
        }
    }
}
