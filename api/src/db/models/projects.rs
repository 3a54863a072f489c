//! `projects` and `project_questions`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{ProjectStatus, ProjectType};

use crate::db::DbConn;
use crate::db::schema::{organisations, project_questions, projects, users};

/// A project row. `tags` and `tender_files` hold JSON arrays of strings.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = projects)]
#[diesel(treat_none_as_null = true)]
pub struct ProjectRow {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub project_type: ProjectType,
    pub investment_fen: i64,
    pub region_code: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub tags: String,
    pub description: String,
    pub tender_files: String,
    pub status: ProjectStatus,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

/// Which projects a list shows.
pub enum ProjectScope<'a> {
    /// Published and closed projects, optionally of one organisation and one status.
    Public { org_id: Option<&'a str>, status: Option<ProjectStatus> },
    /// Every project of one organisation, drafts included.
    Organisation(&'a str),
}

impl ProjectRow {
    /// Inserts a new project.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(projects::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(projects::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One project with its organisation's name.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<(ProjectRow, String)>> {
        projects::table
            .inner_join(organisations::table)
            .filter(projects::id.eq(id))
            .select((ProjectRow::as_select(), organisations::name))
            .first(conn)
            .optional()
    }

    /// A page, newest first (ids are UUIDv7), after `cursor`.
    pub fn page(
        conn: &mut DbConn,
        scope: ProjectScope<'_>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(ProjectRow, String)>> {
        let mut query = projects::table
            .inner_join(organisations::table)
            .select((ProjectRow::as_select(), organisations::name))
            .order(projects::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(cursor) = cursor {
            query = query.filter(projects::id.lt(cursor.to_owned()));
        }
        match scope {
            ProjectScope::Public { org_id, status } => {
                query = query.filter(projects::status.ne(ProjectStatus::Draft));
                if let Some(org_id) = org_id {
                    query = query.filter(projects::org_id.eq(org_id.to_owned()));
                }
                if let Some(status) = status {
                    query = query.filter(projects::status.eq(status));
                }
            }
            ProjectScope::Organisation(org_id) => {
                query = query.filter(projects::org_id.eq(org_id.to_owned()))
            }
        }
        query.load(conn)
    }

    /// Ids of projects changed at or after `since`.
    pub fn changed_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<String>> {
        projects::table.filter(projects::updated_at.ge(since)).select(projects::id).load(conn)
    }

    /// Ids of an organisation's projects.
    pub fn ids_of_org(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<String>> {
        projects::table.filter(projects::org_id.eq(org_id)).select(projects::id).load(conn)
    }

    /// Every public project (for the search index).
    pub fn all_public(conn: &mut DbConn) -> QueryResult<Vec<(ProjectRow, String)>> {
        projects::table
            .inner_join(organisations::table)
            .filter(projects::status.ne(ProjectStatus::Draft))
            .select((ProjectRow::as_select(), organisations::name))
            .load(conn)
    }
}

/// A clarification question row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = project_questions)]
#[diesel(treat_none_as_null = true)]
pub struct ProjectQuestionRow {
    pub id: String,
    pub project_id: String,
    pub asked_by: String,
    pub question: String,
    pub asked_at: NaiveDateTime,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<NaiveDateTime>,
}

impl ProjectQuestionRow {
    /// Inserts a question.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(project_questions::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(project_questions::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// One question with the asker's display name.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<(ProjectQuestionRow, String)>> {
        project_questions::table
            .inner_join(users::table)
            .filter(project_questions::id.eq(id))
            .select((ProjectQuestionRow::as_select(), users::display_name))
            .first(conn)
            .optional()
    }

    /// A project's questions, oldest first, with the askers' display names.
    pub fn of_project(conn: &mut DbConn, project_id: &str) -> QueryResult<Vec<(ProjectQuestionRow, String)>> {
        project_questions::table
            .inner_join(users::table)
            .filter(project_questions::project_id.eq(project_id))
            .order(project_questions::id.asc())
            .select((ProjectQuestionRow::as_select(), users::display_name))
            .load(conn)
    }

    /// Question counts of several projects (absent ones have none).
    pub fn counts(
        conn: &mut DbConn,
        project_ids: &[String],
    ) -> QueryResult<std::collections::HashMap<String, i64>> {
        use diesel::dsl::count_star;
        let rows: Vec<(String, i64)> = project_questions::table
            .filter(project_questions::project_id.eq_any(project_ids))
            .group_by(project_questions::project_id)
            .select((project_questions::project_id, count_star()))
            .load(conn)?;
        Ok(rows.into_iter().collect())
    }

    /// How many questions a project has.
    pub fn count(conn: &mut DbConn, project_id: &str) -> QueryResult<i64> {
        project_questions::table.filter(project_questions::project_id.eq(project_id)).count().get_result(conn)
    }
}
