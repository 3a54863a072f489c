//! A WeChat Pay API v3 simulator for the tests: a small HTTP server on 127.0.0.1:0 with keys of
//! its own (`tests/fixtures/wechatpay/`, test-only). `POST /v3/pay/transactions/native` checks
//! the merchant's `Authorization` signature with the merchant public key and answers a
//! `code_url`, signed with the platform key like WeChat Pay. [`Simulator::pay`] plays the payer:
//! it delivers the signed, AES-256-GCM-encrypted `TRANSACTION.SUCCESS` notification to the
//! order's `notify_url`, retrying while the answer is not 2xx, optionally twice and followed by
//! an older `NOTPAY` event. Its crypto is written independently of the server's (jsonwebtoken's
//! RS256 for signatures, aes-gcm for the resource), so a shared mistake cannot hide.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::web::Data;
use poem::{EndpointExt, Request, Response, Route, handler};
use serde_json::{Value, json};

/// The merchant id, app id and API v3 key the simulator and the server share.
pub const MCHID: &str = "1900000109";
pub const APPID: &str = "wxd678efh567hg6787";
pub const API_V3_KEY: &str = "gongzhuTestApiV3Key0123456789abc";
/// The merchant certificate serial and the platform public key id.
pub const MERCHANT_SERIAL: &str = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
pub const PLATFORM_KEY_ID: &str = "PUB_KEY_ID_0119000001092026120700000000000001";

/// Configures a server for the simulator at `base` (notifications go to `notify_url`'s path on
/// the base given to [`Simulator::route_notifications_to`]).
pub fn configure_for(base: &str, config: &mut api::config::Config) {
    config.wechatpay_mchid = MCHID.into();
    config.wechatpay_appid = APPID.into();
    config.wechatpay_api_v3_key = API_V3_KEY.into();
    config.wechatpay_merchant_key_path = fixture("merchant_key.pem").into();
    config.wechatpay_merchant_serial = MERCHANT_SERIAL.into();
    config.wechatpay_platform_key_path = fixture("platform_public.pem").into();
    config.wechatpay_platform_key_id = PLATFORM_KEY_ID.into();
    config.wechatpay_base_url = base.to_owned();
    config.wechatpay_notify_url = "https://gongzhu.example/api/v1/payments/wechat/notify".into();
}

/// A test fixture's path.
pub fn fixture(name: &str) -> String {
    format!("{}/fixtures/wechatpay/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture")
}

/// An order the simulator holds.
#[derive(Debug, Clone)]
pub struct Order {
    /// The order as the merchant sent it.
    pub body: Value,
    /// WeChat Pay's transaction id.
    pub transaction_id: String,
}

struct SimState {
    platform_key: EncodingKey,
    merchant_public: DecodingKey,
    orders: Mutex<HashMap<String, Order>>,
    refused_orders: Mutex<u32>,
    notify_base: Mutex<String>,
    clock_offset_secs: Mutex<i64>,
    http: reqwest::Client,
}

/// How [`Simulator::pay`] delivers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivery {
    /// Send the same notification (same id, fresh signature) once more after it was accepted.
    pub duplicate: bool,
    /// After the success, deliver an older `NOTPAY` event of the same order.
    pub older_after: bool,
    /// Pay this amount instead of the order's (a provider-side mismatch).
    pub total: Option<i64>,
}

/// The running simulator.
pub struct Simulator {
    /// `http://127.0.0.1:<port>`: the server's `wechatpay_base_url`.
    pub base: String,
    state: Arc<SimState>,
    _server: tokio::task::JoinHandle<()>,
}

fn nonce(len: usize) -> String {
    uuid::Uuid::now_v7().simple().to_string().chars().rev().take(len).collect()
}

/// The `Authorization` header's fields.
fn authorization_fields(value: &str) -> Option<HashMap<String, String>> {
    let fields = value.strip_prefix("WECHATPAY2-SHA256-RSA2048 ")?;
    Some(
        fields
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
            .collect(),
    )
}

impl SimState {
    fn now(&self) -> i64 {
        chrono::Utc::now().timestamp() + *self.clock_offset_secs.lock().expect("lock")
    }

    fn sign(&self, message: &[u8]) -> String {
        let url_safe =
            jsonwebtoken::crypto::sign(message, &self.platform_key, Algorithm::RS256).expect("sign");
        STANDARD.encode(URL_SAFE_NO_PAD.decode(url_safe).expect("base64url"))
    }

    /// Checks the merchant's signature of a request.
    fn merchant_signed(&self, req: &Request, body: &str) -> bool {
        let Some(fields) = req.header("authorization").and_then(authorization_fields) else { return false };
        let field = |k: &str| fields.get(k).cloned().unwrap_or_default();
        if field("mchid") != MCHID || field("serial_no") != MERCHANT_SERIAL {
            return false;
        }
        let message = format!(
            "{}\n{}\n{}\n{}\n{body}\n",
            req.method(),
            req.uri().path(),
            field("timestamp"),
            field("nonce_str")
        );
        let Ok(signature) = STANDARD.decode(field("signature")) else { return false };
        jsonwebtoken::crypto::verify(
            &URL_SAFE_NO_PAD.encode(signature),
            message.as_bytes(),
            &self.merchant_public,
            Algorithm::RS256,
        )
        .unwrap_or(false)
    }

    /// The headers WeChat Pay signs a body with, at `timestamp`.
    fn signed_headers(&self, body: &str, timestamp: i64) -> Vec<(&'static str, String)> {
        let nonce = nonce(32);
        let signature = self.sign(format!("{timestamp}\n{nonce}\n{body}\n").as_bytes());
        vec![
            ("wechatpay-timestamp", timestamp.to_string()),
            ("wechatpay-nonce", nonce),
            ("wechatpay-signature", signature),
            ("wechatpay-serial", PLATFORM_KEY_ID.to_owned()),
            ("wechatpay-signature-type", "WECHATPAY2-SHA256-RSA2048".to_owned()),
        ]
    }
}

#[handler]
async fn native_order(state: Data<&Arc<SimState>>, req: &Request, body: String) -> Response {
    if !state.merchant_signed(req, &body) {
        *state.refused_orders.lock().expect("lock") += 1;
        return Response::builder()
            .status(poem::http::StatusCode::UNAUTHORIZED)
            .content_type("application/json")
            .body(json!({"code": "SIGN_ERROR", "message": "签名错误"}).to_string());
    }
    let order: Value = serde_json::from_str(&body).expect("order JSON");
    let out_trade_no = order["out_trade_no"].as_str().expect("out_trade_no").to_owned();
    let transaction_id = format!("4200{}", &nonce(24));
    state
        .orders
        .lock()
        .expect("lock")
        .entry(out_trade_no.clone())
        .or_insert(Order { body: order, transaction_id });
    let answer = json!({ "code_url": format!("weixin://wxpay/bizpayurl?pr={out_trade_no}") }).to_string();
    let mut response = Response::builder().content_type("application/json");
    for (name, value) in state.signed_headers(&answer, state.now()) {
        response = response.header(name, value);
    }
    response.body(answer)
}

impl Simulator {
    /// Starts the simulator on a free port.
    pub async fn start() -> Self {
        let state = Arc::new(SimState {
            platform_key: EncodingKey::from_rsa_der(&read("platform_key.pkcs1.der")),
            merchant_public: DecodingKey::from_rsa_der(&read("merchant_public.pkcs1.der")),
            orders: Mutex::default(),
            refused_orders: Mutex::default(),
            notify_base: Mutex::default(),
            clock_offset_secs: Mutex::default(),
            http: reqwest::Client::new(),
        });
        let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await.expect("bind");
        let addr = acceptor.local_addr()[0].as_socket_addr().copied().expect("address");
        let app =
            Route::new().at("/v3/pay/transactions/native", poem::post(native_order)).data(state.clone());
        let server = tokio::spawn(async move {
            let _ = poem::Server::new_with_acceptor(acceptor).run(app).await;
        });
        Self { base: format!("http://{addr}"), state, _server: server }
    }

    /// Where notifications are delivered (the test's "DNS": the server's port is known only
    /// once it runs; the path is the order's `notify_url`'s).
    pub fn route_notifications_to(&self, base: &str) {
        *self.state.notify_base.lock().expect("lock") = base.to_owned();
    }

    /// Sets the simulator's clock to the server's (WeChat Pay's clock and ours agree; the test
    /// clock moves ours).
    pub fn set_now(&self, now: chrono::DateTime<chrono::Utc>) {
        *self.state.clock_offset_secs.lock().expect("lock") = (now - chrono::Utc::now()).num_seconds();
    }

    /// The simulator's time, Unix seconds.
    pub fn now(&self) -> i64 {
        self.state.now()
    }

    /// The order of a reference.
    pub fn order(&self, out_trade_no: &str) -> Option<Order> {
        self.state.orders.lock().expect("lock").get(out_trade_no).cloned()
    }

    /// Orders refused for a bad merchant signature.
    pub fn refused_orders(&self) -> u32 {
        *self.state.refused_orders.lock().expect("lock")
    }

    /// A notification body of an order in `trade_state` (fresh notification id), encrypted with
    /// the API v3 key.
    pub fn notification(&self, out_trade_no: &str, trade_state: &str, total: Option<i64>) -> String {
        let order = self.order(out_trade_no).expect("an order of this reference");
        let total = total.unwrap_or_else(|| order.body["amount"]["total"].as_i64().expect("total"));
        let transaction = json!({
            "mchid": order.body["mchid"], "appid": order.body["appid"], "out_trade_no": out_trade_no,
            "transaction_id": order.transaction_id, "trade_type": "NATIVE", "trade_state": trade_state,
            "trade_state_desc": if trade_state == "SUCCESS" { "支付成功" } else { "未支付" },
            "bank_type": "OTHERS", "attach": "", "success_time": "2026-12-07T10:34:56+08:00",
            "payer": { "openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
            "amount": { "total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY" },
        })
        .to_string();
        let nonce = nonce(12);
        let cipher = Aes256Gcm::new_from_slice(API_V3_KEY.as_bytes()).expect("key");
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(nonce.as_bytes()),
                Payload { msg: transaction.as_bytes(), aad: b"transaction" },
            )
            .expect("encrypt");
        json!({
            "id": uuid::Uuid::now_v7().to_string(),
            "create_time": "2026-12-07T10:34:57+08:00",
            "resource_type": "encrypt-resource",
            "event_type": if trade_state == "SUCCESS" { "TRANSACTION.SUCCESS" } else { "TRANSACTION.NOTPAY" },
            "summary": "支付成功",
            "resource": {
                "original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": STANDARD.encode(sealed), "associated_data": "transaction", "nonce": nonce,
            },
        })
        .to_string()
    }

    /// The headers the simulator signs `body` with, at `timestamp` (seconds).
    pub fn headers(&self, body: &str, timestamp: Option<i64>) -> Vec<(&'static str, String)> {
        self.state.signed_headers(body, timestamp.unwrap_or_else(|| self.state.now()))
    }

    /// Posts a notification to the order's notify URL with these headers; answers the status.
    pub async fn deliver(&self, out_trade_no: &str, body: &str, headers: &[(&'static str, String)]) -> u16 {
        let order = self.order(out_trade_no).expect("order");
        let notify_url = order.body["notify_url"].as_str().expect("notify_url").to_owned();
        let path = notify_url.splitn(4, '/').nth(3).unwrap_or_default();
        let url = format!("{}/{path}", self.state.notify_base.lock().expect("lock"));
        let mut request =
            self.state.http.post(url).header("content-type", "application/json").body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request.send().await.expect("deliver").status().as_u16()
    }

    /// Delivers a body signed now, again (freshly signed, as WeChat Pay does) while the answer
    /// is not 2xx, at most `attempts` times; answers every status seen.
    pub async fn deliver_with_retries(&self, out_trade_no: &str, body: &str, attempts: usize) -> Vec<u16> {
        let mut seen = Vec::new();
        for _ in 0..attempts {
            let status = self.deliver(out_trade_no, body, &self.headers(body, None)).await;
            seen.push(status);
            if (200..300).contains(&status) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        seen
    }

    /// The payer pays the order: the success notification, with retries, and what `delivery`
    /// adds; answers every status seen, in order.
    pub async fn pay(&self, out_trade_no: &str, delivery: Delivery) -> Vec<u16> {
        let older = self.notification(out_trade_no, "NOTPAY", None);
        let body = self.notification(out_trade_no, "SUCCESS", delivery.total);
        let mut seen = self.deliver_with_retries(out_trade_no, &body, 3).await;
        if delivery.duplicate {
            seen.extend(self.deliver_with_retries(out_trade_no, &body, 3).await);
        }
        if delivery.older_after {
            seen.extend(self.deliver_with_retries(out_trade_no, &older, 3).await);
        }
        seen
    }
}
