//! Tendering (issue #15, steps 1–2): opening bidding on a published demand, prequalification
//! reports, sealed bids (revise, withdraw, files), the deadline job, evaluators' marks, the
//! scoring sheet and its CSV, the award with ranks told, the lapse of an unsigned award, and
//! every refusal on the way: bidding late or twice, reading another's bid before or after the
//! deadline, a grade-C, suspended, uninvited or own organisation bidding, awarding twice.

use chrono::Duration;
use reqwest::Method;
use serde_json::json;
use shared::dto::*;

use crate::fixtures::{demand_body, steelworks};
use crate::helpers::*;

const PROPOSAL: &str = "钢结构深化设计、工厂加工与现场吊装方案，配备两台履带吊。";

/// The poster (Certified, so its demand publishes at once), its evaluator, and two
/// steel-structure bidders that matching recommends.
pub struct Cast {
    pub reviewer: String,
    pub poster: OrgAccount,
    pub evaluator: String,
    pub evaluator_id: String,
    pub alpha: OrgAccount,
    pub beta: OrgAccount,
    pub demand_id: String,
}

pub async fn user_id(app: &TestApp, token: &str) -> String {
    json_of(app.get("/me", Some(token)).await, 200).await["id"].as_str().expect("user id").to_owned()
}

pub async fn cast(app: &TestApp) -> Cast {
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let alpha = app.verified_org("alpha@steel.test", steelworks("浙江精工钢构有限公司"), &reviewer).await;
    let beta = app.verified_org("beta@steel.test", steelworks("杭萧钢构股份有限公司"), &reviewer).await;
    let poster = app
        .verified_org("gc@build.test", steelworks("杭州城建集团有限公司").roles(&["contractor"]), &reviewer)
        .await;
    app.set_org_columns(&poster, "membership_tier = 'certified'").await;
    let evaluator = app.add_member(&poster, "judge@build.test").await.access_token;
    let evaluator_id = user_id(app, &evaluator).await;
    let created = json_of(
        app.as_org(
            Method::POST,
            "/demands",
            &poster.token,
            &poster.id,
            Some(&demand_body("体育馆钢结构分包")),
        )
        .await,
        201,
    )
    .await;
    let demand_id = created["id"].as_str().expect("id").to_owned();
    let path = format!("/demands/{demand_id}/submission");
    let published =
        json_of(app.as_org(Method::POST, &path, &poster.token, &poster.id, None).await, 200).await;
    assert_eq!(published["status"], "published");
    Cast { reviewer, poster, evaluator, evaluator_id, alpha, beta, demand_id }
}

pub fn opening(app: &TestApp, evaluators: &[&str], open_to_all: bool) -> OpenTenderRequest {
    OpenTenderRequest {
        bidding_closes_at: app.now() + Duration::days(2),
        open_to_all,
        weights: WeightsInput {
            price: 40,
            duration: 20,
            credit: 10,
            technical: 30,
            criteria: vec![
                CriterionInput { name: "施工组织设计".into(), max_mark: 60 },
                CriterionInput { name: "质量安全保证".into(), max_mark: 40 },
            ],
        },
        evaluators: evaluators.iter().map(|e| (*e).to_owned()).collect(),
    }
}

pub async fn open_tender(app: &TestApp, c: &Cast, open_to_all: bool) -> TenderView {
    let path = format!("/demands/{}/tender", c.demand_id);
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&path, &opening(app, &[&c.evaluator_id], open_to_all))
        .await
        .expect("tender opened")
}

pub fn offer(price_fen: i64, duration_days: i64) -> BidRequest {
    BidRequest { price_fen, duration_days, proposal: PROPOSAL.into(), validity_days: 90 }
}

pub async fn bid(
    app: &TestApp,
    org: &OrgAccount,
    tender: &TenderView,
    offer: &BidRequest,
) -> Result<BidView, crate::typed::Refused> {
    app.as_(&org.token).org(&org.id).post(&format!("/tenders/{}/bids", tender.id), offer).await
}

/// Moves the clock past the deadline and waits for the deadline job to close bidding.
pub async fn pass_deadline(app: &TestApp, c: &Cast, tender: &TenderView) -> TenderView {
    app.advance_clock(2 * 86_400 + 60).await;
    let path = format!("/tenders/{}", tender.id);
    for _ in 0..100 {
        let view: TenderView = app.as_(&c.poster.token).org(&c.poster.id).get(&path).await.expect("tender");
        if view.status != TenderState::Open {
            return view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the deadline job did not close the tender");
}

pub async fn kinds(app: &TestApp, token: &str) -> Vec<(NotificationKind, String)> {
    let page = json_of(app.get("/notifications", Some(token)).await, 200).await;
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| {
            let kind: NotificationKind = serde_json::from_value(n["kind"].clone()).expect("kind");
            (kind, n["body"].as_str().unwrap_or_default().to_owned())
        })
        .collect()
}

pub fn marks(values: &[i64]) -> MarksRequest {
    MarksRequest { marks: values.to_vec() }
}

#[tokio::test]
async fn a_tender_runs_from_opening_through_sealed_bids_and_scoring_to_the_award() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let tender = open_tender(&app, &c, false).await;
    assert_eq!((tender.status, tender.bid_count), (TenderState::Open, Some(0)));
    assert_eq!(tender.evaluators[0].user_id, c.evaluator_id);
    assert!(kinds(&app, &c.alpha.token).await.iter().any(|(k, _)| *k == NotificationKind::TenderOpened));

    // Prequalification: generated on look, stored, shown to both sides.
    let pq_path = format!("/tenders/{}/prequalification", tender.id);
    let report: PrequalificationView =
        app.as_(&c.alpha.token).org(&c.alpha.id).get(&pq_path).await.expect("report");
    assert!(report.may_bid && report.eligible, "{report:?}");
    let codes: Vec<&str> = report.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes[..3], ["verified", "not_suspended", "qualification_met"]);
    assert!(codes.contains(&"credit_insufficient_data") && codes.contains(&"no_contracts_yet"), "{codes:?}");
    assert!(report.items.iter().all(|i| !i.zh.is_empty() && !i.en.is_empty()));

    let a = bid(&app, &c.alpha, &tender, &offer(1_000_000_000, 120)).await.expect("alpha bids");
    let b = bid(&app, &c.beta, &tender, &offer(900_000_000, 150)).await.expect("beta bids");
    assert_eq!((a.status, a.revision), (BidState::Submitted, 1));
    let revised: BidView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put(&format!("/bids/{}", a.id), &offer(950_000_000, 100))
        .await
        .expect("revise");
    assert_eq!((revised.revision, revised.price_fen), (2, 950_000_000));
    let reports: Vec<PrequalificationView> = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/tenders/{}/prequalifications", tender.id))
        .await
        .expect("poster sees reports");
    assert_eq!(reports.len(), 2);

    // Sealed: the poster sees the count, not the contents; the evaluator neither; other bidders
    // never.
    let seen: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/tenders/{}", tender.id))
        .await
        .expect("tender");
    assert_eq!(seen.bid_count, Some(2));
    let bid_path = format!("/bids/{}", a.id);
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .get::<BidView>(&bid_path)
        .await
        .expect_err("sealed")
        .assert(403, "forbidden");
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .get::<BidView>(&bid_path)
        .await
        .expect_err("sealed")
        .assert(403, "forbidden");
    app.as_(&c.beta.token)
        .org(&c.beta.id)
        .get::<BidView>(&bid_path)
        .await
        .expect_err("hidden")
        .assert(404, "not_found");
    let list = format!("/tenders/{}/bids", tender.id);
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .get::<Vec<BidView>>(&list)
        .await
        .expect_err("sealed")
        .assert(403, "forbidden");
    let sheet_path = format!("/tenders/{}/scoring-sheet", tender.id);
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .get::<ScoringSheetView>(&sheet_path)
        .await
        .expect_err("open")
        .assert(409, "conflict");
    let mine: BidView = app.as_(&c.alpha.token).org(&c.alpha.id).get(&bid_path).await.expect("own bid");
    assert_eq!(mine.price_fen, 950_000_000);

    // The deadline job closes bidding; nothing can be bid or revised after.
    let closed = pass_deadline(&app, &c, &tender).await;
    assert_eq!(closed.status, TenderState::Closed);
    bid(&app, &c.beta, &tender, &offer(800_000_000, 90)).await.expect_err("late").assert(409, "conflict");
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put::<_, BidView>(&bid_path, &offer(1, 1))
        .await
        .expect_err("late revision")
        .assert(409, "conflict");
    assert!(kinds(&app, &c.beta.token).await.iter().any(|(k, _)| *k == NotificationKind::TenderClosed));

    // After the deadline: the poster and the evaluator read the bids; other bidders still not.
    let bids: Vec<BidView> = app.as_(&c.evaluator).org(&c.poster.id).get(&list).await.expect("bids");
    assert_eq!(bids.len(), 2);
    assert!(bids.iter().all(|b| b.status == BidState::Valid && b.proposal == PROPOSAL));
    app.as_(&c.beta.token)
        .org(&c.beta.id)
        .get::<BidView>(&bid_path)
        .await
        .expect_err("hidden")
        .assert(404, "not_found");

    // Marks: the named evaluator only, within each criterion's maximum.
    let mark_a = format!("/tenders/{}/bids/{}/marks", tender.id, a.id);
    let mark_b = format!("/tenders/{}/bids/{}/marks", tender.id, b.id);
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .put::<_, MarksView>(&mark_a, &marks(&[50, 30]))
        .await
        .expect_err("not an evaluator")
        .assert(403, "forbidden");
    let too_high = app
        .as_(&c.evaluator)
        .org(&c.poster.id)
        .put::<_, MarksView>(&mark_a, &marks(&[61, 30]))
        .await
        .expect_err("range");
    too_high.assert(422, "validation_failed");
    assert!(too_high.names("marks[0]", "out_of_range"), "{:?}", too_high.body);
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .put::<_, MarksView>(&mark_a, &marks(&[50, 30]))
        .await
        .expect("marked");
    let partial: ScoringSheetView =
        app.as_(&c.poster.token).org(&c.poster.id).get(&sheet_path).await.expect("sheet");
    assert_eq!(partial.state, SheetState::AwaitingMarks);
    assert_eq!(partial.missing_evaluators[0].user_id, c.evaluator_id);
    assert!(
        partial.rows.iter().all(|r| r.rank.is_none()) && partial.marks.is_empty(),
        "the poster does not see marks before completion"
    );
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .put::<_, MarksView>(&mark_b, &marks(&[40, 30]))
        .await
        .expect("marked");
    let sheet: ScoringSheetView =
        app.as_(&c.poster.token).org(&c.poster.id).get(&sheet_path).await.expect("sheet");
    assert_eq!(sheet.state, SheetState::Complete);
    assert_eq!(sheet.marks.len(), 2);
    // Alpha: price 900/950×40 = 37.89, duration 100/100×20 = 20, credit neutral 75/100×10 = 7.5,
    // technical 80/100×30 = 24 → 89.39. Beta: 40 + 100/150×20 = 13.33 + 7.5 + 70/100×30 = 21 → 81.83.
    let top = &sheet.rows[0];
    assert_eq!((top.bid_id.as_str(), top.rank, top.total), (a.id.as_str(), Some(1), Some(89.39)));
    assert_eq!((sheet.rows[1].rank, sheet.rows[1].total), (Some(2), Some(81.83)));
    assert_eq!(top.credit_basis, CreditBasis::NeutralForInsufficientData);

    let csv =
        app.as_org(Method::GET, &format!("{sheet_path}.csv"), &c.poster.token, &c.poster.id, None).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().expect("type").starts_with("text/csv"));
    let text = csv.text().await.expect("csv");
    assert!(
        text.starts_with('\u{feff}') && text.contains("浙江精工钢构有限公司") && text.contains("89.39"),
        "{text}"
    );

    // Award: the second-ranked needs a reason; the first does not; only once.
    let award = format!("/tenders/{}/award", tender.id);
    let no_reason = AwardRequest { bid_id: b.id.clone(), reason: None };
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&award, &no_reason)
        .await
        .expect_err("reason");
    assert!(refused.names("reason", "required"), "{:?}", refused.body);
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .post::<_, TenderView>(&award, &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect_err("members do not award")
        .assert(403, "forbidden");
    let awarded: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&award, &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect("awarded");
    assert_eq!(
        (awarded.status, awarded.awarded_bid_id.as_deref()),
        (TenderState::Awarded, Some(a.id.as_str()))
    );
    assert!(awarded.signing_deadline.is_some());
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&award, &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect_err("twice")
        .assert(409, "conflict");
    assert!(kinds(&app, &c.alpha.token).await.iter().any(|(k, _)| *k == NotificationKind::BidAwarded));
    let told = kinds(&app, &c.beta.token).await;
    assert!(
        told.iter().any(|(k, body)| *k == NotificationKind::BidNotAwarded && body.contains("2 / 2")),
        "{told:?}"
    );
    let own: BidView =
        app.as_(&c.beta.token).org(&c.beta.id).get(&format!("/bids/{}", b.id)).await.expect("own bid");
    assert_eq!((own.status, own.rank), (BidState::NotAwarded, Some(2)));
}

#[tokio::test]
async fn bid_contents_and_files_are_sealed_at_rest_and_from_everyone_but_the_bidder() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let tender = open_tender(&app, &c, false).await;
    let a = bid(&app, &c.alpha, &tender, &offer(987_654_321, 123)).await.expect("bid");
    let pdf = "%PDF-1.7\n% technical proposal: crawler crane plan 履带吊方案\n".as_bytes().to_vec();
    // Someone else's bid takes no file, and nothing reaches the disk.
    let stored_before = read_all(&app.config.data_dir.join("files")).len();
    let intruder = app
        .client
        .post(app.api(&format!("/bids/{}/files", a.id)))
        .bearer_auth(&c.beta.token)
        .header("x-org-id", &c.beta.id)
        .multipart(
            reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("x.pdf")),
        )
        .send()
        .await
        .expect("upload");
    assert_eq!(intruder.status(), 404);
    assert_eq!(
        read_all(&app.config.data_dir.join("files")).len(),
        stored_before,
        "nothing stored for a refused upload"
    );
    let part = reqwest::multipart::Part::bytes(pdf.clone()).file_name("方案.pdf");
    let upload = app
        .client
        .post(app.api(&format!("/bids/{}/files", a.id)))
        .bearer_auth(&c.alpha.token)
        .header("x-org-id", &c.alpha.id)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let file: BidFileView = serde_json::from_value(json_of(upload, 201).await).expect("file view");
    assert_eq!((file.name.as_str(), file.size), ("方案.pdf", pdf.len() as i64));

    // At rest: no price, proposal or file name in the database; no plaintext on disk.
    let mut conn = app.db.get().expect("conn");
    let stored: Vec<String> = stored_texts(
        &mut conn,
        "SELECT offer_sealed FROM bids UNION ALL SELECT meta_sealed FROM bid_files UNION ALL SELECT offer_sealed FROM bid_revisions",
    );
    assert_eq!(stored.len(), 3);
    for text in &stored {
        assert!(!text.contains("987654321") && !text.contains("履带吊") && !text.contains("方案"), "{text}");
    }
    let files_dir = app.config.data_dir.join("files");
    let on_disk = read_all(&files_dir);
    assert!(!on_disk.is_empty(), "the sealed bytes are stored");
    assert!(on_disk.iter().all(|bytes| !bytes.windows(8).any(|w| w == b"%PDF-1.7")), "no plaintext on disk");
    // The plaintext's hash is not a generic file either.
    let generic = app.get(&format!("/files/{}", file.sha256), Some(&c.alpha.token)).await;
    assert_eq!(generic.status(), 404);

    // The bidder reads it back; the poster is refused before the close.
    let path = file.download_path.clone();
    let own = app.as_org(Method::GET, &path, &c.alpha.token, &c.alpha.id, None).await;
    assert_eq!(own.status(), 200);
    assert_eq!(own.bytes().await.expect("bytes").to_vec(), pdf);
    assert_eq!(app.as_org(Method::GET, &path, &c.poster.token, &c.poster.id, None).await.status(), 403);
    assert_eq!(app.as_org(Method::GET, &path, &c.beta.token, &c.beta.id, None).await.status(), 404);
    // Staff are nobody's bidder or evaluator.
    let staff = app.staff_member("ops@gongzhu.test", &["operator", "reviewer", "admin"]).await;
    assert_eq!(
        app.as_org(Method::GET, &format!("/bids/{}", a.id), &staff, &c.alpha.id, None).await.status(),
        404
    );
    assert_eq!(app.as_org(Method::GET, &path, &staff, &c.poster.id, None).await.status(), 404);

    // An image is not a bid file.
    let png = reqwest::multipart::Part::bytes(vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0])
        .file_name("x.png");
    let refused = app
        .client
        .post(app.api(&format!("/bids/{}/files", a.id)))
        .bearer_auth(&c.alpha.token)
        .header("x-org-id", &c.alpha.id)
        .multipart(reqwest::multipart::Form::new().part("file", png))
        .send()
        .await
        .expect("upload");
    assert_eq!(refused.status(), 415);

    // After the close the poster downloads it; the bidder can no longer remove it.
    pass_deadline(&app, &c, &tender).await;
    let after = app.as_org(Method::GET, &path, &c.poster.token, &c.poster.id, None).await;
    assert_eq!(after.status(), 200);
    assert_eq!(after.bytes().await.expect("bytes").to_vec(), pdf);
    app.as_(&c.alpha.token).org(&c.alpha.id).delete(&path).await.expect_err("closed").assert(409, "conflict");
}

fn stored_texts(conn: &mut api::db::DbConn, query: &str) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        offer_sealed: String,
    }
    diesel::sql_query(query).load::<Text>(conn).expect("query").into_iter().map(|t| t.offer_sealed).collect()
}

fn read_all(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(read_all(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
    out
}

#[tokio::test]
async fn only_eligible_prequalified_organisations_bid_once_and_only_before_the_deadline() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    // A grade-C organisation and one nobody recommended (wrong region), on an invited tender.
    let graded = app.verified_org("c@steel.test", steelworks("信用不良钢构有限公司"), &c.reviewer).await;
    let outsider = app
        .verified_org(
            "far@steel.test",
            steelworks("新疆远方钢构有限公司").serving(&["650000"]).registered_in("650102"),
            &c.reviewer,
        )
        .await;
    app.set_org_columns(&graded, "credit_grade = 'c', credit_score = 52.0").await;
    let tender = open_tender(&app, &c, false).await;

    let pq = format!("/tenders/{}/prequalification", tender.id);
    let report: PrequalificationView = app.as_(&graded.token).org(&graded.id).get(&pq).await.expect("report");
    assert!(!report.may_bid);
    let fail = report.items.iter().find(|i| i.code == "credit_grade_c").expect("credit item");
    assert_eq!(fail.outcome, "fail");
    assert!(fail.zh.contains('C') && fail.en.contains('C'), "{fail:?}");
    bid(&app, &graded, &tender, &offer(900_000_000, 100))
        .await
        .expect_err("grade C")
        .assert(403, "forbidden");
    let seen: Vec<PrequalificationView> =
        app.as_(&c.poster.token).org(&c.poster.id).get(&format!("{pq}s")).await.expect("poster sees why");
    assert!(seen.iter().any(|r| r.org_id == graded.id && !r.may_bid));

    let report: PrequalificationView =
        app.as_(&outsider.token).org(&outsider.id).get(&pq).await.expect("report");
    assert!(!report.eligible);
    bid(&app, &outsider, &tender, &offer(900_000_000, 100))
        .await
        .expect_err("uninvited")
        .assert(403, "forbidden");
    bid(&app, &c.poster, &tender, &offer(900_000_000, 100))
        .await
        .expect_err("own tender")
        .assert(403, "forbidden");

    // Once, then revise; a withdrawn bid may be replaced before the deadline.
    let first = bid(&app, &c.alpha, &tender, &offer(900_000_000, 100)).await.expect("bid");
    bid(&app, &c.alpha, &tender, &offer(800_000_000, 100)).await.expect_err("twice").assert(409, "conflict");
    let withdrawn: BidView = app
        .as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post(&format!("/bids/{}/withdraw", first.id), &json!({}))
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.status, BidState::Withdrawn);
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .put::<_, BidView>(&format!("/bids/{}", first.id), &offer(1, 1))
        .await
        .expect_err("withdrawn")
        .assert(409, "conflict");
    let again = bid(&app, &c.alpha, &tender, &offer(850_000_000, 100)).await.expect("bids again");
    assert_ne!(again.id, first.id);
    // Someone else's bid cannot be revised or withdrawn.
    app.as_(&c.beta.token)
        .org(&c.beta.id)
        .post::<_, BidView>(&format!("/bids/{}/withdraw", again.id), &json!({}))
        .await
        .expect_err("not theirs")
        .assert(404, "not_found");

    // Bad offers name every field and store nothing.
    let bad = app
        .as_org(
            Method::POST,
            &format!("/tenders/{}/bids", tender.id),
            &c.beta.token,
            &c.beta.id,
            Some(&json!({
                "price_fen": 0, "duration_days": 0, "proposal": "短", "validity_days": 7
            })),
        )
        .await;
    let body = assert_error(bad, 422, "validation_failed").await;
    for field in ["price_fen", "duration_days", "proposal", "validity_days"] {
        assert!(body.details.iter().any(|d| d.field == field), "{field}: {body:?}");
    }
    assert_eq!(app.count("bids"), 2);

    // A suspended organisation cannot bid.
    app.sql(&format!(
        "UPDATE organisations SET suspended_at = '2026-12-01 00:00:00' WHERE id = '{}'",
        c.beta.id
    ));
    bid(&app, &c.beta, &tender, &offer(900_000_000, 100))
        .await
        .expect_err("suspended")
        .assert(403, "forbidden");
}

#[tokio::test]
async fn opening_a_tender_is_checked_and_happens_once_per_published_demand() {
    let app = spawn_app().await;
    let c = cast(&app).await;
    let path = format!("/demands/{}/tender", c.demand_id);
    let mut request = opening(&app, &[&c.evaluator_id], false);
    request.weights.price = 39;
    request.evaluators.push(user_id(&app, &c.alpha.token).await);
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&path, &request)
        .await
        .expect_err("bad");
    refused.assert(422, "validation_failed");
    assert!(refused.names("weights.weights", "sum_not_100"), "{:?}", refused.body);
    let mut request = opening(&app, &[&c.evaluator_id, "nobody"], false);
    request.bidding_closes_at = app.now() + Duration::minutes(10);
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&path, &request)
        .await
        .expect_err("bad");
    assert!(refused.names("bidding_closes_at", "too_soon"), "{:?}", refused.body);
    let request = opening(&app, &[&c.evaluator_id, "nobody"], false);
    let refused = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&path, &request)
        .await
        .expect_err("bad");
    assert!(refused.names("evaluators[1]", "not_a_member"), "{:?}", refused.body);
    // A plain member may not open bidding; another organisation sees no demand.
    let good = opening(&app, &[&c.evaluator_id], false);
    app.as_(&c.evaluator)
        .org(&c.poster.id)
        .post::<_, TenderView>(&path, &good)
        .await
        .expect_err("member")
        .assert(403, "forbidden");
    app.as_(&c.alpha.token)
        .org(&c.alpha.id)
        .post::<_, TenderView>(&path, &good)
        .await
        .expect_err("other")
        .assert(404, "not_found");
    assert_eq!(app.count("tenders"), 0);

    // Alpha said it is interested before bidding opened: its report is generated on opening.
    let received =
        json_of(app.get_as("/demand-invitations", Caller::ForOrg(&c.alpha.token, &c.alpha.id)).await, 200)
            .await;
    let invitation = received["items"][0]["id"].as_str().expect("alpha was invited").to_owned();
    let answer = json!({"answer": "interested"});
    let answered = app
        .as_org(
            Method::POST,
            &format!("/demand-invitations/{invitation}/answer"),
            &c.alpha.token,
            &c.alpha.id,
            Some(&answer),
        )
        .await;
    assert_eq!(answered.status(), 200);
    let opened: TenderView =
        app.as_(&c.poster.token).org(&c.poster.id).post(&path, &good).await.expect("opened");
    let reports: Vec<PrequalificationView> = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/tenders/{}/prequalifications", opened.id))
        .await
        .expect("reports");
    assert_eq!(reports.iter().map(|r| r.org_id.as_str()).collect::<Vec<_>>(), [c.alpha.id.as_str()]);
    let demand = json_of(app.get(&format!("/demands/{}", c.demand_id), None).await, 200).await;
    assert_eq!(demand["tender_id"], opened.id.as_str(), "the demand names its tender");
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&path, &good)
        .await
        .expect_err("once")
        .assert(409, "conflict");
    let shown: TenderView = app.as_(&c.alpha.token).get(&path).await.expect("public");
    assert_eq!((shown.bid_count, shown.weights.price), (None, 40));

    // A draft demand cannot take a tender.
    let draft = json_of(
        app.as_org(
            Method::POST,
            "/demands",
            &c.poster.token,
            &c.poster.id,
            Some(&demand_body("幕墙钢龙骨采购")),
        )
        .await,
        201,
    )
    .await;
    let draft_path = format!("/demands/{}/tender", draft["id"].as_str().expect("id"));
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&draft_path, &good)
        .await
        .expect_err("draft")
        .assert(409, "conflict");
}

#[tokio::test]
async fn an_award_not_signed_in_ten_business_days_lapses_and_the_next_bid_can_be_awarded() {
    // Access tokens outlive the month the clock moves.
    let app = spawn_with(Spawn { access_ttl: Some(60 * 86_400), ..Spawn::default() }).await;
    let c = cast(&app).await;
    let tender = open_tender(&app, &c, true).await;
    let a = bid(&app, &c.alpha, &tender, &offer(900_000_000, 100)).await.expect("bid");
    let b = bid(&app, &c.beta, &tender, &offer(950_000_000, 100)).await.expect("bid");
    pass_deadline(&app, &c, &tender).await;
    for id in [&a.id, &b.id] {
        let path = format!("/tenders/{}/bids/{id}/marks", tender.id);
        app.as_(&c.evaluator)
            .org(&c.poster.id)
            .put::<_, MarksView>(&path, &marks(&[50, 30]))
            .await
            .expect("marked");
    }
    let award = format!("/tenders/{}/award", tender.id);
    let awarded: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&award, &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect("awarded");
    let deadline = awarded.signing_deadline.expect("signing deadline");
    // Ten business days are at least two weeks; cancelling is refused while the award stands.
    assert!(deadline >= awarded.awarded_on.expect("awarded on") + chrono::Days::new(14));
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&format!("/tenders/{}/cancel", tender.id), &json!({}))
        .await
        .expect_err("award in force")
        .assert(409, "conflict");

    app.advance_clock(30 * 86_400).await;
    let path = format!("/tenders/{}", tender.id);
    let mut lapsed = None;
    for _ in 0..100 {
        let view: TenderView = app.as_(&c.poster.token).org(&c.poster.id).get(&path).await.expect("tender");
        if view.status == TenderState::Lapsed {
            lapsed = Some(view);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(lapsed.is_some(), "the lapse job ran");
    let first_contract = awarded.contract_id.clone().expect("drafted on award");
    let abandoned: ContractView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .get(&format!("/contracts/{first_contract}"))
        .await
        .expect("contract");
    assert_eq!(
        abandoned.status,
        ContractState::Abandoned,
        "the unsigned contract of a lapsed award is abandoned"
    );
    assert!(kinds(&app, &c.alpha.token).await.iter().any(|(k, _)| *k == NotificationKind::AwardLapsed));
    // The lapsed bid cannot be awarded again; the next one needs no reason.
    app.as_(&c.poster.token)
        .org(&c.poster.id)
        .post::<_, TenderView>(&award, &AwardRequest { bid_id: a.id.clone(), reason: None })
        .await
        .expect_err("lapsed")
        .assert(409, "conflict");
    let next: TenderView = app
        .as_(&c.poster.token)
        .org(&c.poster.id)
        .post(&award, &AwardRequest { bid_id: b.id.clone(), reason: None })
        .await
        .expect("next bid awarded");
    assert_eq!(next.awarded_bid_id.as_deref(), Some(b.id.as_str()));
    assert_ne!(
        next.contract_id.as_deref(),
        Some(first_contract.as_str()),
        "the next award has its own contract"
    );
}
