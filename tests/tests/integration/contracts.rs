//! Contracts (issue #15, step 3): drafted from the award, edited by both sides into new
//! versions with a diff, each version a stored PDF whose SHA-256 is signed; e-signature with
//! re-authentication and consent; the evidence in the audit chain; the certificate of
//! completion; verification; the bond rule of high-risk contracts; and the refusals: wrong
//! password, reused TOTP code, a stale hash, a plain member, a non-party, a grade-C signer,
//! milestone shares of 99.99 % and 100.01 %.

use reqwest::Method;
use serde_json::json;
use shared::dto::*;

use crate::helpers::*;
use crate::tenders::{Cast, bid, cast, kinds, marks, offer, open_tender, pass_deadline};

/// A tender awarded to alpha (beta second), with its drafted contract.
pub async fn awarded(app: &TestApp) -> (Cast, ContractView) {
    let c = cast(app).await;
    let contract = award(app, &c, 950_000_000).await;
    (c, contract)
}

/// A tender on the cast's demand, alpha bidding `price_fen` and beta 4 % more, awarded to
/// alpha: the drafted contract.
pub async fn award(app: &TestApp, c: &Cast, price_fen: i64) -> ContractView {
    let tender = open_tender(app, c, false).await;
    let a = bid(app, &c.alpha, &tender, &offer(price_fen, 100)).await.expect("bid");
    let b = bid(app, &c.beta, &tender, &offer(price_fen / 100 * 104, 150)).await.expect("bid");
    pass_deadline(app, c, &tender).await;
    for id in [&a.id, &b.id] {
        let path = format!("/tenders/{}/bids/{id}/marks", tender.id);
        app.as_(&c.evaluator)
            .org(&c.poster.id)
            .put::<_, MarksView>(&path, &marks(&[50, 30]))
            .await
            .expect("marked");
    }
    let awarded: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&format!("/tenders/{}/award", tender.id), &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect("awarded");
    let contract_id = awarded.contract_id.expect("a contract is drafted on award");
    let contract: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .get(&format!("/contracts/{contract_id}"))
        .await
        .expect("contract");
    contract
}

/// The request that saves `contract`'s current terms with `change` applied.
pub fn terms_of(
    contract: &ContractView,
    change: impl FnOnce(&mut ContractTermsRequest),
) -> ContractTermsRequest {
    let t = &contract.terms;
    let mut request = ContractTermsRequest {
        based_on_version: contract.current_version,
        template: t.template,
        title: t.title.clone(),
        scope: t.scope.clone(),
        plan: PaymentPlanInput {
            amount_fen: t.plan.amount_fen,
            allocation: Allocation::Shares,
            milestones: t
                .plan
                .milestones
                .iter()
                .map(|m| MilestoneInput {
                    name: m.name.clone(),
                    value: i64::from(m.share_bp.expect("shares")),
                    planned_date: m.planned_date,
                    due_condition: m.due_condition.clone(),
                })
                .collect(),
            retention_bp: i64::from(t.plan.retention_bp),
            performance_bond_bp: i64::from(t.plan.performance_bond_bp),
            warranty_months: i64::from(t.plan.warranty_months),
        },
        duration_days: i64::from(t.duration_days),
        start_date: t.start_date,
        supervisor_org_id: None,
        dispute_clause: t.dispute_clause.clone(),
    };
    change(&mut request);
    request
}

pub fn sign_request(sha256: &str) -> SignContractRequest {
    SignContractRequest {
        sha256: sha256.to_owned(),
        password: PASSWORD.to_owned(),
        code: None,
        consent: true,
    }
}

async fn download(app: &TestApp, path: &str, org: &OrgAccount) -> Vec<u8> {
    let resp = app.as_org(Method::GET, path, &org.token, &org.id, None).await;
    assert_eq!(resp.status(), 200, "{path}");
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    resp.bytes().await.expect("bytes").to_vec()
}

/// The text `pdftotext` (poppler-utils, installed by the test command) reads, spaces removed.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("gz-pdf-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: run scripts/setup.sh all");
    std::fs::remove_dir_all(dir).ok();
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    api::routes::files::service::sha256(bytes)
}

#[tokio::test]
async fn a_contract_drafted_on_award_is_edited_diffed_signed_by_both_and_verified() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let path = format!("/contracts/{}", contract.id);
    assert_eq!((contract.status, contract.current_version), (ContractState::Draft, 1));
    assert_eq!(contract.terms.plan.amount_fen, 950_000_000);
    assert_eq!(contract.terms.plan.milestones.iter().map(|m| m.amount_fen).sum::<i64>(), 950_000_000);
    assert_eq!(
        contract.parties.iter().map(|p| p.role).collect::<Vec<_>>(),
        [PartyRole::Payer, PartyRole::Performer]
    );
    assert!(kinds(&app, &c.poster.token).await.iter().any(|(k, _)| *k == NotificationKind::ContractDrafted));
    // Only the parties (and a supervisor) see it.
    app.as_(&c.beta.token)
        .org(&c.beta.id)
        .get::<ContractView>(&path)
        .await
        .expect_err("not a party")
        .assert(404, "not_found");

    // Version 1 is a stored PDF whose hash is the one to sign, with the parties' names in it.
    let v1 = download(&app, &format!("{path}/versions/1/pdf"), &c.poster).await;
    assert_eq!(sha256_hex(&v1), contract.current_sha256);
    let text = pdf_text(&v1);
    assert!(text.contains("杭州城建集团有限公司") && text.contains("浙江精工钢构有限公司"), "{text}");

    // Milestone shares must add up to exactly 100 %.
    let terms = format!("{path}/terms");
    for last in [2_999, 3_001] {
        let bad = terms_of(&contract, |t| t.plan.milestones[2].value = last);
        let refused = app
            .as_(&c.alpha.token)
            .org(&c.alpha.id)
            .put::<_, ContractView>(&terms, &bad)
            .await
            .expect_err("shares");
        refused.assert(422, "validation_failed");
        assert!(refused.names("plan.milestones", "shares_not_100"), "{:?}", refused.body);
    }
    // The performer shortens the duration: version 2, and the diff shows exactly that.
    let edited: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put(&terms, &terms_of(&contract, |t| t.duration_days = 90))
        .await
        .expect("edited");
    assert_eq!((edited.current_version, edited.terms.duration_days), (2, 90));
    let stale = terms_of(&contract, |t| t.duration_days = 80);
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put::<_, ContractView>(&terms, &stale)
        .await
        .expect_err("stale");
    refused.assert(409, "conflict");
    assert!(refused.names("based_on_version", "stale"), "{:?}", refused.body);
    let same = terms_of(&edited, |_| {});
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put::<_, ContractView>(&terms, &same)
        .await
        .expect_err("unchanged");
    assert!(refused.names("terms", "unchanged"), "{:?}", refused.body);
    let diff: ContractDiffView =
        app.as_(&c.poster.token).org(&c.poster.id).get(&format!("{path}/diff")).await.expect("diff");
    assert_eq!(diff.changes.len(), 1, "{:?}", diff.changes);
    assert_eq!(
        (diff.changes[0].key.as_str(), diff.changes[0].after.as_deref()),
        ("duration_days", Some("90"))
    );
    assert!(kinds(&app, &c.poster.token).await.iter().any(|(k, _)| *k == NotificationKind::ContractChanged));

    // Signing: only once sent, with the right password, for one's own organisation, on the
    // current hash, by an owner or admin.
    let signatures = format!("{path}/signatures");
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&edited.current_sha256))
        .await
        .expect_err("draft")
        .assert(409, "conflict");
    let sent: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&format!("{path}/signing"), &json!({}))
        .await
        .expect("sent");
    assert_eq!(sent.status, ContractState::Signing);
    let consent = sent.consent_text.clone().expect("consent text for the payer");
    assert!(consent.contains(&sent.current_sha256) && consent.contains("杭州城建集团有限公司"));
    let mut wrong = sign_request(&sent.current_sha256);
    wrong.password = "not-the-password".into();
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &wrong)
        .await
        .expect_err("password");
    assert!(refused.names("password", "wrong_password"), "{:?}", refused.body);
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&contract.current_sha256))
        .await
        .expect_err("stale hash");
    refused.assert(409, "conflict");
    assert!(refused.names("sha256", "stale_document"), "{:?}", refused.body);
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&sent.current_sha256))
        .await
        .expect_err("plain member")
        .assert(403, "forbidden");
    app.as_(&c.beta.token)
        .org(&c.beta.id)
        .post::<_, ContractView>(&signatures, &sign_request(&sent.current_sha256))
        .await
        .expect_err("not a party")
        .assert(404, "not_found");
    let no_consent = SignContractRequest { consent: false, ..sign_request(&sent.current_sha256) };
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &no_consent)
        .await
        .expect_err("consent");
    assert!(refused.names("consent", "required"));
    assert_eq!(app.count("contract_signatures"), 0, "nothing signed by the refusals");

    let once: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&signatures, &sign_request(&sent.current_sha256))
        .await
        .expect("payer signs");
    assert_eq!((once.status, once.signatures.len()), (ContractState::Signing, 1));
    let twice = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&sent.current_sha256))
        .await
        .expect_err("twice");
    assert!(twice.names("X-Org-Id", "already_signed"), "{:?}", twice.body);

    // A change after the first signature voids it: version 3 must be signed by both again.
    let changed: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put(&terms, &terms_of(&once, |t| t.plan.warranty_months = 36))
        .await
        .expect("changed after a signature");
    assert_eq!(
        (changed.current_version, changed.signatures.len(), changed.status),
        (3, 0, ContractState::Signing)
    );
    for party in [&c.poster, &c.alpha] {
        app.as_(&party.token)
            .org(&party.id)
            .post::<_, ContractView>(&signatures, &sign_request(&changed.current_sha256))
            .await
            .expect("signs");
    }
    let effective: ContractView =
        app.as_(&c.alpha.token).org(&c.alpha.id).get(&path).await.expect("contract");
    assert_eq!((effective.status, effective.effective_version), (ContractState::Effective, Some(3)));
    assert!(effective.effective_at.is_some());
    let tender: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/tenders/{}", effective.tender_id))
        .await
        .expect("tender");
    assert_eq!(tender.status, TenderState::Signed);
    assert!(kinds(&app, &c.alpha.token).await.iter().any(|(k, _)| *k == NotificationKind::ContractInForce));

    // The certificate names the signed hash and both parties; verification re-hashes and finds
    // every signature in the audit chain.
    let certificate = pdf_text(&download(&app, &format!("{path}/certificate.pdf"), &c.alpha).await);
    assert!(certificate.contains(&changed.current_sha256), "{certificate}");
    assert!(certificate.contains("杭州城建集团有限公司") && certificate.contains("浙江精工钢构有限公司"));
    let report: ContractVerification = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("{path}/verification"))
        .await
        .expect("verify");
    assert!(report.valid, "{report:?}");
    assert_eq!((report.versions.len(), report.signatures.len()), (3, 3));
    let versions: Vec<ContractVersionView> =
        app.as_(&c.poster.token).org(&c.poster.id).get(&format!("{path}/versions")).await.expect("versions");
    assert_eq!(versions.iter().filter(|v| v.in_force_at.is_some()).count(), 1);

    // A stored version changed on disk no longer verifies.
    let stored = app.config.data_dir.join("files").join(&versions[0].sha256[..2]).join(&versions[0].sha256);
    std::fs::write(&stored, b"%PDF-1.7 tampered").expect("tamper");
    let report: ContractVerification = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("{path}/verification"))
        .await
        .expect("verify");
    assert!(!report.valid && !report.versions[0].intact && report.versions[1].intact);
}

#[tokio::test]
async fn a_high_risk_contract_waits_for_its_bond_and_grade_c_or_a_reused_code_cannot_sign() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let path = format!("/contracts/{}", contract.id);
    // An advance of 40 % needs a bond of at least 5 % in the plan …
    let risky = terms_of(&contract, |t| {
        t.plan.milestones[0].value = 4_000;
        t.plan.milestones[1].value = 3_000;
    });
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put::<_, ContractView>(&format!("{path}/terms"), &risky)
        .await
        .expect_err("bond");
    assert!(refused.names("plan.performance_bond_bp", "below_high_risk_minimum"), "{:?}", refused.body);
    let risky = terms_of(&contract, |t| {
        t.plan.milestones[0].value = 4_000;
        t.plan.milestones[1].value = 3_000;
        t.plan.performance_bond_bp = 500;
    });
    let high: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put(&format!("{path}/terms"), &risky)
        .await
        .expect("saved");
    assert!(high.high_risk);
    assert_eq!(high.required_bond, Some(BondRequirement { min_fen: 47_500_000, max_fen: 95_000_000 }));
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&format!("{path}/signing"), &json!({}))
        .await
        .expect("sent");

    // The performer's owner has TOTP on: a code works once.
    let enrolment =
        json_of(app.post("/me/totp", &json!({"password": PASSWORD}), Some(&c.alpha.token)).await, 201).await;
    let secret = enrolment["secret"].as_str().expect("secret").to_owned();
    let code = |at: chrono::DateTime<chrono::Utc>| {
        api::auth::totp::code_for_step(&secret, api::auth::totp::step_at(at.timestamp())).expect("code")
    };
    let first = code(app.now());
    assert_eq!(
        app.post("/me/totp/confirmation", &json!({"code": first}), Some(&c.alpha.token)).await.status(),
        204
    );
    let signatures = format!("{path}/signatures");
    let without = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, ContractView>(&signatures, &sign_request(&high.current_sha256))
        .await;
    assert!(without.expect_err("code needed").names("code", "required"));
    // A fresh code spent on a refused signature (a stale hash) cannot be spent again.
    app.advance_clock(31).await;
    let second = code(app.now());
    let stale = SignContractRequest { code: Some(second.clone()), ..sign_request(&contract.current_sha256) };
    let refused = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, ContractView>(&signatures, &stale)
        .await
        .expect_err("stale");
    assert!(refused.names("sha256", "stale_document"), "{:?}", refused.body);
    let reused = SignContractRequest { code: Some(second), ..sign_request(&high.current_sha256) };
    let refused = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, ContractView>(&signatures, &reused)
        .await
        .expect_err("reused");
    assert!(refused.names("code", "invalid_code"), "{:?}", refused.body);

    // Grade C may not sign.
    app.set_org_columns(&c.poster, "credit_grade = 'c', credit_score = 50.0").await;
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&high.current_sha256))
        .await
        .expect_err("grade C");
    refused.assert(403, "forbidden");
    assert!(refused.names("X-Org-Id", "credit_grade_c"), "{:?}", refused.body);
    app.set_org_columns(&c.poster, "credit_grade = NULL, credit_score = NULL").await;
    // A suspended organisation may not sign either.
    app.sql(&format!(
        "UPDATE organisations SET suspended_at = '2026-12-01 00:00:00' WHERE id = '{}'",
        c.poster.id
    ));
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&high.current_sha256))
        .await
        .expect_err("suspended");
    assert!(refused.names("X-Org-Id", "organisation_suspended"), "{:?}", refused.body);
    app.sql(&format!("UPDATE organisations SET suspended_at = NULL WHERE id = '{}'", c.poster.id));
    assert_eq!(app.count("contract_signatures"), 0, "no refusal signed anything");

    // Both sign; without the bond in escrow it does not take effect.
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&high.current_sha256))
        .await
        .expect("payer");
    app.advance_clock(31).await;
    let fresh = SignContractRequest { code: Some(code(app.now())), ..sign_request(&high.current_sha256) };
    let signed: ContractView =
        app.as_(&c.alpha.token).org(&c.alpha.id).post(&signatures, &fresh).await.expect("performer");
    assert_eq!(
        (signed.status, signed.awaiting_bond, signed.effective_version),
        (ContractState::Signing, true, None)
    );
    assert!(
        kinds(&app, &c.alpha.token)
            .await
            .iter()
            .any(|(k, b)| *k == NotificationKind::ContractInForce && b.contains("保证金"))
    );
}

#[tokio::test]
async fn a_supervisor_reads_a_granted_member_signs_and_an_amendment_then_a_termination_are_signed_by_both() {
    let app = spawn_app().await;
    let (c, contract) = awarded(&app).await;
    let path = format!("/contracts/{}", contract.id);
    let supervisor = app
        .verified_org(
            "jianli@supervise.test",
            crate::fixtures::steelworks("浙江工程建设监理有限公司"),
            &c.reviewer,
        )
        .await;
    // Only the payer names the supervisor.
    let named = terms_of(&contract, |t| t.supervisor_org_id = Some(supervisor.id.clone()));
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put::<_, ContractView>(&format!("{path}/terms"), &named)
        .await
        .expect_err("performer")
        .assert(403, "forbidden");
    let supervised: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put(&format!("{path}/terms"), &named)
        .await
        .expect("named");
    assert!(supervised.parties.iter().any(|p| p.role == PartyRole::Supervisor && p.org_id == supervisor.id));
    let seen: ContractView =
        app.as_(&supervisor.token).org(&supervisor.id).get(&path).await.expect("supervisor reads");
    assert_eq!(seen.current_version, 2);
    app.as_(&supervisor.token)
        .org(&supervisor.id)
        .post::<_, ContractView>(&format!("{path}/signing"), &json!({}))
        .await
        .expect_err("reads only")
        .assert(403, "forbidden");

    // A plain member signs once the owner grants it signing authority (audited).
    let evaluator_id = crate::tenders::user_id(&app, &c.evaluator).await;
    let grant = format!("/orgs/{}/members/{evaluator_id}/signing-authority", c.poster.id);
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .put::<_, Member>(&grant, &json!({"granted": true}))
        .await
        .expect_err("members do not grant")
        .assert(403, "forbidden");
    let member: Member = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .put(&grant, &json!({"granted": true}))
        .await
        .expect("granted");
    assert!(member.signing_authority);
    let members: MemberList = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/orgs/{}/members", c.poster.id))
        .await
        .expect("members");
    assert!(members.items.iter().all(|m| m.signing_authority), "owner and granted member");
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, ContractView>(&format!("{path}/signing"), &json!({}))
        .await
        .expect("sent");
    let signatures = format!("{path}/signatures");
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .post::<_, ContractView>(&signatures, &sign_request(&supervised.current_sha256))
        .await
        .expect("granted member signs");
    let effective: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post(&signatures, &sign_request(&supervised.current_sha256))
        .await
        .expect("performer signs");
    assert_eq!((effective.status, effective.effective_version), (ContractState::Effective, Some(2)));

    // An amendment is a new version both sign again while version 2 stays in force.
    let amended: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put(
            &format!("{path}/terms"),
            &terms_of(&effective, |t| {
                t.duration_days = 80;
                t.supervisor_org_id = Some(supervisor.id.clone());
            }),
        )
        .await
        .expect("amended");
    assert_eq!(
        (amended.status, amended.effective_version, amended.current_version),
        (ContractState::Effective, Some(2), 3)
    );
    assert!(amended.awaiting_signatures);
    for party in [&c.poster, &c.alpha] {
        app.as_(&party.token)
            .org(&party.id)
            .post::<_, ContractView>(&signatures, &sign_request(&amended.current_sha256))
            .await
            .expect("signs the amendment");
    }
    let in_force: ContractView = app.as_(&c.alpha.token).org(&c.alpha.id).get(&path).await.expect("contract");
    assert_eq!((in_force.effective_version, in_force.awaiting_signatures), (Some(3), false));
    assert!(!in_force.amendment_warning, "one amendment is no warning");
    // Two more amendments within 30 days: three in force warns both parties.
    let mut current = in_force;
    for days in [70, 60] {
        let next: ContractView = app
            .as_(&c.alpha.token)
            .org(&c.alpha.id)
            .put(
                &format!("{path}/terms"),
                &terms_of(&current, |t| {
                    t.duration_days = days;
                    t.supervisor_org_id = Some(supervisor.id.clone());
                }),
            )
            .await
            .expect("amended");
        for party in [&c.poster, &c.alpha] {
            app.as_(&party.token)
                .org(&party.id)
                .post::<_, ContractView>(&signatures, &sign_request(&next.current_sha256))
                .await
                .expect("signs");
        }
        current = app.as_(&c.alpha.token).org(&c.alpha.id).get(&path).await.expect("contract");
    }
    assert!(current.amendment_warning);
    assert!(kinds(&app, &c.poster.token).await.iter().any(|(k, _)| *k == NotificationKind::AmendmentWarning));
    let amended = current;

    // Terminated when both sign the termination of the version in force.
    let termination = format!("{path}/termination-signatures");
    let one: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&termination, &sign_request(&amended.current_sha256))
        .await
        .expect("payer terminates");
    assert_eq!(
        (one.status, one.termination_signed_by.clone()),
        (ContractState::Effective, vec![c.poster.id.clone()])
    );
    let stale = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, ContractView>(&termination, &sign_request(&supervised.current_sha256))
        .await
        .expect_err("not the version in force");
    assert!(stale.names("sha256", "stale_document"), "{:?}", stale.body);
    let ended: ContractView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post(&termination, &sign_request(&amended.current_sha256))
        .await
        .expect("performer terminates");
    assert_eq!(ended.status, ContractState::Terminated);
    assert!(kinds(&app, &c.alpha.token).await.iter().any(|(k, _)| *k == NotificationKind::ContractEnded));
    let report: ContractVerification = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("{path}/verification"))
        .await
        .expect("verify");
    assert!(report.valid && report.signatures.len() == 10, "{report:?}");
}
