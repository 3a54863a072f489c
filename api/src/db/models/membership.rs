//! Membership: the tier columns of `organisations` (tier, inactivity hold, since, advisor),
//! `membership_changes` (the history), and the reads of the facts a tier depends on — the
//! fully settled contracts of a set of organisations (completion time and amount in force).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::membership::{MembershipTier, TierStanding};
use shared::dto::{TierChangeKind, TierTriggerKind};

use crate::db::DbConn;
use crate::db::schema::{contract_closings, contract_versions, contracts, membership_changes, organisations};

/// The membership columns of an organisation.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct MemberStanding {
    pub id: String,
    pub membership_tier: MembershipTier,
    pub membership_held: bool,
    pub membership_since: Option<NaiveDateTime>,
    pub advisor_id: Option<String>,
    pub credit_score: Option<f64>,
    pub credit_grade: Option<String>,
}

impl MemberStanding {
    /// The stored standing.
    pub fn standing(&self) -> TierStanding {
        TierStanding { tier: self.membership_tier, held: self.membership_held }
    }

    /// The membership columns of `orgs` (unknown ids are left out).
    pub fn of(conn: &mut DbConn, orgs: &[String]) -> QueryResult<Vec<MemberStanding>> {
        organisations::table
            .filter(organisations::id.eq_any(orgs))
            .order(organisations::id.asc())
            .select(MemberStanding::as_select())
            .load(conn)
    }

    /// Writes a new standing (a tier change also sets `since`; leaving VIP drops the advisor).
    pub fn save(conn: &mut DbConn, id: &str, standing: TierStanding, at: NaiveDateTime) -> QueryResult<()> {
        let advisor_kept = standing.tier.has_named_advisor();
        let row = organisations::table.find(id);
        diesel::update(row)
            .filter(organisations::membership_tier.ne(standing.tier))
            .set((organisations::membership_since.eq(at), organisations::updated_at.eq(at)))
            .execute(conn)?;
        if !advisor_kept {
            diesel::update(row).set(organisations::advisor_id.eq(None::<String>)).execute(conn)?;
        }
        diesel::update(row)
            .set((
                organisations::membership_tier.eq(standing.tier),
                organisations::membership_held.eq(standing.held),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Removes the advisor.
    pub fn clear_advisor(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(organisations::table.find(id))
            .set((organisations::advisor_id.eq(None::<String>), organisations::updated_at.eq(at)))
            .execute(conn)
            .map(|_| ())
    }

    /// Sets the advisor.
    pub fn set_advisor(conn: &mut DbConn, id: &str, advisor: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(organisations::table.find(id))
            .set((organisations::advisor_id.eq(advisor), organisations::updated_at.eq(at)))
            .execute(conn)?;
        Ok(n > 0)
    }
}

/// One change of tier.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = membership_changes)]
pub struct MembershipChangeRow {
    pub id: String,
    pub org_id: String,
    pub previous: MembershipTier,
    pub tier: MembershipTier,
    pub change: TierChangeKind,
    pub triggered_by: TierTriggerKind,
    /// JSON list of `TierReason`.
    pub reasons: String,
    pub created_at: NaiveDateTime,
}

impl MembershipChangeRow {
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(membership_changes::table).values(self).execute(conn).map(|_| ())
    }

    /// Which of `orgs` the quarterly review already moved at or after `since`.
    pub fn reviewed_since(
        conn: &mut DbConn,
        orgs: &[String],
        since: NaiveDateTime,
    ) -> QueryResult<std::collections::HashSet<String>> {
        let ids: Vec<String> = membership_changes::table
            .filter(membership_changes::org_id.eq_any(orgs))
            .filter(membership_changes::triggered_by.eq(TierTriggerKind::QuarterlyReview))
            .filter(membership_changes::created_at.ge(since))
            .select(membership_changes::org_id)
            .load(conn)?;
        Ok(ids.into_iter().collect())
    }

    /// The newest `limit` changes of an organisation.
    pub fn history(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<MembershipChangeRow>> {
        membership_changes::table
            .filter(membership_changes::org_id.eq(org_id))
            .order((membership_changes::created_at.desc(), membership_changes::id.desc()))
            .limit(limit)
            .select(MembershipChangeRow::as_select())
            .load(conn)
    }
}

/// A fully settled contract: payer, performer, completed at, the document in force (JSON).
pub type Settled = (String, String, NaiveDateTime, String);

/// The fully settled contracts of `orgs` (either side) completed at or before `until`.
pub fn settled(conn: &mut DbConn, orgs: &[String], until: NaiveDateTime) -> QueryResult<Vec<Settled>> {
    let rows: Vec<(String, String, Option<NaiveDateTime>, String)> = contract_closings::table
        .inner_join(contracts::table.on(contracts::id.eq(contract_closings::contract_id)))
        .inner_join(
            contract_versions::table.on(contract_versions::contract_id
                .eq(contracts::id)
                .and(contract_versions::version.nullable().eq(contracts::effective_version))),
        )
        .filter(contract_closings::completed_at.le(until))
        .filter(contracts::payer_org_id.eq_any(orgs).or(contracts::performer_org_id.eq_any(orgs)))
        .select((
            contracts::payer_org_id,
            contracts::performer_org_id,
            contract_closings::completed_at,
            contract_versions::document,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(payer, performer, at, doc)| Some((payer, performer, at?, doc)))
        .collect())
}

/// Every organisation id with its standing, in id order from `after` (the quarterly review's
/// batches).
pub fn standings_after(conn: &mut DbConn, after: &str, limit: i64) -> QueryResult<Vec<MemberStanding>> {
    organisations::table
        .filter(organisations::id.gt(after))
        .order(organisations::id.asc())
        .limit(limit)
        .select(MemberStanding::as_select())
        .load(conn)
}
