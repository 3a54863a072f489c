//! Progress logs (issue #16): the performer posts logs with photos whose EXIF capture time and
//! GPS position the parties and the supervisor see (nobody else sees the log or the photo); the
//! payer approves or requests changes, the performer revises; the `progress_watch` job warns
//! both parties once per condition — and the refusals: wrong organisation, supervisor or payer
//! posting, a contract not in force, missing and oversize fields, a non-image photo, another
//! organisation's photo, the performer reviewing, reviewing twice.

use chrono::{Duration, NaiveDate};
use reqwest::Method;
use serde_json::{Value, json};
use shared::dto::*;

use crate::contracts::{awarded, sign_request, terms_of};
use crate::helpers::*;
use crate::tenders::{Cast, kinds};

const JPEG: &[u8] = include_bytes!("../../../shared/fixtures/photos/site.jpg");
const WEBP: &[u8] = include_bytes!("../../../shared/fixtures/photos/site.webp");
const PNG: &[u8] = include_bytes!("../../../shared/fixtures/photos/site.png");

fn today(app: &TestApp) -> NaiveDate {
    shared::domain::calendar::shanghai::business_date(app.now())
}

/// An awarded contract starting today (milestone 1 in 30 days, 2 in 60), with beta as the
/// supervisor, signed by both: in force. A log on it before that is refused.
pub async fn in_force(app: &TestApp) -> (Cast, String, NaiveDate) {
    let (c, contract) = awarded(app).await;
    let id = contract.id.clone();
    let start = today(app);
    let terms = terms_of(&contract, |t| {
        t.start_date = start;
        for (m, days) in t.plan.milestones.iter_mut().zip([0, 30, 60]) {
            m.planned_date = start + Duration::days(days);
        }
        t.supervisor_org_id = Some(c.beta.id.clone());
    });
    let payer = app.as_(&c.poster.token).org(&c.poster.id);
    payer.put::<_, ContractView>(&format!("/contracts/{id}/terms"), &terms).await.expect("terms");
    let draft = post_log(app, &c.alpha, &id, &log(start, 1, &[])).await.expect_err("draft");
    assert!(draft.names("progress", "not_effective"), "{draft:?}");
    let signing: ContractView =
        payer.post(&format!("/contracts/{id}/signing"), &json!({})).await.expect("sent for signing");
    for org in [&c.poster, &c.alpha] {
        app.as_(&org.token)
            .org(&org.id)
            .post::<_, ContractView>(
                &format!("/contracts/{id}/signatures"),
                &sign_request(&signing.current_sha256),
            )
            .await
            .expect("signed");
    }
    (c, id, start)
}

fn log(date: NaiveDate, percent: i64, photos: &[&str]) -> Value {
    json!({
        "date": date, "work_done": "完成三层楼板钢筋绑扎与混凝土浇筑", "percent": percent,
        "issues": "雨天停工半天", "photos": photos,
    })
}

async fn post_log(
    app: &TestApp,
    org: &OrgAccount,
    id: &str,
    body: &Value,
) -> Result<ProgressLogView, crate::typed::Refused> {
    app.as_(&org.token).org(&org.id).post(&format!("/contracts/{id}/progress-logs"), body).await
}

/// Uploads `bytes` as `name` for the caller; returns its SHA-256.
pub async fn upload(app: &TestApp, token: &str, bytes: &[u8], name: &str) -> String {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned());
    let resp = app
        .client
        .post(app.api("/files"))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    json_of(resp, 201).await["sha256"].as_str().expect("sha256").to_owned()
}

fn close(value: Option<f64>, expected: f64) -> bool {
    value.is_some_and(|v| (v - expected).abs() < 1e-4)
}

#[tokio::test]
async fn the_performer_logs_progress_with_photos_the_payer_reviews_and_exif_stays_with_the_parties() {
    let app = spawn_app().await;
    let (c, id, start) = in_force(&app).await;
    let outsider = app.org_account("outsider@example.com", OrgSpec::new("局外建设有限公司")).await;
    let jpg = upload(&app, &c.alpha.token, JPEG, "现场.jpg").await;
    let webp = upload(&app, &c.alpha.token, WEBP, "现场.webp").await;
    let pdf = upload(&app, &c.alpha.token, b"%PDF-1.4 not a photo", "日志.pdf").await;
    let theirs = upload(&app, &c.beta.token, PNG, "监理.png").await;
    let path = format!("/contracts/{id}/progress-logs");

    // Who may post: the performer only; a stranger does not learn the contract exists.
    let good = log(start, 10, &[&jpg, &webp]);
    assert_eq!(post_log(&app, &c.poster, &id, &good).await.expect_err("payer").status, 403);
    let supervisor = post_log(&app, &c.beta, &id, &good).await.expect_err("supervisor");
    assert!(supervisor.status == 403 && supervisor.names("progress", "not_your_part"), "{supervisor:?}");
    post_log(&app, &outsider, &id, &good).await.expect_err("outsider").assert(404, "not_found");

    // Bad input, each named; nothing is written.
    let bad = |change: &dyn Fn(&mut Value)| {
        let mut body = good.clone();
        change(&mut body);
        body
    };
    let refused = |body: Value| {
        let (app, alpha, id) = (&app, &c.alpha, id.clone());
        async move { post_log(app, alpha, &id, &body).await.expect_err("refused") }
    };
    let missing = refused(bad(&|b| drop(b.as_object_mut().expect("object").remove("work_done")))).await;
    assert!(matches!(missing.status, 400 | 422), "{missing:?}");
    let long = refused(bad(&|b| b["work_done"] = json!("砼".repeat(2001)))).await;
    assert!(long.names("work_done", "too_long"), "{long:?}");
    assert!(refused(bad(&|b| b["percent"] = json!(101))).await.names("percent", "out_of_range"));
    let ten: Vec<String> = (0..10).map(|i| format!("{i:064}")).collect();
    assert!(refused(bad(&|b| b["photos"] = json!(ten))).await.names("photos", "too_many"));
    let future = refused(bad(&|b| b["date"] = json!(start + Duration::days(1)))).await;
    assert!(future.names("date", "in_the_future"), "{future:?}");
    let not_image = refused(bad(&|b| b["photos"] = json!([&jpg, &pdf]))).await;
    assert!(not_image.names("photos[1]", "not_an_image"), "{not_image:?}");
    let foreign = refused(bad(&|b| b["photos"] = json!([&theirs]))).await;
    assert!(foreign.names("photos[0]", "unknown_file"), "{foreign:?}");
    let payer = app.as_(&c.poster.token).org(&c.poster.id);
    let empty: ProgressLogPage = payer.get(&path).await.expect("list");
    assert!(empty.items.is_empty());
    assert_eq!(app.count("progress_photos"), 0);

    // Posted: the parties and the supervisor see what the photos' EXIF says.
    let posted = post_log(&app, &c.alpha, &id, &good).await.expect("posted");
    assert_eq!((posted.status, posted.percent, posted.photos.len()), (ProgressState::Submitted, 10, 2));
    let shot = NaiveDate::from_ymd_opt(2026, 12, 20).and_then(|d| d.and_hms_opt(9, 30, 15));
    for org in [&c.poster, &c.alpha, &c.beta] {
        let seen: ProgressLogView =
            app.as_(&org.token).org(&org.id).get(&format!("{path}/{}", posted.id)).await.expect("log");
        let (first, second) = (&seen.photos[0], &seen.photos[1]);
        assert_eq!((first.sha256.as_str(), first.captured_at), (jpg.as_str(), shot));
        assert!(close(first.latitude, 31.2304) && close(first.longitude, 121.4737), "{first:?}");
        assert!(close(second.latitude, -33.8688) && close(second.longitude, 151.2093), "{second:?}");
    }
    // Nobody else: neither the log nor the photo (with or without its EXIF).
    let stranger = app.as_(&outsider.token).org(&outsider.id);
    let hidden = stranger.get::<ProgressLogView>(&format!("{path}/{}", posted.id)).await.expect_err("hidden");
    hidden.assert(404, "not_found");
    assert_eq!(app.get(&format!("/files/{jpg}"), Some(&outsider.token)).await.status(), 404);
    let photo = app.get(&format!("/files/{jpg}"), Some(&c.beta.token)).await;
    assert_eq!(photo.status(), 200, "the supervisor opens the photo");
    assert_eq!(photo.bytes().await.expect("bytes").as_ref(), JPEG);

    // Review: the payer only, a comment to request changes, once.
    let review = format!("{path}/{}/review", posted.id);
    let approve = json!({"decision": "approve"});
    for org in [&c.alpha, &c.beta] {
        let err = app.as_(&org.token).org(&org.id).post::<_, ProgressLogView>(&review, &approve).await;
        assert!(err.expect_err("not the payer").names("progress", "not_your_part"));
    }
    let bare = payer.post::<_, ProgressLogView>(&review, &json!({"decision": "request_changes"})).await;
    assert!(bare.expect_err("no comment").names("comment", "required"));
    let changes = json!({"decision": "request_changes", "comment": "照片看不清楼层，请补拍"});
    let asked: ProgressLogView = payer.post(&review, &changes).await.expect("changes requested");
    assert_eq!(asked.status, ProgressState::ChangesRequested);
    assert_eq!(asked.review.as_ref().and_then(|r| r.comment.as_deref()), Some("照片看不清楼层，请补拍"));
    let twice = payer.post::<_, ProgressLogView>(&review, &approve).await.expect_err("twice");
    assert!(twice.status == 409 && twice.names("progress", "already_reviewed"), "{twice:?}");

    // The revision replaces it, once; the payer approves it.
    let mut revision = log(start, 12, &[&jpg]);
    revision["revises"] = json!(posted.id);
    let revised = post_log(&app, &c.alpha, &id, &revision).await.expect("revised");
    assert_eq!(revised.revises.as_deref(), Some(posted.id.as_str()));
    let again = post_log(&app, &c.alpha, &id, &revision).await.expect_err("revised twice");
    assert!(again.names("revises", "already_revised"), "{again:?}");
    let approved: ProgressLogView =
        payer.post(&format!("{path}/{}/review", revised.id), &approve).await.expect("approved");
    assert_eq!(approved.status, ProgressState::Approved);

    let page: ProgressLogPage = app.as_(&c.beta.token).org(&c.beta.id).get(&path).await.expect("list");
    let order: Vec<&str> = page.items.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(order, vec![revised.id.as_str(), posted.id.as_str()], "newest first");
    assert_eq!(page.items[1].revised_by.as_deref(), Some(revised.id.as_str()));
    assert_eq!((page.schedule.reported_percent, page.schedule.last_log_date), (12, Some(start)));
    let cursor = format!("{path}?cursor=nope");
    let bad_cursor = app.as_org(Method::GET, &cursor, &c.beta.token, &c.beta.id, None).await;
    assert_error(bad_cursor, 422, "validation_failed").await;

    for token in [&c.poster.token, &c.alpha.token] {
        let told = kinds(&app, token).await;
        assert!(told.iter().any(|(k, _)| *k == NotificationKind::ProgressUpdate), "{told:?}");
    }
    assert_eq!(app.count("audit_log WHERE action = 'contract.progress_reviewed'"), 2);
}

/// Moves the clock by `seconds` and waits until the `progress_watch` job ran after the move.
async fn watched(app: &TestApp, seconds: i64) {
    app.advance_clock(seconds).await;
    let moved = app.now().naive_utc();
    for _ in 0..200 {
        let job = {
            let mut conn = app.db.get().expect("conn");
            api::db::models::jobs::JobRow::by_dedupe_key(&mut conn, "progress_watch").expect("query")
        };
        if job.is_some_and(|j| j.run_at > moved) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the progress_watch job did not run");
}

/// The progress warnings `token` was told, by what their title says.
async fn warned(app: &TestApp, token: &str) -> [usize; 3] {
    let page = json_of(app.get("/notifications?limit=100", Some(token)).await, 200).await;
    let titles: Vec<String> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == "progress_warning")
        .map(|n| n["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    let count = |needle: &str| titles.iter().filter(|t| t.contains(needle)).count();
    [count("没有进度日志"), count("进度滞后"), count("进度落后")]
}

#[tokio::test]
async fn the_watch_warns_both_parties_once_for_silence_slip_and_a_milestone_due_while_behind() {
    // The clock moves by a month: everyone stays signed in.
    let app = spawn_with(Spawn {
        tweak: Some(|config| {
            config.access_token_ttl_secs = 60 * 86_400;
            config.refresh_token_ttl_secs = 90 * 86_400;
        }),
        ..Spawn::default()
    })
    .await;
    let (c, id, start) = in_force(&app).await;
    let parties = [&c.poster.token, &c.alpha.token];
    let post = |percent: i64| {
        let (app, alpha, id) = (&app, &c.alpha, id.clone());
        async move {
            let body = log(today(app), percent, &[]);
            post_log(app, alpha, &id, &body).await.expect("posted");
        }
    };
    post(5).await;
    let day = 86_400;

    // Seven days without a log: warned, once, also when the job runs again.
    watched(&app, 7 * day).await;
    for token in parties {
        assert_eq!(warned(&app, token).await, [1, 0, 0]);
    }
    watched(&app, 3_700).await;
    for token in parties {
        assert_eq!(warned(&app, token).await, [1, 0, 0], "a rerun tells nothing new");
    }

    // 5 % was due three days after the start: four days later it is more than 7 days late.
    watched(&app, 4 * day).await;
    assert!((today(&app) - start).num_days() >= 11);
    for token in parties {
        assert_eq!(warned(&app, token).await, [1, 1, 0]);
    }

    // Catching up with logs, then milestone 1 (66.7 % of the work, due on day 30) is five or
    // four days away with 50 % done.
    post(40).await;
    watched(&app, 6 * day).await;
    post(45).await;
    watched(&app, 6 * day).await;
    post(50).await;
    watched(&app, 2 * day).await;
    for token in parties {
        assert_eq!(warned(&app, token).await, [1, 1, 1]);
    }
    watched(&app, 3_700).await;
    for token in parties {
        assert_eq!(warned(&app, token).await, [1, 1, 1], "a rerun tells nothing new");
    }
    assert_eq!(app.count("progress_warnings"), 3);
    let supervisor = warned(&app, &c.beta.token).await;
    assert_eq!(supervisor, [0, 0, 0], "warnings go to the two parties");
}
