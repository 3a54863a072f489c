//! Typed calls on the test server: requests and answers are the `shared` DTOs, so a test reads
//! like the client it stands for and a renamed field breaks the build, not the assertion.
//!
//! ```ignore
//! let view: DemandView = app.as_(&owner.token).org(&owner.id).post("/demands", &request).await?;
//! let refused = app.as_(&other.token).get::<DemandView>(&path).await.expect_err("hidden");
//! refused.assert(404, "not_found");
//! ```
//! Tests of malformed input stay on the JSON helpers (`app.post(path, &json!(…))`).

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::ErrorBody;

use crate::helpers::TestApp;

/// A refused call: its status and the error envelope.
#[derive(Debug)]
pub struct Refused {
    /// HTTP status.
    pub status: u16,
    /// The error envelope.
    pub body: ErrorBody,
}

impl Refused {
    /// Asserts the status and the envelope's code; returns the envelope.
    pub fn assert(&self, status: u16, code: &str) -> &ErrorBody {
        assert_eq!((self.status, self.body.code.as_str()), (status, code), "{:?}", self.body);
        &self.body
    }

    /// Whether the envelope names `field` with `issue`.
    pub fn names(&self, field: &str, issue: &str) -> bool {
        self.body.details.iter().any(|d| d.field == field && d.issue == issue)
    }
}

/// Who calls: nobody, a person, or a person for an organisation.
#[derive(Clone, Copy)]
pub struct As<'a> {
    app: &'a TestApp,
    token: Option<&'a str>,
    org: Option<&'a str>,
    key: Option<&'a str>,
}

impl TestApp {
    /// Calls as the holder of `token`.
    pub fn as_<'a>(&'a self, token: &'a str) -> As<'a> {
        As { app: self, token: Some(token), org: None, key: None }
    }

    /// Calls without credentials.
    pub fn anonymous(&self) -> As<'_> {
        As { app: self, token: None, org: None, key: None }
    }
}

/// An empty answer (`204 No Content`).
#[derive(Debug)]
pub struct NoContent;

impl<'a> As<'a> {
    /// Acts for `org_id` (`X-Org-Id`).
    pub fn org(mut self, org_id: &'a str) -> Self {
        self.org = Some(org_id);
        self
    }

    /// Sends `Idempotency-Key: key`.
    pub fn key(mut self, key: &'a str) -> Self {
        self.key = Some(key);
        self
    }

    /// GET `path`.
    pub async fn get<R: DeserializeOwned>(&self, path: &str) -> Result<R, Refused> {
        self.send::<(), R>(Method::GET, path, None).await
    }

    /// POST `body` to `path`.
    pub async fn post<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> Result<R, Refused> {
        self.send(Method::POST, path, Some(body)).await
    }

    /// PATCH `path` with `body`.
    pub async fn patch<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> Result<R, Refused> {
        self.send(Method::PATCH, path, Some(body)).await
    }

    /// PUT `body` to `path`.
    pub async fn put<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> Result<R, Refused> {
        self.send(Method::PUT, path, Some(body)).await
    }

    /// DELETE `path` (answered with no content).
    pub async fn delete(&self, path: &str) -> Result<NoContent, Refused> {
        let resp = self.request::<()>(Method::DELETE, path, None).await;
        let status = resp.status().as_u16();
        if resp.status().is_success() {
            return Ok(NoContent);
        }
        Err(Refused { status, body: resp.json().await.expect("error envelope") })
    }

    async fn request<B: Serialize>(&self, method: Method, path: &str, body: Option<&B>) -> reqwest::Response {
        let mut req = self.app.client.request(method, self.app.api(path));
        if let Some(token) = self.token {
            req = req.bearer_auth(token);
        }
        if let Some(org) = self.org {
            req = req.header("x-org-id", org);
        }
        if let Some(key) = self.key {
            req = req.header("idempotency-key", key);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        req.send().await.expect("request")
    }

    async fn send<B: Serialize, R: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<R, Refused> {
        let resp = self.request(method.clone(), path, body).await;
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        if (200..300).contains(&status) {
            let text = if text.is_empty() { "null" } else { text.as_str() };
            Ok(serde_json::from_str(text).unwrap_or_else(|e| panic!("{method} {path}: {e}: {text}")))
        } else {
            let body = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{method} {path} {status}: {e}: {text}"));
            Err(Refused { status, body })
        }
    }
}
