//! How money comes into escrow: the funding channels behind one [`PaymentGateway`] trait.
//! [`bank::BankTransfer`] (对公转账: the platform's receiving account and the request's reference;
//! the finance console matches the bank statement, `routes::escrow::finance`) and
//! [`wechat::WechatPay`] (WeChat Pay API v3: a Native order whose `code_url` the payer scans; its
//! signed notification credits escrow, [`wechat::notify`]). Both credit through
//! `routes::escrow::service::credit`, the one way a payment reaches the ledger.

pub mod bank;
pub mod wechat;

use futures_util::future::BoxFuture;
use shared::dto::{FundingChannel, FundingStatus, TransferInstructions};
use shared::error::ErrorCode;

use crate::config::Config;
use crate::db::models::funding::FundingRequestRow;
use crate::error::ApiError;
use crate::state::AppState;

/// What the payer of a pending request is told to do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instructions {
    /// Where to send a bank transfer.
    pub transfer: Option<TransferInstructions>,
    /// The provider's payment link (WeChat Pay Native: `weixin://wxpay/bizpayurl?pr=…`).
    pub code_url: Option<String>,
}

/// What a provider answered when a request was opened with it, kept on the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The payment link.
    pub code_url: String,
    /// The provider's order state.
    pub provider_state: String,
}

/// A way to take money for a funding request.
pub trait PaymentGateway: Send + Sync {
    /// What the payer of a pending request is told to do.
    fn instructions(&self, request: &FundingRequestRow) -> Instructions;

    /// Opens a stored request with the provider, if the channel has one (WeChat Pay: creates
    /// the Native order); `None` when there is nothing to open (a bank transfer).
    fn open<'a>(&'a self, request: &'a FundingRequestRow) -> BoxFuture<'a, Result<Option<Opened>, ApiError>>;
}

/// The configured channels.
pub struct Payments {
    /// Always available (instructions appear once `escrow_account_*` are set).
    pub bank: bank::BankTransfer,
    /// Present when `wechatpay_mchid` is set.
    pub wechat: Option<std::sync::Arc<wechat::WechatPay>>,
}

/// 409 `conflict` with `channel: not_configured`.
fn not_configured(channel: FundingChannel) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!("the {} channel is not configured on this platform", channel.as_str()),
    )
    .with_detail("channel", "not_configured")
}

/// 409 `conflict` with `channel: provider_unavailable`: the provider did not open the request
/// (unreachable, refused, or its answer was not proven). The request stays pending; a retry with
/// the same `Idempotency-Key` opens it again.
pub fn provider_unavailable(cause: &str) -> ApiError {
    tracing::warn!(cause, "payment provider unavailable");
    ApiError::new(
        ErrorCode::Conflict,
        "the payment provider did not open the order; retry with the same Idempotency-Key",
    )
    .with_detail("channel", "provider_unavailable")
}

impl Payments {
    /// The channels of `config` (an error names a WeChat Pay key that cannot be read).
    pub fn from_config(config: &Config) -> Result<Self, String> {
        Ok(Self {
            bank: bank::BankTransfer::from_config(config),
            wechat: wechat::WechatPay::from_config(config)?.map(std::sync::Arc::new),
        })
    }

    /// The gateway of a channel; 409 `channel: not_configured` when it is not set up.
    pub fn gateway(&self, channel: FundingChannel) -> Result<&dyn PaymentGateway, ApiError> {
        match channel {
            FundingChannel::BankTransfer => Ok(&self.bank),
            FundingChannel::WechatPay => match &self.wechat {
                Some(wechat) => Ok(wechat.as_ref()),
                None => Err(not_configured(channel)),
            },
        }
    }
}

/// What the payer of `request` is told, by its channel (read from the stored request and the
/// configuration, so views need no gateway).
pub fn instructions(config: &Config, request: &FundingRequestRow) -> Instructions {
    match request.channel {
        FundingChannel::BankTransfer => bank::BankTransfer::from_config(config).instructions(request),
        FundingChannel::WechatPay => wechat::told(request),
    }
}

/// Opens a freshly created (or replayed) pending request with its provider, once, and stores
/// what the provider answered; answers the request as it now stands.
pub async fn open(state: &AppState, mut request: FundingRequestRow) -> Result<FundingRequestRow, ApiError> {
    if request.status != FundingStatus::Pending || request.code_url.is_some() {
        return Ok(request);
    }
    let payments = state.payments.clone();
    let Some(opened) = payments.gateway(request.channel)?.open(&request).await? else {
        return Ok(request);
    };
    let (id, stored) = (request.id.clone(), opened.clone());
    state
        .db
        .run(move |c| {
            FundingRequestRow::opened(c, &id, &stored.code_url, &stored.provider_state)
                .map_err(ApiError::from)
        })
        .await?;
    request.code_url = Some(opened.code_url);
    request.provider_state = Some(opened.provider_state);
    Ok(request)
}
