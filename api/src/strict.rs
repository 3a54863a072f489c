//! Strict input at the edge, driven by the API's own OpenAPI document, so one rule covers every
//! operation and cannot drift from the DTOs:
//! - a JSON body is walked against its operation's schema: a number or boolean where the schema
//!   says string is refused (poem-openapi would quietly turn `12` into `"12"`), a string holding
//!   a NUL or another control character (tab, newline and carriage return aside) is refused, and
//!   on PATCH an explicit `null` is refused (omit a field to keep its value);
//! - a `cursor` (or `after`) query parameter must have the shape of one this API hands out — a
//!   row id, the audit log's sequence number, or an event list's `<micros>_<id>`; search
//!   cursors are checked by search itself;
//! - a path that exists but not with the request's method answers 405 `method_not_allowed` with
//!   an `Allow` header.
//!
//! Everything refused here is `422 validation_failed` naming each field, before any handler runs.

use std::sync::OnceLock;

use poem::http::{HeaderValue, Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response, Result};
use serde_json::{Map, Value};
use shared::dto::FieldIssue;
use shared::error::ErrorCode;

use crate::error::ApiError;

/// One operation of the spec: its path template split into segments (`None` for a parameter),
/// its method and its JSON request-body schema.
struct Operation {
    segments: Vec<Option<String>>,
    method: String,
    body: Option<Value>,
}

/// The operations and component schemas of the API's OpenAPI document.
pub struct SpecIndex {
    operations: Vec<Operation>,
    schemas: Map<String, Value>,
}

/// How deep a body is walked (the DTOs nest three or four levels).
const MAX_DEPTH: usize = 16;

impl SpecIndex {
    /// The index of this server's own spec, built once.
    pub fn global() -> &'static SpecIndex {
        static INDEX: OnceLock<SpecIndex> = OnceLock::new();
        INDEX.get_or_init(|| SpecIndex::from_spec(&crate::routes::service().spec()))
    }

    /// Indexes an OpenAPI 3 document (paths relative to the server URL).
    pub fn from_spec(text: &str) -> Self {
        let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let mut operations = Vec::new();
        for (template, item) in doc["paths"].as_object().into_iter().flatten() {
            let segments: Vec<Option<String>> = template
                .trim_matches('/')
                .split('/')
                .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                .collect();
            for (method, op) in item.as_object().into_iter().flatten() {
                let body = op["requestBody"]["content"]["application/json; charset=utf-8"]["schema"]
                    .as_object()
                    .or_else(|| op["requestBody"]["content"]["application/json"]["schema"].as_object())
                    .map(|m| Value::Object(m.clone()));
                operations.push(Operation {
                    segments: segments.clone(),
                    method: method.to_ascii_uppercase(),
                    body,
                });
            }
        }
        let schemas = doc["components"]["schemas"].as_object().cloned().unwrap_or_default();
        Self { operations, schemas }
    }

    /// Operations whose template matches `path`, the most literal template first.
    fn matching(&self, path: &str) -> Vec<&Operation> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Vec<&Operation> = self
            .operations
            .iter()
            .filter(|op| {
                op.segments.len() == parts.len()
                    && op.segments.iter().zip(&parts).all(|(s, p)| s.as_deref().is_none_or(|lit| lit == *p))
            })
            .collect();
        found.sort_by_key(|op| std::cmp::Reverse(op.segments.iter().filter(|s| s.is_some()).count()));
        found
    }

    /// The methods `path` answers to (empty when no operation has this path).
    pub fn allowed_methods(&self, path: &str) -> Vec<String> {
        let matching = self.matching(path);
        let Some(best) = matching.first() else { return Vec::new() };
        let mut methods: Vec<String> =
            matching.iter().filter(|op| op.segments == best.segments).map(|op| op.method.clone()).collect();
        methods.sort();
        methods.dedup();
        methods
    }

    /// The JSON request-body schema of `method path`, if the operation takes one.
    fn body_schema(&self, method: &str, path: &str) -> Option<&Value> {
        self.matching(path).into_iter().find(|op| op.method == method).and_then(|op| op.body.as_ref())
    }

    /// Every issue of `value` against `schema` (see the module doc for the rules).
    pub fn check_body(&self, method: &str, path: &str, value: &Value) -> Vec<FieldIssue> {
        let mut issues = Vec::new();
        if let Some(schema) = self.body_schema(method, path) {
            self.walk(schema, value, "", method == "PATCH", 0, &mut issues);
        }
        issues
    }

    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..8 {
            let Some(name) = schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/"))
            else {
                break;
            };
            match self.schemas.get(name) {
                Some(next) => schema = next,
                None => break,
            }
        }
        schema
    }

    fn walk(
        &self,
        schema: &Value,
        value: &Value,
        field: &str,
        patch: bool,
        depth: usize,
        out: &mut Vec<FieldIssue>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolve(schema);
        if let Some(all) = schema["allOf"].as_array() {
            for part in all {
                self.walk(part, value, field, patch, depth + 1, out);
            }
        }
        let name = |child: &str| if field.is_empty() { child.to_owned() } else { format!("{field}.{child}") };
        match (schema["type"].as_str(), value) {
            (Some("string"), Value::String(text))
                if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) =>
            {
                out.push(FieldIssue::new(field_or_body(field), "invalid_characters"));
            }
            (Some("string"), Value::Number(_) | Value::Bool(_) | Value::Array(_) | Value::Object(_)) => {
                out.push(FieldIssue::new(field_or_body(field), "expected_string"));
            }
            (Some("array"), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(&schema["items"], item, &format!("{field}[{i}]"), patch, depth + 1, out);
                }
            }
            (_, Value::Object(fields))
                if schema["properties"].is_object() || schema["additionalProperties"].is_object() =>
            {
                for (key, child) in fields {
                    if child.is_null() && patch && depth == 0 {
                        out.push(FieldIssue::new(name(key), "null_not_allowed"));
                        continue;
                    }
                    let child_schema = schema["properties"].get(key).or_else(|| {
                        schema["additionalProperties"].as_object().map(|_| &schema["additionalProperties"])
                    });
                    if let Some(child_schema) = child_schema {
                        self.walk(child_schema, child, &name(key), patch, depth + 1, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn field_or_body(field: &str) -> String {
    if field.is_empty() { "body".to_owned() } else { field.to_owned() }
}

/// Whether `cursor` has the shape of a cursor this API hands out: a row id (UUID), the audit
/// log's sequence number, or an event list's `<microseconds>_<id>`.
pub fn cursor_shape_ok(cursor: &str) -> bool {
    let is_id = |s: &str| uuid::Uuid::try_parse(s).is_ok_and(|u| u.hyphenated().to_string() == s);
    let is_seq = |s: &str| !s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit());
    is_id(cursor)
        || is_seq(cursor)
        || cursor.split_once('_').is_some_and(|(micros, id)| micros.parse::<i64>().is_ok() && is_id(id))
}

/// The path below `/api/v1` of the request as it arrived.
fn api_path(req: &Request) -> String {
    let path = req.original_uri().path();
    path.strip_prefix("/api/v1").unwrap_or(path).to_owned()
}

/// The middleware: checks the query's cursors and the JSON body, then turns a 405 into the
/// envelope with `Allow`.
pub async fn strict_input<E: Endpoint>(next: E, mut req: Request) -> Result<Response> {
    let index = SpecIndex::global();
    let path = api_path(&req);
    if let Some(query) = req.uri().query() {
        let params: Vec<(String, String)> = serde_urlencoded_pairs(query);
        let mut issues = Vec::new();
        for (key, value) in &params {
            let checked = key == "cursor" || (key == "after" && path.starts_with("/notifications"));
            if checked && !path.ends_with("/search") && !value.is_empty() && !cursor_shape_ok(value) {
                issues.push(FieldIssue::new(key, "invalid"));
            }
        }
        if !issues.is_empty() {
            return Ok(ApiError::validation("not a cursor from this list", issues).into_response());
        }
    }
    let json = req.header("content-type").is_some_and(|t| t.starts_with("application/json"));
    if json && matches!(*req.method(), Method::POST | Method::PATCH | Method::PUT) {
        let bytes = req.take_body().into_bytes().await?;
        if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
            let issues = index.check_body(req.method().as_str(), &path, &value);
            if !issues.is_empty() {
                let message = describe(&issues);
                return Ok(ApiError::validation(message, issues).into_response());
            }
        }
        req.set_body(bytes);
    }
    let result = next.call(req).await.map(IntoResponse::into_response);
    let not_allowed = match &result {
        Ok(resp) => resp.status() == StatusCode::METHOD_NOT_ALLOWED,
        Err(e) => e.status() == StatusCode::METHOD_NOT_ALLOWED,
    };
    if !not_allowed {
        return result;
    }
    let methods = index.allowed_methods(&path);
    let mut response =
        ApiError::new(ErrorCode::MethodNotAllowed, "this path does not take this method").into_response();
    response.set_status(StatusCode::METHOD_NOT_ALLOWED);
    if let Ok(allow) = HeaderValue::from_str(&methods.join(", ")) {
        response.headers_mut().insert("allow", allow);
    }
    Ok(response)
}

fn describe(issues: &[FieldIssue]) -> String {
    let first = &issues[0];
    match first.issue.as_str() {
        "expected_string" => format!("{} must be a string", first.field),
        "invalid_characters" => format!("{} contains a control character", first.field),
        "null_not_allowed" => format!("{} cannot be null; omit it to keep its value", first.field),
        _ => "the request is invalid".to_owned(),
    }
}

/// `a=1&b=2` decoded into pairs (percent-decoding and `+` as space).
fn serde_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| -> String {
        let bytes = s.replace('+', " ");
        let mut out = Vec::with_capacity(bytes.len());
        let raw = bytes.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'%'
                && i + 2 < raw.len()
                && let Some(b) =
                    std::str::from_utf8(&raw[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(raw[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SpecIndex {
        SpecIndex::from_spec(
            &serde_json::json!({
                "paths": {
                    "/things": { "post": { "requestBody": { "content": { "application/json; charset=utf-8": {
                        "schema": { "$ref": "#/components/schemas/Thing" } } } } } },
                    "/things/{id}": {
                        "get": {},
                        "patch": { "requestBody": { "content": { "application/json; charset=utf-8": {
                            "schema": { "$ref": "#/components/schemas/Thing" } } } } }
                    }
                },
                "components": { "schemas": { "Thing": { "type": "object", "properties": {
                    "name": { "type": "string" },
                    "tags": { "type": "array", "items": { "type": "string" } },
                    "size": { "type": "integer" }
                } } } }
            })
            .to_string(),
        )
    }

    #[test]
    fn numbers_and_booleans_are_not_strings() {
        let issues =
            index().check_body("POST", "/things", &serde_json::json!({"name": 12, "tags": ["a", true]}));
        let got: Vec<(&str, &str)> = issues.iter().map(|i| (i.field.as_str(), i.issue.as_str())).collect();
        assert!(got.contains(&("name", "expected_string")), "{got:?}");
        assert!(got.contains(&("tags[1]", "expected_string")), "{got:?}");
        assert!(
            index().check_body("POST", "/things", &serde_json::json!({"name": "ok", "size": 3})).is_empty()
        );
    }

    #[test]
    fn control_characters_are_refused_but_newlines_pass() {
        let bad = index().check_body("POST", "/things", &serde_json::json!({"name": "a\u{0}b"}));
        assert_eq!(bad[0].issue, "invalid_characters");
        assert!(index().check_body("POST", "/things", &serde_json::json!({"name": "a\nb\tc"})).is_empty());
    }

    #[test]
    fn null_is_refused_on_patch_only() {
        let patch = index().check_body("PATCH", "/things/x1", &serde_json::json!({"name": null}));
        assert_eq!(patch[0].issue, "null_not_allowed");
        assert!(index().check_body("POST", "/things", &serde_json::json!({"name": null})).is_empty());
    }

    #[test]
    fn allowed_methods_come_from_the_template() {
        assert_eq!(index().allowed_methods("/things/abc"), vec!["GET".to_owned(), "PATCH".to_owned()]);
        assert!(index().allowed_methods("/nothing").is_empty());
    }

    #[test]
    fn cursors_have_the_shapes_the_api_hands_out() {
        let id = "01938a3e-5b2c-7def-8123-456789abcdef";
        assert!(cursor_shape_ok(id));
        assert!(cursor_shape_ok(&format!("1733500000000000_{id}")));
        assert!(cursor_shape_ok("42"));
        assert!(!cursor_shape_ok("garbage"));
        assert!(!cursor_shape_ok("1_garbage"));
        assert!(!cursor_shape_ok(&id.to_uppercase()));
    }

    #[test]
    fn a_percent_before_a_multibyte_character_does_not_panic() {
        assert_eq!(serde_urlencoded_pairs("q=%E4%B8%AD"), vec![("q".to_owned(), "中".to_owned())]);
        assert_eq!(serde_urlencoded_pairs("q=%中x"), vec![("q".to_owned(), "%中x".to_owned())]);
    }

    #[test]
    fn query_pairs_are_decoded() {
        assert_eq!(
            serde_urlencoded_pairs("cursor=a%20b&limit=2&x"),
            vec![("cursor".into(), "a b".into()), ("limit".into(), "2".into()), ("x".into(), String::new())]
        );
    }
}
