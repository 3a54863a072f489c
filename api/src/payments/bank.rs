//! 对公转账: the payer transfers to the platform's escrow receiving account quoting the request's
//! reference; the finance console matches the bank statement (`routes::escrow::finance`).

use futures_util::future::BoxFuture;
use shared::dto::TransferInstructions;

use crate::config::Config;
use crate::db::models::funding::FundingRequestRow;
use crate::error::ApiError;
use crate::payments::{Instructions, Opened, PaymentGateway};

/// The platform's receiving account (`escrow_account_*`; empty until the operator sets it).
pub struct BankTransfer {
    account_name: String,
    bank_name: String,
    account_number: String,
}

impl BankTransfer {
    /// The receiving account of `config`.
    pub fn from_config(config: &Config) -> Self {
        Self {
            account_name: config.escrow_account_name.clone(),
            bank_name: config.escrow_bank_name.clone(),
            account_number: config.escrow_account_number.clone(),
        }
    }
}

impl PaymentGateway for BankTransfer {
    /// The receiving account, the exact amount and the reference; nothing until the account is
    /// configured.
    fn instructions(&self, request: &FundingRequestRow) -> Instructions {
        let transfer = (!self.account_number.is_empty()).then(|| TransferInstructions {
            account_name: self.account_name.clone(),
            bank_name: self.bank_name.clone(),
            account_number: self.account_number.clone(),
            amount_fen: request.amount_fen,
            reference: request.reference.clone(),
        });
        Instructions { transfer, code_url: None }
    }

    /// Nothing to open: the reference is all the bank needs.
    fn open<'a>(
        &'a self,
        _request: &'a FundingRequestRow,
    ) -> BoxFuture<'a, Result<Option<Opened>, ApiError>> {
        Box::pin(async { Ok(None) })
    }
}
