//! Anonymous feedback and surveys, and the reads behind a group's analytics (who did what when).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{PostKind, PostStatus};

use crate::db::DbConn;
use crate::db::schema::{
    feedback_senders, group_feedback, posts, replies, resource_comments, shared_resources,
    survey_respondents, survey_responses, surveys,
};

/// A piece of anonymous feedback (no person, only the week).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_feedback)]
pub struct FeedbackRow {
    pub id: String,
    pub group_id: String,
    pub score: i32,
    pub body: String,
    pub week: String,
}

impl FeedbackRow {
    /// Records the feedback and that `user_id` gave feedback this `week`; `false` (and nothing
    /// written) when they already did.
    pub fn insert_once(&self, conn: &mut DbConn, user_id: &str) -> QueryResult<bool> {
        let given: i64 = feedback_senders::table
            .filter(feedback_senders::group_id.eq(&self.group_id))
            .filter(feedback_senders::user_id.eq(user_id))
            .filter(feedback_senders::week.eq(&self.week))
            .count()
            .get_result(conn)?;
        if given > 0 {
            return Ok(false);
        }
        diesel::insert_into(feedback_senders::table)
            .values((
                feedback_senders::group_id.eq(&self.group_id),
                feedback_senders::user_id.eq(user_id),
                feedback_senders::week.eq(&self.week),
            ))
            .execute(conn)?;
        diesel::insert_into(group_feedback::table).values(self).execute(conn)?;
        Ok(true)
    }

    /// A group's latest feedback of the weeks before `before_week` (and `>= since_week` when
    /// given), newest weeks first.
    pub fn latest(
        conn: &mut DbConn,
        group_id: &str,
        since_week: Option<&str>,
        before_week: &str,
        limit: i64,
    ) -> QueryResult<Vec<FeedbackRow>> {
        let mut query = group_feedback::table
            .filter(group_feedback::group_id.eq(group_id.to_owned()))
            .filter(group_feedback::week.lt(before_week.to_owned()))
            .order((group_feedback::week.desc(), group_feedback::id.asc()))
            .limit(limit)
            .select(FeedbackRow::as_select())
            .into_boxed();
        if let Some(week) = since_week {
            query = query.filter(group_feedback::week.ge(week.to_owned()));
        }
        query.load(conn)
    }
}

/// Who did something in a group since `since`: (when, who, whether it was a new post).
pub fn activity_since(
    conn: &mut DbConn,
    group_id: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<(NaiveDateTime, String, bool)>> {
    let mut out: Vec<(NaiveDateTime, String, bool)> = Vec::new();
    let wrote: Vec<(NaiveDateTime, String)> = posts::table
        .filter(posts::group_id.eq(group_id))
        .filter(posts::status.eq(PostStatus::Published))
        .filter(posts::created_at.ge(since))
        .select((posts::created_at, posts::author_id))
        .load(conn)?;
    out.extend(wrote.into_iter().map(|(t, u)| (t, u, true)));
    let replied: Vec<(NaiveDateTime, String)> = replies::table
        .inner_join(posts::table)
        .filter(posts::group_id.eq(group_id))
        .filter(replies::status.eq(PostStatus::Published))
        .filter(replies::created_at.ge(since))
        .select((replies::created_at, replies::author_id))
        .load(conn)?;
    let shared: Vec<(NaiveDateTime, String)> = shared_resources::table
        .filter(shared_resources::group_id.eq(group_id))
        .filter(shared_resources::created_at.ge(since))
        .select((shared_resources::created_at, shared_resources::sharer_id))
        .load(conn)?;
    let commented: Vec<(NaiveDateTime, String)> = resource_comments::table
        .inner_join(shared_resources::table)
        .filter(shared_resources::group_id.eq(group_id))
        .filter(resource_comments::created_at.ge(since))
        .select((resource_comments::created_at, resource_comments::author_id))
        .load(conn)?;
    out.extend(replied.into_iter().chain(shared).chain(commented).map(|(t, u)| (t, u, false)));
    Ok(out)
}

/// (questions asked since `since`, of which solved) in a group.
pub fn questions_since(conn: &mut DbConn, group_id: &str, since: NaiveDateTime) -> QueryResult<(i64, i64)> {
    let accepted: Vec<Option<String>> = posts::table
        .filter(posts::group_id.eq(group_id))
        .filter(posts::kind.eq(PostKind::Question))
        .filter(posts::status.eq(PostStatus::Published))
        .filter(posts::created_at.ge(since))
        .select(posts::accepted_reply_id)
        .load(conn)?;
    let solved = accepted.iter().filter(|a| a.is_some()).count() as i64;
    Ok((accepted.len() as i64, solved))
}

/// A group's featured, published posts written in `[from, to)`, newest first.
pub fn featured_between(
    conn: &mut DbConn,
    group_id: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<crate::db::models::community::PostRow>> {
    use crate::db::models::community::PostRow;
    posts::table
        .filter(posts::group_id.eq(group_id))
        .filter(posts::status.eq(PostStatus::Published))
        .filter(posts::featured.eq(true))
        .filter(posts::created_at.ge(from))
        .filter(posts::created_at.lt(to))
        .order(posts::id.desc())
        .limit(50)
        .select(PostRow::as_select())
        .load(conn)
}

/// A survey; `questions` is the JSON of its questions.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    pub id: String,
    pub group_id: String,
    pub title: String,
    pub description: String,
    pub questions: String,
    pub deadline: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl SurveyRow {
    /// Inserts a survey.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(surveys::table).values(self).execute(conn).map(drop)
    }

    /// One survey.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<SurveyRow>> {
        surveys::table.find(id).select(SurveyRow::as_select()).first(conn).optional()
    }

    /// A group's surveys, newest first, after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        group_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<SurveyRow>> {
        let mut query = surveys::table
            .filter(surveys::group_id.eq(group_id.to_owned()))
            .order(surveys::id.desc())
            .limit(limit)
            .select(SurveyRow::as_select())
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(surveys::id.lt(cursor.to_owned()));
        }
        query.load(conn)
    }

    /// Records `user_id`'s response: `false` (and nothing written) when they already responded.
    pub fn respond(&self, conn: &mut DbConn, user_id: &str, answers: &str) -> QueryResult<bool> {
        let done: i64 = survey_respondents::table
            .filter(survey_respondents::survey_id.eq(&self.id))
            .filter(survey_respondents::user_id.eq(user_id))
            .count()
            .get_result(conn)?;
        if done > 0 {
            return Ok(false);
        }
        diesel::insert_into(survey_respondents::table)
            .values((survey_respondents::survey_id.eq(&self.id), survey_respondents::user_id.eq(user_id)))
            .execute(conn)?;
        diesel::insert_into(survey_responses::table)
            .values((
                survey_responses::id.eq(uuid::Uuid::new_v4().to_string()),
                survey_responses::survey_id.eq(&self.id),
                survey_responses::answers.eq(answers),
            ))
            .execute(conn)?;
        Ok(true)
    }

    /// (respondents, whether `user_id` is one) per survey.
    pub fn respondents(
        conn: &mut DbConn,
        ids: &[String],
        user_id: Option<&str>,
    ) -> QueryResult<std::collections::HashMap<String, (i64, bool)>> {
        let rows: Vec<(String, String)> = survey_respondents::table
            .filter(survey_respondents::survey_id.eq_any(ids))
            .select((survey_respondents::survey_id, survey_respondents::user_id))
            .load(conn)?;
        let mut out: std::collections::HashMap<String, (i64, bool)> = std::collections::HashMap::new();
        for (survey, user) in rows {
            let entry = out.entry(survey).or_default();
            entry.0 += 1;
            entry.1 |= user_id == Some(user.as_str());
        }
        Ok(out)
    }

    /// Every response's answers (JSON), in the order of their random ids (not the order they
    /// came in, which could be matched to the people who responded).
    pub fn responses(conn: &mut DbConn, id: &str) -> QueryResult<Vec<String>> {
        survey_responses::table
            .filter(survey_responses::survey_id.eq(id))
            .order(survey_responses::id.asc())
            .select(survey_responses::answers)
            .load(conn)
    }
}
