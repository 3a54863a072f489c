//! `staff_roles` and `dual_control_requests`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::{DualControlAction, StaffRequestStatus, StaffRole};

use crate::db::DbConn;
use crate::db::schema::{dual_control_requests, staff_roles};

/// A staff role held by an account.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = staff_roles)]
pub struct StaffRoleRow {
    pub user_id: String,
    pub role: StaffRole,
    pub granted_at: NaiveDateTime,
    pub granted_by: String,
}

impl StaffRoleRow {
    /// The roles an account holds.
    pub fn roles_of(conn: &mut DbConn, user_id: &str) -> QueryResult<Vec<StaffRole>> {
        staff_roles::table
            .filter(staff_roles::user_id.eq(user_id))
            .order(staff_roles::role.asc())
            .select(staff_roles::role)
            .load(conn)
    }

    /// Every account holding `role`.
    pub fn holders(conn: &mut DbConn, role: StaffRole) -> QueryResult<Vec<String>> {
        staff_roles::table.filter(staff_roles::role.eq(role)).select(staff_roles::user_id).load(conn)
    }

    /// Grants a role; `false` if it was held already.
    pub fn grant(&self, conn: &mut DbConn) -> QueryResult<bool> {
        if Self::roles_of(conn, &self.user_id)?.contains(&self.role) {
            return Ok(false);
        }
        diesel::insert_into(staff_roles::table).values(self).execute(conn)?;
        Ok(true)
    }

    /// Revokes a role; `false` if it was not held.
    pub fn revoke(conn: &mut DbConn, user_id: &str, role: StaffRole) -> QueryResult<bool> {
        let n = diesel::delete(
            staff_roles::table.filter(staff_roles::user_id.eq(user_id)).filter(staff_roles::role.eq(role)),
        )
        .execute(conn)?;
        Ok(n == 1)
    }
}

/// A dual-control request row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = dual_control_requests)]
pub struct DualControlRow {
    pub id: String,
    pub action: DualControlAction,
    pub target_user_id: Option<String>,
    pub target_org_id: Option<String>,
    pub role: Option<StaffRole>,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub status: StaffRequestStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_reason: Option<String>,
    pub target_contract_id: Option<String>,
    pub milestone: Option<i32>,
    /// The grade a credit override asks for (`CreditGrade::as_str`).
    pub credit_grade: Option<String>,
}

impl DualControlRow {
    /// Inserts a request.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(dual_control_requests::table).values(self).execute(conn).map(drop)
    }

    /// A request by id.
    pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<DualControlRow>> {
        dual_control_requests::table.find(id).select(DualControlRow::as_select()).first(conn).optional()
    }

    /// Requests with a status (or all), newest first, at most 200.
    pub fn list(conn: &mut DbConn, status: Option<StaffRequestStatus>) -> QueryResult<Vec<DualControlRow>> {
        let mut query = dual_control_requests::table.select(DualControlRow::as_select()).into_boxed();
        if let Some(status) = status {
            query = query.filter(dual_control_requests::status.eq(status));
        }
        query.order(dual_control_requests::id.desc()).limit(200).load(conn)
    }

    /// Records the decision on a pending request; `false` if it was no longer pending.
    pub fn decide(
        conn: &mut DbConn,
        id: &str,
        status: StaffRequestStatus,
        by: &str,
        reason: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            dual_control_requests::table
                .find(id)
                .filter(dual_control_requests::status.eq(StaffRequestStatus::Pending)),
        )
        .set((
            dual_control_requests::status.eq(status),
            dual_control_requests::decided_by.eq(by),
            dual_control_requests::decided_at.eq(at),
            dual_control_requests::decision_reason.eq(reason),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }
}
