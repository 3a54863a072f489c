//! The notification centre (issue #6): the list with its unread count, marking one or all read
//! (only one's own), polling with `after`, stable pages, and the live stream opened with a
//! single-use ticket — `ready` first, then each new notification of that person only.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// A verified organisation with a published project, and a person who asks questions on it
/// (each question notifies the organisation's members).
struct Stage {
    org: OrgAccount,
    asker: String,
    project: String,
}

async fn stage(app: &TestApp) -> Stage {
    let reviewer = app.staff_member("reviewer@gongzhu.test", &["reviewer"]).await;
    let org =
        app.verified_org("owner@example.com", OrgSpec::new("杭州城建市政工程有限公司"), &reviewer).await;
    let body = json!({"name": "某市市政道路改造工程", "project_type": "municipal", "investment_fen": 1, "region_code": "330106"});
    let created =
        json_of(app.as_org(Method::POST, "/projects", &org.token, &org.id, Some(&body)).await, 201).await;
    let project = created["id"].as_str().expect("id").to_owned();
    let path = format!("/projects/{project}/publication");
    json_of(app.as_org(Method::POST, &path, &org.token, &org.id, None).await, 200).await;
    let asker = app.register("asker@example.com").await.access_token;
    Stage { org, asker, project }
}

impl Stage {
    /// Asks a question; the organisation's owner gets a notification. Returns the question id.
    async fn ask(&self, app: &TestApp, n: usize) -> String {
        let question = json!({"question": format!("第{n}个问题：工期是否可以顺延？")});
        let resp =
            app.post(&format!("/projects/{}/questions", self.project), &question, Some(&self.asker)).await;
        json_of(resp, 201).await["id"].as_str().expect("id").to_owned()
    }
}

async fn inbox(app: &TestApp, token: &str, query: &str) -> Value {
    json_of(app.get(&format!("/notifications{query}"), Some(token)).await, 200).await
}

#[tokio::test]
async fn the_list_counts_unread_and_marks_one_or_all_read() {
    let app = spawn_app().await;
    let stage = stage(&app).await;
    for n in 0..3 {
        stage.ask(&app, n).await;
    }
    let list = inbox(&app, &stage.org.token, "").await;
    assert_eq!(list["unread"], 3);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|n| n["kind"] == "project_question" && n.get("read_at").is_none()), "{list}");
    assert!(items[0]["body"].as_str().expect("body").starts_with("第2个问题"), "newest first: {list}");
    assert!(items[0]["created_at"].is_string());
    assert_eq!(
        json_of(app.get("/notifications/unread-count", Some(&stage.org.token)).await, 200).await,
        json!({"unread": 3})
    );
    assert_eq!(inbox(&app, &stage.asker, "").await, json!({"items": [], "unread": 0}));

    let newest = items[0]["id"].as_str().expect("id").to_owned();
    let oldest = items[2]["id"].as_str().expect("id").to_owned();
    // Someone else's notification: 404, and it stays unread.
    let foreign = app.post(&format!("/notifications/{newest}/read"), &json!({}), Some(&stage.asker)).await;
    assert_error(foreign, 404, "not_found").await;
    let unknown = app
        .post(&format!("/notifications/{}/read", uuid::Uuid::now_v7()), &json!({}), Some(&stage.org.token))
        .await;
    assert_error(unknown, 404, "not_found").await;
    assert_error(
        app.post(&format!("/notifications/{newest}/read"), &json!({}), None).await,
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(inbox(&app, &stage.org.token, "").await["unread"], 3);

    let read = app.post(&format!("/notifications/{newest}/read"), &json!({}), Some(&stage.org.token)).await;
    assert_eq!(read.status(), 204);
    let again = app.post(&format!("/notifications/{newest}/read"), &json!({}), Some(&stage.org.token)).await;
    assert_eq!(again.status(), 204, "marking read twice is harmless");
    let list = inbox(&app, &stage.org.token, "").await;
    assert_eq!(list["unread"], 2);
    let first_read = list["items"][0]["read_at"].clone();
    assert!(first_read.is_string());
    assert!(list["items"][2].get("read_at").is_none());
    assert_eq!(list["items"][2]["id"], oldest.as_str());

    let all = app.post("/notifications/read-all", &json!({}), Some(&stage.org.token)).await;
    assert_eq!(all.status(), 204);
    let list = inbox(&app, &stage.org.token, "").await;
    assert_eq!(list["unread"], 0);
    assert!(list["items"].as_array().expect("items").iter().all(|n| n["read_at"].is_string()));
    assert_eq!(list["items"][0]["read_at"], first_read, "the first read time is kept");

    // Reading all of one person's leaves everybody else's alone.
    let colleague = app.add_member(&stage.org, "colleague@example.com").await;
    stage.ask(&app, 3).await;
    assert_eq!(app.post("/notifications/read-all", &json!({}), Some(&stage.org.token)).await.status(), 204);
    assert_eq!(inbox(&app, &colleague.access_token, "").await["unread"], 1);
    assert_error(app.get("/notifications", None).await, 401, "unauthenticated").await;
    assert_error(app.get("/notifications/unread-count", None).await, 401, "unauthenticated").await;
}

#[tokio::test]
async fn polling_after_an_id_returns_only_newer_ones_oldest_first() {
    let app = spawn_app().await;
    let stage = stage(&app).await;
    for n in 0..2 {
        stage.ask(&app, n).await;
    }
    let seen = inbox(&app, &stage.org.token, "").await;
    let last_seen = seen["items"][0]["id"].as_str().expect("id").to_owned();
    assert!(
        ids(&inbox(&app, &stage.org.token, &format!("?after={last_seen}")).await).is_empty(),
        "nothing new yet"
    );

    for n in 2..5 {
        stage.ask(&app, n).await;
    }
    let fresh = inbox(&app, &stage.org.token, &format!("?after={last_seen}")).await;
    let bodies: Vec<&str> =
        fresh["items"].as_array().expect("items").iter().map(|n| n["body"].as_str().expect("body")).collect();
    assert_eq!(bodies.len(), 3, "{fresh}");
    for (body, n) in bodies.iter().zip(2..) {
        assert!(body.starts_with(&format!("第{n}个问题")), "oldest first: {bodies:?}");
    }
    assert_eq!(fresh["unread"], 5);
    let limited = inbox(&app, &stage.org.token, &format!("?after={last_seen}&limit=2")).await;
    assert_eq!(ids(&limited), ids(&fresh)[..2].to_vec(), "the oldest two of the new ones");
    let newest = ids(&fresh)[2].clone();
    assert!(ids(&inbox(&app, &stage.org.token, &format!("?after={newest}")).await).is_empty());
    assert!(
        ids(&inbox(&app, &stage.asker, &format!("?after={last_seen}")).await).is_empty(),
        "only one's own"
    );
    assert_error(app.get("/notifications?limit=0", Some(&stage.org.token)).await, 400, "validation_failed")
        .await;
}

#[tokio::test]
async fn notification_pages_are_stable_while_new_ones_arrive() {
    let app = spawn_app().await;
    let stage = stage(&app).await;
    for n in 0..5 {
        stage.ask(&app, n).await;
    }
    let before = ids(&inbox(&app, &stage.org.token, "?limit=100").await);
    assert_eq!(before.len(), 5);
    let first = inbox(&app, &stage.org.token, "?limit=2").await;
    for n in 5..7 {
        stage.ask(&app, n).await;
    }
    let mut paged = ids(&first);
    paged.extend(app.walk_pages("/notifications?limit=2", &first, Caller::Person(&stage.org.token)).await);
    assert_eq!(paged, before, "newer notifications never show up on older pages");
}

/// A server-sent event: its name and JSON data.
#[derive(Debug)]
struct Event {
    name: String,
    data: Value,
}

/// Reads events off an open stream, skipping keep-alive comments.
struct EventReader {
    response: reqwest::Response,
    buffer: String,
}

impl EventReader {
    async fn next(&mut self) -> Event {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = value.trim().to_owned();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push_str(value.trim_start());
                    }
                }
                if data.is_empty() {
                    continue;
                }
                return Event { name, data: serde_json::from_str(&data).expect("event data is JSON") };
            }
            let chunk = tokio::time::timeout(Duration::from_secs(10), self.response.chunk())
                .await
                .expect("an event within 10 s")
                .expect("stream readable")
                .expect("stream still open");
            self.buffer.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
        }
    }
}

/// The stream carries the stored notification, tagged `"type": "notification"` as the
/// published union says. `created_at` is compared as an instant.
fn assert_same_notification(streamed: &Value, stored: &Value) {
    assert_eq!(streamed["type"], "notification");
    let instant = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["created_at"].as_str().expect("created_at")).expect("RFC 3339")
    };
    assert_eq!(instant(streamed), instant(stored), "{streamed} vs {stored}");
    let without_time = |v: &Value| {
        let mut v = v.clone();
        let object = v.as_object_mut().expect("object");
        object.remove("created_at");
        object.remove("type");
        v
    };
    assert_eq!(without_time(streamed), without_time(stored));
}

async fn ticket(app: &TestApp, token: &str) -> String {
    let resp = app.post("/notifications/stream-tickets", &json!({}), Some(token)).await;
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let body = json_of(resp, 201).await;
    let expires: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(body["expires_at"].clone()).expect("expires_at");
    let left = expires - chrono::Utc::now();
    assert!(
        left > chrono::Duration::seconds(50) && left <= chrono::Duration::seconds(60),
        "valid for 60 s: {body}"
    );
    body["ticket"].as_str().expect("ticket").to_owned()
}

async fn open_stream(app: &TestApp, ticket: &str) -> reqwest::Response {
    app.client.get(app.api(&format!("/notifications/stream?ticket={ticket}"))).send().await.expect("stream")
}

#[tokio::test]
async fn the_stream_sends_ready_then_each_new_notification_of_its_owner() {
    let app = spawn_app().await;
    let stage = stage(&app).await;
    stage.ask(&app, 0).await;
    let ticket = ticket(&app, &stage.org.token).await;
    let response = open_stream(&app, &ticket).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/event-stream"));
    let mut events = EventReader { response, buffer: String::new() };

    let ready = events.next().await;
    assert_eq!(ready.name, "ready");
    assert_eq!(ready.data, json!({"type": "ready", "unread": 1}));

    let question = stage.ask(&app, 1).await;
    let event = events.next().await;
    assert_eq!(event.name, "notification", "{event:?}");
    assert_eq!(event.data["kind"], "project_question");
    assert!(event.data["body"].as_str().expect("body").starts_with("第1个问题"), "{event:?}");
    let stored = inbox(&app, &stage.org.token, "").await["items"][0].clone();
    assert_same_notification(&event.data, &stored);

    // The asker's notification (an answer) is not the owner's: the owner's stream skips it
    // and carries the next question.
    let answer = json!({"answer": "可以，按合同约定顺延。"});
    let path = format!("/projects/{}/questions/{question}/answer", stage.project);
    json_of(app.as_org(Method::POST, &path, &stage.org.token, &stage.org.id, Some(&answer)).await, 200).await;
    stage.ask(&app, 2).await;
    let event = events.next().await;
    assert_eq!(event.data["kind"], "project_question", "{event:?}");
    assert!(event.data["body"].as_str().expect("body").starts_with("第2个问题"), "{event:?}");
}

#[tokio::test]
async fn a_stream_ticket_works_once_and_only_as_issued() {
    let app = spawn_app().await;
    let stage = stage(&app).await;
    assert_error(app.post("/notifications/stream-tickets", &json!({}), None).await, 401, "unauthenticated")
        .await;
    let ticket = ticket(&app, &stage.org.token).await;
    let first = open_stream(&app, &ticket).await;
    assert_eq!(first.status(), 200);
    assert_error(open_stream(&app, &ticket).await, 401, "unauthenticated").await;
    drop(first);
    assert_error(open_stream(&app, &ticket).await, 401, "unauthenticated").await;
    assert_error(open_stream(&app, "garbage-ticket").await, 401, "unauthenticated").await;
    assert_error(open_stream(&app, &"x".repeat(129)).await, 400, "validation_failed").await;
    let missing = app.client.get(app.api("/notifications/stream")).send().await.expect("send");
    assert_error(missing, 400, "validation_failed").await;

    // An expired ticket is refused too.
    let late = self::ticket(&app, &stage.org.token).await;
    app.advance_clock(61).await;
    assert_error(open_stream(&app, &late).await, 401, "unauthenticated").await;
}

/// The published spec describes each stream event as an object carrying the discriminator
/// property `type` (`StreamEvent`, a poem-openapi union). What a client receives must have
/// every property the schema requires.
#[tokio::test]
async fn stream_events_carry_what_the_published_schema_requires() {
    let app = spawn_app().await;
    let stage = stage(&app).await;
    let spec = json_of(app.get("/openapi.json", None).await, 200).await;
    let schemas = &spec["components"]["schemas"];
    let required = |name: &str| -> Vec<String> {
        schemas[name]["allOf"]
            .as_array()
            .expect("allOf")
            .iter()
            .flat_map(|part| part["required"].as_array().cloned().unwrap_or_default())
            .map(|r| r.as_str().expect("name").to_owned())
            .collect()
    };
    let ticket = ticket(&app, &stage.org.token).await;
    let mut events = EventReader { response: open_stream(&app, &ticket).await, buffer: String::new() };
    let ready = events.next().await;
    stage.ask(&app, 0).await;
    let notification = events.next().await;
    let mut missing = Vec::new();
    for (schema, event) in [("StreamEvent_UnreadCount", &ready), ("StreamEvent_Notification", &notification)]
    {
        for property in required(schema) {
            if event.data.get(&property).is_none() {
                missing.push(format!(
                    "{schema} requires `{property}`; the `{}` event sends {}",
                    event.name, event.data
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
