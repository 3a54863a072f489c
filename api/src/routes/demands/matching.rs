//! The matching engine's candidate pool: every organisation's profile as the engine sees it,
//! built from the database at start-up and refreshed by the handlers that change a profile
//! (organisation edits, verification decisions, suspensions, invitations and answers) within
//! this process. Scoring is `shared::domain::matching::recommend`.
//!
//! Facts that depend on the demand's poster or change with every contract are read when a
//! demand is matched ([`live_facts`]): the poster's completed contracts with each organisation
//! and the ratings it gave them, and each organisation's open contract value (the amounts of its
//! contracts in force as performer, less what was released on them), and the price level of
//! each organisation's listed resources in the demand's category against the category's median
//! per unit. Not fed: serving nationwide (profiles have no such field; everyone serves the
//! regions listed), and prices from awarded bids (sealed until a scoring sheet opens them).

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use shared::domain::credit::{CreditGrade, CreditStanding};
use shared::domain::matching::{
    CandidateCredit, CandidateProfile, CooperationHistory, Demand, InvitationRecord, LiveFacts, MatchOutcome,
    MatchingConfig, MatchingError, recommend_with,
};
use shared::domain::qualification::{GradeRank, HeldQualification, QualificationRequirement};
use shared::domain::region::RegionCode;
use shared::dto::{InvitationAnswer, RequiredQualification};

use crate::db::DbConn;
use crate::db::models::demands::{DemandInvitationRow, DemandRow};
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::verification::QualificationRow;

#[derive(Default)]
struct Pool {
    profiles: Vec<CandidateProfile>,
    position: HashMap<String, usize>,
}

/// Every organisation's candidate profile behind a lock.
#[derive(Default)]
pub struct CandidatePool {
    pool: RwLock<Pool>,
}

fn parse_word<T: DeserializeOwned>(word: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(word.to_owned())).ok()
}

/// The verified certificates of an organisation as the rules need them (unknown types and
/// grades skipped).
pub fn held(rows: &[QualificationRow]) -> Vec<HeldQualification> {
    rows.iter()
        .filter_map(|q| {
            let grade = shared::taxonomy::qualification_type(&q.type_code)?.rank(&q.grade)?;
            Some(HeldQualification { kind: q.type_code.clone(), grade, expires_on: q.expires_on })
        })
        .collect()
}

/// An organisation's last computed credit: its score and grade, or insufficient data while it
/// has no grade.
pub fn credit(row: &OrganisationRow) -> CandidateCredit {
    let score = row.credit_score.unwrap_or(0.0);
    match row.credit_grade.as_deref().and_then(parse_word::<CreditGrade>) {
        Some(grade) => CandidateCredit { score, standing: CreditStanding::Rated { grade } },
        None => CandidateCredit { score, standing: CreditStanding::InsufficientData },
    }
}

/// `None` for an organisation without a valid home region (the profile checks prevent one).
fn profile(
    row: &OrganisationRow,
    qualifications: &[QualificationRow],
    invitations: InvitationRecord,
) -> Option<CandidateProfile> {
    let list = |json: &str| serde_json::from_str::<Vec<String>>(json).unwrap_or_default();
    let served = list(&row.regions_served);
    let credit = credit(row);
    let home_region = RegionCode::parse(&row.region_code).ok()?;
    Some(CandidateProfile {
        org_id: row.id.clone(),
        verified: row.verification_status == shared::dto::VerificationStatus::Verified,
        suspended: row.suspended_at.is_some(),
        categories: list(&row.categories),
        qualifications: held(qualifications),
        home_region,
        regions_served: served.iter().filter_map(|c| RegionCode::parse(c).ok()).collect(),
        serves_nationwide: false,
        credit,
        tier: row.membership_tier,
        capacity_fen: row.declared_capacity_fen.unwrap_or(0),
        open_contract_value_fen: 0,
        history_with_poster: CooperationHistory::default(),
        invitations,
        price_index: None,
    })
}

fn record(counts: &mut HashMap<String, InvitationRecord>, org_id: String, answer: InvitationAnswer) {
    let entry = counts.entry(org_id).or_default();
    entry.received += 1;
    if answer != InvitationAnswer::Pending {
        entry.answered += 1;
    }
}

impl CandidatePool {
    /// Builds every organisation's profile.
    pub fn load(conn: &mut DbConn) -> diesel::QueryResult<Self> {
        let mut qualifications: HashMap<String, Vec<QualificationRow>> = HashMap::new();
        for q in QualificationRow::verified(conn, None)? {
            qualifications.entry(q.org_id.clone()).or_default().push(q);
        }
        let mut invitations: HashMap<String, InvitationRecord> = HashMap::new();
        for (org_id, answer) in DemandInvitationRow::response_counts(conn)? {
            record(&mut invitations, org_id, answer);
        }
        let mut pool = Pool::default();
        for row in OrganisationRow::all(conn)? {
            let quals = qualifications.get(&row.id).map_or(&[][..], Vec::as_slice);
            let record = invitations.get(&row.id).copied().unwrap_or_default();
            if let Some(candidate) = profile(&row, quals, record) {
                pool.position.insert(row.id.clone(), pool.profiles.len());
                pool.profiles.push(candidate);
            }
        }
        Ok(Self { pool: RwLock::new(pool) })
    }

    /// Rebuilds every profile from the database (after bulk loads such as demo data).
    pub fn reload(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        let fresh = Self::load(conn)?.pool.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.write(|pool| *pool = fresh);
        Ok(())
    }

    fn write(&self, f: impl FnOnce(&mut Pool)) {
        let mut guard = self.pool.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard);
    }

    /// Re-reads one organisation's profile (keeping its invitation record).
    pub fn refresh_org(&self, conn: &mut DbConn, org_id: &str) -> diesel::QueryResult<()> {
        let Some(row) = OrganisationRow::find(conn, org_id)? else { return Ok(()) };
        let quals = QualificationRow::verified(conn, Some(org_id))?;
        self.write(|pool| match pool.position.get(org_id).copied() {
            Some(at) => {
                if let Some(candidate) = profile(&row, &quals, pool.profiles[at].invitations) {
                    pool.profiles[at] = candidate;
                }
            }
            None => {
                if let Some(candidate) = profile(&row, &quals, InvitationRecord::default()) {
                    pool.position.insert(row.id.clone(), pool.profiles.len());
                    pool.profiles.push(candidate);
                }
            }
        });
        Ok(())
    }

    /// Counts an invitation sent (`answered == false`) or answered.
    pub fn record_invitation(&self, org_id: &str, answered: bool) {
        self.write(|pool| {
            if let Some(&at) = pool.position.get(org_id) {
                let record = &mut pool.profiles[at].invitations;
                if answered {
                    record.answered += 1;
                } else {
                    record.received += 1;
                }
            }
        });
    }

    /// Ranks every organisation for `demand`, with the facts read for this match.
    pub fn recommend(
        &self,
        demand: &Demand,
        live: &LiveFacts,
        config: &MatchingConfig,
        now: DateTime<Utc>,
    ) -> Result<MatchOutcome, MatchingError> {
        let guard = self.pool.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        recommend_with(demand, &guard.profiles, live, config, now)
    }

    /// Organisations in the pool.
    pub fn len(&self) -> usize {
        self.pool.read().unwrap_or_else(std::sync::PoisonError::into_inner).profiles.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Resolves a required qualification's grade code to its rank in the taxonomy.
pub fn requirement(required: &RequiredQualification) -> Option<QualificationRequirement> {
    let rank: GradeRank =
        shared::taxonomy::qualification_type(&required.type_code)?.rank(&required.minimum_grade)?;
    Some(QualificationRequirement { kind: required.type_code.clone(), minimum_grade: rank })
}

/// The engine's view of a stored demand.
pub fn demand(row: &DemandRow) -> Option<Demand> {
    let required: Vec<RequiredQualification> = serde_json::from_str(&row.required_qualifications).ok()?;
    Some(Demand {
        id: row.id.clone(),
        poster_org_id: row.org_id.clone(),
        category: row.category.clone(),
        region: RegionCode::parse(&row.region_code).ok()?,
        required_qualifications: required.iter().map(requirement).collect::<Option<Vec<_>>>()?,
        budget_max_fen: row.budget_max_fen,
    })
}

/// The facts read when a demand of `poster` in `category` is matched: the poster's completed
/// contracts with each organisation (as payer) and the ratings it gave, every organisation's
/// open contract value, and the price levels of the category's listed resources
/// (`shared::domain::matching::price_levels`).
pub fn live_facts(conn: &mut DbConn, poster: &str, category: &str) -> diesel::QueryResult<LiveFacts> {
    use crate::db::schema::{
        contract_ratings as r, contract_versions as v, contracts as c, ledger_transactions as t, resources,
    };
    use diesel::prelude::*;
    use shared::domain::contract::lifecycle::ContractState;
    use shared::domain::ledger::TransactionKind;

    let mut facts = LiveFacts::default();
    let completed: Vec<String> = c::table
        .filter(c::payer_org_id.eq(poster))
        .filter(c::status.eq(ContractState::Completed))
        .select(c::performer_org_id)
        .load(conn)?;
    for org in completed {
        facts.history_with_poster.entry(org).or_default().completed_contracts += 1;
    }
    let given: Vec<(String, i32, i32, i32, i32)> = r::table
        .filter(r::rater_org_id.eq(poster))
        .select((r::ratee_org_id, r::quality, r::timeliness, r::communication, r::payment))
        .load(conn)?;
    for (org, q, t, m, p) in given {
        let history = facts.history_with_poster.entry(org).or_default();
        history.rating_count += 1;
        history.rating_sum += f64::from(q + t + m + p) / 4.0;
    }
    let open: Vec<(String, String, String)> = c::table
        .filter(c::status.eq(ContractState::Effective))
        .inner_join(v::table.on(v::contract_id.eq(c::id).and(v::version.nullable().eq(c::effective_version))))
        .select((c::id, c::performer_org_id, v::document))
        .load(conn)?;
    let ids: Vec<&str> = open.iter().map(|(id, ..)| id.as_str()).collect();
    let mut released: HashMap<String, i64> = HashMap::new();
    for chunk in ids.chunks(1000) {
        let rows: Vec<(Option<String>, i64)> = t::table
            .filter(t::kind.eq(TransactionKind::Release))
            .filter(t::contract_id.eq_any(chunk))
            .select((t::contract_id, t::amount_fen))
            .load(conn)?;
        for (contract, amount) in rows {
            *released.entry(contract.unwrap_or_default()).or_default() += amount;
        }
    }
    for (id, performer, document) in open {
        let Ok(document) =
            serde_json::from_str::<shared::domain::contract::document::ContractDocument>(&document)
        else {
            continue;
        };
        let left = (document.terms.plan.amount_fen - released.get(&id).copied().unwrap_or(0)).max(0);
        *facts.open_contract_value_fen.entry(performer).or_default() += left;
    }
    let listings: Vec<(String, String, i64)> = resources::table
        .filter(resources::category.eq(category))
        .filter(resources::listed.eq(true))
        .select((resources::org_id, resources::unit, resources::unit_price_fen))
        .load(conn)?;
    facts.price_index = shared::domain::matching::price_levels(&listings);
    Ok(facts)
}
