//! Cross-cutting HTTP layers: a request id per request (header, log span, error envelopes),
//! access logging and metrics, security headers (HSTS when served over HTTPS), and body limits.

use std::sync::Arc;
use std::time::Instant;

use poem::http::HeaderValue;
use poem::{Endpoint, IntoResponse, Request, Response, Result};
use tracing::Instrument;

use crate::error::REQUEST_ID;
use crate::metrics::Metrics;

/// Wraps an endpoint: assigns the request id (honouring a sane incoming `X-Request-Id`), runs the
/// request inside a tracing span and the [`REQUEST_ID`] scope, logs it, counts it, and adds the
/// security headers and the id to the response.
pub async fn observe<E: Endpoint>(
    next: E,
    req: Request,
    metrics: Arc<Metrics>,
    hsts: bool,
) -> Result<Response> {
    let incoming = req
        .header("x-request-id")
        .filter(|v| (8..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let request_id = incoming.map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let span = tracing::info_span!("request", id = %request_id, %method, %path);
    let result = REQUEST_ID.scope(request_id.clone(), next.call(req).instrument(span.clone())).await;
    let mut response = match result {
        Ok(resp) => resp.into_response(),
        Err(err) => {
            REQUEST_ID.scope(request_id.clone(), async move { crate::error::envelope_for(err) }).await
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    span.in_scope(|| tracing::info!(status, elapsed_ms = elapsed * 1e3, "handled"));
    metrics.observe(&method, status, elapsed);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-request-id", value);
    }
    for (name, value) in SECURITY_HEADERS {
        headers.entry(*name).or_insert(HeaderValue::from_static(value));
    }
    if hsts {
        // Served over HTTPS (`cookie_secure`): browsers must not fall back to plain HTTP.
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    Ok(response)
}

/// Headers every response carries. The CSP allows the WASM SPA (`wasm-unsafe-eval`) and nothing
/// from other origins; the docs UI sets its own, looser policy.
const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; frame-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
];

/// Caps request bodies: `max_json` for everything but `multipart/form-data` uploads, which get
/// `max_upload`. A larger `Content-Length` is refused at once, and a body without one (chunked)
/// is read only up to the cap. Requests without a body pass untouched.
pub async fn limit_body<E: Endpoint>(
    next: E,
    mut req: Request,
    max_json: usize,
    max_upload: usize,
) -> Result<Response> {
    let multipart = req.header("content-type").is_some_and(|t| t.starts_with("multipart/form-data"));
    let max = if multipart { max_upload } else { max_json };
    let declared = req.header("content-length").and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > max) {
        return Err(poem::Error::from_status(poem::http::StatusCode::PAYLOAD_TOO_LARGE));
    }
    // Without a Content-Length (chunked, or HTTP/2 with neither header) read at most `max`.
    if declared.is_none() {
        let body = req.take_body().into_bytes_limit(max).await.map_err(|e| match e {
            poem::error::ReadBodyError::PayloadTooLarge => {
                poem::Error::from_status(poem::http::StatusCode::PAYLOAD_TOO_LARGE)
            }
            other => poem::Error::from(other),
        })?;
        req.set_body(body);
    }
    next.call(req).await.map(IntoResponse::into_response)
}
