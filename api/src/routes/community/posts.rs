//! Group posts and Q&A: discussion posts, questions and announcements with `#topics#` and
//! `@mentions`, replies (answers), the edit history, acceptance of an answer (+5 points to the
//! answerer, none for one's own), pinning, featuring and the FAQ, "search before you ask" (over
//! terms stored when a question is written; rate-limited per address and bounded in
//! concurrency), and the banned-word hold with its review.

use poem::Request;
use poem::web::Data;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use shared::domain::community::groups::GroupAction;
use shared::domain::community::lifecycle::post::{
    Question, Review, Reviewed, initial_status, may_accept, may_curate, may_delete_reply, may_reply,
};
use shared::domain::community::lifecycle::{self, Refusal};
use shared::domain::community::points::{PointsReason, accepted_answer_award};
use shared::domain::community::revisions::{Standing, revision_visible};
use shared::domain::community::text::{rank_similar, topics};
use shared::domain::notices::community::{CommunityNotice, HeldItem};
use shared::dto::*;
use shared::error::ErrorCode;
use shared::validate::Check;
use shared::validate::community::posts::{PostEdit, PostFields};

use crate::auth::session::{BearerAuth, ClientInfo, optional_user};
use crate::db::models::community::*;
use crate::db::{DbConn, new_id, now, write_tx};
use crate::error::ApiError;
use crate::market::{self, from_json, to_json};
use crate::routes::ApiTags;
use crate::routes::community::{self, InGroup, not_found};
use crate::routes::notifications::notify::{self, Notice};
use crate::routes::search::catalogue::segment;
use crate::state::{AppState, Outgoing};

/// Posts, replies and Q&A.
pub struct PostsApi;

#[derive(ApiResponse)]
enum PostCreated {
    /// Posted (`status` is `held` when a banned word holds it for the admins' review).
    #[oai(status = 201)]
    Created(Json<Post>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum ReplyCreated {
    /// Replied (`status` is `held` when a banned word holds it).
    #[oai(status = 201)]
    Created(Json<Reply>, #[oai(header = "Location")] String),
}

#[derive(ApiResponse)]
enum Deleted {
    /// Deleted.
    #[oai(status = 204)]
    Done,
}

type Sent = Vec<(String, Notification)>;

/// Loads a post with its group for `user`: 404 when the group is not readable, or the post is
/// deleted, or held and the caller is neither its author nor an admin.
fn readable_post(conn: &mut DbConn, id: &str, user: Option<&str>) -> Result<(PostRow, InGroup), ApiError> {
    let post = PostRow::find(conn, id)?.ok_or_else(not_found)?;
    let view = InGroup::load(conn, &post.group_id, user)?;
    view.ensure_read()?;
    let visible = match post.status {
        PostStatus::Published => true,
        PostStatus::Held => view.is_admin() || user == Some(post.author_id.as_str()),
        PostStatus::Deleted => false,
    };
    if !visible {
        return Err(not_found());
    }
    Ok((post, view))
}

fn readable_reply(conn: &mut DbConn, id: &str, user: &str) -> Result<(ReplyRow, PostRow, InGroup), ApiError> {
    let reply = ReplyRow::find(conn, id)?.ok_or_else(not_found)?;
    let (post, view) = readable_post(conn, &reply.post_id, Some(user))?;
    if reply.status == PostStatus::Deleted {
        return Err(not_found());
    }
    if reply.status == PostStatus::Held && !(view.is_admin() || reply.author_id == user) {
        return Err(not_found());
    }
    Ok((reply, post, view))
}

/// Tells the group's admins that something was held.
fn notify_held(
    conn: &mut DbConn,
    view: &InGroup,
    item: HeldItem,
    words: &[String],
    post_id: &str,
) -> diesel::QueryResult<Sent> {
    let notice = CommunityNotice::Held { group: view.group.name.clone(), item, words: words.to_vec() };
    let link = format!("/groups/{}/held?post={post_id}", view.group.id);
    let admins = community::admins(conn, &view.group.id)?;
    notify::store(conn, &admins, &Notice::new(&notice, link, None))
}

/// Stores the previous text of a post or reply; `status` is the one that text had (a held
/// version is shown to the admins and its author only).
fn keep_revision(
    conn: &mut DbConn,
    post_id: &str,
    reply_id: Option<&str>,
    (title, body, status): (&str, &str, PostStatus),
    by: &str,
) -> diesel::QueryResult<()> {
    PostRevisionRow {
        id: new_id(),
        post_id: post_id.to_owned(),
        reply_id: reply_id.map(str::to_owned),
        title: title.to_owned(),
        body: body.to_owned(),
        edited_by: by.to_owned(),
        edited_at: now(),
        held: status == PostStatus::Held,
    }
    .insert(conn)
}

fn standing(status: PostStatus) -> Standing {
    match status {
        PostStatus::Published => Standing::Published,
        PostStatus::Held => Standing::Held,
        PostStatus::Deleted => Standing::Deleted,
    }
}

/// A post's revisions that `user` may read: each follows its post's or reply's visibility, and
/// a version that was held when it was replaced reaches only the admins and its author.
fn visible_revisions(
    conn: &mut DbConn,
    post: &PostRow,
    view: &InGroup,
    user: Option<&str>,
) -> Result<Vec<PostRevision>, ApiError> {
    let rows = PostRevisionRow::of_post(conn, &post.id)?;
    let reply_ids: Vec<String> = rows.iter().filter_map(|r| r.reply_id.clone()).collect();
    let replies = ReplyRow::find_many(conn, &reply_ids)?;
    let admin = view.is_admin();
    Ok(rows
        .into_iter()
        .filter(|r| {
            let (status, author) = match &r.reply_id {
                None => (post.status, post.author_id.as_str()),
                Some(id) => match replies.iter().find(|reply| reply.id == *id) {
                    Some(reply) => (reply.status, reply.author_id.as_str()),
                    None => return admin,
                },
            };
            revision_visible(standing(status), r.held, admin, user == Some(author))
        })
        .map(|r| PostRevision {
            id: r.id,
            reply_id: r.reply_id,
            title: r.title,
            body: r.body,
            edited_at: r.edited_at.and_utc(),
        })
        .collect())
}

/// The notifications a newly published reply sends: the post's author, and @mentions.
fn reply_notices(
    conn: &mut DbConn,
    view: &InGroup,
    post: &PostRow,
    reply: &ReplyRow,
) -> Result<Sent, ApiError> {
    let writer = GroupMemberRow::find(conn, &view.group.id, &reply.author_id)?.ok_or_else(not_found)?;
    let mut sent = community::notify_mentions(conn, &view.group, &writer, &reply.body, post)?;
    if post.author_id != reply.author_id {
        let notice = CommunityNotice::PostReply {
            writer: writer.nickname.clone(),
            title: post.title.clone(),
            question: post.kind == PostKind::Question,
            reply: reply.body.clone(),
        };
        let link = format!("/groups/{}/posts/{}", view.group.id, post.id);
        let notice = Notice::new(&notice, link, None);
        sent.extend(notify::store(conn, std::slice::from_ref(&post.author_id), &notice)?);
    }
    Ok(sent)
}

/// A new post by `author`, held for review when it has banned words; an announcement is pinned.
fn new_post(
    view: &InGroup,
    author: &str,
    kind: PostKind,
    (title, text): (String, String),
    held: &[String],
) -> PostRow {
    let at = now();
    PostRow {
        id: new_id(),
        group_id: view.group.id.clone(),
        author_id: author.to_owned(),
        kind,
        topics: to_json(&topics(&format!("{title} {text}"))),
        title,
        body: text,
        status: initial_status(!held.is_empty()),
        held_words: (!held.is_empty()).then(|| to_json(&held)),
        pinned: kind == PostKind::Announcement,
        featured: false,
        in_faq: false,
        accepted_reply_id: None,
        created_at: at,
        updated_at: at,
        deleted_at: None,
        deleted_by: None,
    }
}

/// Pays the answerer of an accepted answer (none for one's own answer; a daily cap) and tells
/// them.
fn pay_accepted_answer(
    conn: &mut DbConn,
    out: &mut Outgoing,
    view: &InGroup,
    post: &PostRow,
    reply: &ReplyRow,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let today = community::awards_today(conn, &reply.author_id, PointsReason::AnswerAccepted, at)?;
    let points = accepted_answer_award(&post.author_id, &reply.author_id, today);
    let (group, subject) = (Some(view.group.id.as_str()), Some(reply.id.as_str()));
    community::record_points(
        conn,
        &reply.author_id,
        points,
        PointsReason::AnswerAccepted,
        group,
        subject,
        at,
    )?;
    if reply.author_id != post.author_id {
        let notice = CommunityNotice::AnswerAccepted { title: post.title.clone(), points };
        let link = format!("/groups/{}/posts/{}", view.group.id, post.id);
        out.to_users(conn, std::slice::from_ref(&reply.author_id), &Notice::new(&notice, link, None))?;
    }
    Ok(())
}

#[OpenApi(tag = "ApiTags::Groups")]
impl PostsApi {
    /// A group's posts, newest first (open groups: anyone; others: members). Filters: kind,
    /// `#topic#` (without the hashes), pinned, featured, FAQ, solved questions.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/groups/:id/posts", method = "get", operation_id = "list_group_posts")]
    async fn list(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        kind: Query<Option<PostKind>>,
        #[oai(validator(max_length = 20))] topic: Query<Option<String>>,
        pinned: Query<Option<bool>>,
        featured: Query<Option<bool>>,
        faq: Query<Option<bool>>,
        solved: Query<Option<bool>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<PostPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, user.as_deref())?;
                view.ensure_read()?;
                let filter = PostFilter {
                    kind: kind.0,
                    topic: topic.0.as_deref(),
                    pinned: pinned.0,
                    featured: featured.0,
                    in_faq: faq.0,
                    status: None,
                    solved: solved.0,
                };
                let rows = PostRow::page(c, &view.group.id, &filter, cursor.0.as_deref(), limit + 1)?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let items = community::post_dtos(c, rows, user.as_deref(), view.is_admin())?;
                Ok::<_, ApiError>(PostPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Post in a group (active, unmuted members; announcements need an admin and are pinned).
    /// A post with a banned word (the group's or the platform's) is held for review and the
    /// admins are notified; @-mentioned members are notified when it is published.
    #[oai(path = "/groups/:id/posts", method = "post", operation_id = "create_post")]
    async fn create(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CreatePostRequest>,
    ) -> Result<PostCreated, ApiError> {
        let PostFields { title, body: text } = body.check()?;
        let user = auth.0.user_id;
        let (dto, sent) = state
            .db
            .run(move |c| {
                // Cut once here, outside the write transaction, and never again per search.
                let search_terms = (body.kind == PostKind::Question)
                    .then(|| community::question_search_terms(&title, &text));
                write_tx(c, |c| {
                    let view = InGroup::load(c, &id.0, Some(&user))?;
                    let member = view.ensure_may_speak(now())?.clone();
                    if body.kind == PostKind::Announcement {
                        view.ensure_may(GroupAction::Curate)?;
                    }
                    let held = view.banned_words(&format!("{title}\n{text}"));
                    let row = new_post(&view, &user, body.kind, (title, text), &held);
                    row.insert(c)?;
                    if let Some(terms) = &search_terms {
                        PostRow::set_search_terms(c, &row.id, terms)?;
                    }
                    let sent = if held.is_empty() {
                        community::notify_mentions(c, &view.group, &member, &row.body, &row)?
                    } else {
                        notify_held(c, &view, HeldItem::Post, &held, &row.id)?
                    };
                    Ok::<_, ApiError>((community::post_dto(c, row, Some(&user), view.is_admin())?, sent))
                })
            })
            .await?;
        state.notifier.publish(sent);
        let location = format!("/api/v1/posts/{}", dto.id);
        Ok(PostCreated::Created(Json(dto), location))
    }

    /// One post (held posts: their author and the admins only).
    #[oai(path = "/posts/:id", method = "get", operation_id = "get_post")]
    async fn get(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<Post>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let post = state
            .db
            .run(move |c| {
                let (post, view) = readable_post(c, &id.0, user.as_deref())?;
                community::post_dto(c, post, user.as_deref(), view.is_admin())
            })
            .await?;
        Ok(Json(post))
    }

    /// Edit one's own post; the previous version goes into the history. A banned word in the
    /// new text holds the post for review again.
    #[oai(path = "/posts/:id", method = "patch", operation_id = "update_post")]
    async fn update(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<UpdatePostRequest>,
    ) -> Result<Json<Post>, ApiError> {
        let PostEdit { title, body: text } = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (mut post, view) = readable_post(c, &id.0, Some(&user))?;
                view.ensure_may_speak(now())?;
                if post.author_id != user {
                    return Err(ApiError::new(ErrorCode::Forbidden, "only the author edits a post"));
                }
                keep_revision(c, &post.id, None, (&post.title, &post.body, post.status), &user)?;
                if let Some(t) = title {
                    post.title = t;
                }
                if let Some(b) = text {
                    post.body = b;
                }
                post.topics = to_json(&topics(&format!("{} {}", post.title, post.body)));
                let held = view.banned_words(&format!("{}\n{}", post.title, post.body));
                let mut sent = Vec::new();
                if held.is_empty() {
                    post.held_words = None;
                } else {
                    post.status = PostStatus::Held;
                    post.held_words = Some(to_json(&held));
                    sent = notify_held(c, &view, HeldItem::Post, &held, &post.id)?;
                }
                post.updated_at = now();
                post.save(c)?;
                if post.kind == PostKind::Question {
                    let terms = community::question_search_terms(&post.title, &post.body);
                    PostRow::set_search_terms(c, &post.id, &terms)?;
                }
                out.extend(sent);
                community::post_dto(c, post, Some(&user), view.is_admin())
            })
            .await?;
        Ok(Json(dto))
    }

    /// Delete a post: its author, or the group's admins.
    #[oai(path = "/posts/:id", method = "delete", operation_id = "delete_post")]
    async fn delete(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Deleted, ApiError> {
        let user = auth.0.user_id;
        state
            .write(move |c, _| {
                let (mut post, view) = readable_post(c, &id.0, Some(&user))?;
                if post.author_id != user && !view.is_admin() {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only the author or an admin deletes a post",
                    ));
                }
                post.status = PostStatus::Deleted;
                post.deleted_at = Some(now());
                post.deleted_by = Some(user.clone());
                post.save(c)?;
                Ok::<_, ApiError>(())
            })
            .await?;
        Ok(Deleted::Done)
    }

    /// A post's edit history (its replies' too), oldest first. Versions follow the visibility
    /// of their post or reply: those of a held reply reach its author and the admins, those of
    /// a deleted reply the admins only, and a version that was held for review only the admins
    /// and its author.
    #[oai(path = "/posts/:id/revisions", method = "get", operation_id = "list_post_revisions")]
    async fn revisions(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
    ) -> Result<Json<PostRevisionList>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let list = state
            .db
            .run(move |c| {
                let (post, view) = readable_post(c, &id.0, user.as_deref())?;
                let items = visible_revisions(c, &post, &view, user.as_deref())?;
                Ok::<_, ApiError>(PostRevisionList { items })
            })
            .await?;
        Ok(Json(list))
    }

    /// A post's replies, oldest first (held ones: their author and the admins).
    #[oai(path = "/posts/:id/replies", method = "get", operation_id = "list_post_replies")]
    async fn replies(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(minimum(value = "1"), maximum(value = "100")))] limit: Query<Option<i64>>,
        #[oai(validator(max_length = 64))] cursor: Query<Option<String>>,
    ) -> Result<Json<ReplyPage>, ApiError> {
        let user = optional_user(req).await?.map(|u| u.user_id);
        let limit = market::limit(limit.0);
        let page = state
            .db
            .run(move |c| {
                let (post, view) = readable_post(c, &id.0, user.as_deref())?;
                let rows = ReplyRow::page(
                    c,
                    &post.id,
                    &[PostStatus::Published, PostStatus::Held],
                    cursor.0.as_deref(),
                    limit + 1,
                )?;
                let (rows, next_cursor) = market::page(rows, limit, |r| r.id.clone());
                let admin = view.is_admin();
                let rows: Vec<ReplyRow> = rows
                    .into_iter()
                    .filter(|r| {
                        r.status == PostStatus::Published
                            || admin
                            || user.as_deref() == Some(r.author_id.as_str())
                    })
                    .collect();
                let items = community::reply_dtos(c, &view.group.id, &post, rows, user.as_deref(), admin)?;
                Ok::<_, ApiError>(ReplyPage { items, next_cursor })
            })
            .await?;
        Ok(Json(page))
    }

    /// Reply to a post or answer a question (active, unmuted members). The post's author and
    /// @-mentioned members are notified; a banned word holds the reply for review.
    #[oai(path = "/posts/:id/replies", method = "post", operation_id = "create_reply")]
    async fn reply(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ReplyRequest>,
    ) -> Result<ReplyCreated, ApiError> {
        let text = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (post, view) = readable_post(c, &id.0, Some(&user))?;
                view.ensure_may_speak(now())?;
                may_reply(post.status)?;
                let held = view.banned_words(&text);
                let at = now();
                let row = ReplyRow {
                    id: new_id(),
                    post_id: post.id.clone(),
                    author_id: user.clone(),
                    body: text,
                    status: initial_status(!held.is_empty()),
                    held_words: (!held.is_empty()).then(|| to_json(&held)),
                    created_at: at,
                    updated_at: at,
                    deleted_at: None,
                    deleted_by: None,
                };
                row.insert(c)?;
                let sent = if held.is_empty() {
                    reply_notices(c, &view, &post, &row)?
                } else {
                    notify_held(c, &view, HeldItem::Reply, &held, &post.id)?
                };
                let dto =
                    community::reply_dtos(c, &view.group.id, &post, vec![row], Some(&user), view.is_admin())?
                        .pop()
                        .ok_or_else(not_found)?;
                out.extend(sent);
                Ok(dto)
            })
            .await?;
        let location = format!("/api/v1/replies/{}", dto.id);
        Ok(ReplyCreated::Created(Json(dto), location))
    }

    /// Edit one's own reply (the previous text goes into the post's history).
    #[oai(path = "/replies/:id", method = "patch", operation_id = "update_reply")]
    async fn update_reply(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ReplyRequest>,
    ) -> Result<Json<Reply>, ApiError> {
        let text = body.check()?;
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (mut reply, post, view) = readable_reply(c, &id.0, &user)?;
                view.ensure_may_speak(now())?;
                if reply.author_id != user {
                    return Err(ApiError::new(ErrorCode::Forbidden, "only the author edits a reply"));
                }
                keep_revision(c, &post.id, Some(&reply.id), ("", &reply.body, reply.status), &user)?;
                reply.body = text;
                let held = view.banned_words(&reply.body);
                let mut sent = Vec::new();
                if held.is_empty() {
                    reply.held_words = None;
                } else {
                    reply.status = PostStatus::Held;
                    reply.held_words = Some(to_json(&held));
                    sent = notify_held(c, &view, HeldItem::Reply, &held, &post.id)?;
                }
                reply.updated_at = now();
                reply.save(c)?;
                let dto = community::reply_dtos(
                    c,
                    &view.group.id,
                    &post,
                    vec![reply],
                    Some(&user),
                    view.is_admin(),
                )?
                .pop()
                .ok_or_else(not_found)?;
                out.extend(sent);
                Ok(dto)
            })
            .await?;
        Ok(Json(dto))
    }

    /// Delete a reply: its author (not once accepted as the answer), or the group's admins.
    #[oai(path = "/replies/:id", method = "delete", operation_id = "delete_reply")]
    async fn delete_reply(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Deleted, ApiError> {
        let user = auth.0.user_id;
        state
            .write(move |c, _| {
                let (mut reply, mut post, view) = readable_reply(c, &id.0, &user)?;
                let admin = view.is_admin();
                if reply.author_id != user && !admin {
                    return Err(ApiError::new(
                        ErrorCode::Forbidden,
                        "only the author or an admin deletes a reply",
                    ));
                }
                let accepted = post.accepted_reply_id.as_deref() == Some(reply.id.as_str());
                if may_delete_reply(accepted, admin)? {
                    post.accepted_reply_id = None;
                    post.in_faq = false;
                    post.save(c)?;
                }
                reply.status = PostStatus::Deleted;
                reply.deleted_at = Some(now());
                reply.deleted_by = Some(user.clone());
                reply.save(c)?;
                Ok::<_, ApiError>(())
            })
            .await?;
        Ok(Deleted::Done)
    }

    /// Accept a reply as the answer to one's question. The answerer earns 5 points (none for
    /// one's own answer; at most 10 accepted answers a day earn points) and is notified.
    /// The acceptance is final.
    #[oai(path = "/posts/:id/acceptance", method = "post", operation_id = "create_post_acceptance")]
    async fn accept(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<AcceptAnswerRequest>,
    ) -> Result<Json<Post>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (mut post, view) = readable_post(c, &id.0, Some(&user))?;
                view.ensure_member()?;
                let question = Question {
                    kind: post.kind,
                    asked_by_caller: post.author_id == user,
                    answered: post.accepted_reply_id.is_some(),
                };
                may_accept(question)?;
                let reply = ReplyRow::find(c, &body.reply_id)?
                    .filter(|r| r.post_id == post.id && r.status == PostStatus::Published)
                    .ok_or_else(|| {
                        ApiError::field("reply_id", "not_found", "no such reply under this question")
                    })?;
                let at = now();
                // Conditional: of concurrent acceptances only one changes the row and pays.
                if !PostRow::accept_answer(c, &post.id, &reply.id, at)? {
                    return Err(Refusal::AnswerAlreadyAccepted.into());
                }
                post.accepted_reply_id = Some(reply.id.clone());
                post.updated_at = at;
                pay_accepted_answer(c, out, &view, &post, &reply, at)?;
                community::post_dto(c, post, Some(&user), view.is_admin())
            })
            .await?;
        Ok(Json(dto))
    }

    /// Pin, feature (精华) or promote a solved question into the FAQ (the group's admins).
    #[oai(path = "/posts/:id/curation", method = "patch", operation_id = "update_post_curation")]
    async fn curate(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<CuratePostRequest>,
    ) -> Result<Json<Post>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, _| {
                let (mut post, view) = readable_post(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Curate)?;
                may_curate(post.status)?;
                if body.in_faq == Some(true) && post.accepted_reply_id.is_none() {
                    return Err(ApiError::field(
                        "in_faq",
                        "not_solved",
                        "only a question with an accepted answer goes into the FAQ",
                    ));
                }
                if let Some(p) = body.pinned {
                    post.pinned = p;
                }
                if let Some(f) = body.featured {
                    post.featured = f;
                }
                if let Some(q) = body.in_faq {
                    post.in_faq = q;
                }
                post.save(c)?;
                community::post_dto(c, post, Some(&user), true)
            })
            .await?;
        Ok(Json(dto))
    }

    /// "Search before you ask": the group's questions most like `q` (jieba segmentation, words
    /// weighted by rarity), up to 5, best first. Ranks the terms stored with each question (at
    /// most 64 a question). At most 30 requests a minute per address and 2 at work at once;
    /// beyond that 429 `rate_limited` with `Retry-After`.
    #[oai(path = "/groups/:id/similar-questions", method = "get", operation_id = "list_similar_questions")]
    async fn similar(
        &self,
        state: Data<&AppState>,
        req: &Request,
        id: Path<String>,
        #[oai(validator(min_length = 1, max_length = 200))] q: Query<String>,
    ) -> Result<Json<SimilarQuestions>, ApiError> {
        let client = ClientInfo::from_request(req, state.config.trust_forwarded_for);
        let slot = state.similar_questions.enter(client.ip.as_deref()).await?;
        let user = optional_user(req).await?.map(|u| u.user_id);
        let list = state
            .db
            .run(move |c| {
                let _slot = slot;
                let view = InGroup::load(c, &id.0, user.as_deref())?;
                view.ensure_read()?;
                // The newest 2,000 questions: a group's whole Q&A in practice.
                let mut stored = PostRow::question_terms(c, &view.group.id, 2000)?;
                if stored.iter().any(|(_, terms)| terms.is_none()) {
                    // Questions written before terms were stored get theirs, a batch at a time.
                    write_tx(c, |c| community::fill_question_terms(c, &view.group.id, 100))?;
                    stored = PostRow::question_terms(c, &view.group.id, 2000)?;
                }
                let query = segment::query_terms(&q.0);
                let documents: Vec<(String, Vec<String>)> = stored
                    .into_iter()
                    .map(|(id, terms)| (id, terms.as_deref().map(from_json).unwrap_or_default()))
                    .collect();
                let ranked = rank_similar(&query, &documents, 5);
                let ids: Vec<String> = ranked.iter().map(|(id, _)| id.clone()).collect();
                let found = PostRow::find_many(c, &ids)?;
                let rows: Vec<PostRow> =
                    ids.iter().filter_map(|id| found.iter().find(|p| p.id == *id).cloned()).collect();
                let items = community::post_dtos(c, rows, user.as_deref(), view.is_admin())?;
                Ok::<_, ApiError>(SimilarQuestions { items })
            })
            .await?;
        Ok(Json(list))
    }

    /// Posts and replies held for review (the group's admins), oldest first.
    #[oai(path = "/groups/:id/held", method = "get", operation_id = "list_held_items")]
    async fn held(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> Result<Json<HeldItems>, ApiError> {
        let user = auth.0.user_id;
        let items = state
            .db
            .run(move |c| {
                let view = InGroup::load(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Moderate)?;
                let filter = PostFilter { status: Some(PostStatus::Held), ..PostFilter::default() };
                let mut rows = PostRow::page(c, &view.group.id, &filter, None, 100)?;
                rows.reverse();
                let posts = community::post_dtos(c, rows, Some(&user), true)?;
                let mut replies = Vec::new();
                for reply in ReplyRow::held_in_group(c, &view.group.id, 100)? {
                    let post = PostRow::find(c, &reply.post_id)?.ok_or_else(not_found)?;
                    replies.extend(community::reply_dtos(
                        c,
                        &view.group.id,
                        &post,
                        vec![reply],
                        Some(&user),
                        true,
                    )?);
                }
                Ok::<_, ApiError>(HeldItems { posts, replies })
            })
            .await?;
        Ok(Json(items))
    }

    /// Publish or delete a held post (the group's admins); publishing notifies @mentions.
    #[oai(path = "/posts/:id/review", method = "post", operation_id = "create_post_review")]
    async fn review_post(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ReviewHeldRequest>,
    ) -> Result<Json<Post>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (mut post, view) = readable_post(c, &id.0, Some(&user))?;
                view.ensure_may(GroupAction::Moderate)?;
                let review = if body.publish { Review::Publish } else { Review::Delete };
                post.status = lifecycle::post::review(Reviewed::Post, post.status, review)?;
                let mut sent = Vec::new();
                if body.publish {
                    let author =
                        GroupMemberRow::find(c, &view.group.id, &post.author_id)?.ok_or_else(not_found)?;
                    sent = community::notify_mentions(c, &view.group, &author, &post.body, &post)?;
                } else {
                    post.deleted_at = Some(now());
                    post.deleted_by = Some(user.clone());
                }
                post.save(c)?;
                out.extend(sent);
                community::post_dto(c, post, Some(&user), true)
            })
            .await?;
        Ok(Json(dto))
    }

    /// Publish or delete a held reply (the group's admins).
    #[oai(path = "/replies/:id/review", method = "post", operation_id = "create_reply_review")]
    async fn review_reply(
        &self,
        state: Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        body: Json<ReviewHeldRequest>,
    ) -> Result<Json<Reply>, ApiError> {
        let user = auth.0.user_id;
        let dto = state
            .write(move |c, out| {
                let (mut reply, post, view) = readable_reply(c, &id.0, &user)?;
                view.ensure_may(GroupAction::Moderate)?;
                let review = if body.publish { Review::Publish } else { Review::Delete };
                reply.status = lifecycle::post::review(Reviewed::Reply, reply.status, review)?;
                let mut sent = Vec::new();
                if body.publish {
                    sent = reply_notices(c, &view, &post, &reply)?;
                } else {
                    reply.deleted_at = Some(now());
                    reply.deleted_by = Some(user.clone());
                }
                reply.save(c)?;
                let dto = community::reply_dtos(c, &view.group.id, &post, vec![reply], Some(&user), true)?
                    .pop()
                    .ok_or_else(not_found)?;
                out.extend(sent);
                Ok(dto)
            })
            .await?;
        Ok(Json(dto))
    }
}
