//! Group events and polls: the sign-up list with its waitlist promoted on a
//! cancellation (also under concurrent sign-ups), the host's points for a summary of an event
//! others attended, calling an event off, polls with single and multiple choice, deadlines, and
//! anonymous ballots that the API cannot trace to a voter.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::community::{Person, balance, cost_group, join, person, send, unread_kinds};
use crate::helpers::*;

fn in_hours(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours)).to_rfc3339()
}

async fn event(app: &TestApp, group: &str, host: &Person, capacity: i64) -> Value {
    let body = json!({
        "title": "EPC项目全过程造价管控分享会",
        "description": "结合上海某EPC项目谈造价管控",
        "kind": "sharing_session",
        "starts_at": in_hours(48),
        "ends_at": in_hours(50),
        "online_link": "https://meeting.example.com/epc",
        "capacity": capacity
    });
    json_of(app.post(&format!("/groups/{group}/events"), &body, Some(&host.token)).await, 201).await
}

/// Lets the server's clock pass the end of the events made by [`event`] (they end in 50 hours).
async fn end_event(app: &TestApp) {
    app.advance_clock(51 * 3600).await;
}

#[tokio::test]
async fn a_full_event_waitlists_and_a_cancellation_promotes_the_first_waiting() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let (a, b, c) = (
        person(&app, "a@example.com").await,
        person(&app, "b@example.com").await,
        person(&app, "c@example.com").await,
    );
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    join(&app, &group, &owner, &b, "上海-安装-乙").await;
    join(&app, &group, &owner, &c, "上海-市政-丙").await;
    let create = format!("/groups/{group}/events");

    // Members without a hosting role cannot schedule; bad times and places are refused.
    let ok = json!({"title": "分享会", "kind": "workshop", "starts_at": in_hours(2), "ends_at": in_hours(3),
        "venue": "上海市徐汇区某会议室", "capacity": 2});
    assert_error(app.post(&create, &ok, Some(&a.token)).await, 403, "forbidden").await;
    let mut past = ok.clone();
    past["starts_at"] = json!(in_hours(-1));
    let err =
        assert_error(app.post(&create, &past, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "starts_at", "in_the_past"));
    let mut nowhere = ok.clone();
    nowhere.as_object_mut().expect("object").remove("venue");
    let err =
        assert_error(app.post(&create, &nowhere, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "venue", "online_link_or_venue_required"));
    let mut backwards = ok.clone();
    backwards["ends_at"] = json!(in_hours(1));
    backwards["online_link"] = json!("javascript:alert(1)");
    let err =
        assert_error(app.post(&create, &backwards, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "ends_at", "before_start") && has_issue(&err, "online_link", "not_a_link"));
    let mut short = ok.clone();
    short["ends_at"] = json!((chrono::Utc::now() + chrono::Duration::minutes(130)).to_rfc3339());
    let err =
        assert_error(app.post(&create, &short, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "ends_at", "too_short"), "a session lasts at least 30 minutes");
    let mut spam = ok.clone();
    spam["title"] = json!("团购计价软件分享会");
    let err =
        assert_error(app.post(&create, &spam, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "title", "banned_words"));
    let mut empty = ok.clone();
    empty["capacity"] = json!(0);
    assert!(app.post(&create, &empty, Some(&owner.token)).await.status().is_client_error());
    assert_eq!(app.count("community_events"), 0, "refused events change nothing");

    let ev = event(&app, &group, &owner, 2).await;
    let id = ev["id"].as_str().expect("id");
    assert_eq!(ev["host_nickname"], "张伟");
    let signups = format!("/events/{id}/signups");
    let first = json_of(app.post(&signups, &json!({}), Some(&a.token)).await, 201).await;
    assert_eq!(first["my_signup"], "confirmed");
    json_of(app.post(&signups, &json!({}), Some(&b.token)).await, 201).await;
    let third = json_of(app.post(&signups, &json!({}), Some(&c.token)).await, 201).await;
    assert_eq!(third["my_signup"], "waitlisted");
    assert_eq!(third["my_waitlist_position"], 1);
    assert_eq!((third["confirmed_count"].as_i64(), third["waitlist_count"].as_i64()), (Some(2), Some(1)));
    assert_error(app.post(&signups, &json!({}), Some(&a.token)).await, 409, "conflict").await;
    assert_error(app.post(&signups, &json!({}), Some(&outsider.token)).await, 404, "not_found").await;
    assert_error(app.get(&format!("/events/{id}"), Some(&outsider.token)).await, 404, "not_found").await;

    let list = json_of(app.get(&signups, Some(&b.token)).await, 200).await;
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("list")
            .iter()
            .map(|s| s["nickname"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(names(&list["confirmed"]), ["上海-土建-甲", "上海-安装-乙"]);
    assert_eq!(names(&list["waitlisted"]), ["上海-市政-丙"]);

    // A cancels: C moves up at once and is told.
    let cancelled = send(&app, Method::DELETE, &format!("{signups}/me"), &a.token, None).await;
    assert_eq!(cancelled.status(), 204);
    let now_c = json_of(app.get(&format!("/events/{id}"), Some(&c.token)).await, 200).await;
    assert_eq!(now_c["my_signup"], "confirmed");
    assert_eq!(now_c["waitlist_count"], 0);
    assert!(unread_kinds(&app, &c).await.contains(&"event_promoted".to_owned()));
    assert_error(
        send(&app, Method::DELETE, &format!("{signups}/me"), &a.token, None).await,
        404,
        "not_found",
    )
    .await;
    // Signing up again puts A at the back of the list.
    let again = json_of(app.post(&signups, &json!({}), Some(&a.token)).await, 201).await;
    assert_eq!(again["my_signup"], "waitlisted");

    // The summary comes after the event; it earns the host 30 points, once.
    let summary = format!("/events/{id}/summary");
    let text = json!({"summary": "讲解了EPC项目限额设计与变更管控，课件已上传群文件。"});
    assert_error(app.post(&summary, &text, Some(&owner.token)).await, 409, "conflict").await;
    end_event(&app).await;
    assert_error(app.post(&signups, &json!({}), Some(&outsider.token)).await, 404, "not_found").await;
    assert_error(send(&app, Method::DELETE, &format!("{signups}/me"), &b.token, None).await, 409, "conflict")
        .await;
    assert_error(app.post(&summary, &text, Some(&b.token)).await, 403, "forbidden").await;
    // Only attendees with a verified contact count toward the host's award.
    app.sql("UPDATE users SET email_verified_at = CURRENT_TIMESTAMP WHERE email IN ('b@example.com', 'c@example.com')");
    let before = balance(&app, &owner).await;
    let done = json_of(app.post(&summary, &text, Some(&owner.token)).await, 200).await;
    assert!(done["summary"].as_str().is_some_and(|s| s.contains("EPC")));
    assert_eq!(balance(&app, &owner).await, before + 30);
    json_of(app.post(&summary, &text, Some(&owner.token)).await, 200).await;
    assert_eq!(balance(&app, &owner).await, before + 30, "editing the summary earns nothing more");

    let upcoming = json_of(app.get(&format!("/groups/{group}/events"), Some(&a.token)).await, 200).await;
    assert_eq!(upcoming["items"].as_array().map(Vec::len), Some(0));
    let past =
        json_of(app.get(&format!("/groups/{group}/events?scope=past"), Some(&a.token)).await, 200).await;
    assert_eq!(ids(&past), [id.to_owned()]);
}

#[tokio::test]
async fn concurrent_sign_ups_never_exceed_the_capacity() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let group = cost_group(&app, &owner).await;
    let mut people = Vec::new();
    for i in 0..6 {
        let p = person(&app, &format!("p{i}@example.com")).await;
        join(&app, &group, &owner, &p, &format!("上海-土建-{i}号")).await;
        people.push(p);
    }
    let ev = event(&app, &group, &owner, 2).await;
    let signups = format!("/events/{}/signups", ev["id"].as_str().expect("id"));
    let empty = json!({});
    let sent = join_all(people.iter().map(|p| app.post(&signups, &empty, Some(&p.token)))).await;
    assert!(sent.iter().all(|r| r.status() == 201));
    let list = json_of(app.get(&signups, Some(&owner.token)).await, 200).await;
    assert_eq!(list["confirmed"].as_array().map(Vec::len), Some(2));
    assert_eq!(list["waitlisted"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn a_called_off_event_tells_its_sign_ups_and_takes_no_more() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let a = person(&app, "a@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    let ev = event(&app, &group, &owner, 10).await;
    let id = ev["id"].as_str().expect("id");
    json_of(app.post(&format!("/events/{id}/signups"), &json!({}), Some(&a.token)).await, 201).await;
    let cancel = format!("/events/{id}/cancellation");
    assert_error(
        app.post(&cancel, &json!({"reason": "主讲人临时出差"}), Some(&a.token)).await,
        403,
        "forbidden",
    )
    .await;
    let off =
        json_of(app.post(&cancel, &json!({"reason": "主讲人临时出差"}), Some(&owner.token)).await, 200).await;
    assert_eq!(off["status"], "cancelled");
    assert!(unread_kinds(&app, &a).await.contains(&"event_cancelled".to_owned()));
    assert_error(
        app.post(&format!("/events/{id}/signups"), &json!({}), Some(&a.token)).await,
        409,
        "conflict",
    )
    .await;
    assert_error(
        app.post(&cancel, &json!({"reason": "再次取消"}), Some(&owner.token)).await,
        409,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn polls_count_ballots_once_and_anonymous_ballots_name_nobody() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let (a, b) = (person(&app, "a@example.com").await, person(&app, "b@example.com").await);
    let outsider = person(&app, "outsider@example.com").await;
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    join(&app, &group, &owner, &b, "上海-安装-乙").await;
    let create = format!("/groups/{group}/polls");

    let dup = json!({"question": "下次分享主题？", "options": ["EPC", "EPC"], "deadline": in_hours(24)});
    let err = assert_error(app.post(&create, &dup, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "options[1]", "duplicate"));
    let late =
        json!({"question": "下次分享主题？", "options": ["EPC", "全过程咨询"], "deadline": in_hours(-1)});
    let err =
        assert_error(app.post(&create, &late, Some(&owner.token)).await, 422, "validation_failed").await;
    assert!(has_issue(&err, "deadline", "in_the_past"));
    let one =
        json!({"question": "下次分享主题？", "options": ["EPC", "全过程咨询"], "deadline": in_hours(24)});
    assert_error(app.post(&create, &one, Some(&a.token)).await, 403, "forbidden").await;
    assert_eq!(app.count("polls"), 0);

    // A named single-choice poll.
    let named = json_of(app.post(&create, &one, Some(&owner.token)).await, 201).await;
    let named_id = named["id"].as_str().expect("id");
    let ballots = format!("/polls/{named_id}/ballots");
    let err = assert_error(
        app.post(&ballots, &json!({"choices": [0, 1]}), Some(&a.token)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "choices", "one_choice_only"));
    let err = assert_error(
        app.post(&ballots, &json!({"choices": [5]}), Some(&a.token)).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_issue(&err, "choices", "unknown_choice"));
    let voted = json_of(app.post(&ballots, &json!({"choices": [1]}), Some(&a.token)).await, 201).await;
    assert_eq!(voted["counts"], json!([0, 1]));
    assert_eq!(voted["my_choices"], json!([1]));
    assert_error(app.post(&ballots, &json!({"choices": [0]}), Some(&a.token)).await, 409, "conflict").await;
    assert_error(app.post(&ballots, &json!({"choices": [0]}), Some(&outsider.token)).await, 404, "not_found")
        .await;
    let who = json_of(app.get(&ballots, Some(&b.token)).await, 200).await;
    assert_eq!(who["items"][0]["nickname"], "上海-土建-甲");
    assert_eq!(who["items"][0]["choices"], json!([1]));

    // An anonymous multiple-choice poll: counted, but nobody can see who chose what.
    let anon = json!({"question": "你常用的计价软件？", "options": ["广联达", "斯维尔", "品茗"],
        "multiple": true, "anonymous": true, "deadline": in_hours(24)});
    let poll = json_of(app.post(&create, &anon, Some(&owner.token)).await, 201).await;
    let poll_id = poll["id"].as_str().expect("id");
    let ballots = format!("/polls/{poll_id}/ballots");
    let mine = json_of(app.post(&ballots, &json!({"choices": [0, 2]}), Some(&a.token)).await, 201).await;
    assert_eq!(mine["voted"], true);
    assert!(mine.get("my_choices").is_none(), "not even the voter's own choices are linked");
    json_of(app.post(&ballots, &json!({"choices": [0]}), Some(&b.token)).await, 201).await;
    let seen = json_of(app.get(&format!("/polls/{poll_id}"), Some(&owner.token)).await, 200).await;
    assert_eq!(seen["results_hidden"], true, "an open anonymous poll shows no counts, not even to admins");
    assert_eq!(seen["counts"], json!([]));
    assert_eq!(seen["voters"], 2);
    let err = assert_error(app.get(&ballots, Some(&owner.token)).await, 403, "forbidden").await;
    assert!(has_issue(&err, "poll_id", "anonymous"));
    let listed = json_of(app.get(&format!("/groups/{group}/polls"), Some(&owner.token)).await, 200).await;
    assert_eq!(ids(&listed), [poll_id.to_owned(), named_id.to_owned()]);
    assert!(
        listed["items"].to_string().contains("广联达")
            && !listed["items"].to_string().contains("上海-土建-甲")
    );

    // After the deadline no more ballots.
    app.advance_clock(25 * 3600).await;
    let closed = json_of(app.get(&format!("/polls/{poll_id}"), Some(&owner.token)).await, 200).await;
    assert_eq!(closed["closed"], true);
    assert_eq!(closed["counts"], json!([2, 0, 1]), "the results show once it has closed");
    assert_error(app.post(&ballots, &json!({"choices": [1]}), Some(&owner.token)).await, 409, "conflict")
        .await;
}

#[tokio::test]
async fn a_member_who_leaves_gives_their_place_to_the_waitlist_and_lone_sessions_earn_nothing() {
    let app = spawn_app().await;
    let owner = person(&app, "owner@example.com").await;
    let (a, b) = (person(&app, "a@example.com").await, person(&app, "b@example.com").await);
    let group = cost_group(&app, &owner).await;
    join(&app, &group, &owner, &a, "上海-土建-甲").await;
    join(&app, &group, &owner, &b, "上海-安装-乙").await;
    let ev = event(&app, &group, &owner, 1).await;
    let id = ev["id"].as_str().expect("id");
    json_of(app.post(&format!("/events/{id}/signups"), &json!({}), Some(&a.token)).await, 201).await;
    let waiting =
        json_of(app.post(&format!("/events/{id}/signups"), &json!({}), Some(&b.token)).await, 201).await;
    assert_eq!(waiting["my_signup"], "waitlisted");
    let left = send(&app, Method::DELETE, &format!("/groups/{group}/membership"), &a.token, None).await;
    assert_eq!(left.status(), 204);
    let now_b = json_of(app.get(&format!("/events/{id}"), Some(&b.token)).await, 200).await;
    assert_eq!(now_b["my_signup"], "confirmed", "the place of a member who left goes to the waitlist");
    assert!(unread_kinds(&app, &b).await.contains(&"event_promoted".to_owned()));

    // One attendee besides the host is not a session worth points.
    end_event(&app).await;
    let text = json!({"summary": "讲解了EPC项目限额设计与变更管控，课件已上传群文件。"});
    let before = balance(&app, &owner).await;
    json_of(app.post(&format!("/events/{id}/summary"), &text, Some(&owner.token)).await, 200).await;
    assert_eq!(balance(&app, &owner).await, before);
}
