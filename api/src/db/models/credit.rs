//! `credit_assessments` (one per organisation per month), `credit_findings` (staff-entered
//! social-responsibility facts), `credit_overrides` (grades put in force by dual control), and
//! the batch reads that gather an organisation's platform history for the credit model: each
//! read covers a whole batch of organisations, so a batch costs a fixed number of queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::domain::contract::acceptance::AcceptanceState;
use shared::domain::contract::lifecycle::ContractState;
use shared::domain::ledger::TransactionKind;
use shared::dto::{CreditFindingKind, CreditTrigger};

use crate::db::DbConn;
use crate::db::schema::{
    acceptances, contract_ratings, contract_versions, contracts, credit_assessments, credit_findings,
    credit_overrides, ledger_transactions, organisations, qualifications, verification_submissions,
};

/// One organisation's assessment of one month.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = credit_assessments, treat_none_as_null = true)]
pub struct AssessmentRow {
    pub org_id: String,
    pub month: String,
    pub computed_grade: Option<String>,
    pub total: f64,
    pub performance: f64,
    pub transaction_history: f64,
    pub reputation: f64,
    pub qualification: f64,
    pub social_responsibility: f64,
    /// JSON: `Vec<shared::domain::credit::DimensionScore>`.
    pub dimensions: String,
    pub payment_mean_days: Option<f64>,
    pub override_id: Option<String>,
    pub override_grade: Option<String>,
    pub triggered_by: CreditTrigger,
    pub computed_at: NaiveDateTime,
}

impl AssessmentRow {
    /// Whether `other` says the same (the trigger and time aside).
    pub fn same_as(&self, other: &AssessmentRow) -> bool {
        AssessmentRow { triggered_by: other.triggered_by, computed_at: other.computed_at, ..self.clone() }
            == *other
    }

    /// The assessments of `month` of the organisations.
    pub fn of_month(conn: &mut DbConn, orgs: &[String], month: &str) -> QueryResult<Vec<AssessmentRow>> {
        credit_assessments::table
            .filter(credit_assessments::org_id.eq_any(orgs))
            .filter(credit_assessments::month.eq(month))
            .select(AssessmentRow::as_select())
            .load(conn)
    }

    /// Inserts the row, or replaces the organisation's row of that month.
    pub fn upsert(&self, conn: &mut DbConn) -> QueryResult<()> {
        let updated = diesel::update(credit_assessments::table.find((&self.org_id, &self.month)))
            .set(self)
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(credit_assessments::table).values(self).execute(conn)?;
        }
        Ok(())
    }

    /// The newest `limit` assessments of an organisation, newest first.
    pub fn history(conn: &mut DbConn, org_id: &str, limit: i64) -> QueryResult<Vec<AssessmentRow>> {
        credit_assessments::table
            .filter(credit_assessments::org_id.eq(org_id))
            .order(credit_assessments::month.desc())
            .limit(limit)
            .select(AssessmentRow::as_select())
            .load(conn)
    }

    /// Writes the credit columns the rest of the platform reads (bidding, signing, matching)
    /// when they differ; `true` when they changed (the profile's `updated_at` moves, so other
    /// processes refresh their candidate pool).
    pub fn publish(
        conn: &mut DbConn,
        org_id: &str,
        score: f64,
        grade: Option<&str>,
        at: NaiveDateTime,
    ) -> QueryResult<bool> {
        let (old_score, old_grade): (Option<f64>, Option<String>) = organisations::table
            .find(org_id)
            .select((organisations::credit_score, organisations::credit_grade))
            .first(conn)?;
        if old_score == Some(score) && old_grade.as_deref() == grade {
            return Ok(false);
        }
        diesel::update(organisations::table.find(org_id))
            .set((
                organisations::credit_score.eq(score),
                organisations::credit_grade.eq(grade),
                organisations::updated_at.eq(at),
            ))
            .execute(conn)?;
        Ok(true)
    }
}

/// A staff finding.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_findings)]
pub struct FindingRow {
    pub id: String,
    pub org_id: String,
    pub kind: CreditFindingKind,
    pub value: i32,
    pub source: String,
    pub document_sha256: Option<String>,
    pub entered_by: String,
    pub entered_at: NaiveDateTime,
}

impl FindingRow {
    /// Inserts a finding.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(credit_findings::table).values(self).execute(conn).map(drop)
    }

    /// The findings of the organisations, oldest first (the newest of a kind counts).
    pub fn of_orgs(conn: &mut DbConn, orgs: &[String]) -> QueryResult<Vec<FindingRow>> {
        credit_findings::table
            .filter(credit_findings::org_id.eq_any(orgs))
            .order((credit_findings::entered_at.asc(), credit_findings::id.asc()))
            .select(FindingRow::as_select())
            .load(conn)
    }
}

/// A grade override.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_overrides)]
pub struct OverrideRow {
    pub id: String,
    pub org_id: String,
    pub grade: String,
    pub reason: String,
    pub request_id: String,
    pub requested_by: String,
    pub approved_by: String,
    pub applied_at: NaiveDateTime,
    pub lift_request_id: Option<String>,
    pub lifted_at: Option<NaiveDateTime>,
}

impl OverrideRow {
    /// Inserts an override (a second active one for the organisation is a unique violation).
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(credit_overrides::table).values(self).execute(conn).map(drop)
    }

    /// The overrides in force for the organisations.
    pub fn active(conn: &mut DbConn, orgs: &[String]) -> QueryResult<Vec<OverrideRow>> {
        credit_overrides::table
            .filter(credit_overrides::org_id.eq_any(orgs))
            .filter(credit_overrides::lifted_at.is_null())
            .select(OverrideRow::as_select())
            .load(conn)
    }

    /// Overrides by id (lifted ones too: history shows the override in force then).
    pub fn by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<OverrideRow>> {
        credit_overrides::table
            .filter(credit_overrides::id.eq_any(ids))
            .select(OverrideRow::as_select())
            .load(conn)
    }

    /// Lifts the organisation's override; `false` when none was in force.
    pub fn lift(conn: &mut DbConn, org_id: &str, request_id: &str, at: NaiveDateTime) -> QueryResult<bool> {
        let n = diesel::update(
            credit_overrides::table
                .filter(credit_overrides::org_id.eq(org_id))
                .filter(credit_overrides::lifted_at.is_null()),
        )
        .set((credit_overrides::lifted_at.eq(at), credit_overrides::lift_request_id.eq(request_id)))
        .execute(conn)?;
        Ok(n > 0)
    }
}

/// A signed contract of a batch's organisations with the document in force.
#[derive(Debug, Clone)]
pub struct SignedContract {
    pub id: String,
    pub payer_org_id: String,
    pub performer_org_id: String,
    pub status: ContractState,
    /// JSON of the `ContractDocument` in force.
    pub document: String,
}

/// Contract ids per `IN` list (well below both engines' bind-parameter limits).
const ID_CHUNK: usize = 1000;

/// A decided acceptance request: contract, milestone, approved, decided at.
pub type Decision = (String, i32, bool, NaiveDateTime);
/// A release from escrow: contract, milestone, amount, at.
pub type Release = (String, i32, i64, NaiveDateTime);

/// What the credit model reads from contracts about a batch of organisations: their signed
/// contracts with the document in force (one query), the decided acceptance requests in the
/// order they were made and the releases in time order (two queries per [`ID_CHUNK`] contracts).
pub fn contract_history(
    conn: &mut DbConn,
    orgs: &[String],
) -> QueryResult<(Vec<SignedContract>, Vec<Decision>, Vec<Release>)> {
    let signed: Vec<(String, String, String, ContractState, String)> = contracts::table
        .filter(contracts::effective_at.is_not_null())
        .filter(contracts::payer_org_id.eq_any(orgs).or(contracts::performer_org_id.eq_any(orgs)))
        .inner_join(
            contract_versions::table.on(contract_versions::contract_id
                .eq(contracts::id)
                .and(contract_versions::version.nullable().eq(contracts::effective_version))),
        )
        .select((
            contracts::id,
            contracts::payer_org_id,
            contracts::performer_org_id,
            contracts::status,
            contract_versions::document,
        ))
        .load(conn)?;
    let signed: Vec<SignedContract> = signed
        .into_iter()
        .map(|(id, payer_org_id, performer_org_id, status, document)| SignedContract {
            id,
            payer_org_id,
            performer_org_id,
            status,
            document,
        })
        .collect();
    let ids: Vec<String> = signed.iter().map(|c: &SignedContract| c.id.clone()).collect();
    let mut decisions = Vec::new();
    let mut releases = Vec::new();
    for chunk in ids.chunks(ID_CHUNK) {
        let decided: Vec<(String, i32, AcceptanceState, Option<NaiveDateTime>)> = acceptances::table
            .filter(acceptances::contract_id.eq_any(chunk))
            .filter(acceptances::status.ne(AcceptanceState::Requested))
            .order((acceptances::requested_at.asc(), acceptances::id.asc()))
            .select((
                acceptances::contract_id,
                acceptances::milestone,
                acceptances::status,
                acceptances::decided_at,
            ))
            .load(conn)?;
        decisions.extend(decided.into_iter().filter_map(|(contract, milestone, status, at)| {
            Some((contract, milestone, status == AcceptanceState::Accepted, at?))
        }));
        let released: Vec<(Option<String>, Option<i32>, i64, NaiveDateTime)> = ledger_transactions::table
            .filter(ledger_transactions::kind.eq(TransactionKind::Release))
            .filter(ledger_transactions::contract_id.eq_any(chunk))
            .order((ledger_transactions::created_at.asc(), ledger_transactions::id.asc()))
            .select((
                ledger_transactions::contract_id,
                ledger_transactions::milestone,
                ledger_transactions::amount_fen,
                ledger_transactions::created_at,
            ))
            .load(conn)?;
        releases.extend(
            released
                .into_iter()
                .filter_map(|(contract, milestone, amount, at)| Some((contract?, milestone?, amount, at))),
        );
    }
    Ok((signed, decisions, releases))
}

/// A rating: contract, ratee, the four aspects.
pub type Rated = (String, String, [i32; 4]);

/// Ratings received by the organisations (`None`: every rating on the platform).
pub fn ratings(conn: &mut DbConn, orgs: Option<&[String]>) -> QueryResult<Vec<Rated>> {
    let mut query = contract_ratings::table
        .select((
            contract_ratings::contract_id,
            contract_ratings::ratee_org_id,
            contract_ratings::quality,
            contract_ratings::timeliness,
            contract_ratings::communication,
            contract_ratings::payment,
        ))
        .into_boxed();
    if let Some(orgs) = orgs {
        query = query.filter(contract_ratings::ratee_org_id.eq_any(orgs.to_vec()));
    }
    let rows: Vec<(String, String, i32, i32, i32, i32)> = query.load(conn)?;
    Ok(rows.into_iter().map(|(c, ratee, q, t, m, p)| (c, ratee, [q, t, m, p])).collect())
}

/// A verified certificate: organisation, type, grade, expiry.
pub type Certificate = (String, String, String, chrono::NaiveDate);

/// The certificates of approved verification submissions of the organisations.
pub fn certificates(conn: &mut DbConn, orgs: &[String]) -> QueryResult<Vec<Certificate>> {
    qualifications::table
        .inner_join(verification_submissions::table)
        .filter(verification_submissions::status.eq(shared::dto::VerificationStatus::Verified))
        .filter(qualifications::org_id.eq_any(orgs))
        .select((
            qualifications::org_id,
            qualifications::type_code,
            qualifications::grade,
            qualifications::expires_on,
        ))
        .load(conn)
}

/// Every organisation id, in order (the monthly run walks them in batches).
pub fn all_org_ids(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    organisations::table.select(organisations::id).order(organisations::id.asc()).load(conn)
}

/// Organisations in a contract in force with `org_id` (any party).
pub fn counterparties_in_force(conn: &mut DbConn, org_id: &str) -> QueryResult<Vec<String>> {
    let rows: Vec<(String, String, Option<String>)> = contracts::table
        .filter(contracts::status.eq(ContractState::Effective))
        .filter(
            contracts::payer_org_id
                .eq(org_id)
                .or(contracts::performer_org_id.eq(org_id))
                .or(contracts::supervisor_org_id.eq(org_id)),
        )
        .select((contracts::payer_org_id, contracts::performer_org_id, contracts::supervisor_org_id))
        .load(conn)?;
    let mut out: Vec<String> = rows
        .into_iter()
        .flat_map(|(a, b, c)| [Some(a), Some(b), c])
        .flatten()
        .filter(|o| o != org_id)
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// Grouped by a key.
pub fn group<T, K: std::hash::Hash + Eq>(rows: Vec<T>, key: impl Fn(&T) -> K) -> HashMap<K, Vec<T>> {
    let mut map: HashMap<K, Vec<T>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

/// The month's platform mean rating, as the monthly run stored it.
pub fn stored_prior(conn: &mut DbConn, month: &str) -> QueryResult<Option<f64>> {
    crate::db::schema::credit_priors::table
        .find(month)
        .select(crate::db::schema::credit_priors::mean_rating)
        .first(conn)
        .optional()
}

/// Stores (or replaces) the month's platform mean rating.
pub fn store_prior(conn: &mut DbConn, month: &str, mean: f64, at: NaiveDateTime) -> QueryResult<()> {
    use crate::db::schema::credit_priors as p;
    let updated = diesel::update(p::table.find(month))
        .set((p::mean_rating.eq(mean), p::computed_at.eq(at)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(p::table)
            .values((p::month.eq(month), p::mean_rating.eq(mean), p::computed_at.eq(at)))
            .execute(conn)?;
    }
    Ok(())
}
