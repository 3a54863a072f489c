//! Real-name verification end to end: uploads (sniffed, bounded, content-addressed), the
//! submission with checksum-checked ID number (encrypted, masked), the reviewer's queue and
//! decision, resubmission, the audited reveal, who may see what, and expiry reminders.

use api::auth::totp::{code_for_step, step_at};
use serde_json::{Value, json};
use shared::domain::identity::Uscc;

use crate::helpers::*;

/// A valid resident ID number (GB 11643 published example).
const ID_NUMBER: &str = "11010519491231002X";

async fn upload(app: &TestApp, token: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    app.client.post(app.api("/files")).bearer_auth(token).multipart(form).send().await.expect("send")
}

async fn uploaded(app: &TestApp, token: &str, bytes: &[u8]) -> String {
    let resp = upload(app, token, "licence.pdf", bytes.to_vec()).await;
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.expect("json")["sha256"].as_str().expect("sha").to_owned()
}

async fn org(app: &TestApp, token: &str, serial: u32) -> String {
    let body = json!({
        "name": format!("验证测试工程有限公司{serial}"),
        "uscc": Uscc::complete(&format!("91320505MA{serial:07}")).expect("uscc").as_str(),
        "roles": ["subcontractor"], "region_code": "320505"
    });
    app.post("/orgs", &body, Some(token)).await.json::<Value>().await.expect("json")["profile"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

async fn reviewer(app: &TestApp, email: &str) -> String {
    let session = app.register(email).await;
    api::ops::staff_cli::create_staff(&app.db, &app.config, email, "reviewer", "审核员").expect("grant");
    let enrolment: Value = app
        .post("/me/totp", &json!({"password": PASSWORD}), Some(&session.access_token))
        .await
        .json()
        .await
        .expect("json");
    let code =
        code_for_step(enrolment["secret"].as_str().expect("secret"), step_at(chrono::Utc::now().timestamp()))
            .expect("code");
    app.post("/me/totp/confirmation", &json!({"code": code}), Some(&session.access_token)).await;
    session.access_token
}

fn submission(licence: &str, certificate: &str, expires_on: &str) -> Value {
    json!({
        "licence_file": licence,
        "legal_representative_name": "李强",
        "legal_representative_id_number": ID_NUMBER,
        "qualifications": [{"type_code": "labour_services", "grade": "held", "number": "D332012345", "expires_on": expires_on, "file": certificate}]
    })
}

async fn submit(app: &TestApp, token: &str, org: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.api(&format!("/orgs/{org}/verification")))
        .bearer_auth(token)
        .header("x-org-id", org)
        .json(body)
        .send()
        .await
        .expect("send")
}

#[tokio::test]
async fn uploads_are_sniffed_bounded_and_content_addressed() {
    let app = spawn_app().await;
    let session = app.register("files@example.com").await;
    let token = session.access_token.as_str();
    let pdf = "%PDF-1.7\n营业执照扫描件".as_bytes().to_vec();
    let resp = upload(&app, token, "licence.pdf", pdf.clone()).await;
    assert_eq!(resp.status(), 201);
    let info: Value = resp.json().await.expect("json");
    assert_eq!(info["content_type"], "application/pdf");
    assert_eq!(info["size"], pdf.len());
    let again: Value = upload(&app, token, "copy.pdf", pdf.clone()).await.json().await.expect("json");
    assert_eq!(again["sha256"], info["sha256"], "same content, same id");
    assert_eq!(app.count("files"), 1);

    let exe = upload(&app, token, "licence.pdf", b"MZ\x90\x00not really a pdf".to_vec()).await;
    assert_error(exe, 415, "unsupported_media_type").await;
    let huge =
        upload(&app, token, "big.pdf", [b"%PDF-".as_slice(), &vec![b'x'; 21 * 1024 * 1024]].concat()).await;
    assert_error(huge, 413, "payload_too_large").await;
    assert_eq!(app.count("files"), 1);

    let sha = info["sha256"].as_str().expect("sha");
    let back = app.get(&format!("/files/{sha}"), Some(token)).await;
    assert_eq!(back.headers()["content-type"], "application/pdf");
    assert_eq!(back.bytes().await.expect("bytes").to_vec(), pdf);
    let stranger = app.register("nosy@example.com").await;
    assert_error(app.get(&format!("/files/{sha}"), Some(&stranger.access_token)).await, 404, "not_found")
        .await;
}

#[tokio::test]
async fn a_submission_is_checked_reviewed_rejected_resubmitted_and_approved() {
    let app = spawn_app().await;
    let owner = app.register("verify-owner@example.com").await;
    let token = owner.access_token.as_str();
    let org_id = org(&app, token, 1).await;
    let before: Value = app
        .client
        .get(app.api(&format!("/orgs/{org_id}/verification")))
        .bearer_auth(token)
        .header("x-org-id", &org_id)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(before, json!({"status": "unverified"}));
    let licence = uploaded(&app, token, b"%PDF-1.4 licence").await;
    let certificate = uploaded(&app, token, &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).await;
    let reviewer_token = reviewer(&app, "reviewer@example.com").await;

    let mut bad = submission(&licence, &certificate, "2020-01-01");
    bad["legal_representative_id_number"] = json!("110105194912310021");
    bad["qualifications"][0]["grade"] = json!("special");
    bad["licence_file"] = json!("0".repeat(64));
    let err = assert_error(submit(&app, token, &org_id, &bad).await, 422, "validation_failed").await;
    for (field, issue) in [
        ("legal_representative_id_number", "invalid_id_number"),
        ("qualifications[0].grade", "unknown_grade"),
        ("qualifications[0].expires_on", "expired"),
        ("licence_file", "unknown_file"),
    ] {
        assert!(has_issue(&err, field, issue), "{field}: {err:?}");
    }
    assert_eq!(app.count("verification_submissions"), 0);

    let resp = submit(&app, token, &org_id, &submission(&licence, &certificate, "2030-06-30")).await;
    assert_eq!(resp.status(), 201);
    let view: Value = resp.json().await.expect("json");
    assert_eq!(view["status"], "pending");
    assert_eq!(view["legal_representative_id_masked"], "1101**********002X");
    assert!(!view.to_string().contains(ID_NUMBER), "the full number never leaves except by reveal");
    assert_eq!(view["qualifications"][0]["type_name"], "施工劳务");
    assert_error(
        submit(&app, token, &org_id, &submission(&licence, &certificate, "2030-06-30")).await,
        409,
        "conflict",
    )
    .await;
    let stored: String = {
        use api::db::schema::verification_submissions::dsl::*;
        use diesel::prelude::*;
        verification_submissions
            .select(legal_rep_id_enc)
            .first(&mut *app.db.get().expect("conn"))
            .expect("row")
    };
    assert!(!stored.contains(ID_NUMBER), "encrypted at rest");

    let queue: Value =
        app.get("/staff/verifications", Some(&reviewer_token)).await.json().await.expect("json");
    let submission_id = queue["items"][0]["id"].as_str().expect("queued").to_owned();
    assert_eq!(queue["items"][0]["org_name"], "验证测试工程有限公司1");
    let licence_scan = app.get(&format!("/files/{licence}"), Some(&reviewer_token)).await;
    assert_eq!(licence_scan.status(), 200, "reviewers see the documents");
    assert_error(app.get("/staff/verifications", Some(token)).await, 403, "forbidden").await;

    let no_reason = app
        .post(
            &format!("/staff/verifications/{submission_id}/decision"),
            &json!({"decision": "reject"}),
            Some(&reviewer_token),
        )
        .await;
    assert_error(no_reason, 422, "validation_failed").await;
    let rejected = app
        .post(
            &format!("/staff/verifications/{submission_id}/decision"),
            &json!({"decision": "reject", "reason": "营业执照照片不清晰"}),
            Some(&reviewer_token),
        )
        .await;
    assert_eq!(rejected.status(), 200);
    let mine: Value = app
        .client
        .get(app.api(&format!("/orgs/{org_id}/verification")))
        .bearer_auth(token)
        .header("x-org-id", &org_id)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(mine["status"], "rejected");
    assert_eq!(mine["latest"]["status"], "rejected");
    assert_eq!(mine["latest"]["reason"], "营业执照照片不清晰");

    let clearer = uploaded(&app, token, b"%PDF-1.4 clearer licence").await;
    let resubmitted: Value = submit(&app, token, &org_id, &submission(&clearer, &certificate, "2030-06-30"))
        .await
        .json()
        .await
        .expect("json");
    let second_id = resubmitted["id"].as_str().expect("id");
    let approved = app
        .post(
            &format!("/staff/verifications/{second_id}/decision"),
            &json!({"decision": "approve"}),
            Some(&reviewer_token),
        )
        .await;
    assert_eq!(approved.status(), 200);
    let public: Value = app.get(&format!("/orgs/{org_id}"), None).await.json().await.expect("json");
    assert_eq!(public["verification_status"], "verified");
    let directory: Value = app.get("/orgs", None).await.json().await.expect("json");
    assert_eq!(directory["items"][0]["id"], org_id.as_str());
    let twice = app
        .post(
            &format!("/staff/verifications/{second_id}/decision"),
            &json!({"decision": "approve"}),
            Some(&reviewer_token),
        )
        .await;
    assert_error(twice, 409, "conflict").await;

    assert_error(
        app.post(
            &format!("/staff/verifications/{second_id}/id-number-reveal"),
            &json!({"reason": ""}),
            Some(&reviewer_token),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let revealed: Value = app
        .post(
            &format!("/staff/verifications/{second_id}/id-number-reveal"),
            &json!({"reason": "核对法定代表人身份"}),
            Some(&reviewer_token),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(revealed["id_number"], ID_NUMBER);
    let log: Value = app.get("/staff/audit?limit=3", Some(&reviewer_token)).await.json().await.expect("json");
    assert_eq!(log["items"][0]["action"], "verification.id_number_revealed");
    assert!(log["items"][0]["details"].as_str().expect("details").contains("核对法定代表人身份"));
    assert_eq!(log["items"][1]["action"], "verification.decided");
}

#[tokio::test]
async fn other_organisations_and_plain_members_cannot_submit_or_read() {
    let app = spawn_app().await;
    let owner = app.register("own@example.com").await;
    let other = app.register("oth@example.com").await;
    let org_a = org(&app, &owner.access_token, 2).await;
    let org_b = org(&app, &other.access_token, 3).await;
    let licence = uploaded(&app, &owner.access_token, b"%PDF-1.4 a").await;
    let theirs = uploaded(&app, &other.access_token, b"%PDF-1.4 b").await;

    let with_foreign_file =
        submit(&app, &owner.access_token, &org_a, &submission(&theirs, &licence, "2030-01-01")).await;
    let err = assert_error(with_foreign_file, 422, "validation_failed").await;
    assert!(has_issue(&err, "licence_file", "unknown_file"), "someone else's upload is not yours to submit");
    for header in [&org_a, &org_b] {
        let resp = app
            .client
            .post(app.api(&format!("/orgs/{org_a}/verification")))
            .bearer_auth(&other.access_token)
            .header("x-org-id", header)
            .json(&submission(&theirs, &theirs, "2030-01-01"))
            .send()
            .await
            .expect("send");
        assert_error(resp, 404, "not_found").await;
    }
    let read = app
        .client
        .get(app.api(&format!("/orgs/{org_a}/verification")))
        .bearer_auth(&other.access_token)
        .header("x-org-id", &org_b)
        .send()
        .await
        .expect("send");
    assert_error(read, 404, "not_found").await;
    assert_eq!(app.count("verification_submissions"), 0);
}

#[tokio::test]
async fn owners_are_reminded_once_thirty_days_before_a_certificate_expires() {
    let app = spawn_app().await;
    let owner = app.register("remind@example.com").await;
    let token = owner.access_token.as_str();
    let org_id = org(&app, token, 4).await;
    let licence = uploaded(&app, token, b"%PDF-1.4 r").await;
    let today = chrono::Utc::now().date_naive();
    let soon = (today + chrono::Days::new(20)).format("%Y-%m-%d").to_string();
    let id: Value = submit(&app, token, &org_id, &submission(&licence, &licence, &soon))
        .await
        .json()
        .await
        .expect("json");
    let reviewer_token = reviewer(&app, "rev2@example.com").await;

    let mut conn = app.db.get().expect("conn");
    let now = api::db::now();
    assert_eq!(
        api::routes::verification::service::remind_expiring(&mut conn, today, now).expect("run"),
        0,
        "only verified certificates"
    );
    drop(conn);
    app.post(
        &format!("/staff/verifications/{}/decision", id["id"].as_str().expect("id")),
        &json!({"decision": "approve"}),
        Some(&reviewer_token),
    )
    .await;
    let mut conn = app.db.get().expect("conn");
    assert_eq!(
        api::routes::verification::service::remind_expiring(&mut conn, today - chrono::Days::new(40), now)
            .expect("run"),
        0,
        "not yet within 30 days"
    );
    assert_eq!(api::routes::verification::service::remind_expiring(&mut conn, today, now).expect("run"), 1);
    assert_eq!(
        api::routes::verification::service::remind_expiring(&mut conn, today, now).expect("run"),
        0,
        "once per certificate"
    );
    drop(conn);
    assert!(app.last_message("remind@example.com").contains("到期"));
}

#[tokio::test]
async fn reference_data_is_public() {
    let app = spawn_app().await;
    let types: Value = app.get("/taxonomies/qualifications", None).await.json().await.expect("json");
    let general = types["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|t| t["code"] == "construction_general_contracting")
        .expect("type");
    assert_eq!(general["grades"][0]["zh"], "特级");
    let categories: Value = app.get("/taxonomies/categories", None).await.json().await.expect("json");
    assert!(categories["items"].as_array().expect("items").iter().any(|c| c["code"] == "municipal_roads"));
    let provinces: Value = app.get("/regions", None).await.json().await.expect("json");
    assert!(provinces["items"].as_array().expect("items").len() >= 31);
    let cities: Value = app.get("/regions?parent=440000", None).await.json().await.expect("json");
    assert!(cities["items"].as_array().expect("items").iter().any(|c| c["name"] == "深圳市"));
    assert_error(app.get("/regions?parent=999999", None).await, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_reviewer_cannot_decide_their_own_organisations_submission() {
    let app = spawn_app().await;
    let reviewer_token = reviewer(&app, "conflicted@example.com").await;
    let org_id = org(&app, &reviewer_token, 9).await;
    let licence = uploaded(&app, &reviewer_token, b"%PDF-1.4 own").await;
    let submitted: Value =
        submit(&app, &reviewer_token, &org_id, &submission(&licence, &licence, "2031-01-01"))
            .await
            .json()
            .await
            .expect("json");
    let id = submitted["id"].as_str().expect("id");
    let own = app
        .post(
            &format!("/staff/verifications/{id}/decision"),
            &json!({"decision": "approve"}),
            Some(&reviewer_token),
        )
        .await;
    assert_error(own, 403, "forbidden").await;
    let public: Value = app.get(&format!("/orgs/{org_id}"), None).await.json().await.expect("json");
    assert_eq!(public["verification_status"], "pending");
}

/// A minimal DOCX: a ZIP holding `[Content_Types].xml` and `word/document.xml`.
const DOCX: &[u8] = b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml<Types/>PK\x03\x04\x14\x00\x00\x00word/document.xml<w:document/>";

#[tokio::test]
async fn office_documents_upload_but_verification_needs_a_pdf_or_an_image() {
    let app = spawn_app().await;
    let session = app.register("docx@example.com").await;
    let token = session.access_token.as_str();
    let resp = upload(&app, token, "招标文件.docx", DOCX.to_vec()).await;
    assert_eq!(resp.status(), 201);
    let info: Value = resp.json().await.expect("json");
    assert_eq!(
        info["content_type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let zip = upload(&app, token, "tools.docx", b"PK\x03\x04\x14\x00\x00\x00setup.exe".to_vec()).await;
    assert_error(zip, 415, "unsupported_media_type").await;

    let org_id = org(&app, token, 77).await;
    let docx = info["sha256"].as_str().expect("sha");
    let certificate = uploaded(&app, token, b"%PDF-1.4 certificate").await;
    let err = assert_error(
        submit(&app, token, &org_id, &submission(docx, &certificate, "2030-06-30")).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "licence_file", "pdf_or_image_required"), "{err:?}");
    assert_eq!(app.count("verification_submissions"), 0);
}
