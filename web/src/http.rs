//! JSON over `fetch` to `/api/v1`, decoding the API's error envelope.

use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::dto::ErrorBody;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A request that did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The server answered with an error envelope.
    Api { status: u16, body: ErrorBody },
    /// No usable answer (network down, or not JSON).
    Network(String),
}

impl Failure {
    /// The envelope's code, if the server answered.
    pub fn code(&self) -> Option<&str> {
        match self {
            Failure::Api { body, .. } => Some(body.code.as_str()),
            Failure::Network(_) => None,
        }
    }
}

/// Who a request speaks for: the signed-in person's access token and, for requests that act for
/// an organisation, its id (sent as `X-Org-Id`).
#[derive(Clone, Copy, Default)]
pub struct Caller<'a> {
    /// Bearer access token.
    pub token: Option<&'a str>,
    /// The acting organisation.
    pub org: Option<&'a str>,
    /// The `Idempotency-Key` of a money-moving request (see [`crate::intent`]).
    pub key: Option<&'a str>,
}

/// Sends a request and returns the response, whatever its status.
pub async fn fetch(
    method: &str,
    path: &str,
    body: Option<String>,
    caller: Caller<'_>,
) -> Result<web_sys::Response, Failure> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(network)?;
    headers.set("accept", "application/json").map_err(network)?;
    if let Some(token) = caller.token {
        headers.set("authorization", &format!("Bearer {token}")).map_err(network)?;
    }
    if let Some(org) = caller.org {
        headers.set("x-org-id", org).map_err(network)?;
    }
    if let Some(key) = caller.key {
        headers.set("idempotency-key", key).map_err(network)?;
    }
    if let Some(body) = body {
        headers.set("content-type", "application/json").map_err(network)?;
        init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(&format!("/api/v1{path}"), &init).map_err(network)?;
    let window = web_sys::window().ok_or_else(|| Failure::Network("no window".into()))?;
    JsFuture::from(window.fetch_with_request(&request)).await.map_err(network)?.dyn_into().map_err(network)
}

/// A failure from a browser API call.
pub fn network(e: wasm_bindgen::JsValue) -> Failure {
    Failure::Network(format!("{e:?}"))
}

/// The body text of a response.
pub async fn text_of(response: &web_sys::Response) -> Result<String, Failure> {
    let text = JsFuture::from(response.text().map_err(network)?).await.map_err(network)?;
    Ok(text.as_string().unwrap_or_default())
}

/// Decodes an answer: JSON for 2xx (`()` for 204), the error envelope otherwise.
pub fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, Failure> {
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { text };
        serde_json::from_str(text).map_err(|e| Failure::Network(e.to_string()))
    } else {
        match serde_json::from_str::<ErrorBody>(text) {
            Ok(body) => Err(Failure::Api { status, body }),
            Err(_) => Err(Failure::Network(format!("HTTP {status}"))),
        }
    }
}

/// Sends JSON without credentials and decodes a JSON answer (`()` for 204).
pub async fn request<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
    token: Option<&str>,
) -> Result<T, Failure> {
    request_as(method, path, body, Caller { token, org: None, key: None }).await
}

/// Sends JSON as `caller` and decodes a JSON answer (`()` for 204).
pub async fn request_as<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
    caller: Caller<'_>,
) -> Result<T, Failure> {
    let body = body.map(|b| serde_json::to_string(b).unwrap_or_default());
    let response = fetch(method, path, body, caller).await?;
    let text = text_of(&response).await?;
    decode(response.status(), &text)
}
