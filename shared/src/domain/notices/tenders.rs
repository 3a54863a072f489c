//! The notifications of tendering: bidding opened, closed, awarded, passed over, lapsed,
//! cancelled.

use super::{Lines, Message, Texts};
use crate::domain::tender::scoring::plain_yuan;
use crate::dto::NotificationKind;

/// Something tendering tells its users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenderNotice {
    /// Bidding opened on a demand the organisation was invited to or recommended for.
    Opened {
        /// The demand's title.
        title: String,
        /// The deadline as shown (Shanghai time).
        closes: String,
    },
    /// Bidding closed (to the poster and to every bidder).
    Closed {
        /// The demand's title.
        title: String,
        /// Valid bids on the scoring sheet.
        valid_bids: usize,
    },
    /// The organisation's bid won (to the winner).
    Awarded {
        /// The demand's title.
        title: String,
        /// The awarded price in fen.
        price_fen: i64,
        /// The last day to sign the contract.
        sign_by: String,
    },
    /// Another bid won (to the other valid bidders), with the bid's own rank.
    NotAwarded {
        /// The demand's title.
        title: String,
        /// The bid's rank on the scoring sheet.
        rank: u32,
        /// How many bids were ranked.
        of: usize,
    },
    /// The award lapsed unsigned (to the poster and the bidder whose award lapsed).
    AwardLapsed {
        /// The demand's title.
        title: String,
    },
    /// The poster cancelled the tender (to every bidder).
    Cancelled {
        /// The demand's title.
        title: String,
    },
}

impl Message for TenderNotice {
    fn kind(&self) -> NotificationKind {
        match self {
            Self::Opened { .. } => NotificationKind::TenderOpened,
            Self::Closed { .. } => NotificationKind::TenderClosed,
            Self::Awarded { .. } => NotificationKind::BidAwarded,
            Self::NotAwarded { .. } => NotificationKind::BidNotAwarded,
            Self::AwardLapsed { .. } => NotificationKind::AwardLapsed,
            Self::Cancelled { .. } => NotificationKind::TenderCancelled,
        }
    }

    fn texts(&self) -> Texts {
        match self {
            Self::Opened { title, closes } => Texts {
                zh: Lines::new(
                    format!("需求「{title}」已开始招标"),
                    format!("投标截止时间：{closes}（北京时间）"),
                ),
                en: Lines::new(
                    format!("Bidding opened on the demand “{title}”"),
                    format!("Bids close at {closes} (Beijing time)"),
                ),
            },
            Self::Closed { title, valid_bids } => Texts {
                zh: Lines::new(
                    format!("「{title}」投标已截止"),
                    format!("有效投标 {valid_bids} 份，进入评标"),
                ),
                en: Lines::new(
                    format!("Bidding on “{title}” has closed"),
                    format!("{valid_bids} valid bids go to evaluation"),
                ),
            },
            Self::Awarded { title, price_fen, sign_by } => Texts {
                zh: Lines::new(
                    format!("恭喜！你的企业中标「{title}」"),
                    format!("中标价 ¥{}，请于 {sign_by} 前签署合同", plain_yuan(*price_fen)),
                ),
                en: Lines::new(
                    format!("Your organisation won the tender “{title}”"),
                    format!("Awarded at ¥{}; sign the contract by {sign_by}", plain_yuan(*price_fen)),
                ),
            },
            Self::NotAwarded { title, rank, of } => Texts {
                zh: Lines::new(
                    format!("「{title}」已定标，你的企业未中标"),
                    format!("你的投标排名第 {rank} / {of}"),
                ),
                en: Lines::new(
                    format!("The tender “{title}” was awarded to another bid"),
                    format!("Your bid ranked {rank} of {of}"),
                ),
            },
            Self::AwardLapsed { title } => Texts {
                zh: Lines::new(
                    format!("「{title}」的中标已失效"),
                    "合同未在 10 个工作日内签署，招标方可另行定标",
                ),
                en: Lines::new(
                    format!("The award of “{title}” lapsed"),
                    "The contract was not signed within 10 business days; the poster may award another bid",
                ),
            },
            Self::Cancelled { title } => Texts {
                zh: Lines::new(format!("「{title}」的招标已取消"), "招标方取消了本次招标"),
                en: Lines::new(
                    format!("The tender “{title}” was cancelled"),
                    "The poster cancelled the tender",
                ),
            },
        }
    }
}
