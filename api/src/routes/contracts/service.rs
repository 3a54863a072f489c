//! Contracts at the API edge: drafting from an award, versions rendered once to PDF (the bytes
//! in the file store under their SHA-256, which is what the parties sign), who may see what,
//! the lifecycle's view of a stored contract, the certificate and the verification.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use shared::domain::calendar::shanghai::{SHANGHAI, business_date};
use shared::domain::contract::document::{
    ContractDocument, consent_text, sections, standard_clauses, template_name,
};
use shared::domain::contract::lifecycle::{Contract, DocumentVersion, Signature};
use shared::domain::contract::risk::{advance_is_high_risk, required_bond};
use shared::domain::credit::CreditStanding;
use shared::domain::notices::contracts::ContractNotice;
use shared::domain::tender::lifecycle::award_lapses_at;
use shared::dto::*;
use shared::error::ErrorCode;

use crate::calendar::CalendarCache;
use crate::db::models::audit::{AuditEntry, entry_hash};
use crate::db::models::contracts::{ContractRow, ContractVersionRow, SignatureRow, audit_entries};
use crate::db::models::demands::DemandRow;
use crate::db::models::orgs::OrganisationRow;
use crate::db::models::tenders::{BidRow, TenderRow};
use crate::db::models::verification::SubmissionRow;
use crate::db::{DbConn, new_id};
use crate::error::ApiError;
use crate::pdf::{Block, Document, PdfFont, render};
use crate::routes::files::service::{FileStore, sha256};
use crate::routes::notifications::notify::Notice;
use crate::state::Outgoing;

/// What rendering and storing a version needs.
#[derive(Clone)]
pub struct Renderer {
    /// The font.
    pub font: PdfFont,
    /// Where the PDF bytes go.
    pub files: Arc<dyn FileStore>,
}

/// 404 for a contract (also what anyone who is not a party or the supervisor gets).
pub fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "contract not found")
}

/// 500 with the reason when no PDF font is available.
pub fn no_font(reason: String) -> ApiError {
    ApiError::internal(format!("contracts cannot be rendered: {reason}"))
}

/// The part an organisation takes in a contract, if any.
pub fn role_of(row: &ContractRow, org_id: &str) -> Option<PartyRole> {
    if row.payer_org_id == org_id {
        Some(PartyRole::Payer)
    } else if row.performer_org_id == org_id {
        Some(PartyRole::Performer)
    } else if row.supervisor_org_id.as_deref() == Some(org_id) {
        Some(PartyRole::Supervisor)
    } else {
        None
    }
}

/// The organisation as the contract names it now: registered name, code, legal
/// representative (from its latest verification), address.
pub fn party(conn: &mut DbConn, org_id: &str, role: PartyRole) -> Result<PartyView, ApiError> {
    let org = OrganisationRow::find(conn, org_id)?.ok_or_else(crate::routes::orgs::service::not_found)?;
    let legal_representative =
        SubmissionRow::latest_of(conn, org_id)?.map(|s| s.legal_rep_name).unwrap_or_default();
    Ok(PartyView {
        role,
        org_id: org.id,
        name: org.name,
        uscc: org.uscc,
        legal_representative,
        address: org.address,
    })
}

/// The parties of a contract as a new version names them.
pub fn parties(conn: &mut DbConn, row: &ContractRow) -> Result<Vec<PartyView>, ApiError> {
    let mut parties = vec![
        party(conn, &row.payer_org_id, PartyRole::Payer)?,
        party(conn, &row.performer_org_id, PartyRole::Performer)?,
    ];
    if let Some(supervisor) = &row.supervisor_org_id {
        parties.push(party(conn, supervisor, PartyRole::Supervisor)?);
    }
    Ok(parties)
}

/// The first draft's terms, filled from the demand and the awarded offer: the template by the
/// demand's kind, amount and duration from the bid, a 10 % advance then 60 % and 30 %,
/// retention 3 %, no bond, warranty 24 months (12 for design), starting 15 days after the
/// award, disputes to arbitration at the payer's seat.
pub fn first_terms(
    demand: &DemandRow,
    price_fen: i64,
    duration_days: i64,
    today: NaiveDate,
) -> Result<ContractTerms, ApiError> {
    let template = match demand.kind {
        DemandKind::Subcontracting => ContractTemplate::Subcontracting,
        DemandKind::Procurement => ContractTemplate::Purchase,
    };
    let start = today + Duration::days(15);
    let main = start + Duration::days(duration_days * 6 / 10);
    let end = start + Duration::days(duration_days);
    let milestone = |name: &str, value, planned_date, due_condition: &str| MilestoneInput {
        name: name.to_owned(),
        value,
        planned_date,
        due_condition: due_condition.to_owned(),
    };
    let request = ContractTermsRequest {
        based_on_version: 0,
        template,
        title: demand.title.clone(),
        scope: demand.scope.clone(),
        plan: PaymentPlanInput {
            amount_fen: price_fen,
            allocation: Allocation::Shares,
            milestones: vec![
                milestone("预付款", 1_000, start, ""),
                milestone("主体完成", 6_000, main, "主体部分完成并经甲方（及监理）验收合格"),
                milestone("竣工验收", 3_000, end, "全部完成并经竣工验收合格、结算完毕"),
            ],
            retention_bp: 300,
            performance_bond_bp: 0,
            warranty_months: if template == ContractTemplate::Design { 12 } else { 24 },
        },
        duration_days,
        start_date: start,
        supervisor_org_id: None,
        dispute_clause: "因本合同引起的或与本合同有关的争议，双方应友好协商解决；协商不成的，提交甲方所在地仲裁委员会仲裁。"
            .to_owned(),
    };
    Ok(request.check_on(today)?.0)
}

/// The PDF of a version's document: title, parties, every term, the payment table, the
/// template's standard clauses and the signature block. Deterministic: the same document gives
/// the same bytes.
pub fn render_document(document: &ContractDocument, font: &PdfFont) -> Result<Vec<u8>, ApiError> {
    let (zh, en) = template_name(document.terms.template);
    let mut blocks = Vec::new();
    for section in sections(document) {
        let payment = section.lines.iter().any(|l| l.key == "plan.amount");
        blocks.push(Block::Heading(section.heading));
        blocks.push(Block::Fields(section.lines.into_iter().map(|l| (l.label, l.value)).collect()));
        if payment {
            blocks.push(payment_table(document));
        }
    }
    blocks.push(Block::Heading("七、通用条款 (General terms)".to_owned()));
    for (heading, text) in standard_clauses(document.terms.template) {
        blocks.push(Block::Paragraph(format!("{heading}：{text}")));
    }
    blocks.push(Block::Heading("八、签署 (Signatures)".to_owned()));
    let signing: Vec<(String, String)> = document
        .parties
        .iter()
        .filter(|p| p.role != PartyRole::Supervisor)
        .map(|p| {
            (
                format!("{}（电子签名）", p.name),
                "以共筑平台签署记录与完成证书为准 (see the certificate of completion)".to_owned(),
            )
        })
        .collect();
    blocks.push(Block::Fields(signing));
    let doc = Document {
        title: format!("{zh} {en}"),
        subtitle: Some(format!(
            "合同编号 Contract No. {} · 第 {} 版 Version {}",
            document.contract_id, document.version, document.version
        )),
        blocks,
        footer: Some(format!("共筑 Gongzhu · {} v{}", document.contract_id, document.version)),
    };
    render(&doc, font).map_err(ApiError::internal)
}

fn payment_table(document: &ContractDocument) -> Block {
    let rows = document
        .terms
        .plan
        .milestones
        .iter()
        .map(|m| {
            vec![
                m.index.to_string(),
                m.name.clone(),
                m.share_bp.map(|bp| format!("{:.2}%", f64::from(bp) / 100.0)).unwrap_or_default(),
                shared::domain::tender::scoring::plain_yuan(m.amount_fen),
                m.planned_date.to_string(),
            ]
        })
        .collect();
    Block::Table {
        headers: ["期次 No.", "名称 Name", "比例 Share", "金额（元）Yuan", "计划日期 Date"]
            .map(str::to_owned)
            .to_vec(),
        rows,
    }
}

/// Renders `document`, stores the PDF under its SHA-256 and records the version.
pub fn save_version(
    conn: &mut DbConn,
    renderer: &Renderer,
    document: &ContractDocument,
    by: Option<(&str, &str)>,
    at: NaiveDateTime,
) -> Result<String, ApiError> {
    let pdf = render_document(document, &renderer.font)?;
    let sha = sha256(&pdf);
    renderer.files.put(&sha, &pdf).map_err(ApiError::internal)?;
    ContractVersionRow {
        contract_id: document.contract_id.clone(),
        version: i32::try_from(document.version).map_err(ApiError::internal)?,
        document: serde_json::to_string(document).map_err(ApiError::internal)?,
        sha256: sha.clone(),
        created_by: by.map(|(user, _)| user.to_owned()),
        created_by_org: by.map(|(_, org)| org.to_owned()),
        created_at: at,
        in_force_at: None,
    }
    .insert(conn)?;
    Ok(sha)
}

/// Drafts the contract of an awarded bid (version 1, by the platform) and tells both parties;
/// 409 `payer`/`performer: recovery_claim_open` while either owes the risk reserve.
pub fn draft(
    conn: &mut DbConn,
    out: &mut Outgoing,
    renderer: &Renderer,
    tender: &TenderRow,
    bid: &BidRow,
    offer: (i64, i64),
    at: NaiveDateTime,
) -> Result<ContractRow, ApiError> {
    let demand = DemandRow::find(conn, &tender.demand_id)?.ok_or_else(not_found)?.0;
    crate::routes::disputes::award::blocks_new(conn, &tender.org_id, "payer")?;
    crate::routes::disputes::award::blocks_new(conn, &bid.org_id, "performer")?;
    let row = ContractRow {
        id: new_id(),
        tender_id: tender.id.clone(),
        bid_id: bid.id.clone(),
        payer_org_id: tender.org_id.clone(),
        performer_org_id: bid.org_id.clone(),
        supervisor_org_id: None,
        status: ContractState::Draft,
        current_version: 1,
        effective_version: None,
        bond_recorded_fen: 0,
        effective_at: None,
        created_at: at,
        updated_at: at,
    };
    row.insert(conn)?;
    let document = ContractDocument {
        contract_id: row.id.clone(),
        version: 1,
        parties: parties(conn, &row)?,
        terms: first_terms(&demand, offer.0, offer.1, business_date(at.and_utc()))?,
    };
    save_version(conn, renderer, &document, None, at)?;
    let notice = ContractNotice::Drafted { title: demand.title };
    for org in [&row.payer_org_id, &row.performer_org_id] {
        out.to_org(conn, org, &Notice::new(&notice, format!("/contracts/{}", row.id), Some(org)))?;
    }
    Ok(row)
}

/// A stored version's document.
pub fn document_of(version: &ContractVersionRow) -> Result<ContractDocument, ApiError> {
    serde_json::from_str(&version.document).map_err(ApiError::internal)
}

/// Everything stored about a contract.
pub struct Loaded {
    /// The row.
    pub row: ContractRow,
    /// Every version, oldest first.
    pub versions: Vec<ContractVersionRow>,
    /// Every signature, oldest first.
    pub signatures: Vec<SignatureRow>,
}

impl Loaded {
    /// Loads a contract with its versions and signatures.
    pub fn load(conn: &mut DbConn, id: &str) -> Result<Self, ApiError> {
        let row = ContractRow::find(conn, id)?.ok_or_else(not_found)?;
        let versions = ContractVersionRow::of_contract(conn, id)?;
        let signatures = SignatureRow::of_contract(conn, id)?;
        Ok(Self { row, versions, signatures })
    }

    /// The current version.
    pub fn current(&self) -> Result<&ContractVersionRow, ApiError> {
        self.version(self.row.current_version)
    }

    /// One version.
    pub fn version(&self, number: i32) -> Result<&ContractVersionRow, ApiError> {
        self.versions
            .iter()
            .find(|v| v.version == number)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "version not found"))
    }

    /// The lifecycle's view.
    pub fn lifecycle(&self) -> Result<Contract, ApiError> {
        let document = |v: &ContractVersionRow| DocumentVersion {
            number: u32::try_from(v.version).unwrap_or(0),
            sha256: v.sha256.clone(),
        };
        let current = document(self.current()?);
        let effective = match self.row.effective_version {
            Some(n) => Some(document(self.version(n)?)),
            None => None,
        };
        let signatures = self
            .signatures
            .iter()
            .filter(|s| s.kind == SignatureKind::Contract)
            .filter(|s| s.voided_at.is_none() && s.version == self.row.current_version)
            .map(|s| Signature {
                org_id: s.org_id.clone(),
                version: u32::try_from(s.version).unwrap_or(0),
                signed_at: s.signed_at.and_utc(),
            })
            .collect();
        let amendments_in_force_at = self
            .versions
            .iter()
            .filter(|v| Some(v.version) != self.first_effective())
            .filter_map(|v| v.in_force_at.map(|at| at.and_utc()))
            .collect();
        Ok(Contract {
            state: self.row.status,
            parties: vec![self.row.payer_org_id.clone(), self.row.performer_org_id.clone()],
            current,
            effective,
            signatures,
            termination_signed_by: self.termination_signed_by(),
            amendments_in_force_at,
        })
    }

    /// Parties that signed the termination of the version in force.
    pub fn termination_signed_by(&self) -> Vec<String> {
        self.signatures
            .iter()
            .filter(|s| s.kind == SignatureKind::Termination && s.voided_at.is_none())
            .filter(|s| Some(s.version) == self.row.effective_version)
            .map(|s| s.org_id.clone())
            .collect()
    }

    fn first_effective(&self) -> Option<i32> {
        self.versions.iter().find(|v| v.in_force_at.is_some()).map(|v| v.version)
    }
}

/// The credit standing of an organisation (grade C may not sign).
pub fn standing(org: &OrganisationRow) -> CreditStanding {
    crate::routes::demands::matching::credit(org).standing
}

/// The API view of a signature.
pub fn signature_view(row: &SignatureRow, org_name: String) -> SignatureView {
    SignatureView {
        id: row.id.clone(),
        kind: row.kind,
        version: u32::try_from(row.version).unwrap_or(0),
        document_sha256: row.document_sha256.clone(),
        org_id: row.org_id.clone(),
        org_name,
        signer_name: row.signer_name.clone(),
        signed_at: row.signed_at.and_utc(),
        ip: row.ip.clone(),
        user_agent: row.user_agent.clone(),
        consent_text: row.consent_text.clone(),
        audit_seq: row.audit_seq,
        voided: row.voided_at.is_some(),
    }
}

/// The API view for a caller acting for `viewer` (a party or the supervisor).
pub fn contract_view(
    conn: &mut DbConn,
    loaded: &Loaded,
    viewer: &str,
    calendar: &CalendarCache,
) -> Result<ContractView, ApiError> {
    let current = loaded.current()?;
    let document = document_of(current)?;
    let contract = loaded.lifecycle()?;
    let plan = &document.terms.plan;
    let name_of = |id: &str| document.parties.iter().find(|p| p.org_id == id).map(|p| p.name.clone());
    let signatures: Vec<SignatureView> = loaded
        .signatures
        .iter()
        .filter(|s| s.kind == SignatureKind::Contract)
        .filter(|s| s.version == loaded.row.current_version && s.voided_at.is_none())
        .map(|s| signature_view(s, name_of(&s.org_id).unwrap_or_default()))
        .collect();
    let all_signed = [&loaded.row.payer_org_id, &loaded.row.performer_org_id]
        .iter()
        .all(|org| signatures.iter().any(|s| &s.org_id == *org));
    let awaiting = contract.awaits_signatures();
    let tender = TenderRow::find(conn, &loaded.row.tender_id)?.ok_or_else(not_found)?.0;
    let signing_deadline = match (tender.status, tender.awarded_on, loaded.row.status) {
        (TenderState::Awarded, Some(on), ContractState::Draft | ContractState::Signing)
            if tender.awarded_bid_id.as_deref() == Some(loaded.row.bid_id.as_str()) =>
        {
            Some(award_lapses_at(on, &*calendar.current(conn)?)?.value)
        }
        _ => None,
    };
    let consent = match role_of(&loaded.row, viewer) {
        Some(PartyRole::Payer | PartyRole::Performer) if awaiting => name_of(viewer).map(|name| {
            consent_text(&name, &loaded.row.id, contract.current.number, &contract.current.sha256)
        }),
        _ => None,
    };
    Ok(ContractView {
        id: loaded.row.id.clone(),
        tender_id: loaded.row.tender_id.clone(),
        bid_id: loaded.row.bid_id.clone(),
        status: loaded.row.status,
        parties: document.parties.clone(),
        current_version: contract.current.number,
        current_sha256: contract.current.sha256.clone(),
        effective_version: contract.effective.as_ref().map(|v| v.number),
        high_risk: advance_is_high_risk(plan),
        required_bond: required_bond(plan)
            .map(|b| BondRequirement { min_fen: b.min_fen, max_fen: b.max_fen }),
        bond_recorded_fen: loaded.row.bond_recorded_fen,
        awaiting_bond: awaiting && all_signed,
        signatures,
        termination_signed_by: loaded.termination_signed_by(),
        awaiting_signatures: awaiting,
        amendment_warning: shared::domain::contract::risk::amendment_burst(&contract.amendments_in_force_at),
        signing_deadline,
        consent_text: consent,
        created_at: loaded.row.created_at.and_utc(),
        effective_at: loaded.row.effective_at.map(|at| at.and_utc()),
        terms: document.terms,
    })
}

pub fn shanghai(at: DateTime<Utc>) -> String {
    at.with_timezone(&SHANGHAI).format("%Y-%m-%d %H:%M:%S (UTC+8)").to_string()
}

/// The certificate of completion: the contract, the document hash in force (or out for
/// signature), every signature event with its evidence, and every version's hash. Rendered
/// from the stored records, so the same history always gives the same PDF.
pub fn certificate(loaded: &Loaded, font: &PdfFont) -> Result<Vec<u8>, ApiError> {
    let current = loaded.current()?;
    let document = document_of(current)?;
    let signed = match loaded.row.effective_version {
        Some(n) => loaded.version(n)?,
        None => current,
    };
    let name_of = |id: &str| {
        document.parties.iter().find(|p| p.org_id == id).map(|p| p.name.clone()).unwrap_or_default()
    };
    let mut summary = vec![
        ("合同编号 Contract".to_owned(), loaded.row.id.clone()),
        ("合同名称 Title".to_owned(), document.terms.title.clone()),
        ("状态 Status".to_owned(), loaded.row.status.as_str().to_owned()),
        ("签署文本版本 Signed version".to_owned(), signed.version.to_string()),
        ("签署文本 SHA-256 Signed document".to_owned(), signed.sha256.clone()),
    ];
    for party in document.parties.iter().filter(|p| p.role != PartyRole::Supervisor) {
        summary.push((format!("{} {}", party.role.as_str(), party.uscc), party.name.clone()));
    }
    if let Some(at) = loaded.row.effective_at {
        summary.push(("生效时间 Effective".to_owned(), shanghai(at.and_utc())));
    }
    let rows = loaded
        .signatures
        .iter()
        .map(|s| {
            vec![
                shanghai(s.signed_at.and_utc()),
                name_of(&s.org_id),
                s.signer_name.clone(),
                format!(
                    "v{}{}{}",
                    s.version,
                    if s.kind == SignatureKind::Termination { " 终止 termination" } else { "" },
                    if s.voided_at.is_some() { " (作废 voided)" } else { "" }
                ),
                s.document_sha256.clone(),
                s.ip.clone(),
                s.audit_seq.to_string(),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Fields(summary),
        Block::Heading("签署事件 Signature events".to_owned()),
        Block::Table {
            headers: [
                "时间 Time",
                "签署方 Party",
                "签署人 Signer",
                "版本 Version",
                "文档 SHA-256 Document",
                "IP",
                "审计序号 Audit",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows,
        },
    ];
    for s in &loaded.signatures {
        blocks.push(Block::Paragraph(format!("[{}] {} — {}", s.audit_seq, s.consent_text, s.user_agent)));
    }
    blocks.push(Block::Heading("版本历史 Versions".to_owned()));
    blocks.push(Block::Table {
        headers: ["版本 Version", "SHA-256", "创建 Created", "生效 In force"].map(str::to_owned).to_vec(),
        rows: loaded
            .versions
            .iter()
            .map(|v| {
                vec![
                    v.version.to_string(),
                    v.sha256.clone(),
                    shanghai(v.created_at.and_utc()),
                    v.in_force_at.map(|at| shanghai(at.and_utc())).unwrap_or_default(),
                ]
            })
            .collect(),
    });
    let doc = Document {
        title: "电子签署完成证书 Certificate of Completion".to_owned(),
        subtitle: Some(format!("共筑 Gongzhu · {}", loaded.row.id)),
        blocks,
        footer: Some(
            "核验：GET /api/v1/contracts/{id}/verification 重新计算各版本哈希并比对审计链".to_owned(),
        ),
    };
    render(&doc, font).map_err(ApiError::internal)
}

/// The audit action recording a signature of `kind`.
pub const fn signed_action(kind: SignatureKind) -> &'static str {
    match kind {
        SignatureKind::Contract => "contract.signed",
        SignatureKind::Termination => "contract.termination_signed",
    }
}

/// Whether a signature's audit entry is intact, linked to its predecessor, and records this
/// signature.
fn in_chain(entries: &[AuditEntry], signature: &SignatureRow) -> bool {
    let Some(entry) = entries.iter().find(|e| e.seq == signature.audit_seq) else { return false };
    let linked = signature.audit_seq == 1
        || entries
            .iter()
            .find(|e| e.seq == signature.audit_seq - 1)
            .is_some_and(|prev| prev.hash == entry.prev_hash);
    let details: serde_json::Value = serde_json::from_str(&entry.details).unwrap_or_default();
    entry_hash(entry) == entry.hash
        && linked
        && entry.action == signed_action(signature.kind)
        && entry.subject_id == signature.contract_id
        && details["signature_id"] == signature.id.as_str()
        && details["org_id"] == signature.org_id.as_str()
        && details["version"] == signature.version
        && details["document_sha256"] == signature.document_sha256.as_str()
}

/// Re-hashes every stored version and matches every signature to its audit entry.
pub fn verify(
    conn: &mut DbConn,
    loaded: &Loaded,
    files: &dyn FileStore,
) -> Result<ContractVerification, ApiError> {
    let versions: Vec<VersionCheck> = loaded
        .versions
        .iter()
        .map(|v| {
            let computed = files.get(&v.sha256).map(|bytes| sha256(&bytes)).unwrap_or_default();
            VersionCheck {
                version: u32::try_from(v.version).unwrap_or(0),
                intact: computed == v.sha256,
                recorded_sha256: v.sha256.clone(),
                computed_sha256: computed,
            }
        })
        .collect();
    let seqs: Vec<i64> = loaded.signatures.iter().map(|s| s.audit_seq).collect();
    let entries = audit_entries(conn, &seqs)?;
    let signatures: Vec<SignatureCheck> = loaded
        .signatures
        .iter()
        .map(|s| SignatureCheck {
            signature_id: s.id.clone(),
            version: u32::try_from(s.version).unwrap_or(0),
            org_id: s.org_id.clone(),
            audit_seq: s.audit_seq,
            in_audit_chain: in_chain(&entries, s),
            matches_version: loaded
                .versions
                .iter()
                .any(|v| v.version == s.version && v.sha256 == s.document_sha256),
        })
        .collect();
    let valid =
        versions.iter().all(|v| v.intact) && signatures.iter().all(|s| s.in_audit_chain && s.matches_version);
    Ok(ContractVerification { contract_id: loaded.row.id.clone(), valid, versions, signatures })
}
