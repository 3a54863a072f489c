//! Shared resources on the server side: what the database says about a new resource (its file,
//! the group's banned words), who may see an attached file, and the API views of the rows. The
//! request's own check is in `shared::validate::community::resources`; the rating order and the
//! monthly log's text in `shared::domain::community::resources`.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use shared::domain::calendar::shanghai;
use shared::domain::community::resources::mean_rating;
use shared::dto::*;
use shared::validate::Check;
use shared::validate::community::resources::SharedResourceFields;

use crate::db::DbConn;
use crate::db::models::community::GroupMemberRow;
use crate::db::models::files::FileRow;
use crate::db::models::shared_resources::*;
use crate::error::ApiError;
use crate::market::Checks;
use crate::routes::community::InGroup;

/// Checks a new resource: its fields (the shared check), then what needs the database — a file
/// the caller uploaded (`file_id` `unknown_file`) and the group's banned words in the name and
/// scenario (`banned_words`), both named at once.
pub fn check_share(
    conn: &mut DbConn,
    body: &ShareResourceRequest,
    user: &str,
    view: &InGroup,
) -> Result<SharedResourceFields, ApiError> {
    let fields = body.check()?;
    let mut checks = Checks::default();
    if let Some(file) = &fields.file_id
        && !FileRow::uploaded_by(conn, file, user)?
    {
        checks.issue("file_id", "unknown_file");
    }
    for (field, text) in [("name", &fields.name), ("scenario", &fields.scenario)] {
        if !view.banned_words(text).is_empty() {
            checks.issue(field, "banned_words");
        }
    }
    Ok(checks.done(fields)?)
}

/// Whether a file attached to a shared resource is visible to `user`: they may read one of the
/// groups it is shared in.
pub fn file_visible(conn: &mut DbConn, sha256: &str, user: &str) -> Result<bool, ApiError> {
    for group in SharedResourceRow::groups_with_file(conn, sha256)? {
        if InGroup::load(conn, &group, Some(user))?.may_read() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The API views of resources for `viewer`.
pub fn resource_dtos(
    conn: &mut DbConn,
    rows: Vec<SharedResourceRow>,
    viewer: Option<&str>,
) -> Result<Vec<SharedResource>, ApiError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let group_id = first.group_id.clone();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let comments = CommentRow::counts(conn, &ids)?;
    let sharers: Vec<String> = rows.iter().map(|r| r.sharer_id.clone()).collect();
    let names = GroupMemberRow::nicknames(conn, &group_id, &sharers)?;
    let mine = match viewer {
        Some(user) => RatingRow::of_user(conn, &ids, user)?,
        None => Vec::new(),
    };
    Ok(rows
        .into_iter()
        .map(|r| SharedResource {
            sharer_nickname: names.get(&r.sharer_id).map(|(n, _)| n.clone()).unwrap_or_default(),
            category: r.category,
            rating: mean_rating(r.rating_sum, r.rating_count).map(|m| (m * 100.0).round() / 100.0),
            comment_count: comments.get(&r.id).copied().unwrap_or(0),
            my_rating: mine.iter().find(|(id, _)| *id == r.id).map(|(_, s)| *s),
            created_at: r.created_at.and_utc(),
            rating_count: r.rating_count,
            id: r.id,
            group_id: r.group_id,
            name: r.name,
            source: r.source,
            scenario: r.scenario,
            link: r.link,
            file_id: r.file_sha256,
            sharer_id: r.sharer_id,
        })
        .collect())
}

/// The API view of one resource.
pub fn resource_dto(
    conn: &mut DbConn,
    row: SharedResourceRow,
    viewer: Option<&str>,
) -> Result<SharedResource, ApiError> {
    resource_dtos(conn, vec![row], viewer)?.pop().ok_or_else(crate::routes::community::not_found)
}

/// The API views of comments.
pub fn comment_dtos(
    conn: &mut DbConn,
    group_id: &str,
    rows: Vec<CommentRow>,
) -> Result<Vec<ResourceComment>, ApiError> {
    let people: Vec<String> = rows.iter().map(|r| r.author_id.clone()).collect();
    let names = GroupMemberRow::nicknames(conn, group_id, &people)?;
    Ok(rows
        .into_iter()
        .map(|r| ResourceComment {
            author_nickname: names.get(&r.author_id).map(|(n, _)| n.clone()).unwrap_or_default(),
            created_at: r.created_at.and_utc(),
            id: r.id,
            resource_id: r.resource_id,
            author_id: r.author_id,
            body: r.body,
        })
        .collect())
}

/// The instants a `YYYY-MM` month (Asia/Shanghai) begins and ends; 422 when malformed.
pub fn month_range(month: &str) -> Result<(NaiveDateTime, NaiveDateTime), ApiError> {
    let bad = || ApiError::field("month", "invalid", "a month is written YYYY-MM");
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    Ok((shanghai::start_of_day(first).naive_utc(), shanghai::start_of_day(next).naive_utc()))
}

/// The current Asia/Shanghai month as `YYYY-MM`.
pub fn this_month(now: chrono::DateTime<chrono::Utc>) -> String {
    shanghai::business_date(now).format("%Y-%m").to_string()
}
