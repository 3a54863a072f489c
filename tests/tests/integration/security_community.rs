//! Regression tests for issue #13 (security and abuse), the community's part: "search before
//! you ask" over stored terms with a per-address rate limit, the leaderboard summed in SQL, the
//! edit history following the visibility of its post or reply, the host's points for a session
//! (verified attendees, a daily cap, not twice for the same attendees) and concurrent
//! acceptances of an answer paying once.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::community::{Person, balance, cost_group, join, person, post, reply, send};
use crate::helpers::*;

/// The stored search terms of a group's questions: (post id, JSON array or NULL).
fn stored_terms(app: &TestApp, group: &str) -> Vec<(String, Option<String>)> {
    let mut conn = app.db.get().expect("conn");
    api::db::models::community::PostRow::question_terms(&mut conn, group, 100).expect("terms")
}

fn similar_path(group: &str, q: &str) -> String {
    format!("/groups/{group}/similar-questions?q={q}")
}

fn bodies(history: &Value) -> Vec<String> {
    history["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// A timestamp literal `days` ago, as both databases read it.
fn days_ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days)).naive_utc().format("%Y-%m-%d %H:%M:%S").to_string()
}

#[tokio::test]
async fn question_terms_are_cut_once_when_written_capped_and_filled_in_for_old_rows() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let asker = person(&app, "asker@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &asker, "上海-安装-李强").await;

    // A 10,000-character body of a thousand distinct words keeps at most 64 terms, title first.
    let long: String =
        (0..1_400).map(|i| format!("w{i:04} ")).collect::<String>().chars().take(9_900).collect();
    let q = post(&app, &group, &asker, "question", "钢筋工程量清单怎么计算", &long).await;
    let q_id = q["id"].as_str().expect("id").to_owned();
    let discussion = post(&app, &group, &asker, "discussion", "钢筋清单讨论", "钢筋").await;
    let stored = stored_terms(&app, &group);
    assert_eq!(stored.len(), 1, "only questions are searched: {stored:?}");
    let terms: Vec<String> =
        serde_json::from_str(stored[0].1.as_deref().expect("terms stored at write time"))
            .expect("a JSON array");
    assert!(terms.len() <= 64, "{} terms", terms.len());
    assert!(terms.contains(&"钢筋".to_owned()), "the title's terms come first: {terms:?}");
    let found = json_of(app.get(&similar_path(&group, "钢筋清单计算"), Some(&owner.token)).await, 200).await;
    assert_eq!(ids(&found), vec![q_id.clone()]);
    assert!(!ids(&found).contains(&discussion["id"].as_str().unwrap_or_default().to_owned()));

    // An edit cuts the terms again.
    let path = format!("/posts/{q_id}");
    let edit = json!({"title": "安装工程定额套用问题"});
    json_of(send(&app, Method::PATCH, &path, &asker.token, Some(&edit)).await, 200).await;
    let found = json_of(app.get(&similar_path(&group, "定额套用"), Some(&owner.token)).await, 200).await;
    assert_eq!(ids(&found), vec![q_id.clone()]);

    // Questions written before terms were stored get theirs on the next search.
    app.sql(&format!("UPDATE posts SET search_terms = NULL WHERE id = '{q_id}'"));
    let found = json_of(app.get(&similar_path(&group, "定额套用"), Some(&owner.token)).await, 200).await;
    assert_eq!(ids(&found), vec![q_id.clone()]);
    assert!(stored_terms(&app, &group)[0].1.is_some(), "the missing terms were stored");
}

#[tokio::test]
async fn similar_questions_are_rate_limited_per_address_with_a_retry_after() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let group = cost_group(&app, &owner).await;
    post(&app, &group, &owner, "question", "钢筋工程量清单怎么计算", "钢筋搭接怎么算").await;
    let path = similar_path(&group, "钢筋清单");
    // A burst in parallel: bounded, never an error other than 429, and the pool survives.
    let burst = join_all((0..12).map(|_| app.get(&path, Some(&owner.token)))).await;
    assert!(burst.iter().all(|r| r.status() == 200 || r.status() == 429), "only 200 or 429");
    let served = burst.iter().filter(|r| r.status() == 200).count();
    assert!(served >= 1);
    for _ in served..30 {
        let resp = app.get(&path, Some(&owner.token)).await;
        if resp.status() == 429 {
            break;
        }
        assert_eq!(resp.status(), 200);
    }
    let refused = app.get(&path, Some(&owner.token)).await;
    let retry_after: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After header");
    assert!((1..=60).contains(&retry_after));
    assert_error(refused, 429, "rate_limited").await;
    // Anonymous callers from the same address share its allowance.
    assert_error(app.get(&path, None).await, 429, "rate_limited").await;
    // Other reads are not affected.
    json_of(app.get(&format!("/groups/{group}/posts"), Some(&owner.token)).await, 200).await;
}

#[tokio::test]
async fn the_leaderboard_sums_each_persons_points_in_the_period_and_keeps_the_top_twenty() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let group = cost_group(&app, &owner).await;
    let mut people: Vec<(String, Person)> = Vec::new();
    for i in 0..23 {
        let p = person(&app, &format!("p{i}@example.com")).await;
        let id = join(&app, &group, &owner, &p, &format!("上海-土建-{i}")).await;
        people.push((id, p));
    }
    let now = days_ago(0);
    let old = days_ago(400);
    let mut sql = String::new();
    for (i, (id, _)) in people.iter().enumerate() {
        // Person i earns 10·i this period, plus an old award and a redemption that do not count.
        for (n, (delta, reason, at)) in [
            (10 * i as i64, "resource_shared", now.as_str()),
            (500, "session_hosted", old.as_str()),
            (-1_000, "redemption", now.as_str()),
        ]
        .into_iter()
        .enumerate()
        {
            sql.push_str(&format!(
                "INSERT INTO points_ledger (id, user_id, delta, reason, group_id, subject_id, created_at) \
                 VALUES ('l{i}-{n}', '{id}', {delta}, '{reason}', '{group}', NULL, '{at}');"
            ));
        }
    }
    // Person 22 gave an award back: 220 − 230 < 0 keeps them off the board.
    sql.push_str(&format!(
        "INSERT INTO points_ledger (id, user_id, delta, reason, group_id, subject_id, created_at) \
         VALUES ('l22-w', '{}', -230, 'resource_withdrawn', '{group}', NULL, '{now}');",
        people[22].0
    ));
    app.sql(&sql);
    for path in
        ["/points/leaderboard?period=month".to_owned(), format!("/points/leaderboard?group_id={group}")]
    {
        let board = json_of(app.get(&path, Some(&owner.token)).await, 200).await;
        let items = board["items"].as_array().expect("items");
        assert_eq!(items.len(), 20, "{path}: the top twenty");
        let expected: Vec<i64> = (2..=21).rev().map(|i| 10 * i).collect();
        let points: Vec<i64> = items.iter().map(|e| e["points"].as_i64().expect("points")).collect();
        assert_eq!(points, expected, "{path}");
        assert_eq!(items[0]["user_id"], json!(people[21].0));
        assert_eq!(items[0]["rank"], 1);
        assert!(items.iter().all(|e| e["user_id"] != json!(people[22].0)), "a negative total is left out");
    }
    let board = json_of(app.get("/points/leaderboard?period=month", None).await, 200).await;
    assert_eq!(board["items"][0]["name"], "张伟", "platform-wide: the display name");
}

#[tokio::test]
async fn held_or_deleted_versions_in_the_edit_history_reach_only_admins_and_their_author() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let (writer, scammer, reader) = (
        person(&app, "writer@example.com").await,
        person(&app, "scammer@example.com").await,
        person(&app, "reader@example.com").await,
    );
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &writer, "上海-土建-甲").await;
    join(&app, &group, &owner, &scammer, "上海-安装-乙").await;
    join(&app, &group, &owner, &reader, "上海-市政-丙").await;
    let p = post(&app, &group, &writer, "discussion", "清单计价讨论", "大家怎么看新规范").await;
    let p_id = p["id"].as_str().expect("id");
    let history = format!("/posts/{p_id}/revisions");

    // A scam reply is held; its author edits it to something bland.
    let scam = reply(&app, p_id, &scammer, "资料领取请加微信 abc123").await;
    assert_eq!(scam["status"], "held");
    let scam_path = format!("/replies/{}", scam["id"].as_str().expect("id"));
    json_of(send(&app, Method::PATCH, &scam_path, &scammer.token, Some(&json!({"body": "ok"}))).await, 200)
        .await;
    let seen = bodies(&json_of(app.get(&history, Some(&reader.token)).await, 200).await);
    assert!(!seen.iter().any(|b| b.contains("加微信")), "a held reply's versions stay hidden: {seen:?}");
    let seen = bodies(&json_of(app.get(&history, Some(&owner.token)).await, 200).await);
    assert!(seen.iter().any(|b| b.contains("加微信")), "the admins see them");
    let seen = bodies(&json_of(app.get(&history, Some(&scammer.token)).await, 200).await);
    assert!(seen.iter().any(|b| b.contains("加微信")), "and so does its author");

    // Published after review, the reply shows; its held version still does not.
    let review = format!("{scam_path}/review");
    json_of(app.post(&review, &json!({"publish": true}), Some(&owner.token)).await, 200).await;
    let seen = bodies(&json_of(app.get(&history, Some(&reader.token)).await, 200).await);
    assert!(!seen.iter().any(|b| b.contains("加微信")), "a held version stays hidden: {seen:?}");

    // A deleted reply's versions go with it.
    let honest = reply(&app, p_id, &writer, "第一版回答").await;
    let honest_path = format!("/replies/{}", honest["id"].as_str().expect("id"));
    json_of(
        send(&app, Method::PATCH, &honest_path, &writer.token, Some(&json!({"body": "第二版回答"}))).await,
        200,
    )
    .await;
    let seen = bodies(&json_of(app.get(&history, Some(&reader.token)).await, 200).await);
    assert!(seen.contains(&"第一版回答".to_owned()), "a published reply's clean versions are public");
    assert_eq!(send(&app, Method::DELETE, &honest_path, &writer.token, None).await.status(), 204);
    let seen = bodies(&json_of(app.get(&history, Some(&reader.token)).await, 200).await);
    assert!(!seen.contains(&"第一版回答".to_owned()), "a deleted reply's versions are hidden: {seen:?}");
    let seen = bodies(&json_of(app.get(&history, Some(&writer.token)).await, 200).await);
    assert!(!seen.contains(&"第一版回答".to_owned()), "even from its author");
    let seen = bodies(&json_of(app.get(&history, Some(&owner.token)).await, 200).await);
    assert!(seen.contains(&"第一版回答".to_owned()), "the admins keep them");

    // A held post's own versions: its author and the admins.
    let held = post(&app, &group, &writer, "discussion", "资料分享", "需要的 加 微 信 详聊").await;
    let held_id = held["id"].as_str().expect("id");
    let path = format!("/posts/{held_id}");
    json_of(
        send(&app, Method::PATCH, &path, &writer.token, Some(&json!({"body": "资料见群文件"}))).await,
        200,
    )
    .await;
    json_of(app.post(&format!("{path}/review"), &json!({"publish": true}), Some(&owner.token)).await, 200)
        .await;
    let seen = bodies(&json_of(app.get(&format!("{path}/revisions"), Some(&reader.token)).await, 200).await);
    assert!(seen.is_empty(), "the held first version is not public: {seen:?}");
    let seen = bodies(&json_of(app.get(&format!("{path}/revisions"), Some(&owner.token)).await, 200).await);
    assert_eq!(seen, ["需要的 加 微 信 详聊"]);
}

/// How far ahead of the server's time [`schedule_session`] starts a session.
const SESSION_LEAD_MINUTES: i64 = 5;
/// How long such a session lasts (the shortest allowed).
const SESSION_MINUTES: i64 = 30;

/// Schedules a session hosted by `host` shortly after the server's current time and signs
/// `attendees` up; [`end_sessions`] then moves the clock past it.
async fn schedule_session(app: &TestApp, group: &str, host: &Person, attendees: &[&Person]) -> String {
    let starts = app.now() + chrono::Duration::minutes(SESSION_LEAD_MINUTES);
    let ends = starts + chrono::Duration::minutes(SESSION_MINUTES);
    let body = json!({"title": "EPC项目造价管控分享会", "kind": "sharing_session",
        "starts_at": starts.to_rfc3339(), "ends_at": ends.to_rfc3339(),
        "online_link": "https://meeting.example.com/epc", "capacity": 10});
    let event =
        json_of(app.post(&format!("/groups/{group}/events"), &body, Some(&host.token)).await, 201).await;
    let id = event["id"].as_str().expect("id").to_owned();
    for who in attendees {
        json_of(app.post(&format!("/events/{id}/signups"), &json!({}), Some(&who.token)).await, 201).await;
    }
    id
}

/// Moves the server's clock past the end of every session just scheduled.
async fn end_sessions(app: &TestApp) {
    app.advance_clock((SESSION_LEAD_MINUTES + SESSION_MINUTES + 1) * 60).await;
}

async fn summarise(app: &TestApp, event: &str, host: &Person) {
    let text = json!({"summary": "讲解了EPC项目限额设计与变更管控，课件已上传群文件。"});
    json_of(app.post(&format!("/events/{event}/summary"), &text, Some(&host.token)).await, 200).await;
}

#[tokio::test]
async fn hosting_pays_for_verified_attendees_once_a_day_and_not_twice_for_the_same_people() {
    let app = spawn_app().await;
    let host = person(&app, "host@example.com").await;
    let (a, b, c) = (
        person(&app, "a@example.com").await,
        person(&app, "b@example.com").await,
        person(&app, "c@example.com").await,
    );
    let group = cost_group(&app, &host).await;
    let a_id = join(&app, &group, &host, &a, "上海-土建-甲").await;
    let b_id = join(&app, &group, &host, &b, "上海-安装-乙").await;
    let c_id = join(&app, &group, &host, &c, "上海-市政-丙").await;

    // Three sessions that end together, summarised one after the other on the same day.
    let start = balance(&app, &host).await;
    let first = schedule_session(&app, &group, &host, &[&a, &b]).await;
    let second = schedule_session(&app, &group, &host, &[&a, &b]).await;
    let third = schedule_session(&app, &group, &host, &[&a, &b, &c]).await;
    end_sessions(&app).await;

    // Two throwaway accounts without a verified phone or e-mail earn the host nothing.
    summarise(&app, &first, &host).await;
    assert_eq!(balance(&app, &host).await, start, "unverified attendees do not count");

    let verified = days_ago(1);
    app.sql(&format!("UPDATE users SET email_verified_at = '{verified}' WHERE id IN ('{a_id}', '{c_id}')"));
    app.sql(&format!(
        "UPDATE users SET phone = '+8613800000002', phone_verified_at = '{verified}' WHERE id = '{b_id}'"
    ));
    summarise(&app, &second, &host).await;
    assert_eq!(balance(&app, &host).await, start + 30, "two verified attendees: +30");

    // One hosted-session award a day.
    summarise(&app, &third, &host).await;
    assert_eq!(balance(&app, &host).await, start + 30, "the daily cap");

    // Three days later, the same attendees (or some of them) cannot pay the same host again…
    app.advance_clock(3 * 24 * 3600).await;
    let fourth = schedule_session(&app, &group, &host, &[&b, &a]).await;
    let fifth = schedule_session(&app, &group, &host, &[&a, &b, &c]).await;
    end_sessions(&app).await;
    summarise(&app, &fourth, &host).await;
    assert_eq!(balance(&app, &host).await, start + 30, "the same attendees within 30 days");
    // …but a session with someone new does.
    summarise(&app, &fifth, &host).await;
    assert_eq!(balance(&app, &host).await, start + 60);
    assert_eq!(app.count("session_awards"), 2);
}

#[tokio::test]
async fn concurrent_acceptances_pay_the_answerer_once() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let asker = person(&app, "asker@example.com").await;
    let (x, y) = (person(&app, "x@example.com").await, person(&app, "y@example.com").await);
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &asker, "上海-安装-李强").await;
    join(&app, &group, &owner, &x, "上海-土建-王芳").await;
    join(&app, &group, &owner, &y, "上海-市政-赵六").await;
    let q = post(&app, &group, &asker, "question", "钢筋工程量清单怎么计算", "请教").await;
    let q_id = q["id"].as_str().expect("id");
    let rx = reply(&app, q_id, &x, "按 GB50854 附录计算").await;
    let ry = reply(&app, q_id, &y, "搭接另计").await;
    let path = format!("/posts/{q_id}/acceptance");
    let bodies: Vec<Value> =
        (0..6).map(|i| json!({"reply_id": if i % 2 == 0 { &rx["id"] } else { &ry["id"] }})).collect();
    let answers = join_all(bodies.iter().map(|b| app.post(&path, b, Some(&asker.token)))).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    assert_eq!(balance(&app, &x).await + balance(&app, &y).await, 5, "+5 once");
    assert_eq!(app.count("points_ledger"), 1);
    let accepted = json_of(app.get(&format!("/posts/{q_id}"), Some(&asker.token)).await, 200).await;
    assert!(accepted["accepted_reply_id"] == rx["id"] || accepted["accepted_reply_id"] == ry["id"]);
}
