//! `/tenders/{id}/bids`, `/bids/…`, `/orgs/{id}/bids`: sealed bids and their files. A bidder
//! submits, revises (a new revision; earlier ones are kept) or withdraws its bid strictly
//! before the deadline and can always read it. Nobody else — the poster, its evaluators and
//! platform staff included — reads a bid's contents or files before the deadline job closed the
//! tender; after it, the posting organisation's owners and admins and the named evaluators do
//! (see [`service::bid_reader`]). Offers and files stay sealed with the data key for life.

use poem::web::Data;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::types::multipart::Upload;
use poem_openapi::{ApiResponse, Multipart, OpenApi};
use shared::domain::tender::lifecycle::{self as lifecycle, BidEffect, BidEvent, TenderActor};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::{Check, MAX_FILES};

use crate::auth::crypto::{seal, seal_bytes, unseal_bytes};
use crate::auth::session::BearerAuth;
use crate::db::models::demands::DemandRow;
use crate::db::models::tenders::{BidFileRow, BidRevisionRow, BidRow, TenderRow};
use crate::db::{DbConn, new_id, now};
use crate::error::ApiError;
use crate::market::{acting_member, ensure_may_transact};
use crate::routes::ApiTags;
use crate::routes::files::service::{content_disposition, sha256, sniff};
use crate::state::AppState;

use super::service::{
    self, BidReader, FileMeta, bid_not_found, bid_reader, bid_view, not_found, open_file_meta, seal_offer,
    tender_of, utc,
};

/// Sealed bids.
pub struct BidsApi;

#[derive(ApiResponse)]
enum BidCreated {
    /// Sealed and submitted.
    #[oai(status = 201)]
    Created(Json<BidView>, #[oai(header = "Location")] String),
}

/// A file for a bid.
#[derive(Multipart)]
struct BidFileForm {
    /// The file: PDF, DOCX or XLSX, at most the configured size (20 MB by default).
    file: Upload,
}

#[derive(ApiResponse)]
enum BidFileCreated {
    /// Sealed and attached.
    #[oai(status = 201)]
    Created(Json<BidFileView>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum BidFileDownload {
    /// The file.
    #[oai(status = 200)]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Type")] String,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

#[derive(ApiResponse)]
enum Removed {
    /// Removed.
    #[oai(status = 204)]
    NoContent,
}

/// A bid the caller may read, with its tender and the demand's title.
struct Readable {
    bid: (BidRow, String),
    tender: TenderRow,
    title: String,
    reader: BidReader,
}

fn readable(conn: &mut DbConn, bid_id: &str, org: &str, user: &str) -> Result<Readable, ApiError> {
    let role = acting_member(conn, org, user)?;
    let bid = BidRow::find(conn, bid_id)?.ok_or_else(bid_not_found)?;
    let (tender, title, _) = TenderRow::find(conn, &bid.0.tender_id)?.ok_or_else(not_found)?;
    let reader = bid_reader(&tender, &bid.0, org, role, user)?;
    Ok(Readable { bid, tender, title, reader })
}

/// A bid of the caller's organisation that it may still change (before the deadline).
fn own(conn: &mut DbConn, bid_id: &str, org: &str, user: &str) -> Result<Readable, ApiError> {
    let found = readable(conn, bid_id, org, user)?;
    if found.reader != BidReader::Bidder {
        return Err(ApiError::new(ErrorCode::Forbidden, "only the bidder can change its bid"));
    }
    Ok(found)
}

/// 409 unless files may still be changed on the bid: submitted and before the deadline.
fn changeable(found: &Readable) -> Result<(), ApiError> {
    let at = utc(now());
    if found.bid.0.status != BidState::Submitted || at >= utc(found.tender.bidding_closes_at) {
        return Err(shared::domain::tender::TenderRefusal::BiddingClosed.into());
    }
    Ok(())
}

#[OpenApi(tag = "ApiTags::Tenders")]
impl BidsApi {
    /// Submit a sealed bid for the organisation in `X-Org-Id`, strictly before the deadline:
    /// it must be eligible (invited, recommended, or an open tender), pass prequalification (the
    /// report is generated and stored now) and have no live bid already.
    #[oai(path = "/tenders/:id/bids", method = "post", operation_id = "create_bid")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<BidRequest>,
    ) -> Result<BidCreated, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        let view = state
            .write(move |c, _| {
                acting_member(c, &org.0, &user)?;
                let (tender, title, _) = TenderRow::find(c, &id.0)?.ok_or_else(not_found)?;
                let offer = body.check()?;
                let at = now();
                let own = tender.org_id == org.0;
                let demand = DemandRow::find(c, &tender.demand_id)?.ok_or_else(not_found)?.0;
                let (report, _) = if own {
                    (None, None)
                } else {
                    let (report, view) = service::record_prequalification(c, &tender, &demand, &org.0, at)?;
                    (Some(report), Some(view))
                };
                let prequalified = report.as_ref().is_none_or(|r| r.may_bid);
                let live = BidRow::live(c, &tender.id, &org.0)?.is_some();
                lifecycle::may_submit_bid(&tender_of(&tender), utc(at), own, prequalified, live)?;
                ensure_may_transact(c, &org.0)?;
                if !service::eligible(c, &tender, &org.0)? {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "this tender is by invitation: only invited and recommended organisations may bid",
                    ));
                }
                let row = BidRow {
                    id: new_id(),
                    tender_id: tender.id.clone(),
                    org_id: org.0.clone(),
                    status: BidState::Submitted,
                    live_key: Some(BidRow::live_key_of(&tender.id, &org.0)),
                    revision: 1,
                    offer_sealed: seal_offer(&key, &offer)?,
                    rank: None,
                    submitted_at: at,
                    created_by: user.clone(),
                    created_at: at,
                    updated_at: at,
                };
                row.insert(c)?;
                revision(c, &row, &user)?;
                let bid = BidRow::find(c, &row.id)?.ok_or_else(bid_not_found)?;
                bid_view(c, &key, bid, &tender, &title)
            })
            .await?;
        let location = format!("/api/v1/bids/{}", view.id);
        Ok(BidCreated::Created(Json(view), location))
    }

    /// The bids on a closed tender with their contents (the posting organisation's owners and
    /// admins and the named evaluators; 403 while bidding is open). Withdrawn bids are left out.
    #[oai(path = "/tenders/:id/bids", method = "get", operation_id = "list_tender_bids")]
    async fn list(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<Vec<BidView>>, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        let views = state
            .db
            .run(move |c| {
                let role = acting_member(c, &org.0, &user)?;
                let (tender, title, _) = TenderRow::find(c, &id.0)?.ok_or_else(not_found)?;
                if tender.org_id != org.0 {
                    return Err(not_found());
                }
                let mut views = Vec::new();
                for bid in BidRow::of_tender(c, &tender.id)? {
                    if bid.0.status == BidState::Withdrawn {
                        continue;
                    }
                    bid_reader(&tender, &bid.0, &org.0, role, &user)?;
                    views.push(bid_view(c, &key, bid, &tender, &title)?);
                }
                if views.is_empty() && !service::evaluates(&tender, role, &user) {
                    return Err(not_found());
                }
                Ok::<_, ApiError>(views)
            })
            .await?;
        Ok(Json(views))
    }

    /// One bid with its contents: the bidder always; after the close the posting
    /// organisation's owners and admins and the named evaluators (403 before); nobody else.
    #[oai(path = "/bids/:id", method = "get", operation_id = "get_bid")]
    async fn get(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<BidView>, ApiError> {
        let key = state.keys.encryption_key;
        let view = state
            .db
            .run(move |c| {
                let found = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                bid_view(c, &key, found.bid, &found.tender, &found.title)
            })
            .await?;
        Ok(Json(view))
    }

    /// Revise a submitted bid before the deadline: the whole offer is replaced and becomes the
    /// next revision (earlier revisions are kept). Prequalification is assessed again.
    #[oai(path = "/bids/:id", method = "put", operation_id = "revise_bid")]
    async fn revise(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        body: Json<BidRequest>,
    ) -> Result<Json<BidView>, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        let view = state
            .write(move |c, _| {
                let found = own(c, &id.0, &org.0, &user)?;
                let offer = body.check()?;
                let at = now();
                let (mut bid, name) = found.bid;
                let step = lifecycle::bid_transition(
                    bid.status,
                    BidEvent::Revise,
                    TenderActor::Bidder,
                    utc(found.tender.bidding_closes_at),
                    utc(at),
                )?;
                let demand = DemandRow::find(c, &found.tender.demand_id)?.ok_or_else(not_found)?.0;
                let (report, _) = service::record_prequalification(c, &found.tender, &demand, &org.0, at)?;
                if !report.may_bid {
                    return Err(shared::domain::tender::TenderRefusal::NotPrequalified.into());
                }
                debug_assert_eq!(step.effect, BidEffect::NewRevision);
                let previous = bid.revision;
                bid.revision += 1;
                bid.offer_sealed = seal_offer(&key, &offer)?;
                bid.submitted_at = at;
                bid.updated_at = at;
                if !bid.save_if(c, BidState::Submitted, previous)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "the bid changed meanwhile; reload it"));
                }
                revision(c, &bid, &user)?;
                bid_view(c, &key, (bid, name), &found.tender, &found.title)
            })
            .await?;
        Ok(Json(view))
    }

    /// Withdraw a submitted bid before the deadline. The organisation may bid again while
    /// bidding is open.
    #[oai(path = "/bids/:id/withdraw", method = "post", operation_id = "withdraw_bid")]
    async fn withdraw(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Json<BidView>, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        let view = state
            .write(move |c, _| {
                let found = own(c, &id.0, &org.0, &user)?;
                let (mut bid, name) = found.bid;
                let at = now();
                let step = lifecycle::bid_transition(
                    bid.status,
                    BidEvent::Withdraw,
                    TenderActor::Bidder,
                    utc(found.tender.bidding_closes_at),
                    utc(at),
                )?;
                let revision = bid.revision;
                bid.status = step.state;
                bid.live_key = None;
                bid.updated_at = at;
                if !bid.save_if(c, BidState::Submitted, revision)? {
                    return Err(ApiError::new(ErrorCode::Conflict, "the bid changed meanwhile; reload it"));
                }
                bid_view(c, &key, (bid, name), &found.tender, &found.title)
            })
            .await?;
        Ok(Json(view))
    }

    /// Attach a file to a submitted bid before the deadline (`multipart/form-data`, field
    /// `file`): PDF, DOCX or XLSX (415 otherwise), at most 10 per bid. It is sealed with the data
    /// key before it is stored.
    #[oai(path = "/bids/:id/files", method = "post", operation_id = "create_bid_file")]
    async fn upload(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        form: BidFileForm,
    ) -> Result<BidFileCreated, ApiError> {
        let key = state.keys.encryption_key;
        let user = auth.0.user_id;
        // Authorised before anything is stored, and again inside the write.
        let (bid, o, u) = (id.0.clone(), org.0.clone(), user.clone());
        state.db.run(move |c| may_attach(c, &bid, &o, &u).map(drop)).await?;
        let (meta, storage_key) = seal_upload(&state, form).await?;
        let view = state
            .write(move |c, _| {
                let found = may_attach(c, &id.0, &org.0, &user)?;
                let row = BidFileRow {
                    id: new_id(),
                    bid_id: found.bid.0.id.clone(),
                    storage_key,
                    meta_sealed: seal(&key, &serde_json::to_vec(&meta).map_err(ApiError::internal)?),
                    uploaded_by: user.clone(),
                    created_at: now(),
                };
                row.insert(c)?;
                Ok(BidFileView {
                    download_path: format!("/bids/{}/files/{}", row.bid_id, row.id),
                    id: row.id,
                    name: meta.name,
                    content_type: meta.content_type,
                    size: meta.size,
                    sha256: meta.sha256,
                })
            })
            .await?;
        let location = format!("/api/v1{}", view.download_path);
        Ok(BidFileCreated::Created(Json(view), location))
    }

    /// Download a bid's file (same readers as the bid).
    #[oai(path = "/bids/:id/files/:file_id", method = "get", operation_id = "get_bid_file")]
    async fn download(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        file_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<BidFileDownload, ApiError> {
        let key = state.keys.encryption_key;
        let file = state
            .db
            .run(move |c| {
                let found = readable(c, &id.0, &org.0, &auth.0.user_id)?;
                let files = BidFileRow::of_bid(c, &found.bid.0.id)?;
                files.into_iter().find(|f| f.id == file_id.0).ok_or_else(file_not_found)
            })
            .await?;
        let meta = open_file_meta(&key, &file.meta_sealed)?;
        let store = state.files.clone();
        let sealed = tokio::task::spawn_blocking(move || store.get(&file.storage_key))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
        let bytes = unseal_bytes(&key, &sealed).map_err(ApiError::internal)?;
        let disposition = content_disposition(&meta.content_type, &meta.sha256);
        Ok(BidFileDownload::Ok(Binary(bytes), meta.content_type, "private, no-store".into(), disposition))
    }

    /// Remove a file from a submitted bid before the deadline (the bidder).
    #[oai(path = "/bids/:id/files/:file_id", method = "delete", operation_id = "delete_bid_file")]
    async fn remove(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        file_id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
    ) -> Result<Removed, ApiError> {
        let user = auth.0.user_id;
        let storage = state
            .write(move |c, _| {
                let found = own(c, &id.0, &org.0, &user)?;
                changeable(&found)?;
                let files = BidFileRow::of_bid(c, &found.bid.0.id)?;
                let file = files.into_iter().find(|f| f.id == file_id.0).ok_or_else(file_not_found)?;
                BidFileRow::delete(c, &found.bid.0.id, &file.id)?;
                Ok((!BidFileRow::storage_in_use(c, &file.storage_key)?).then_some(file.storage_key))
            })
            .await?;
        if let Some(key) = storage {
            let store = state.files.clone();
            // The row is gone; a failure here only leaves unreadable sealed bytes behind.
            if let Ok(Err(error)) = tokio::task::spawn_blocking(move || store.delete(&key)).await {
                tracing::warn!(%error, "removing a bid file's sealed bytes failed");
            }
        }
        Ok(Removed::NoContent)
    }

    /// The bids of an organisation, newest first (its members).
    #[oai(path = "/orgs/:id/bids", method = "get", operation_id = "list_organisation_bids")]
    async fn of_org(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        #[oai(name = "X-Org-Id")] org: Header<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
    ) -> Result<Json<Vec<BidView>>, ApiError> {
        let key = state.keys.encryption_key;
        let views = state
            .db
            .run(move |c| {
                crate::routes::orgs::service::acting_role(c, &org.0, &id.0, &auth.0.user_id)?;
                let mut views = Vec::new();
                for bid in BidRow::of_org(c, &id.0, crate::market::limit(limit.0))? {
                    let (tender, title, _) = TenderRow::find(c, &bid.0.tender_id)?.ok_or_else(not_found)?;
                    views.push(bid_view(c, &key, bid, &tender, &title)?);
                }
                Ok::<_, ApiError>(views)
            })
            .await?;
        Ok(Json(views))
    }
}

/// The caller's bid, when a file may be attached to it: its own, submitted, before the
/// deadline, with fewer than 10 files.
fn may_attach(conn: &mut DbConn, bid_id: &str, org: &str, user: &str) -> Result<Readable, ApiError> {
    let found = own(conn, bid_id, org, user)?;
    changeable(&found)?;
    if BidFileRow::of_bid(conn, &found.bid.0.id)?.len() >= MAX_FILES {
        return Err(ApiError::field("file", "too_many", "a bid holds at most 10 files"));
    }
    Ok(found)
}

/// Checks an uploaded bid file (size, type) and stores it sealed with the data key; answers its
/// metadata and where the sealed bytes are.
async fn seal_upload(state: &AppState, form: BidFileForm) -> Result<(FileMeta, String), ApiError> {
    let key = state.keys.encryption_key;
    let limit = state.config.max_upload_bytes;
    if form.file.size() as u64 > limit {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge, format!("files may be at most {limit} bytes")));
    }
    let name = form.file.file_name().map_or_else(|| "bid-file".to_owned(), |n| n.chars().take(200).collect());
    let bytes = form.file.into_vec().await.map_err(ApiError::internal)?;
    let content_type = sniff(&bytes).filter(|t| !t.starts_with("image/")).ok_or_else(|| {
        ApiError::new(ErrorCode::UnsupportedMediaType, "bid files must be PDF, DOCX or XLSX")
    })?;
    let meta = FileMeta {
        name,
        content_type: content_type.into(),
        size: bytes.len() as i64,
        sha256: sha256(&bytes),
    };
    let sealed = seal_bytes(&key, &bytes);
    let storage_key = sha256(&sealed);
    let (store, at) = (state.files.clone(), storage_key.clone());
    tokio::task::spawn_blocking(move || store.put(&at, &sealed))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok((meta, storage_key))
}

fn file_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "file not found")
}

/// Keeps the bid's current offer as a revision.
fn revision(conn: &mut DbConn, bid: &BidRow, user: &str) -> Result<(), ApiError> {
    BidRevisionRow {
        bid_id: bid.id.clone(),
        revision: bid.revision,
        offer_sealed: bid.offer_sealed.clone(),
        created_by: user.to_owned(),
        created_at: bid.updated_at,
    }
    .insert(conn)?;
    Ok(())
}
