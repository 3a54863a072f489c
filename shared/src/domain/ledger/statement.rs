//! Bank statements (对公账户交易明细) and their reconciliation with funding requests.
//!
//! A finance officer imports the CSV export of the platform's receiving account as Chinese banks
//! give it (the API decodes GBK or UTF-8 first). [`parse`] accepts:
//! - preamble lines before the header (账号, 户名, 查询期间 …) and summary lines after it
//!   (合计, 总计, 小计, 本页 …) — skipped;
//! - the header row is the first row naming a date, a serial number and a credit column; the
//!   accepted names of each column are [`DATE_NAMES`], [`SERIAL_NAMES`], [`NAME_NAMES`],
//!   [`ACCOUNT_NAMES`], [`CREDIT_NAMES`], [`MEMO_NAMES`] (every memo-like column is read);
//! - dates `2026-12-07`, `2026/12/07`, `2026.12.07`, `20261207`, `2026年12月7日`, optionally
//!   followed by a time; amounts `1234.5`, `1,234.56`, `¥1,234.56`, `￥1234.56`, `="1234.56"`;
//! - rows without a credit amount (outflows, 借方) are counted and skipped.
//!
//! Any other problem refuses the whole statement with the row and column named, so a bad file
//! changes nothing. [`reconcile`] then decides each credit line: matched to a pending request by
//! its reference code *and* exact amount, or left in the finance officer's queue saying why.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::dto::FieldIssue;
use crate::validate::{Invalid, MAX_AMOUNT_FEN};

/// Header names of the transaction date column.
pub const DATE_NAMES: &[&str] = &["交易日期", "交易时间", "记账日期", "入账日期", "日期"];
/// Header names of the bank's serial number column.
pub const SERIAL_NAMES: &[&str] = &["流水号", "交易流水号", "银行流水号", "交易流水", "凭证号", "交易序号"];
/// Header names of the counterparty's name column.
pub const NAME_NAMES: &[&str] =
    &["对方户名", "对方账户名称", "对方单位名称", "对方名称", "付款人名称", "收(付)方名称"];
/// Header names of the counterparty's account column.
pub const ACCOUNT_NAMES: &[&str] = &["对方账号", "对方账户", "付款人账号", "收(付)方账号"];
/// Header names of the credit (money in) column.
pub const CREDIT_NAMES: &[&str] = &["贷方金额", "贷方发生额", "收入金额", "收入", "贷方"];
/// Header names of memo columns (all of them are read).
pub const MEMO_NAMES: &[&str] = &["摘要", "用途", "附言", "备注", "交易附言"];
/// Most lines in one statement.
pub const MAX_LINES: usize = 5_000;
/// Longest text cell kept.
const MAX_CELL_CHARS: usize = 200;

/// A credit line of a statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// 1-based row in the file.
    pub row: usize,
    /// 交易日期.
    pub trade_date: NaiveDate,
    /// 流水号 (unique per bank account: importing a line twice is recognised by it).
    pub serial: String,
    /// 对方户名.
    pub counterparty_name: String,
    /// 对方账号.
    pub counterparty_account: String,
    /// 贷方金额, fen.
    pub amount_fen: i64,
    /// The memo columns, joined.
    pub memo: String,
    /// The reference code found in the memo.
    pub reference: Option<String>,
}

/// A parsed statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Credit lines, in file order.
    pub lines: Vec<StatementLine>,
    /// Rows without a credit amount (outflows), skipped.
    pub skipped_outflows: usize,
}

fn issue(field: String, code: &str) -> Invalid {
    Invalid(vec![FieldIssue::new(&field, code)])
}

/// Splits CSV text into rows of cells (RFC 4180 quotes; `,` or tab separated; a leading BOM
/// dropped).
#[must_use]
pub fn rows(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in split_records(text) {
        let sep = if line.contains('\t') && !line.contains(',') { '\t' } else { ',' };
        out.push(split_cells(&line, sep));
    }
    out
}

fn split_records(text: &str) -> Vec<String> {
    let mut records = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            '\n' if !quoted => records.push(std::mem::take(&mut current)),
            '\r' if !quoted => {}
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        records.push(current);
    }
    records
}

fn split_cells(line: &str, sep: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    cell.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == sep {
            cells.push(std::mem::take(&mut cell));
        } else {
            cell.push(c);
        }
    }
    cells.push(cell);
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// Which column holds what.
struct Columns {
    date: usize,
    serial: usize,
    name: Option<usize>,
    account: Option<usize>,
    credit: usize,
    memos: Vec<usize>,
}

fn normalise_header(cell: &str) -> String {
    cell.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect::<String>()
        .split(['(', '（'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    // Exact names first (a `收(付)方名称` must not be read as `收入`), then a cell that starts
    // with a name (`贷方金额(元)`).
    let normal: Vec<String> =
        header.iter().map(|c| c.chars().filter(|c| !c.is_whitespace()).collect()).collect();
    names.iter().find_map(|name| normal.iter().position(|cell| cell == name)).or_else(|| {
        names.iter().find_map(|name| header.iter().position(|cell| normalise_header(cell) == *name))
    })
}

fn columns(header: &[String]) -> Option<Columns> {
    let memos = header
        .iter()
        .enumerate()
        .filter(|(_, cell)| MEMO_NAMES.contains(&normalise_header(cell).as_str()))
        .map(|(i, _)| i)
        .collect();
    Some(Columns {
        date: find(header, DATE_NAMES)?,
        serial: find(header, SERIAL_NAMES)?,
        name: find(header, NAME_NAMES),
        account: find(header, ACCOUNT_NAMES),
        credit: find(header, CREDIT_NAMES)?,
        memos,
    })
}

/// Parses an amount in yuan with up to two decimals into fen; blank, `-` and zero are `None`.
///
/// # Errors
/// `invalid_amount` for anything else that is not a non-negative amount up to ¥100 billion.
pub fn parse_amount(cell: &str) -> Result<Option<i64>, &'static str> {
    let cleaned: String = cell
        .trim()
        .trim_start_matches('=')
        .trim_matches('"')
        .chars()
        .filter(|c| !matches!(c, ',' | '¥' | '￥' | ' ' | '元'))
        .collect();
    if cleaned.is_empty() || cleaned == "-" || cleaned == "--" {
        return Ok(None);
    }
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err("invalid_amount");
    }
    let yuan: i64 = whole.parse().map_err(|_| "invalid_amount")?;
    let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| "invalid_amount")?;
    let fen = yuan.checked_mul(100).and_then(|f| f.checked_add(cents)).ok_or("invalid_amount")?;
    if fen > MAX_AMOUNT_FEN {
        return Err("invalid_amount");
    }
    Ok((fen > 0).then_some(fen))
}

/// Parses a statement date (see the module doc).
#[must_use]
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    let date = cell.trim().trim_start_matches('=').trim_matches('"');
    let date = date.split([' ', 'T']).next().unwrap_or_default();
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"] {
        if let Ok(d) = NaiveDate::parse_from_str(date, format) {
            return Some(d);
        }
    }
    None
}

fn is_summary(row: &[String]) -> bool {
    let first = row.iter().find(|c| !c.is_empty()).map_or("", String::as_str);
    ["合计", "总计", "小计", "本页", "累计", "共计"].iter().any(|w| first.starts_with(w))
}

fn text_cell(row: &[String], index: Option<usize>) -> String {
    index
        .and_then(|i| row.get(i))
        .map(|c| c.trim_start_matches('=').trim_matches('"').chars().take(MAX_CELL_CHARS).collect())
        .unwrap_or_default()
}

/// Parses the text of a statement export (see the module doc).
///
/// # Errors
/// Every problem as a field issue: `file` `no_header_row` or `no_lines` or `too_many`;
/// `row[N].date` `invalid_date`; `row[N].serial` `required` or `duplicate`; `row[N].amount`
/// `invalid_amount`.
pub fn parse(text: &str) -> Result<Statement, Invalid> {
    let rows = rows(text);
    let Some((header_at, cols)) = rows.iter().enumerate().find_map(|(i, row)| columns(row).map(|c| (i, c)))
    else {
        return Err(issue("file".into(), "no_header_row"));
    };
    let mut lines = Vec::new();
    let mut skipped_outflows = 0;
    let mut issues = Vec::new();
    let mut serials: BTreeMap<String, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate().skip(header_at + 1) {
        let number = i + 1;
        if row.iter().all(String::is_empty) || is_summary(row) {
            continue;
        }
        let amount = match parse_amount(row.get(cols.credit).map_or("", String::as_str)) {
            Ok(Some(fen)) => fen,
            Ok(None) => {
                skipped_outflows += 1;
                continue;
            }
            Err(code) => {
                issues.push(FieldIssue::new(format!("row[{number}].amount"), code));
                continue;
            }
        };
        let Some(trade_date) = row.get(cols.date).and_then(|c| parse_date(c)) else {
            issues.push(FieldIssue::new(format!("row[{number}].date"), "invalid_date"));
            continue;
        };
        let serial = text_cell(row, Some(cols.serial));
        if serial.is_empty() {
            issues.push(FieldIssue::new(format!("row[{number}].serial"), "required"));
            continue;
        }
        if serials.insert(serial.clone(), number).is_some() {
            issues.push(FieldIssue::new(format!("row[{number}].serial"), "duplicate"));
            continue;
        }
        let memo = cols
            .memos
            .iter()
            .map(|m| text_cell(row, Some(*m)))
            .filter(|m| !m.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        lines.push(StatementLine {
            row: number,
            trade_date,
            serial,
            counterparty_name: text_cell(row, cols.name),
            counterparty_account: text_cell(row, cols.account),
            amount_fen: amount,
            reference: super::reference::find_in(&memo),
            memo,
        });
    }
    if !issues.is_empty() {
        return Err(Invalid(issues));
    }
    if lines.len() > MAX_LINES {
        return Err(issue("file".into(), "too_many"));
    }
    if lines.is_empty() && skipped_outflows == 0 {
        return Err(issue("file".into(), "no_lines"));
    }
    Ok(Statement { lines, skipped_outflows })
}

crate::stored_enum! {
    /// Where a statement line stands.
    pub enum LineState in "bank_statement_lines.status" {
        /// Credited to the funding request it names.
        Matched = "matched",
        /// No reference code in the memo: waits for the finance officer.
        Unmatched = "unmatched",
        /// A reference code, but the amount or the request does not fit: waits.
        Mismatched = "mismatched",
        /// The finance officer matched it by hand.
        Resolved = "resolved",
        /// The finance officer sent the money back outside the platform.
        Returned = "returned",
    }
}

crate::stored_enum! {
    /// Why a line waits in the queue.
    pub enum QueueReason in "bank_statement_lines.reason" {
        /// No reference code in the memo.
        NoReference = "no_reference",
        /// No funding request has this reference.
        UnknownReference = "unknown_reference",
        /// The amount differs from the request's.
        AmountDiffers = "amount_differs",
        /// The request is paid or cancelled already.
        RequestNotPending = "request_not_pending",
    }
}

/// A funding request as reconciliation sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingRequest {
    /// Its id.
    pub id: String,
    /// The amount expected, fen.
    pub amount_fen: i64,
    /// Whether it still waits for money.
    pub pending: bool,
}

/// What happens to one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Credit the request.
    Match {
        /// The request.
        request_id: String,
    },
    /// Queue for the finance officer.
    Queue(QueueReason),
}

/// Decides every line, in order: a line matches when its reference names a pending request of
/// exactly its amount; a request matched by one line is no longer pending for the next.
/// `requests` is keyed by reference code.
#[must_use]
pub fn reconcile(lines: &[StatementLine], requests: &BTreeMap<String, PendingRequest>) -> Vec<Decision> {
    let mut paid: Vec<&str> = Vec::new();
    lines
        .iter()
        .map(|line| {
            let Some(reference) = &line.reference else { return Decision::Queue(QueueReason::NoReference) };
            let Some(request) = requests.get(reference) else {
                return Decision::Queue(QueueReason::UnknownReference);
            };
            if !request.pending || paid.contains(&request.id.as_str()) {
                return Decision::Queue(QueueReason::RequestNotPending);
            }
            if request.amount_fen != line.amount_fen {
                return Decision::Queue(QueueReason::AmountDiffers);
            }
            paid.push(&request.id);
            Decision::Match { request_id: request.id.clone() }
        })
        .collect()
}
