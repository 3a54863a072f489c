//! Disputes (issue #17, disputes) through the real server: a payer files on a contract in
//! force with evidence; the contract's escrow is frozen (an accepted milestone releases
//! nothing); no mediator within 2 hours escalates to admins with an SLA breach; an operator
//! assigns a mediator; the respondent answers; mediation opens and the parties and mediator
//! write in its thread; mediation fails; the arbitration is registered and decided against the
//! respondent, whose credit counts the lost dispute at once; closing releases what was held.
//! Deadlines fire on the clock: an unanswered case opens mediation with the respondent marked
//! non-responsive, and mediation running 10 business days goes to arbitration. Bad input — a
//! non-party filing, evidence of a forbidden type, a decision by a mediator not assigned, a
//! second open dispute — is a clear 4xx and changes nothing.

use serde_json::json;
use shared::domain::credit::Indicator;
use shared::domain::dispute::award::AwardState;
use shared::domain::dispute::{DeadlineConsequence, DeadlineKind, DisputeParty, DisputeState, EventKind};
use shared::dto::*;

use crate::closing::{accept, app, in_force, wallet};
use crate::helpers::*;
use crate::progress::upload;
use crate::tenders::{kinds, user_id};

const FUND: [(FundingTarget, Option<u32>); 4] = [
    (FundingTarget::Milestone, Some(0)),
    (FundingTarget::Bond, None),
    (FundingTarget::Milestone, Some(1)),
    (FundingTarget::Milestone, Some(2)),
];

fn filing(contract_id: &str, evidence: &[&str]) -> FileDisputeRequest {
    FileDisputeRequest {
        contract_id: contract_id.to_owned(),
        claim: "钢结构焊缝探伤不合格，整改拖延 20 天，请求赔偿返工费用。".into(),
        amount_fen: 30_000_000,
        evidence: evidence.iter().map(|s| (*s).to_owned()).collect(),
    }
}

async fn dispute(app: &TestApp, token: &str, id: &str) -> DisputeView {
    app.as_(token).get(&format!("/disputes/{id}")).await.expect("dispute")
}

/// Waits until the dispute satisfies `ready` (a deadline job runs within the runner's poll).
async fn dispute_when(
    app: &TestApp,
    token: &str,
    id: &str,
    ready: impl Fn(&DisputeView) -> bool,
) -> DisputeView {
    for _ in 0..200 {
        let view = dispute(app, token, id).await;
        if ready(&view) {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the dispute did not move: {:?}", dispute(app, token, id).await);
}

fn text(t: &str) -> DisputeText {
    DisputeText { text: t.to_owned() }
}

#[tokio::test]
async fn a_dispute_runs_from_filing_through_mediation_and_arbitration_to_closing() {
    let app = app().await;
    let (c, id, _officer) = in_force(&app, &FUND).await;
    let (payer, performer) = (&c.poster, &c.alpha);
    let operator = app.staff_member("dispute-operator@example.com", &["operator"]).await;
    let mediator = app.staff_member("dispute-mediator@example.com", &["mediator"]).await;
    let other_mediator = app.staff_member("dispute-mediator2@example.com", &["mediator"]).await;
    let admin = app.staff_member("dispute-admin@example.com", &["admin"]).await;
    let mediator_id = user_id(&app, &mediator).await;
    let evidence = upload(&app, &payer.token, b"%PDF-1.4 inspection report", "探伤报告.pdf").await;
    let docx =
        upload(&app, &payer.token, b"PK\x03\x04 [Content_Types].xml word/document.xml", "说明.docx").await;

    // Refusals change nothing: a non-party, evidence of a forbidden type, someone else's file.
    let by_outsider =
        app.as_(&c.beta.token).org(&c.beta.id).post::<_, DisputeView>("/disputes", &filing(&id, &[])).await;
    assert!(by_outsider.expect_err("outsider").names("contract_id", "not_a_party"));
    let wrong_type = app
        .as_(&payer.token)
        .org(&payer.id)
        .post::<_, DisputeView>("/disputes", &filing(&id, &[&docx]))
        .await;
    assert!(wrong_type.expect_err("docx").names("evidence[0]", "forbidden_type"));
    let not_mine = app
        .as_(&performer.token)
        .org(&performer.id)
        .post::<_, DisputeView>("/disputes", &filing(&id, &[&evidence]))
        .await;
    assert!(not_mine.expect_err("not uploaded by the caller").names("evidence[0]", "unknown_file"));
    let mut too_much = filing(&id, &[]);
    too_much.amount_fen = 999_999_999_999;
    let too_much = app.as_(&payer.token).org(&payer.id).post::<_, DisputeView>("/disputes", &too_much).await;
    assert!(too_much.expect_err("above the contract").names("amount_fen", "exceeds_contract"));
    assert_eq!(app.count("disputes"), 0);

    let filed: DisputeView = app
        .as_(&payer.token)
        .org(&payer.id)
        .post("/disputes", &filing(&id, &[&evidence]))
        .await
        .expect("filed");
    assert_eq!(
        (filed.state, filed.respondent_org_id.as_str()),
        (DisputeState::AwaitingAssignment, performer.id.as_str())
    );
    let running = filed.deadline.clone().expect("deadline");
    assert_eq!(
        (running.kind, running.on_expiry),
        (DeadlineKind::MediatorAssignment, Some(DeadlineConsequence::EscalateToAdmin))
    );
    assert!(filed.escrow_frozen);
    assert!(kinds(&app, &performer.token).await.iter().any(|(k, _)| *k == NotificationKind::DisputeUpdate));
    let again =
        app.as_(&payer.token).org(&payer.id).post::<_, DisputeView>("/disputes", &filing(&id, &[])).await;
    assert!(again.expect_err("one open at a time").names("contract_id", "dispute_open"));

    // Frozen: milestone 1 accepted releases nothing while the case is open.
    let before = wallet(&app, performer).await.available_fen;
    accept(&app, &c, &id, 1).await;
    assert_eq!(wallet(&app, performer).await.available_fen, before, "held by the dispute");

    // No mediator within 2 clock hours: escalated to admins, an SLA breach.
    app.advance_clock(2 * 3600 + 60).await;
    let escalated = dispute_when(&app, &admin, &filed.id, |d| d.escalated_to_admin).await;
    assert_eq!(escalated.sla_breaches[0].kind, DeadlineKind::MediatorAssignment);
    assert!(
        kinds(&app, &admin)
            .await
            .iter()
            .any(|(k, body)| *k == NotificationKind::DisputeUpdate && body.contains("2 小时"))
    );

    // Assignment: a mediator only, by an operator (not the complainant, not a mediator).
    let assign = |token: &str, who: &str| {
        let (app, path, token, body) = (
            &app,
            format!("/disputes/{}/assignment", filed.id),
            token.to_owned(),
            AssignMediatorRequest { mediator_id: who.to_owned() },
        );
        async move { app.as_(&token).post::<_, DisputeView>(&path, &body).await }
    };
    let operator_id = user_id(&app, &operator).await;
    assert!(
        assign(&operator, &operator_id)
            .await
            .expect_err("not a mediator")
            .names("mediator_id", "not_a_mediator")
    );
    assign(&mediator, &mediator_id).await.expect_err("a mediator does not dispatch").assert(403, "forbidden");
    let assigned = assign(&operator, &mediator_id).await.expect("assigned");
    assert_eq!(
        (assigned.state, assigned.mediator_id.as_deref()),
        (DisputeState::AwaitingResponse, Some(mediator_id.as_str()))
    );

    // The respondent answers; the complainant cannot answer for it.
    let path = |what: &str| format!("/disputes/{}/{what}", filed.id);
    let by_payer = app
        .as_(&payer.token)
        .org(&payer.id)
        .post::<_, DisputeView>(&path("response"), &text("不是我们"))
        .await;
    by_payer.expect_err("the complainant").assert(403, "forbidden");
    let answered: DisputeView = app
        .as_(&performer.token)
        .org(&performer.id)
        .post(&path("response"), &text("探伤不合格部位已于 11 月整改完毕，附复检报告。"))
        .await
        .expect("answered");
    assert_eq!(answered.state, DisputeState::AwaitingMediation);

    // Only the assigned mediator (or an admin) opens mediation.
    let opened_by_other =
        app.as_(&other_mediator).post::<_, DisputeView>(&path("mediation"), &json!({})).await;
    opened_by_other.expect_err("not assigned").assert(403, "forbidden");
    let opened: DisputeView = app.as_(&mediator).post(&path("mediation"), &json!({})).await.expect("opened");
    assert_eq!(opened.state, DisputeState::InMediation);
    assert_eq!(opened.deadline.as_ref().map(|d| d.kind), Some(DeadlineKind::MediationEnd));

    thread(&app, &c, &filed.id, &mediator).await;

    // Mediation fails; a decision needs the arbitration registered first.
    let failed: DisputeView =
        app.as_(&mediator).post(&path("failure"), &text("双方对返工费用分歧过大")).await.expect("failed");
    assert_eq!(failed.state, DisputeState::InArbitration);
    let award = upload(&app, &mediator, b"%PDF-1.4 arbitral award", "裁决书.pdf").await;
    let decide = |token: &str, sha: &str| {
        let body = RecordDecisionRequest {
            summary: "裁决被申请人承担返工费用 ¥200,000".into(),
            at_fault: Some(DisputeParty::Respondent),
            award_fen: 20_000_000,
            document_sha256: sha.to_owned(),
        };
        let (app, path, token) = (&app, path("decision"), token.to_owned());
        async move { app.as_(&token).post::<_, DisputeView>(&path, &body).await }
    };
    assert!(
        decide(&mediator, &award).await.expect_err("not registered").names("arbitration", "not_registered")
    );
    let registered: DisputeView = app
        .as_(&mediator)
        .post(
            &path("arbitration"),
            &RegisterArbitrationRequest {
                institution: "杭州仲裁委员会".into(),
                case_number: "（2026）杭仲字第 1234 号".into(),
            },
        )
        .await
        .expect("registered");
    assert!(registered.arbitration.is_some_and(|a| a.contains("杭州仲裁委员会")));
    decide(&other_mediator, &award).await.expect_err("a mediator not assigned").assert(403, "forbidden");
    let decided = decide(&mediator, &award).await.expect("decided");
    assert_eq!(
        (decided.state, decided.at_fault, decided.award_fen),
        (DisputeState::Decided, Some(DisputeParty::Respondent), Some(20_000_000))
    );
    assert_eq!(decided.decision_document.as_deref(), Some(award.as_str()));

    // The loser's credit counts the lost dispute at once (the recompute job).
    let lost = crate::credit::credit_when(&app, &admin, &performer.id, |v| {
        v.detail.as_ref().is_some_and(|d| {
            d.indicators.iter().any(|i| i.indicator == Indicator::DisputeRate && i.numerator == Some(1))
        })
    })
    .await;
    assert!(lost.detail.is_some());

    // Closing unfreezes: milestone 1's escrow reaches the performer.
    let closed: DisputeView = app.as_(&mediator).post(&path("closure"), &json!({})).await.expect("closed");
    assert_eq!(closed.state, DisputeState::Closed);
    assert!(!closed.escrow_frozen);
    assert!(wallet(&app, performer).await.available_fen > before, "released after the case ended");
    let steps: Vec<Option<EventKind>> = closed.timeline.iter().map(|t| t.event).collect();
    assert_eq!(steps.first(), Some(&None), "the filing");
    assert!(
        steps.contains(&Some(EventKind::DeadlinePassed)) && steps.last() == Some(&Some(EventKind::Close))
    );
    let late = app
        .as_(&performer.token)
        .org(&performer.id)
        .post::<_, DisputeMessageView>(&path("messages"), &json!({"body": "补充"}))
        .await;
    assert!(late.expect_err("ended").names("state", "ended"));
}

/// The mediation thread: both parties and the mediator write; an outsider sees nothing.
async fn thread(app: &TestApp, c: &crate::tenders::Cast, id: &str, mediator: &str) {
    let path = format!("/disputes/{id}/messages");
    let say = |token: &str, org: Option<&str>, body: &str| {
        let (app, path, token, org, body) =
            (app, path.clone(), token.to_owned(), org.map(str::to_owned), json!({"body": body}));
        async move {
            let caller = app.as_(&token);
            match org {
                Some(org) => caller.org(&org).post::<_, DisputeMessageView>(&path, &body).await,
                None => caller.post::<_, DisputeMessageView>(&path, &body).await,
            }
        }
    };
    let first = say(&c.poster.token, Some(&c.poster.id), "请对方提供复检报告原件。").await.expect("posted");
    assert_eq!(first.side, DisputeSide::Complainant);
    say(&c.alpha.token, Some(&c.alpha.id), "复检报告已上传。").await.expect("posted");
    say(mediator, None, "请双方于周五前确认返工范围。").await.expect("posted");
    say(&c.beta.token, Some(&c.beta.id), "我也想说").await.expect_err("outsider").assert(404, "not_found");
    let list: DisputeMessageList = app.as_(&c.alpha.token).get(&path).await.expect("thread");
    let sides: Vec<DisputeSide> = list.items.iter().map(|m| m.side).collect();
    assert_eq!(sides, [DisputeSide::Complainant, DisputeSide::Respondent, DisputeSide::Mediator]);
    app.as_(&c.beta.token)
        .get::<DisputeView>(&format!("/disputes/{id}"))
        .await
        .expect_err("outsider")
        .assert(404, "not_found");
}

#[tokio::test]
async fn unanswered_a_case_opens_mediation_and_mediation_past_ten_business_days_goes_to_arbitration() {
    let app = app().await;
    let (c, id, _officer) = in_force(&app, &FUND).await;
    let operator = app.staff_member("dl-operator@example.com", &["operator"]).await;
    let mediator = app.staff_member("dl-mediator@example.com", &["mediator"]).await;
    let mediator_id = user_id(&app, &mediator).await;
    let filed: DisputeView =
        app.as_(&c.alpha.token).org(&c.alpha.id).post("/disputes", &filing(&id, &[])).await.expect("filed");
    assert_eq!(filed.respondent_org_id, c.poster.id, "the performer files against the payer");
    let path = format!("/disputes/{}/assignment", filed.id);
    app.as_(&operator)
        .post::<_, DisputeView>(&path, &AssignMediatorRequest { mediator_id })
        .await
        .expect("assigned");
    let answer_due = dispute(&app, &operator, &filed.id).await.deadline.expect("answer deadline");
    assert_eq!(answer_due.kind, DeadlineKind::RespondentAnswer);

    // The answer deadline passes unanswered: mediation opens, the respondent non-responsive.
    let to_due = (answer_due.due_at - app.now()).num_seconds() + 60;
    app.advance_clock(to_due).await;
    let opened = dispute_when(&app, &operator, &filed.id, |d| d.state == DisputeState::InMediation).await;
    assert!(opened.respondent_non_responsive);
    let end = opened.deadline.expect("mediation end");
    assert_eq!(end.kind, DeadlineKind::MediationEnd);
    let business_days = (end.due_at - opened.mediation_opened_at.expect("opened")).num_days();
    assert!(business_days >= 13, "10 business days span at least two weekends: {business_days}");

    // Ten business days of mediation without agreement: arbitration.
    app.advance_clock((end.due_at - app.now()).num_seconds() + 60).await;
    let escalated =
        dispute_when(&app, &operator, &filed.id, |d| d.state == DisputeState::InArbitration).await;
    let last = escalated.timeline.last().expect("step");
    assert_eq!(
        (last.actor, last.consequence),
        (DisputeActorKind::System, Some(DeadlineConsequence::EscalateToArbitration))
    );

    // The complainant withdraws: the escrow is no longer frozen.
    let withdrawn: DisputeView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post(&format!("/disputes/{}/withdrawal", filed.id), &text("双方已庭外和解"))
        .await
        .expect("withdrawn");
    assert_eq!((withdrawn.state, withdrawn.escrow_frozen), (DisputeState::Withdrawn, false));
}

#[tokio::test]
async fn an_agreement_moves_escrow_only_once_both_parties_signed_it_re_authenticated() {
    let app = app().await;
    let (c, id, _officer) = in_force(&app, &FUND).await;
    let (payer, performer) = (&c.poster, &c.alpha);
    let operator = app.staff_member("ag-operator@example.com", &["operator"]).await;
    let mediator = app.staff_member("ag-mediator@example.com", &["mediator"]).await;
    let mediator_id = user_id(&app, &mediator).await;
    let filed: DisputeView =
        app.as_(&payer.token).org(&payer.id).post("/disputes", &filing(&id, &[])).await.expect("filed");
    let path = |what: &str| format!("/disputes/{}/{what}", filed.id);
    app.as_(&operator)
        .post::<_, DisputeView>(&path("assignment"), &AssignMediatorRequest { mediator_id })
        .await
        .expect("assigned");
    app.as_(&performer.token)
        .org(&performer.id)
        .post::<_, DisputeView>(&path("response"), &text("同意协商"))
        .await
        .expect("answered");
    app.as_(&mediator).post::<_, DisputeView>(&path("mediation"), &json!({})).await.expect("opened");

    // Movements beyond what the escrow holds are refused whole.
    let agreement = |to_payer: i64, to_performer: i64| RecordAgreementRequest {
        terms: "被申请人返还部分款项，申请人支付已完成部分。".into(),
        escrow_movements: vec![
            EscrowMovementInput { to: DisputeParty::Complainant, amount_fen: to_payer },
            EscrowMovementInput { to: DisputeParty::Respondent, amount_fen: to_performer },
        ],
        at_fault: None,
    };
    let too_much =
        app.as_(&mediator).post::<_, DisputeView>(&path("agreement"), &agreement(900_000_000, 1)).await;
    assert!(too_much.expect_err("beyond escrow").names("escrow_movements", "exceeds_escrow"));
    assert_eq!(dispute(&app, &mediator, &filed.id).await.state, DisputeState::InMediation, "nothing changed");
    let resolved: DisputeView = app
        .as_(&mediator)
        .post(&path("agreement"), &agreement(10_000_000, 20_000_000))
        .await
        .expect("agreed");
    assert_eq!(resolved.state, DisputeState::Resolved);
    let early = app.as_(&mediator).post::<_, DisputeView>(&path("closure"), &json!({})).await;
    assert!(early.expect_err("not executed").names("agreement", "not_executed"));

    // Signing: a money key, the password, consent.
    let (payer_before, performer_before) =
        (wallet(&app, payer).await.available_fen, wallet(&app, performer).await.available_fen);
    let sign = |org: &OrgAccount, password: &str, consent: bool, key: Option<&str>| {
        let body = SignAgreementRequest { password: password.to_owned(), code: None, consent };
        let (app, path, token, org, key) =
            (&app, path("agreement/signatures"), org.token.clone(), org.id.clone(), key.map(str::to_owned));
        async move {
            let caller = app.as_(&token).org(&org);
            match key {
                Some(key) => caller.key(&key).post::<_, DisputeView>(&path, &body).await,
                None => caller.post::<_, DisputeView>(&path, &body).await,
            }
        }
    };
    sign(payer, PASSWORD, true, None).await.expect_err("no key").assert(400, "idempotency_key_required");
    let wrong = sign(payer, "wrong-password-1", true, Some("s-1")).await.expect_err("password");
    assert!(wrong.names("password", "wrong_password"), "{:?}", wrong.body);
    assert!(
        sign(payer, PASSWORD, false, Some("s-2")).await.expect_err("consent").names("consent", "required")
    );
    let once = sign(payer, PASSWORD, true, Some("s-3")).await.expect("signed");
    assert!(once.complainant_signed_at.is_some() && once.executed_at.is_none());
    let replay = sign(payer, PASSWORD, true, Some("s-3")).await.expect("replayed");
    assert_eq!(replay.complainant_signed_at, once.complainant_signed_at);
    assert!(
        sign(payer, PASSWORD, true, Some("s-4"))
            .await
            .expect_err("twice")
            .names("X-Org-Id", "already_signed")
    );
    assert_eq!(wallet(&app, payer).await.available_fen, payer_before, "one signature moves nothing");

    let both = sign(performer, PASSWORD, true, Some("s-5")).await.expect("signed");
    assert!(both.executed_at.is_some());
    assert_eq!(wallet(&app, payer).await.available_fen, payer_before + 10_000_000);
    assert_eq!(wallet(&app, performer).await.available_fen, performer_before + 20_000_000);
    crate::escrow::ledger_balanced(&app);
    let closed: DisputeView = app.as_(&mediator).post(&path("closure"), &json!({})).await.expect("closed");
    assert_eq!(closed.state, DisputeState::Closed);
}

#[tokio::test]
async fn the_answer_deadline_counts_business_days_of_the_uploaded_calendar_across_a_holiday() {
    // Sessions outlive the clock's move to the eve of National Day 2027.
    let app = crate::membership::app().await;
    let (c, id, _officer) = in_force(&app, &FUND).await;
    let admin = app.staff_member("cal-admin@example.com", &["admin"]).await;
    let operator = app.staff_member("cal-operator@example.com", &["operator"]).await;
    let mediator = app.staff_member("cal-mediator@example.com", &["mediator"]).await;
    let mediator_id = user_id(&app, &mediator).await;
    let uploaded = crate::calendar::put(&app, 2027, &crate::calendar::schedule_2027(), &admin).await;
    assert_eq!(uploaded.status(), 201, "the 2027 schedule (National Day 1–7 October, 9 October a workday)");

    // Filed on Thursday 30 September 2027, 10:00 in Shanghai.
    let filed_at: chrono::DateTime<chrono::Utc> = "2027-09-30T02:00:00Z".parse().expect("instant");
    assert!(app.now() < filed_at, "the fixture's 2027 has passed: move this scenario to a later schedule");
    app.advance_clock((filed_at - app.now()).num_seconds()).await;
    let filed: DisputeView =
        app.as_(&c.poster.token).org(&c.poster.id).post("/disputes", &filing(&id, &[])).await.expect("filed");
    let path = format!("/disputes/{}/assignment", filed.id);
    let assigned: DisputeView =
        app.as_(&operator).post(&path, &AssignMediatorRequest { mediator_id }).await.expect("assigned");

    // 1–7 October are holidays, 8 October (Friday) and 9 October (the make-up Saturday) count:
    // the third business day is Monday 11 October; the answer is due at its end.
    let due = assigned.deadline.expect("answer deadline");
    assert_eq!(due.kind, DeadlineKind::RespondentAnswer);
    assert_eq!(due.due_at, "2027-10-11T16:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().expect("instant"));

    // Not fired at the end of 9 October; fired after the end of 11 October.
    app.advance_clock(
        ("2027-10-09T17:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().expect("t") - app.now())
            .num_seconds(),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    assert_eq!(dispute(&app, &operator, &filed.id).await.state, DisputeState::AwaitingResponse);
    app.advance_clock((due.due_at - app.now()).num_seconds() + 60).await;
    let opened = dispute_when(&app, &operator, &filed.id, |d| d.state == DisputeState::InMediation).await;
    assert!(opened.respondent_non_responsive);
}

/// Files `c`'s payer's dispute on contract `id` and takes it through a failed mediation to an
/// arbitration decision awarding `award_fen` against the performer. Returns the dispute.
pub async fn decided_against_performer(
    app: &TestApp,
    c: &crate::tenders::Cast,
    id: &str,
    mediator: &str,
    award_fen: i64,
) -> DisputeView {
    let operator = app.staff_member("award-operator@example.com", &["operator"]).await;
    let mediator_id = user_id(app, mediator).await;
    let filed: DisputeView =
        app.as_(&c.poster.token).org(&c.poster.id).post("/disputes", &filing(id, &[])).await.expect("filed");
    let path = |what: &str| format!("/disputes/{}/{what}", filed.id);
    app.as_(&operator)
        .post::<_, DisputeView>(&path("assignment"), &AssignMediatorRequest { mediator_id })
        .await
        .expect("assigned");
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, DisputeView>(&path("response"), &text("不同意"))
        .await
        .expect("answered");
    app.as_(mediator).post::<_, DisputeView>(&path("mediation"), &json!({})).await.expect("opened");
    app.as_(mediator).post::<_, DisputeView>(&path("failure"), &text("分歧过大")).await.expect("failed");
    let arbitration = RegisterArbitrationRequest {
        institution: "上海仲裁委员会".into(),
        case_number: "（2026）沪仲字第 88 号".into(),
    };
    app.as_(mediator).post::<_, DisputeView>(&path("arbitration"), &arbitration).await.expect("registered");
    let document = upload(app, mediator, b"%PDF-1.4 arbitral award", "award.pdf").await;
    let mut decision = RecordDecisionRequest {
        summary: "被申请人赔偿申请人损失".into(),
        at_fault: None,
        award_fen,
        document_sha256: document,
    };
    let unowed = app.as_(mediator).post::<_, DisputeView>(&path("decision"), &decision).await;
    assert!(unowed.expect_err("an award needs the party at fault").names("at_fault", "required"));
    decision.at_fault = Some(DisputeParty::Respondent);
    app.as_(mediator).post(&path("decision"), &decision).await.expect("decided")
}

#[tokio::test]
async fn an_award_takes_escrow_then_the_debtor_then_bond_and_reserve_under_two_officers_and_the_claim_blocks_new_contracts()
 {
    let app = app().await;
    let (mut c, id, first_officer) = in_force(&app, &FUND).await;
    let (payer, performer) = (c.poster.clone(), c.alpha.clone());
    let second_officer = app.staff_member("award-finance2@example.com", &["finance_officer"]).await;
    let mediator = app.staff_member("award-mediator@example.com", &["mediator"]).await;
    let escrow: EscrowView =
        app.as_(&payer.token).org(&payer.id).get(&format!("/contracts/{id}/escrow")).await.expect("escrow");
    let held: i64 = escrow.milestones.iter().map(|m| m.balance_fen).sum();
    let bond = escrow.bond.balance_fen;
    let reserve: ReserveReport = app.as_(&first_officer).get("/finance/reserve").await.expect("reserve");
    let from_reserve = 500_000;
    assert!(
        held > 0 && bond > 0 && reserve.balance_fen > from_reserve,
        "{held} {bond} {}",
        reserve.balance_fen
    );
    let (payer_before, performer_before) =
        (wallet(&app, &payer).await.available_fen, wallet(&app, &performer).await.available_fen);

    // The award: all the escrow, then 1,000 fen the performer pays, the bond and part of the reserve.
    let award_fen = held + 1_000 + bond + from_reserve;
    let decided = decided_against_performer(&app, &c, &id, &mediator, award_fen).await;
    let path = |what: &str| format!("/disputes/{}/{what}", decided.id);
    let award: DisputeAwardView = app.as_(&payer.token).get(&path("award")).await.expect("award");
    assert_eq!(
        (award.state, award.from_escrow_fen, award.outstanding_fen, award.debtor_org_id.as_str()),
        (AwardState::Due, held, 1_000 + bond + from_reserve, performer.id.as_str())
    );
    assert_eq!(wallet(&app, &payer).await.available_fen, payer_before + held, "escrow refunded to the payer");
    let days = (award.due_at - app.now()).num_days();
    assert!((13..=20).contains(&days), "10 business days: {days}");
    app.as_(&c.beta.token)
        .get::<DisputeAwardView>(&path("award"))
        .await
        .expect_err("an outsider")
        .assert(404, "not_found");

    // The performer pays a part; the payer cannot pay for it; no more than is owed.
    let pay = |org: &OrgAccount, amount_fen: i64, key: &str| {
        let body = AwardPaymentRequest { amount_fen, password: PASSWORD.into(), code: None };
        let (app, path, token, org, key) =
            (&app, path("award/payments"), org.token.clone(), org.id.clone(), key.to_owned());
        async move { app.as_(&token).org(&org).key(&key).post::<_, DisputeAwardView>(&path, &body).await }
    };
    pay(&payer, 1_000, "p-1").await.expect_err("not the debtor").assert(403, "forbidden");
    assert!(pay(&performer, 0, "p-2").await.expect_err("zero").names("amount_fen", "too_small"));
    let too_much = pay(&performer, award.outstanding_fen + 1, "p-3").await.expect_err("more than owed");
    assert!(too_much.names("amount_fen", "out_of_range"));
    let paid = pay(&performer, 1_000, "p-4").await.expect("paid");
    assert_eq!(
        pay(&performer, 1_000, "p-4").await.expect("replayed").paid_fen,
        1_000,
        "a replay pays nothing more"
    );
    assert_eq!(
        (paid.state, paid.paid_fen, paid.outstanding_fen),
        (AwardState::Due, 1_000, bond + from_reserve)
    );
    assert_eq!(wallet(&app, &performer).await.available_fen, performer_before - 1_000);

    // Compensation waits for the deadline.
    let request = |officer: &str, key: &str| {
        let (app, path, officer, key) = (
            &app,
            format!("/finance/dispute-awards/{}/compensation", decided.id),
            officer.to_owned(),
            key.to_owned(),
        );
        async move { app.as_(&officer).key(&key).post::<_, DisputeAwardView>(&path, &json!({})).await }
    };
    assert!(
        request(&first_officer, "c-0")
            .await
            .expect_err("not yet overdue")
            .names("state", "invalid_transition")
    );
    app.advance_clock((award.due_at - app.now()).num_seconds() + 60).await;
    let mut overdue = paid;
    for _ in 0..200 {
        overdue = app.as_(&payer.token).get(&path("award")).await.expect("award");
        if overdue.state == AwardState::Overdue {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(overdue.state, AwardState::Overdue);
    let queue: DisputeAwardList =
        app.as_(&second_officer).get("/finance/dispute-awards").await.expect("queue");
    assert!(queue.items.iter().any(|a| a.dispute_id == decided.id));
    app.as_(&payer.token)
        .get::<DisputeAwardList>("/finance/dispute-awards")
        .await
        .expect_err("finance only")
        .assert(403, "forbidden");
    request(&mediator, "c-1").await.expect_err("finance only").assert(403, "forbidden");

    // One officer requests (the bond first, then the reserve); another decides.
    let asked = request(&first_officer, "c-2").await.expect("requested");
    let pending = asked.request.clone().expect("pending");
    assert_eq!(
        (asked.state, pending.bond_fen, pending.reserve_fen),
        (AwardState::CompensationRequested, bond, from_reserve)
    );
    assert!(pay(&performer, 1, "p-5").await.expect_err("while pending").names("state", "invalid_transition"));
    let decide = |officer: &str, approve: bool, reason: Option<&str>, key: &str| {
        let body = CompensationDecisionRequest { approve, reason: reason.map(str::to_owned) };
        let (app, path, officer, key) = (
            &app,
            format!("/finance/dispute-awards/{}/compensation/decision", decided.id),
            officer.to_owned(),
            key.to_owned(),
        );
        async move { app.as_(&officer).key(&key).post::<_, DisputeAwardView>(&path, &body).await }
    };
    decide(&first_officer, true, None, "d-1").await.expect_err("the same officer").assert(403, "forbidden");
    assert!(
        decide(&second_officer, false, None, "d-2").await.expect_err("no reason").names("reason", "required")
    );
    let rejected = decide(&second_officer, false, Some("保证金账户待核实"), "d-3").await.expect("rejected");
    assert_eq!((rejected.state, rejected.request.is_none()), (AwardState::Overdue, true));
    request(&second_officer, "c-3").await.expect("asked again");
    let compensated = decide(&first_officer, true, None, "d-4").await.expect("approved");
    assert_eq!(
        (compensated.state, compensated.outstanding_fen, compensated.recovery_open_fen),
        (AwardState::Compensated, 0, from_reserve)
    );
    assert_eq!(wallet(&app, &payer).await.available_fen, payer_before + award_fen);
    let after: ReserveReport = app.as_(&first_officer).get("/finance/reserve").await.expect("reserve");
    assert_eq!(after.balance_fen, reserve.balance_fen - from_reserve);
    crate::escrow::ledger_balanced(&app);

    // The recovery claim blocks the performer from a new contract until repaid.
    crate::membership::next_demand(&app, &mut c, 2).await;
    let tender = crate::tenders::open_tender(&app, &c, false).await;
    let a = crate::tenders::bid(&app, &performer, &tender, &crate::tenders::offer(100_000_000, 100))
        .await
        .expect("bid");
    crate::tenders::pass_deadline(&app, &c, &tender).await;
    app.as_(&c.evaluator)
        .org(&payer.id)
        .put::<_, MarksView>(
            &format!("/tenders/{}/bids/{}/marks", tender.id, a.id),
            &crate::tenders::marks(&[50, 30]),
        )
        .await
        .expect("marked");
    let award_to = || {
        let (app, path, token, org, bid_id) = (
            &app,
            format!("/tenders/{}/award", tender.id),
            payer.token.clone(),
            payer.id.clone(),
            a.id.clone(),
        );
        async move {
            app.as_(&token)
                .org(&org)
                .post::<_, TenderView>(&path, &AwardRequest { bid_id, reason: None })
                .await
        }
    };
    let blocked = award_to().await.expect_err("recovery claim open");
    assert!(blocked.names("performer", "recovery_claim_open"), "{:?}", blocked.body);
    let repay = |amount_fen: i64, key: &str| {
        let body = AwardPaymentRequest { amount_fen, password: PASSWORD.into(), code: None };
        let (app, path, token, org, key) = (
            &app,
            path("award/recovery-payments"),
            performer.token.clone(),
            performer.id.clone(),
            key.to_owned(),
        );
        async move { app.as_(&token).org(&org).key(&key).post::<_, DisputeAwardView>(&path, &body).await }
    };
    assert!(
        repay(from_reserve + 1, "r-1").await.expect_err("more than owed").names("amount_fen", "out_of_range")
    );
    let repaid = repay(from_reserve, "r-2").await.expect("repaid");
    assert_eq!(repaid.recovery_open_fen, 0);
    let restored: ReserveReport = app.as_(&first_officer).get("/finance/reserve").await.expect("reserve");
    assert_eq!(restored.balance_fen, reserve.balance_fen);
    award_to().await.expect("awarded once repaid");
    crate::escrow::ledger_balanced(&app);
}
