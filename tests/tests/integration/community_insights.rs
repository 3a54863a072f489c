//! Group insights: anonymous feedback once a week that the admins read
//! without names, the weekly digest (featured posts, new resources, coming events) and the
//! admins' analytics (active members, posts per day, resolution rate, satisfaction).

use reqwest::Method;
use serde_json::json;

use crate::community::{cost_group, join, person, post, reply, send};
use crate::helpers::*;

#[tokio::test]
async fn feedback_digest_and_analytics() {
    // The clock moves a week on below: a month-long access token keeps everyone signed in.
    let app = spawn_with(Spawn { access_ttl: Some(30 * 24 * 3600), ..Spawn::default() }).await;
    let owner = person(&app, "owner@example.com").await;
    let (a, b) = (person(&app, "a@example.com").await, person(&app, "b@example.com").await);
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    let a_id = join(&app, &group, &owner, &a, "上海-土建-甲").await;
    join(&app, &group, &owner, &b, "上海-安装-乙").await;

    // Activity: a question answered and accepted, an unanswered one, a featured post, a resource, an event.
    let q = post(&app, &group, &a, "question", "装配式建筑预制构件如何计价？", "求教").await;
    let q_id = q["id"].as_str().expect("id");
    let answer = reply(&app, q_id, &b, "按构件体积套用定额，运输另计").await;
    json_of(
        app.post(&format!("/posts/{q_id}/acceptance"), &json!({"reply_id": answer["id"]}), Some(&a.token))
            .await,
        200,
    )
    .await;
    post(&app, &group, &b, "question", "措施费如何调整？", "请教").await;
    let featured = post(&app, &group, &owner, "discussion", "2024版清单计价规范变化汇总", "整理如下").await;
    let featured_id = featured["id"].as_str().expect("id");
    json_of(
        send(
            &app,
            Method::PATCH,
            &format!("/posts/{featured_id}/curation"),
            &owner.token,
            Some(&json!({"featured": true})),
        )
        .await,
        200,
    )
    .await;
    let shared = json!({"name": "计价应用规则", "source": "上海市住建委", "category": "policy_regulation", "link": "https://a.example"});
    json_of(app.post(&format!("/groups/{group}/shared-resources"), &shared, Some(&b.token)).await, 201).await;
    let soon = |h: i64| (chrono::Utc::now() + chrono::Duration::hours(h)).to_rfc3339();
    let event = json!({"title": "造价实务分享会", "kind": "sharing_session", "starts_at": soon(30), "ends_at": soon(32), "venue": "徐汇区某会议室", "capacity": 30});
    json_of(app.post(&format!("/groups/{group}/events"), &event, Some(&owner.token)).await, 201).await;

    // Anonymous feedback: once a week, read by admins without names.
    let feedback = format!("/groups/{group}/feedback");
    assert!(app.post(&feedback, &json!({"score": 6}), Some(&a.token)).await.status().is_client_error());
    let receipt = json_of(
        app.post(&feedback, &json!({"score": 4, "body": "干货多，希望多办线下活动"}), Some(&a.token)).await,
        201,
    )
    .await;
    assert!(receipt["week"].is_string());
    assert_eq!(receipt.as_object().map(|o| o.len()), Some(1), "the receipt carries nothing but the week");
    assert_error(app.post(&feedback, &json!({"score": 1}), Some(&a.token)).await, 409, "conflict").await;
    json_of(app.post(&feedback, &json!({"score": 5}), Some(&b.token)).await, 201).await;
    assert_error(app.post(&feedback, &json!({"score": 5}), Some(&outsider.token)).await, 404, "not_found")
        .await;
    assert_error(app.get(&feedback, Some(&a.token)).await, 403, "forbidden").await;
    let live = json_of(app.get(&feedback, Some(&owner.token)).await, 200).await;
    assert_eq!(live["items"], json!([]), "this week's feedback shows once the week is over");

    // The digest.
    let digest = json_of(app.get(&format!("/groups/{group}/digest"), Some(&b.token)).await, 200).await;
    assert_eq!(ids(&json!({"items": digest["featured_posts"]})), [featured_id.to_owned()]);
    assert_eq!(digest["new_resources"][0]["name"], "计价应用规则");
    assert_eq!(digest["coming_events"][0]["title"], "造价实务分享会");
    let last_year =
        json_of(app.get(&format!("/groups/{group}/digest?week=2025-06-04"), Some(&b.token)).await, 200).await;
    assert_eq!(last_year["week"], "2025-06-02");
    assert_eq!(last_year["featured_posts"].as_array().map(Vec::len), Some(0));
    assert!(
        app.get(&format!("/groups/{group}/digest?week=notaday"), Some(&b.token))
            .await
            .status()
            .is_client_error()
    );
    assert_error(app.get(&format!("/groups/{group}/digest"), Some(&outsider.token)).await, 404, "not_found")
        .await;
    let old = app.get(&format!("/groups/{group}/digest?week=1900-01-01"), Some(&b.token)).await;
    let err = assert_error(old, 422, "validation_failed").await;
    assert!(has_issue(&err, "week", "invalid"));
    let far = app.get(&format!("/groups/{group}/digest?week=%2B262143-12-31"), Some(&b.token)).await;
    assert!(far.status().is_client_error(), "extreme dates are refused, not a crash");

    // Analytics for admins.
    let analytics = format!("/groups/{group}/analytics");
    assert_error(app.get(&analytics, Some(&a.token)).await, 403, "forbidden").await;
    let stats = json_of(app.get(&analytics, Some(&owner.token)).await, 200).await;
    assert_eq!(stats["member_count"], 3);
    assert_eq!(stats["active_members_7d"], 3);
    assert_eq!((stats["questions"].as_i64(), stats["solved_questions"].as_i64()), (Some(2), Some(1)));
    assert_eq!(stats["resolution_rate"], 0.5);
    assert_eq!(stats["satisfaction_responses"], 0, "this week's feedback counts once the week is over");
    let days = stats["days"].as_array().expect("days");
    assert_eq!(days.len(), 30);
    assert_eq!(days[29]["posts"], 3, "today's posts");
    assert_eq!(days[29]["active_members"], 3);
    assert_eq!(days[0]["posts"], 0);

    // A week later the feedback's week is over: the admins read it, still without names…
    app.advance_clock(7 * 24 * 3600).await;
    let read = json_of(app.get(&feedback, Some(&owner.token)).await, 200).await;
    assert_eq!(read["mean_score"], 4.5);
    assert_eq!(read["items"][0]["week"], receipt["week"], "{read}");
    assert!(
        !read.to_string().contains(&a_id) && !read.to_string().contains("上海-土建-甲"),
        "nothing names the sender"
    );
    // …and it counts toward satisfaction, while the week-old activity has left the 7-day window.
    let stats = json_of(app.get(&analytics, Some(&owner.token)).await, 200).await;
    assert_eq!(
        (stats["satisfaction"].as_f64(), stats["satisfaction_responses"].as_i64()),
        (Some(4.5), Some(2))
    );
    assert_eq!(
        (stats["active_members_7d"].as_i64(), stats["active_members_30d"].as_i64()),
        (Some(0), Some(3))
    );
    let days = stats["days"].as_array().expect("days");
    assert_eq!(days[22]["posts"], 3, "the posts of a week ago");
    assert_eq!(days[29]["posts"], 0, "none today");
}

#[tokio::test]
async fn surveys_are_answered_once_anonymously_and_show_results() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let (a, b) = (person(&app, "a@example.com").await, person(&app, "b@example.com").await);
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    let a_id = join(&app, &group, &owner, &a, "上海-土建-甲").await;
    join(&app, &group, &owner, &b, "上海-安装-乙").await;
    let create = format!("/groups/{group}/surveys");
    let deadline = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let survey = json!({"title": "2026年度群满意度调查", "deadline": deadline, "questions": [
        {"question": "对本群整体满意吗？", "kind": "single_choice", "options": ["满意", "一般", "不满意"], "required": true},
        {"question": "希望的活动形式", "kind": "multiple_choice", "options": ["线上", "线下"]},
        {"question": "建议", "kind": "text"}
    ]});
    assert_error(app.post(&create, &survey, Some(&a.token)).await, 403, "forbidden").await;
    let mut bad = survey.clone();
    bad["questions"][0]["options"] = json!(["满意"]);
    bad["questions"][2]["options"] = json!(["x", "y"]);
    let err = assert_error(app.post(&create, &bad, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(
        has_issue(&err, "questions[0].options", "too_few")
            && has_issue(&err, "questions[2].options", "not_allowed")
    );
    assert_eq!(app.count("surveys"), 0);
    let created = json_of(app.post(&create, &survey, Some(&owner.token)).await, 201).await;
    let id = created["id"].as_str().expect("id");
    let respond = format!("/surveys/{id}/responses");

    let missing = json!({"answers": [{"choices": []}, {"choices": []}, {}]});
    let err =
        assert_error(app.post(&respond, &missing, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "answers[0]", "required"));
    let short = json!({"answers": [{"choices": [0]}]});
    let err = assert_error(app.post(&respond, &short, Some(&a.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "answers", "wrong_count"));
    let answer = json!({"answers": [{"choices": [0]}, {"choices": [0, 1]}, {"text": "多组织线下交流"}]});
    let done = json_of(app.post(&respond, &answer, Some(&a.token)).await, 201).await;
    assert_eq!((done["responded"].as_bool(), done["responses"].as_i64()), (Some(true), Some(1)));
    assert_error(app.post(&respond, &answer, Some(&a.token)).await, 409, "conflict").await;
    assert_error(app.post(&respond, &answer, Some(&outsider.token)).await, 404, "not_found").await;
    json_of(
        app.post(&respond, &json!({"answers": [{"choices": [1]}, {"choices": []}, {}]}), Some(&b.token))
            .await,
        201,
    )
    .await;

    // Results after the close only, for admins too; nothing names who answered.
    let results = format!("/surveys/{id}/results");
    assert_error(app.get(&results, Some(&a.token)).await, 403, "forbidden").await;
    let err = assert_error(app.get(&results, Some(&owner.token)).await, 403, "forbidden").await;
    assert!(has_issue(&err, "id", "survey_open"));
    app.advance_clock(3 * 24 * 3600 + 60).await;
    let seen = json_of(app.get(&results, Some(&owner.token)).await, 200).await;
    assert_eq!(seen["questions"][0]["counts"], json!([1, 1, 0]));
    assert_eq!(seen["questions"][1]["counts"], json!([1, 1]));
    assert_eq!(seen["questions"][2]["texts"], json!(["多组织线下交流"]));
    assert!(!seen.to_string().contains(&a_id));
    assert_eq!(json_of(app.get(&results, Some(&a.token)).await, 200).await["survey"]["closed"], true);
    let late = json!({"answers": [{"choices": [0]}, {"choices": []}, {}]});
    assert_error(app.post(&respond, &late, Some(&owner.token)).await, 409, "conflict").await;
    let listed = json_of(app.get(&create, Some(&b.token)).await, 200).await;
    assert_eq!(ids(&listed), [id.to_owned()]);
}
