//! `demands`, `demand_recommendations` and `demand_invitations`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::dto::{DemandKind, DemandStatus, InvitationAnswer};

use crate::db::DbConn;
use crate::db::schema::{demand_invitations, demand_recommendations, demands, organisations};

/// A demand row. `required_qualifications`, `files` and `match_summary` hold JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = demands)]
#[diesel(treat_none_as_null = true)]
pub struct DemandRow {
    pub id: String,
    pub org_id: String,
    pub kind: DemandKind,
    pub title: String,
    pub category: String,
    pub scope: String,
    pub quantity: Option<String>,
    pub budget_min_fen: i64,
    pub budget_max_fen: i64,
    pub region_code: String,
    pub required_qualifications: String,
    pub deadline: NaiveDate,
    pub files: String,
    pub project_id: Option<String>,
    pub status: DemandStatus,
    pub submitted_at: Option<NaiveDateTime>,
    pub review_due_at: Option<NaiveDateTime>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub rejection_reason: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub match_summary: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Which demands a list shows.
pub enum DemandScope<'a> {
    /// Published and closed demands, optionally filtered.
    Public { category: Option<&'a str>, kind: Option<DemandKind> },
    /// Every demand of one organisation.
    Organisation(&'a str),
    /// The staff review queue (oldest first).
    ReviewQueue,
}

impl DemandRow {
    /// Inserts a demand.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(demands::table).values(self).execute(conn).map(drop)
    }

    /// Writes every field back.
    pub fn save(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::update(demands::table.find(&self.id)).set(self).execute(conn).map(drop)
    }

    /// Moves the demand from `from` to the row's status; `false` when it was no longer in
    /// `from` (a concurrent decision won).
    pub fn save_if_status(&self, conn: &mut DbConn, from: DemandStatus) -> QueryResult<bool> {
        let n = diesel::update(demands::table.find(&self.id).filter(demands::status.eq(from)))
            .set(self)
            .execute(conn)?;
        Ok(n == 1)
    }

    /// One demand with its organisation's name.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<(DemandRow, String)>> {
        demands::table
            .inner_join(organisations::table)
            .filter(demands::id.eq(id))
            .select((DemandRow::as_select(), organisations::name))
            .first(conn)
            .optional()
    }

    /// A page after `cursor`: newest first, except the review queue (oldest first).
    pub fn page(
        conn: &mut DbConn,
        scope: DemandScope<'_>,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<(DemandRow, String)>> {
        let mut query = demands::table
            .inner_join(organisations::table)
            .select((DemandRow::as_select(), organisations::name))
            .limit(limit)
            .into_boxed();
        match scope {
            DemandScope::ReviewQueue => {
                query =
                    query.filter(demands::status.eq(DemandStatus::PendingReview)).order(demands::id.asc());
                if let Some(cursor) = cursor {
                    query = query.filter(demands::id.gt(cursor.to_owned()));
                }
                return query.load(conn);
            }
            DemandScope::Public { category, kind } => {
                query = query.filter(demands::status.eq_any([DemandStatus::Published, DemandStatus::Closed]));
                if let Some(category) = category {
                    query = query.filter(demands::category.eq(category.to_owned()));
                }
                if let Some(kind) = kind {
                    query = query.filter(demands::kind.eq(kind));
                }
            }
            DemandScope::Organisation(org_id) => query = query.filter(demands::org_id.eq(org_id.to_owned())),
        }
        if let Some(cursor) = cursor {
            query = query.filter(demands::id.lt(cursor.to_owned()));
        }
        query.order(demands::id.desc()).load(conn)
    }
}

/// A ranked recommendation row. `factors` holds the factor scores as JSON.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = demand_recommendations)]
pub struct RecommendationRow {
    pub demand_id: String,
    pub org_id: String,
    pub rank: i32,
    pub score: f64,
    pub factors: String,
    pub reason: String,
    pub reason_en: String,
}

/// A recommendation with the organisation's name, published credit grade and tier now.
pub type RecommendedOrg =
    (RecommendationRow, String, Option<String>, shared::domain::membership::MembershipTier);

impl RecommendationRow {
    /// Replaces a demand's recommendations.
    pub fn replace(conn: &mut DbConn, demand_id: &str, rows: &[RecommendationRow]) -> QueryResult<()> {
        diesel::delete(demand_recommendations::table.filter(demand_recommendations::demand_id.eq(demand_id)))
            .execute(conn)?;
        for row in rows {
            diesel::insert_into(demand_recommendations::table).values(row).execute(conn)?;
        }
        Ok(())
    }

    /// A demand's recommendations by rank, with names.
    pub fn of_demand(conn: &mut DbConn, demand_id: &str) -> QueryResult<Vec<RecommendedOrg>> {
        demand_recommendations::table
            .inner_join(organisations::table.on(organisations::id.eq(demand_recommendations::org_id)))
            .filter(demand_recommendations::demand_id.eq(demand_id))
            .order(demand_recommendations::rank.asc())
            .select((
                RecommendationRow::as_select(),
                organisations::name,
                organisations::credit_grade,
                organisations::membership_tier,
            ))
            .load(conn)
    }

    /// One organisation's recommendation for a demand.
    pub fn find(conn: &mut DbConn, demand_id: &str, org_id: &str) -> QueryResult<Option<RecommendationRow>> {
        demand_recommendations::table
            .find((demand_id, org_id))
            .select(RecommendationRow::as_select())
            .first(conn)
            .optional()
    }
}

/// An invitation to respond to a demand.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = demand_invitations)]
pub struct DemandInvitationRow {
    pub id: String,
    pub demand_id: String,
    pub org_id: String,
    pub rank: i32,
    pub reason: String,
    pub reason_en: String,
    pub answer: InvitationAnswer,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
    pub answered_by: Option<String>,
}

/// An invitation with what a view of it needs: the demand's title and poster and both names.
pub type InvitationWithNames = (DemandInvitationRow, String, String, String, String);

impl DemandInvitationRow {
    /// Inserts an invitation.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(demand_invitations::table).values(self).execute(conn).map(drop)
    }

    /// Records an answer; `false` when it was already answered.
    pub fn answer(
        conn: &mut DbConn,
        id: &str,
        answer: InvitationAnswer,
        note: Option<&str>,
        by: &str,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            demand_invitations::table
                .find(id)
                .filter(demand_invitations::answer.eq(InvitationAnswer::Pending)),
        )
        .set((
            demand_invitations::answer.eq(answer),
            demand_invitations::note.eq(note),
            demand_invitations::answered_by.eq(by),
            demand_invitations::answered_at.eq(at),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    fn with_names(
        conn: &mut DbConn,
        rows: Vec<DemandInvitationRow>,
    ) -> QueryResult<Vec<InvitationWithNames>> {
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (title, poster_id, poster_name): (String, String, String) = demands::table
                .inner_join(organisations::table)
                .filter(demands::id.eq(&row.demand_id))
                .select((demands::title, demands::org_id, organisations::name))
                .first(conn)?;
            let org_name: String =
                organisations::table.find(&row.org_id).select(organisations::name).first(conn)?;
            out.push((row, title, poster_id, poster_name, org_name));
        }
        Ok(out)
    }

    /// One invitation with names.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<InvitationWithNames>> {
        let row = demand_invitations::table
            .find(id)
            .select(DemandInvitationRow::as_select())
            .first(conn)
            .optional()?;
        Ok(Self::with_names(conn, row.into_iter().collect())?.pop())
    }

    /// A demand's invitations by rank.
    pub fn of_demand(conn: &mut DbConn, demand_id: &str) -> QueryResult<Vec<InvitationWithNames>> {
        let rows = demand_invitations::table
            .filter(demand_invitations::demand_id.eq(demand_id))
            .order((demand_invitations::rank.asc(), demand_invitations::id.asc()))
            .select(DemandInvitationRow::as_select())
            .load(conn)?;
        Self::with_names(conn, rows)
    }

    /// Invitations an organisation received, newest first, after `cursor`.
    pub fn received(
        conn: &mut DbConn,
        org_id: &str,
        cursor: Option<&str>,
        limit: i64,
    ) -> QueryResult<Vec<InvitationWithNames>> {
        let rows = demand_invitations::table
            .filter(demand_invitations::org_id.eq(org_id))
            .filter(demand_invitations::id.lt(cursor.unwrap_or("~")))
            .order(demand_invitations::id.desc())
            .limit(limit)
            .select(DemandInvitationRow::as_select())
            .load(conn)?;
        Self::with_names(conn, rows)
    }

    /// Per organisation: invitations received and answered (for responsiveness).
    pub fn response_counts(conn: &mut DbConn) -> QueryResult<Vec<(String, InvitationAnswer)>> {
        demand_invitations::table.select((demand_invitations::org_id, demand_invitations::answer)).load(conn)
    }
}
