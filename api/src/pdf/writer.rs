//! PDF serialisation of laid-out pages: one Type 0 (CID) font with the subset of the glyphs the
//! document uses embedded, a ToUnicode CMap so that text can be extracted and searched, Flate
//! compressed streams, and nothing that varies between runs (no dates, no file id).

use std::collections::BTreeMap;
use std::io::Write;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use super::PdfError;
use super::font::{Outlines, PdfFont};
use super::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH, Page};

const FONT_RESOURCE: Name<'static> = Name(b"F1");

/// Writes the pages as a complete PDF file whose Info dictionary carries `title`.
pub(crate) fn write(title: &str, pages: &[Page], font: &PdfFont) -> Result<Vec<u8>, PdfError> {
    let glyphs = GlyphSet::collect(pages, font);

    let mut next = 0;
    let mut alloc = || {
        next += 1;
        Ref::new(next)
    };
    let catalog_id = alloc();
    let page_tree_id = alloc();
    let info_id = alloc();
    let type0_id = alloc();
    let cid_font_id = alloc();
    let descriptor_id = alloc();
    let cmap_id = alloc();
    let font_file_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(page_tree_id).lang(TextStr("zh-CN"));
    pdf.document_info(info_id).title(TextStr(title)).producer(TextStr("Gongzhu"));
    pdf.pages(page_tree_id)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(i32::try_from(pages.len()).unwrap_or(i32::MAX));

    for (page, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut p = pdf.page(*page_id);
        p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).parent(page_tree_id).contents(*content_id);
        p.resources().fonts().pair(FONT_RESOURCE, type0_id);
        p.finish();
        let content = deflate(&content_stream(page, font, &glyphs))?;
        pdf.stream(*content_id, &content).filter(Filter::FlateDecode);
    }

    write_font(
        &mut pdf,
        font,
        &glyphs,
        FontRefs { type0_id, cid_font_id, descriptor_id, cmap_id, font_file_id },
    )?;
    Ok(pdf.finish())
}

/// The glyphs the document uses, numbered as they will be in the subset font (which is also
/// their CID), with the text each stands for and its advance.
struct GlyphSet {
    remapper: GlyphRemapper,
    /// New glyph id → the character it was first used for.
    unicode: BTreeMap<u16, char>,
    /// Advance in font units, indexed by new glyph id.
    advances: Vec<u16>,
}

impl GlyphSet {
    fn collect(pages: &[Page], font: &PdfFont) -> Self {
        let mut set = GlyphSet {
            remapper: GlyphRemapper::new(),
            unicode: BTreeMap::new(),
            advances: vec![font.data().notdef_advance],
        };
        for page in pages {
            for op in &page.ops {
                if let Op::Text { text, .. } = op {
                    for c in text.chars() {
                        let glyph = font.glyph(c);
                        let id = set.remapper.remap(glyph.id);
                        if usize::from(id) == set.advances.len() {
                            set.advances.push(glyph.advance);
                        }
                        if glyph.id != 0 {
                            set.unicode.entry(id).or_insert(c);
                        }
                    }
                }
            }
        }
        set
    }

    /// The string of CIDs (two bytes each, Identity-H) that shows `text`.
    fn encode(&self, text: &str, font: &PdfFont) -> Vec<u8> {
        text.chars().flat_map(|c| self.remapper.get(font.glyph(c).id).unwrap_or(0).to_be_bytes()).collect()
    }

    /// A six-letter subset tag derived from the glyph set, so it is stable across renders.
    fn tag(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for gid in self.remapper.remapped_gids() {
            for b in gid.to_be_bytes() {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        (0..6).map(|i| char::from(b'A' + ((hash >> (i * 8)) % 26) as u8)).collect()
    }
}

fn content_stream(page: &Page, font: &PdfFont, glyphs: &GlyphSet) -> Vec<u8> {
    let mut content = Content::new();
    for op in &page.ops {
        match op {
            Op::Text { x, y, size, gray, text } => {
                content.set_fill_gray(*gray);
                content
                    .begin_text()
                    .set_font(FONT_RESOURCE, *size)
                    .set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y])
                    .show(Str(&glyphs.encode(text, font)))
                    .end_text();
            }
            Op::Line { x1, y1, x2, y2, width, gray } => {
                content
                    .set_line_width(*width)
                    .set_stroke_gray(*gray)
                    .move_to(*x1, *y1)
                    .line_to(*x2, *y2)
                    .stroke();
            }
            Op::Rect { x, y, w, h, fill, stroke } => {
                if let Some(gray) = fill {
                    content.set_fill_gray(*gray).rect(*x, *y, *w, *h).fill_nonzero();
                }
                if let Some(gray) = stroke {
                    content.set_line_width(0.5).set_stroke_gray(*gray).rect(*x, *y, *w, *h).stroke();
                }
            }
        }
    }
    content.finish().into_vec()
}

struct FontRefs {
    type0_id: Ref,
    cid_font_id: Ref,
    descriptor_id: Ref,
    cmap_id: Ref,
    font_file_id: Ref,
}

fn write_font(pdf: &mut Pdf, font: &PdfFont, glyphs: &GlyphSet, refs: FontRefs) -> Result<(), PdfError> {
    let data = font.data();
    let subset = subsetter::subset(&data.bytes, data.face_index, &glyphs.remapper)
        .map_err(|e| PdfError::Subset(e.to_string()))?;
    let base_font = format!("{}+{}", glyphs.tag(), data.postscript_name);
    let base_font = Name(base_font.as_bytes());
    let scale = 1000.0 / data.units_per_em;
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    pdf.type0_font(refs.type0_id)
        .base_font(base_font)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(refs.cid_font_id)
        .to_unicode(refs.cmap_id);

    let mut cid = pdf.cid_font(refs.cid_font_id);
    cid.subtype(match data.outlines {
        Outlines::TrueType => CidFontType::Type2,
        Outlines::Cff => CidFontType::Type0,
    })
    .base_font(base_font)
    .system_info(system_info)
    .font_descriptor(refs.descriptor_id)
    .default_width(0.0);
    if data.outlines == Outlines::TrueType {
        cid.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    cid.widths().consecutive(0, glyphs.advances.iter().map(|a| f32::from(*a) * scale));
    cid.finish();

    let [x_min, y_min, x_max, y_max] = data.bbox.map(|v| v * scale);
    let mut descriptor = pdf.font_descriptor(refs.descriptor_id);
    descriptor
        .name(base_font)
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(x_min, y_min, x_max, y_max))
        .italic_angle(0.0)
        .ascent(data.ascender * scale)
        .descent(data.descender * scale)
        .cap_height(data.cap_height * scale)
        .stem_v(80.0);
    match data.outlines {
        Outlines::TrueType => descriptor.font_file2(refs.font_file_id),
        Outlines::Cff => descriptor.font_file3(refs.font_file_id),
    };
    descriptor.finish();

    let mut cmap = UnicodeCmap::new(Name(b"Gongzhu-UCS"), system_info);
    for (id, c) in &glyphs.unicode {
        cmap.pair(*id, *c);
    }
    let cmap = deflate(&cmap.finish())?;
    pdf.cmap(refs.cmap_id, &cmap).filter(Filter::FlateDecode);

    let font_file = deflate(&subset)?;
    let mut stream = pdf.stream(refs.font_file_id, &font_file);
    stream.filter(Filter::FlateDecode);
    match data.outlines {
        Outlines::TrueType => stream.pair(Name(b"Length1"), i32::try_from(subset.len()).unwrap_or(i32::MAX)),
        Outlines::Cff => stream.pair(Name(b"Subtype"), Name(b"OpenType")),
    };
    stream.finish();
    Ok(())
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut encoder =
        libflate::zlib::Encoder::new(Vec::with_capacity(data.len() / 2)).map_err(PdfError::Compress)?;
    encoder.write_all(data).map_err(PdfError::Compress)?;
    encoder.finish().into_result().map_err(PdfError::Compress)
}
