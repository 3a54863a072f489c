//! PDF rendering of contracts and signature certificates, in pure Rust (no browser).
//!
//! A [`Document`] is a title, an optional subtitle and footer, and a list of [`Block`]s
//! (headings, paragraphs, label/value fields, tables). [`render`] lays it out on A4 pages —
//! wrapping lines (CJK per character, Latin at spaces, over-long tokens such as a SHA-256 hex
//! anywhere), breaking pages, repeating a table's header row, numbering pages
//! "第 N 页 / 共 M 页" — and writes a PDF that embeds only the glyphs it uses (a subset of a CJK
//! TrueType / OpenType font) with a ToUnicode map, so the text can be searched and extracted.
//!
//! Rendering is deterministic: the same document and font always give the same bytes (no dates,
//! no random ids), so a stored PDF's SHA-256 can be checked by rendering it again.
//!
//! The font is loaded once ([`load_font`]: explicit path, `GONGZHU_PDF_FONT`, or the standard
//! Debian locations — `fonts-wqy-zenhei` by default) and shared: [`PdfFont`] is a cheap clone.
//!
//! Submodules: `font` (loading, glyph metrics), `layout` (pages of positioned text and rules),
//! `writer` (PDF objects, font subset, ToUnicode, compression).

mod font;
mod layout;
mod writer;

use std::path::PathBuf;

pub use font::{FONT_ENV, PdfFont, STANDARD_FONT_PATHS, load_font};

/// The server's PDF font: found and parsed on first use (`GONGZHU_PDF_FONT` or the standard
/// paths), then kept. A machine without a CJK font renders no PDF and says what to install.
#[derive(Default)]
pub struct LazyFont(std::sync::OnceLock<Result<PdfFont, String>>);

impl LazyFont {
    /// The font at `path` (empty: the standard paths), or why there is none. Blocking on first
    /// use (reads and parses the font file).
    pub fn get(&self, path: &std::path::Path) -> Result<PdfFont, String> {
        let path = (!path.as_os_str().is_empty()).then_some(path);
        self.0.get_or_init(|| load_font(path).map_err(|e| e.to_string())).clone()
    }
}

/// A document to render: a contract, a signature certificate, a statement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Shown large at the top of the first page and small atop the others; also the PDF's
    /// Info title.
    pub title: String,
    /// A line under the title (e.g. the contract number or the English title).
    pub subtitle: Option<String>,
    /// The body, top to bottom.
    pub blocks: Vec<Block>,
    /// Small text at the bottom of every page, above the page number.
    pub footer: Option<String>,
}

/// One piece of a document's body. Text may contain `\n` for hard line breaks.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; it is kept on the same page as the start of what follows.
    Heading(String),
    /// Running text, wrapped to the page width.
    Paragraph(String),
    /// Label / value pairs in two columns (e.g. "甲方" / "上海建工材料有限公司").
    Fields(Vec<(String, String)>),
    /// A ruled table; column widths follow the content; the header row repeats on every page
    /// the table spans. Rows may have fewer cells than there are columns.
    Table {
        /// The header row (may be empty for a table without one).
        headers: Vec<String>,
        /// The body rows.
        rows: Vec<Vec<String>>,
    },
    /// A blank gap of about one line.
    Spacer,
}

/// Why a PDF could not be rendered or its font loaded.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No font path was given, `GONGZHU_PDF_FONT` is unset, and no standard font exists.
    #[error(
        "no font for PDF rendering found (looked for {}); install the Debian package \
         fonts-wqy-zenhei (scripts/setup.sh build does) or set GONGZHU_PDF_FONT to a CJK \
         TrueType/OpenType font",
        display_paths(.searched)
    )]
    FontNotFound {
        /// The paths that were tried.
        searched: Vec<PathBuf>,
    },
    /// The font file exists (or was named) but could not be read.
    #[error("cannot read the PDF font {}: {source}", .path.display())]
    FontRead {
        /// The file that was named.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not a usable font (not TrueType/OpenType, no outlines, no Chinese glyphs).
    #[error("unusable PDF font: {0}")]
    InvalidFont(String),
    /// The font could not be subset for embedding.
    #[error("cannot subset the PDF font: {0}")]
    Subset(String),
    /// A stream could not be compressed.
    #[error("cannot compress a PDF stream: {0}")]
    Compress(#[source] std::io::Error),
}

fn display_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Renders `doc` as an A4 PDF set in `font`. The same document and font always give the same
/// bytes.
pub fn render(doc: &Document, font: &PdfFont) -> Result<Vec<u8>, PdfError> {
    let pages = layout::layout(doc, font);
    writer::write(&doc.title, &pages, font)
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH};
    use super::*;

    const PARTY: &str = "上海建工材料有限公司";
    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn font() -> PdfFont {
        static FONT: OnceLock<PdfFont> = OnceLock::new();
        FONT.get_or_init(|| {
            load_font(None).unwrap_or_else(|e| panic!("{e}\nRun `scripts/setup.sh all` first."))
        })
        .clone()
    }

    fn contract(paragraphs: usize) -> Document {
        let mut blocks = vec![
            Block::Heading("第一条 合同双方 / Parties".into()),
            Block::Fields(vec![
                ("甲方（买方）".into(), PARTY.into()),
                ("统一社会信用代码".into(), "91310000MA1FL1234X".into()),
                (
                    "乙方（卖方）".into(),
                    "杭州钢构供应链管理有限公司 (Hangzhou Steel Supply Co., Ltd.)".into(),
                ),
                ("合同文件 SHA-256".into(), HASH.into()),
            ]),
            Block::Heading("第二条 供货清单 / Bill of materials".into()),
            Block::Table {
                headers: ["序号", "材料名称 Material", "规格", "数量", "单价（元）", "金额（元）"]
                    .map(String::from)
                    .to_vec(),
                rows: (1..=12)
                    .map(|i| {
                        vec![
                            i.to_string(),
                            format!("HRB400 螺纹钢 rebar, batch {i}"),
                            "Φ25 × 12 m".into(),
                            format!("{} 吨", i * 10),
                            "3,850.00".into(),
                            format!("{}.00", 38_500 * i),
                        ]
                    })
                    .collect(),
            },
            Block::Spacer,
            Block::Heading("第三条 合同条款 / Terms".into()),
        ];
        for i in 1..=paragraphs {
            blocks.push(Block::Paragraph(format!(
                "{i}. 乙方应按照本合同约定的时间、地点和质量标准交付材料，并提供出厂合格证、质量检验报告等\
                 全部随货文件；甲方应在收到合格发票后三十日内支付相应货款。The Seller shall deliver the \
                 materials at the agreed time and place, to the agreed quality, together with the mill \
                 certificates; the Buyer shall pay within thirty days of receiving a valid invoice."
            )));
        }
        blocks.push(Block::Paragraph(format!("签署文件指纹：{HASH}{HASH}")));
        Document {
            title: "建设工程材料采购合同".into(),
            subtitle: Some("Construction Materials Purchase Contract · 合同编号 GZ-2026-0001".into()),
            blocks,
            footer: Some(
                "本合同由公筑平台生成，电子签名与手写签名具有同等法律效力。Generated by Gongzhu.".into(),
            ),
        }
    }

    /// Runs a poppler tool on the PDF and returns its standard output.
    fn poppler(tool: &str, pdf: &[u8]) -> String {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "gongzhu-pdf-test-{}-{}.pdf",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, pdf).expect("write the PDF to a temp file");
        let output = Command::new(tool)
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
            .output();
        let _ = std::fs::remove_file(&path);
        let output = match output {
            Ok(output) => output,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                panic!("{tool} is not installed (Debian package poppler-utils): run `scripts/setup.sh all`")
            }
            Err(e) => panic!("cannot run {tool}: {e}"),
        };
        assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("poppler prints UTF-8")
    }

    #[test]
    fn a_contract_renders_as_a_pdf_with_extractable_chinese_text() {
        let font = font();
        let doc = contract(45);
        let pdf = render(&doc, &font).expect("render");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.len() < 1_000_000, "the font must be embedded as a subset; PDF is {} bytes", pdf.len());

        let text = poppler("pdftotext", &pdf);
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(compact.contains(PARTY), "party name missing from:\n{text}");
        assert!(compact.contains(HASH), "hash missing from:\n{text}");
        assert!(compact.contains("第三条合同条款/Terms"), "{text}");
        assert!(text.contains("HRB400"), "{text}");
        assert!(compact.contains("第1页/共"), "page footer missing from:\n{text}");
        assert!(compact.contains("第3页/共"), "expected at least 3 pages:\n{text}");

        let info = poppler("pdfinfo", &pdf);
        assert!(info.lines().any(|l| l.starts_with("Title:") && l.ends_with(&doc.title)), "{info}");
        assert!(info.lines().any(|l| l.starts_with("Page size:") && l.contains("595.28 x 841.89")), "{info}");
    }

    #[test]
    fn rendering_is_deterministic() {
        let font = font();
        let doc = contract(45);
        let first = render(&doc, &font).expect("render");
        let second = render(&doc, &font.clone()).expect("render again");
        assert!(first == second, "two renders of the same document differ");
    }

    #[test]
    fn everything_stays_inside_the_page_even_with_long_tokens_and_tall_rows() {
        let font = font();
        let long_cell = format!("{HASH} ").repeat(120);
        let doc = Document {
            title: "签名证书 Signature certificate ".repeat(8),
            subtitle: None,
            blocks: vec![
                Block::Paragraph(HASH.repeat(5)),
                Block::Fields(vec![(HASH.into(), HASH.repeat(3))]),
                Block::Table {
                    headers: vec!["字段".into(), "值".into()],
                    rows: vec![vec!["哈希".into(), long_cell], vec!["短".into()]],
                },
                Block::Table { headers: vec![], rows: vec![] },
            ],
            footer: None,
        };
        let pages = layout::layout(&doc, &font);
        assert!(pages.len() >= 2, "the tall row should run onto a second page");
        for op in pages.iter().flat_map(|p| &p.ops) {
            if let Op::Text { x, y, size, text, .. } = op {
                let right = x + font.text_width(text, *size);
                assert!(*x >= 0.0 && right <= PAGE_WIDTH - 50.0, "{text:?} runs off the page");
                assert!(*y > 20.0 && *y < PAGE_HEIGHT - 20.0, "{text:?} at y {y}");
            }
        }
        render(&doc, &font).expect("render");
    }

    #[test]
    fn empty_or_garbage_font_bytes_are_a_clear_error() {
        for bytes in [Vec::new(), b"definitely not a font".to_vec(), vec![0; 4096]] {
            let err = PdfFont::from_bytes(bytes, 0).expect_err("not a font");
            assert!(matches!(err, PdfError::InvalidFont(_)), "{err:?}");
            assert!(err.to_string().starts_with("unusable PDF font"), "{err}");
        }
    }

    #[test]
    fn a_missing_font_file_names_the_path() {
        let path = Path::new("/nonexistent/gongzhu/font.ttc");
        let err = load_font(Some(path)).expect_err("no such file");
        assert!(matches!(err, PdfError::FontRead { .. }), "{err:?}");
        assert!(err.to_string().contains("/nonexistent/gongzhu/font.ttc"), "{err}");
    }

    #[test]
    fn the_font_not_found_error_says_what_to_install() {
        let err = PdfError::FontNotFound {
            searched: STANDARD_FONT_PATHS.iter().map(|(p, _)| PathBuf::from(p)).collect(),
        };
        assert!(err.to_string().contains("fonts-wqy-zenhei"), "{err}");
        assert!(err.to_string().contains("wqy-zenhei.ttc"), "{err}");
    }

    /// Prints how long a five-page contract takes and leaves it in the temp dir to look at:
    /// `cargo test -p api --lib --release pdf::tests::render_time -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn render_time() {
        let start = std::time::Instant::now();
        let font = load_font(None).expect("font");
        let load = start.elapsed();
        let doc = contract(38);
        let pdf = render(&doc, &font).expect("render");
        let start = std::time::Instant::now();
        let runs = 10;
        for _ in 0..runs {
            render(&doc, &font).expect("render");
        }
        let elapsed = start.elapsed();
        let pages = layout::layout(&doc, &font).len();
        let sample = std::env::temp_dir().join("gongzhu-pdf-sample.pdf");
        std::fs::write(&sample, &pdf).expect("write the sample");
        println!(
            "font loaded in {:.1} ms; {pages} pages, {} bytes, {:.1} ms per render; sample written to {}",
            load.as_secs_f64() * 1000.0,
            pdf.len(),
            elapsed.as_secs_f64() * 1000.0 / f64::from(runs),
            sample.display()
        );
    }
}
