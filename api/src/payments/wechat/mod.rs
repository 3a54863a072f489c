//! WeChat Pay API v3 (微信支付, direct merchant mode): Native order creation — a signed
//! `POST /v3/pay/transactions/native` whose answer (signed by WeChat Pay, verified here) carries
//! the `code_url` the payer scans — and the verification of everything WeChat Pay sends us
//! (`Wechatpay-Timestamp` / `-Nonce` / `-Signature` / `-Serial`). The asynchronous payment
//! notifications are handled in [`notify`]; the signing and decryption primitives are in
//! [`crypto`]. Configuring the real provider is keys, the platform key id and URLs
//! (`Config::wechatpay_*`).

pub mod crypto;
pub mod notify;

use std::time::Duration;

use chrono::{DateTime, Utc};
use poem::http::HeaderMap;
use ring::signature::RsaKeyPair;
use serde::Deserialize;

use crate::config::Config;
use crate::db::models::funding::FundingRequestRow;
use crate::error::ApiError;
use crate::payments::{Instructions, Opened, PaymentGateway, provider_unavailable};

/// How far a signed timestamp may be from our clock (WeChat Pay's advice: 5 minutes).
pub const MAX_SKEW_SECS: i64 = 300;

/// The Native order API's path.
const NATIVE_PATH: &str = "/v3/pay/transactions/native";

/// A configured WeChat Pay merchant.
pub struct WechatPay {
    mchid: String,
    appid: String,
    api_v3_key: Vec<u8>,
    merchant_key: RsaKeyPair,
    merchant_serial: String,
    platform_key: Vec<u8>,
    platform_key_id: String,
    base_url: String,
    notify_url: String,
    http: reqwest::Client,
}

/// Why something WeChat Pay (or someone posing as it) sent is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A `Wechatpay-*` header is missing.
    #[error("the {0} header is missing")]
    MissingHeader(&'static str),
    /// `Wechatpay-Serial` names another key than the configured platform key.
    #[error("Wechatpay-Serial names an unknown key")]
    UnknownSerial,
    /// `Wechatpay-Timestamp` is not within 5 minutes of our clock.
    #[error("Wechatpay-Timestamp is stale or invalid")]
    StaleTimestamp,
    /// The signature does not verify.
    #[error("the signature does not verify")]
    BadSignature,
    /// The body is not a notification, or its resource does not decrypt.
    #[error("the body cannot be read: {0}")]
    Unreadable(&'static str),
}

impl Refusal {
    /// The HTTP status answered: 401 when the sender is not proven, 400 for a body we cannot read.
    pub fn status(&self) -> u16 {
        match self {
            Self::Unreadable(_) | Self::MissingHeader(_) => 400,
            _ => 401,
        }
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, Refusal> {
    headers.get(name).and_then(|v| v.to_str().ok()).ok_or(Refusal::MissingHeader(name))
}

fn read_key(path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

#[derive(Deserialize)]
struct NativeOrderAnswer {
    code_url: String,
}

impl WechatPay {
    /// The merchant of `config`, `None` when WeChat Pay is not configured (`wechatpay_mchid`
    /// empty); an error names a key that cannot be read.
    pub fn from_config(config: &Config) -> Result<Option<Self>, String> {
        if config.wechatpay_mchid.is_empty() {
            return Ok(None);
        }
        if config.wechatpay_api_v3_key.len() != 32 {
            return Err("wechatpay_api_v3_key must be 32 bytes".into());
        }
        let merchant_key = crypto::private_key_from_pem(&read_key(&config.wechatpay_merchant_key_path)?)
            .map_err(|e| format!("wechatpay_merchant_key_path: {e}"))?;
        let platform_key = crypto::public_key_from_pem(&read_key(&config.wechatpay_platform_key_path)?)
            .map_err(|e| format!("wechatpay_platform_key_path: {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("gongzhu/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Some(Self {
            mchid: config.wechatpay_mchid.clone(),
            appid: config.wechatpay_appid.clone(),
            api_v3_key: config.wechatpay_api_v3_key.as_bytes().to_vec(),
            merchant_key,
            merchant_serial: config.wechatpay_merchant_serial.clone(),
            platform_key,
            platform_key_id: config.wechatpay_platform_key_id.clone(),
            base_url: config.wechatpay_base_url.trim_end_matches('/').to_owned(),
            notify_url: config.wechatpay_notify_url.clone(),
            http,
        }))
    }

    /// Verifies what WeChat Pay signed (a response or a notification): the serial names our
    /// platform key, the timestamp is within [`MAX_SKEW_SECS`] of `now`, the signature covers
    /// `TIMESTAMP\nNONCE\nBODY\n`.
    pub fn verify_signed(&self, headers: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> Result<(), Refusal> {
        let timestamp = header(headers, "wechatpay-timestamp")?;
        let nonce = header(headers, "wechatpay-nonce")?;
        let signature = header(headers, "wechatpay-signature")?;
        let serial = header(headers, "wechatpay-serial")?;
        if serial != self.platform_key_id {
            return Err(Refusal::UnknownSerial);
        }
        let at = timestamp.parse::<i64>().map_err(|_| Refusal::StaleTimestamp)?;
        if (now.timestamp() - at).abs() > MAX_SKEW_SECS {
            return Err(Refusal::StaleTimestamp);
        }
        let message = crypto::response_message(timestamp, nonce, body);
        crypto::verify(&self.platform_key, &message, signature).map_err(|_| Refusal::BadSignature)
    }

    /// The `Authorization` header of a request.
    fn authorization(
        &self,
        method: &str,
        url_path: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let (timestamp, nonce) = (now.timestamp(), crypto::nonce());
        let message = crypto::request_message(method, url_path, timestamp, &nonce, body);
        let signature = crypto::sign(&self.merchant_key, message.as_bytes()).map_err(ApiError::internal)?;
        Ok(format!(
            "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{}\"",
            self.mchid, self.merchant_serial
        ))
    }

    /// Creates the Native order of a request (`out_trade_no` = its reference) and answers its
    /// `code_url`. WeChat Pay answers the same link for the same order again, so a retry is safe.
    pub async fn native_order(
        &self,
        request: &FundingRequestRow,
        now: DateTime<Utc>,
    ) -> Result<String, ApiError> {
        let body = serde_json::json!({
            "appid": self.appid,
            "mchid": self.mchid,
            "description": format!("共筑资金监管 {}", request.reference),
            "out_trade_no": request.reference,
            "notify_url": self.notify_url,
            "amount": { "total": request.amount_fen, "currency": "CNY" },
        })
        .to_string();
        let url = format!("{}{NATIVE_PATH}", self.base_url);
        let path = reqwest::Url::parse(&url).map_err(ApiError::internal)?.path().to_owned();
        let response = self
            .http
            .post(&url)
            .header("authorization", self.authorization("POST", &path, &body, now)?)
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| provider_unavailable(&format!("WeChat Pay unreachable: {e}")))?;
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response.bytes().await.map_err(|e| provider_unavailable(&e.to_string()))?;
        if !status.is_success() {
            let said = String::from_utf8_lossy(&bytes).chars().take(300).collect::<String>();
            return Err(provider_unavailable(&format!("WeChat Pay refused the order ({status}): {said}")));
        }
        self.verify_signed(&headers, &bytes, crate::db::now().and_utc())
            .map_err(|r| provider_unavailable(&format!("WeChat Pay's answer is not proven: {r}")))?;
        let answer: NativeOrderAnswer = serde_json::from_slice(&bytes)
            .map_err(|_| provider_unavailable("WeChat Pay's answer has no code_url"))?;
        Ok(answer.code_url)
    }
}

/// What the payer of a WeChat Pay request is told: the order's payment link.
pub fn told(request: &FundingRequestRow) -> Instructions {
    Instructions { transfer: None, code_url: request.code_url.clone() }
}

impl PaymentGateway for WechatPay {
    fn instructions(&self, request: &FundingRequestRow) -> Instructions {
        told(request)
    }

    fn open<'a>(
        &'a self,
        request: &'a FundingRequestRow,
    ) -> futures_util::future::BoxFuture<'a, Result<Option<Opened>, ApiError>> {
        Box::pin(async move {
            let code_url = self.native_order(request, crate::db::now().and_utc()).await?;
            Ok(Some(Opened { code_url, provider_state: "NOTPAY".into() }))
        })
    }
}
