//! Page layout: turns a [`Document`] into A4 pages of positioned drawing operations — line
//! wrapping (CJK per character with the usual punctuation rules, Latin at spaces, over-long
//! tokens anywhere), page breaks, tables, the running header and the "第 N 页 / 共 M 页" footer.
//! Coordinates are PDF points with the origin at the bottom-left of the page.

use super::font::PdfFont;
use super::{Block, Document};

/// A4 width in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 56.69;
const MARGIN_TOP: f32 = 62.0;
const MARGIN_BOTTOM: f32 = 56.69;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

const TITLE_SIZE: f32 = 18.0;
const SUBTITLE_SIZE: f32 = 11.0;
const HEADING_SIZE: f32 = 13.0;
const BODY_SIZE: f32 = 10.5;
const TABLE_SIZE: f32 = 9.5;
const SMALL_SIZE: f32 = 8.0;
const BODY_LEADING: f32 = 1.6;
const TIGHT_LEADING: f32 = 1.4;
const CELL_PADDING: f32 = 4.0;
const SPACER: f32 = 12.0;
const PAGE_NUMBER_BASELINE: f32 = 30.0;

const BLACK: f32 = 0.0;
const MUTED: f32 = 0.35;
const FAINT: f32 = 0.45;
const RULE: f32 = 0.6;
const HEADER_FILL: f32 = 0.92;

/// One drawing operation on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// A single line of text; `y` is the baseline.
    Text { x: f32, y: f32, size: f32, gray: f32, text: String },
    /// A straight stroked line.
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, gray: f32 },
    /// A rectangle, optionally filled and / or stroked (gray levels).
    Rect { x: f32, y: f32, w: f32, h: f32, fill: Option<f32>, stroke: Option<f32> },
}

/// The operations of one page, in painting order.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Page {
    pub(crate) ops: Vec<Op>,
}

/// Lays the document out into pages, footers and running headers included.
pub(crate) fn layout(doc: &Document, font: &PdfFont) -> Vec<Page> {
    let footer_lines = doc
        .footer
        .as_deref()
        .map(|f| wrap(f, CONTENT_WIDTH, |c| font.char_width(c, SMALL_SIZE)))
        .unwrap_or_default();
    let footer_top = PAGE_NUMBER_BASELINE + line_height(SMALL_SIZE) * footer_lines.len() as f32;
    let bottom = MARGIN_BOTTOM.max(footer_top + 16.0);

    let mut l = Layouter { font, pages: Vec::new(), page: Page::default(), y: 0.0, bottom, fresh: true };
    l.y = PAGE_HEIGHT - MARGIN_TOP;
    l.title(&doc.title, doc.subtitle.as_deref());
    for block in &doc.blocks {
        match block {
            Block::Heading(text) => l.heading(text),
            Block::Paragraph(text) => l.paragraph(text),
            Block::Fields(fields) => l.fields(fields),
            Block::Table { headers, rows } => l.table(headers, rows),
            Block::Spacer => l.space(SPACER),
        }
    }
    let mut pages = l.finish();

    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        if i > 0 {
            running_header(page, font, &doc.title);
        }
        footer(page, font, &footer_lines, bottom, i + 1, total);
    }
    pages
}

fn line_height(size: f32) -> f32 {
    size * TIGHT_LEADING
}

struct Layouter<'a> {
    font: &'a PdfFont,
    pages: Vec<Page>,
    page: Page,
    /// The top of the free space on the current page.
    y: f32,
    bottom: f32,
    /// Nothing has been placed on the current page yet.
    fresh: bool,
}

impl Layouter<'_> {
    fn finish(mut self) -> Vec<Page> {
        self.pages.push(self.page);
        self.pages
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.page));
        self.y = PAGE_HEIGHT - MARGIN_TOP;
        self.fresh = true;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty,
    /// where nothing more would fit anyway).
    fn ensure(&mut self, height: f32) {
        if self.y - height < self.bottom && !self.fresh {
            self.new_page();
        }
    }

    fn space(&mut self, height: f32) {
        if !self.fresh {
            self.y -= height;
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        self.font.text_width(text, size)
    }

    fn wrap(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        wrap(text, width, |c| self.font.char_width(c, size))
    }

    /// The baseline of a line of text of `size` points set in a line box of `height` whose
    /// top is `top`: the em box is centred in the line box.
    fn baseline(&self, top: f32, height: f32, size: f32) -> f32 {
        let data = self.font.data();
        let ascent = data.ascender / (data.ascender - data.descender).max(1.0);
        top - (height - size) / 2.0 - size * ascent
    }

    fn text(&mut self, x: f32, top: f32, height: f32, size: f32, gray: f32, text: String) {
        if text.is_empty() {
            return;
        }
        let y = self.baseline(top, height, size);
        self.page.ops.push(Op::Text { x, y, size, gray, text });
        self.fresh = false;
    }

    /// Places lines one under the other, breaking pages between lines as needed.
    fn lines(&mut self, lines: Vec<String>, size: f32, leading: f32, gray: f32, centred: bool) {
        let height = size * leading;
        for line in lines {
            self.ensure(height);
            let x = if centred { (PAGE_WIDTH - self.width(&line, size)) / 2.0 } else { MARGIN_X };
            let top = self.y;
            self.text(x, top, height, size, gray, line);
            self.y -= height;
            self.fresh = false;
        }
    }

    fn title(&mut self, title: &str, subtitle: Option<&str>) {
        let lines = self.wrap(title, CONTENT_WIDTH, TITLE_SIZE);
        self.lines(lines, TITLE_SIZE, TIGHT_LEADING, BLACK, true);
        if let Some(subtitle) = subtitle {
            self.y -= 2.0;
            let lines = self.wrap(subtitle, CONTENT_WIDTH, SUBTITLE_SIZE);
            self.lines(lines, SUBTITLE_SIZE, TIGHT_LEADING, MUTED, true);
        }
        self.y -= 6.0;
        let y = self.y;
        self.page.ops.push(Op::Line {
            x1: MARGIN_X,
            y1: y,
            x2: PAGE_WIDTH - MARGIN_X,
            y2: y,
            width: 0.8,
            gray: BLACK,
        });
        self.fresh = false;
        self.y -= 10.0;
    }

    fn heading(&mut self, text: &str) {
        self.space(8.0);
        let lines = self.wrap(text, CONTENT_WIDTH, HEADING_SIZE);
        // Keep the heading with the first lines of what follows it.
        let needed = lines.len() as f32 * HEADING_SIZE * TIGHT_LEADING + 2.0 * BODY_SIZE * BODY_LEADING;
        self.ensure(needed);
        self.lines(lines, HEADING_SIZE, TIGHT_LEADING, BLACK, false);
        self.y -= 3.0;
    }

    fn paragraph(&mut self, text: &str) {
        let lines = self.wrap(text, CONTENT_WIDTH, BODY_SIZE);
        self.lines(lines, BODY_SIZE, BODY_LEADING, BLACK, false);
        self.y -= 6.0;
    }

    fn fields(&mut self, fields: &[(String, String)]) {
        const GAP: f32 = 12.0;
        let widest = fields.iter().map(|(label, _)| self.width(label, BODY_SIZE)).fold(0.0_f32, f32::max);
        let label_width = widest.min(CONTENT_WIDTH * 0.35);
        let value_x = MARGIN_X + label_width + GAP;
        let value_width = CONTENT_WIDTH - label_width - GAP;
        let height = BODY_SIZE * BODY_LEADING;
        for (label, value) in fields {
            let labels = self.wrap(label, label_width, BODY_SIZE);
            let values = self.wrap(value, value_width, BODY_SIZE);
            let rows = labels.len().max(values.len());
            let mut labels = labels.into_iter();
            let mut values = values.into_iter();
            for _ in 0..rows {
                self.ensure(height);
                let top = self.y;
                if let Some(label) = labels.next() {
                    self.text(MARGIN_X, top, height, BODY_SIZE, MUTED, label);
                }
                if let Some(value) = values.next() {
                    self.text(value_x, top, height, BODY_SIZE, BLACK, value);
                }
                self.y -= height;
                self.fresh = false;
            }
            self.y -= 2.0;
        }
        self.y -= 4.0;
    }

    fn table(&mut self, headers: &[String], rows: &[Vec<String>]) {
        let columns = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let natural: Vec<f32> = (0..columns)
            .map(|c| {
                let cell_width = |row: &[String]| {
                    row.get(c)
                        .map_or(0.0, |t| t.split('\n').map(|l| self.width(l, TABLE_SIZE)).fold(0.0, f32::max))
                };
                rows.iter().map(|r| cell_width(r)).chain([cell_width(headers)]).fold(0.0, f32::max)
                    + 2.0 * CELL_PADDING
            })
            .collect();
        let widths = column_widths(&natural, CONTENT_WIDTH);
        let font = self.font;
        let wrap_row = |row: &[String]| -> Vec<Vec<String>> {
            (0..columns)
                .map(|c| {
                    let text = row.get(c).map_or("", String::as_str);
                    wrap(text, widths[c] - 2.0 * CELL_PADDING, |ch| font.char_width(ch, TABLE_SIZE))
                })
                .collect()
        };
        let header = (!headers.is_empty()).then(|| wrap_row(headers));
        let line = TABLE_SIZE * TIGHT_LEADING;
        let header_height = header.as_ref().map_or(0.0, |h| row_height(h, line));

        self.space(2.0);
        self.ensure(header_height + line + 2.0 * CELL_PADDING);
        if let Some(header) = &header {
            self.table_row(&widths, header, Some(HEADER_FILL));
        }
        for row in rows {
            let mut cells = wrap_row(row);
            loop {
                let height = row_height(&cells, line);
                if self.y - height >= self.bottom {
                    self.table_row(&widths, &cells, None);
                    break;
                }
                let page_room = PAGE_HEIGHT - MARGIN_TOP - self.bottom - header_height;
                let room = self.y - self.bottom;
                let fits_lines = ((room - 2.0 * CELL_PADDING) / line).floor();
                if height <= page_room || fits_lines < 1.0 {
                    // Move the whole row (or, if it is taller than a page, its first part) on.
                    self.new_page();
                    if let Some(header) = &header {
                        self.table_row(&widths, header, Some(HEADER_FILL));
                    }
                    if height <= page_room {
                        self.table_row(&widths, &cells, None);
                        break;
                    }
                }
                // Taller than a page: set what fits here and carry the rest over.
                let room = self.y - self.bottom;
                let take = (((room - 2.0 * CELL_PADDING) / line).floor().max(1.0)) as usize;
                let rest: Vec<Vec<String>> =
                    cells.iter_mut().map(|c| c.split_off(take.min(c.len()))).collect();
                self.table_row(&widths, &cells, None);
                if rest.iter().all(Vec::is_empty) {
                    break;
                }
                cells = rest;
                self.new_page();
                if let Some(header) = &header {
                    self.table_row(&widths, header, Some(HEADER_FILL));
                }
            }
        }
        self.y -= 8.0;
    }

    fn table_row(&mut self, widths: &[f32], cells: &[Vec<String>], fill: Option<f32>) {
        let line = TABLE_SIZE * TIGHT_LEADING;
        let height = row_height(cells, line);
        let top = self.y;
        let mut x = MARGIN_X;
        for (width, lines) in widths.iter().zip(cells) {
            self.page.ops.push(Op::Rect {
                x,
                y: top - height,
                w: *width,
                h: height,
                fill,
                stroke: Some(RULE),
            });
            for (i, text) in lines.iter().enumerate() {
                let line_top = top - CELL_PADDING - i as f32 * line;
                self.text(x + CELL_PADDING, line_top, line, TABLE_SIZE, BLACK, text.clone());
            }
            x += width;
        }
        self.y -= height;
        self.fresh = false;
    }
}

fn row_height(cells: &[Vec<String>], line: f32) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(0).max(1) as f32 * line + 2.0 * CELL_PADDING
}

/// Column widths that add up to `total`: a column whose content is narrower than an even
/// share gets its natural width, the others share what is left in proportion to their
/// content; when everything fits, all columns grow in proportion.
pub(crate) fn column_widths(natural: &[f32], total: f32) -> Vec<f32> {
    let natural: Vec<f32> = natural.iter().map(|w| w.max(1.0)).collect();
    let sum: f32 = natural.iter().sum();
    if sum <= total {
        return natural.iter().map(|w| w * total / sum).collect();
    }
    let mut fixed = vec![false; natural.len()];
    loop {
        let used: f32 = natural.iter().zip(&fixed).filter(|(_, f)| **f).map(|(w, _)| w).sum();
        let open = fixed.iter().filter(|f| !**f).count();
        let share = (total - used) / open.max(1) as f32;
        let mut changed = false;
        for (w, f) in natural.iter().zip(fixed.iter_mut()) {
            if !*f && *w <= share {
                *f = true;
                changed = true;
            }
        }
        if !changed || open == 0 {
            let rest = total - used;
            let open_sum: f32 = natural.iter().zip(&fixed).filter(|(_, f)| !**f).map(|(w, _)| w).sum();
            return natural
                .iter()
                .zip(&fixed)
                .map(|(w, f)| if *f { *w } else { w * rest / open_sum.max(1.0) })
                .collect();
        }
    }
}

fn running_header(page: &mut Page, font: &PdfFont, title: &str) {
    let mut text: String = title.chars().filter(|c| !c.is_control()).collect();
    if font.text_width(&text, SMALL_SIZE) > CONTENT_WIDTH {
        let room = CONTENT_WIDTH - font.char_width('…', SMALL_SIZE);
        let mut width = 0.0;
        text = text
            .chars()
            .take_while(|c| {
                width += font.char_width(*c, SMALL_SIZE);
                width <= room
            })
            .collect();
        text.push('…');
    }
    let y = PAGE_HEIGHT - 38.0;
    page.ops.push(Op::Text { x: MARGIN_X, y, size: SMALL_SIZE, gray: FAINT, text });
    page.ops.push(Op::Line {
        x1: MARGIN_X,
        y1: y - 5.0,
        x2: PAGE_WIDTH - MARGIN_X,
        y2: y - 5.0,
        width: 0.4,
        gray: RULE,
    });
}

fn footer(page: &mut Page, font: &PdfFont, lines: &[String], bottom: f32, number: usize, total: usize) {
    let step = line_height(SMALL_SIZE);
    let rule = bottom - 8.0;
    page.ops.push(Op::Line {
        x1: MARGIN_X,
        y1: rule,
        x2: PAGE_WIDTH - MARGIN_X,
        y2: rule,
        width: 0.4,
        gray: RULE,
    });
    for (i, line) in lines.iter().enumerate() {
        let y = PAGE_NUMBER_BASELINE + step * (lines.len() - i) as f32;
        let x = (PAGE_WIDTH - font.text_width(line, SMALL_SIZE)) / 2.0;
        page.ops.push(Op::Text { x, y, size: SMALL_SIZE, gray: FAINT, text: line.clone() });
    }
    let text = format!("第 {number} 页 / 共 {total} 页");
    let x = (PAGE_WIDTH - font.text_width(&text, SMALL_SIZE)) / 2.0;
    page.ops.push(Op::Text { x, y: PAGE_NUMBER_BASELINE, size: SMALL_SIZE, gray: FAINT, text });
}

/// Breaks `text` into lines no wider than `max_width` (as measured by `width_of`). Newlines are
/// hard breaks; lines break at spaces, between CJK characters (never before closing or after
/// opening punctuation), and — for a token wider than a whole line — between any two characters.
pub(crate) fn wrap(text: &str, max_width: f32, width_of: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for hard in text.split('\n') {
        let chars: Vec<char> =
            hard.chars().filter(|c| *c != '\r').map(|c| if c.is_control() { ' ' } else { c }).collect();
        if chars.iter().all(|c| c.is_whitespace()) {
            lines.push(String::new());
            continue;
        }
        let mut start = 0;
        while start < chars.len() {
            let mut width = 0.0;
            let mut last_break = None;
            let mut end = chars.len();
            for i in start..chars.len() {
                if i > start && can_break_before(chars[i - 1], chars[i]) {
                    last_break = Some(i);
                }
                width += width_of(chars[i]);
                if width > max_width && i > start && !chars[i].is_whitespace() {
                    end = last_break.unwrap_or(i);
                    break;
                }
            }
            let line: String = chars[start..end].iter().collect();
            lines.push(line.trim_end().to_owned());
            start = end;
            while start < chars.len() && chars[start].is_whitespace() {
                start += 1;
            }
        }
    }
    lines
}

/// Closing punctuation that must not start a line.
const NO_LINE_START: &str = "，。、；：？！）》」』】〉〕］｝…—·%,.;:?!)]}”’";
/// Opening punctuation that must not end a line.
const NO_LINE_END: &str = "（《「『【〈〔［｛([{“‘";

fn can_break_before(prev: char, cur: char) -> bool {
    if cur.is_whitespace() {
        return false;
    }
    if prev.is_whitespace() {
        return true;
    }
    if NO_LINE_START.contains(cur) || NO_LINE_END.contains(prev) {
        return false;
    }
    is_cjk(prev) || is_cjk(cur)
}

fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(_: char) -> f32 {
        1.0
    }

    #[test]
    fn latin_text_wraps_at_spaces() {
        assert_eq!(wrap("the quick brown fox", 10.0, unit), ["the quick", "brown fox"]);
    }

    #[test]
    fn cjk_text_wraps_per_character() {
        assert_eq!(wrap("甲方乙方丙方丁方", 3.0, unit), ["甲方乙", "方丙方", "丁方"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        assert_eq!(wrap("甲方乙，丙丁", 3.0, unit), ["甲方", "乙，丙", "丁"]);
    }

    #[test]
    fn a_token_longer_than_the_line_breaks_anywhere() {
        let hash = "0123456789abcdef".repeat(4);
        let lines = wrap(&format!("SHA-256: {hash}"), 20.0, unit);
        assert_eq!(lines[0], "SHA-256:");
        assert!(lines.iter().all(|l| l.chars().count() <= 20));
        assert_eq!(lines[1..].concat(), hash);
    }

    #[test]
    fn newlines_are_hard_breaks_and_blank_lines_stay() {
        assert_eq!(wrap("a\n\nb", 10.0, unit), ["a", "", "b"]);
    }

    #[test]
    fn narrow_columns_keep_their_width_and_wide_ones_share_the_rest() {
        let widths = column_widths(&[40.0, 1000.0, 500.0], 400.0);
        assert!((widths[0] - 40.0).abs() < 0.01);
        assert!((widths.iter().sum::<f32>() - 400.0).abs() < 0.01);
        assert!((widths[1] / widths[2] - 2.0).abs() < 0.01);
    }

    #[test]
    fn columns_that_fit_grow_in_proportion() {
        let widths = column_widths(&[10.0, 30.0], 400.0);
        assert_eq!(widths, [100.0, 300.0]);
    }
}
