//! The one font every rendered PDF uses: loading it (explicit path, `GONGZHU_PDF_FONT`, or the
//! standard Debian locations of a CJK font), checking it, and the per-font facts that layout and
//! embedding need (glyph ids, advances, vertical metrics), computed once and shared behind an
//! `Arc` so that cloning a [`PdfFont`] is cheap.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ttf_parser::{Face, GlyphId, name_id};

use super::PdfError;

/// The environment variable naming the font file (TrueType / OpenType, or a collection whose
/// face 0 is used) when [`load_font`] is given no explicit path.
pub const FONT_ENV: &str = "GONGZHU_PDF_FONT";

/// Where [`load_font`] looks, in order, when neither a path nor [`FONT_ENV`] is given: the
/// Debian packages `fonts-wqy-zenhei`, `fonts-wqy-microhei` and `fonts-noto-cjk`, with the face
/// of the collection to use (Noto Sans CJK's Simplified Chinese face is the third).
pub const STANDARD_FONT_PATHS: &[(&str, u32)] = &[
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
];

/// A parsed, validated font ready to render with: the file's bytes plus the glyph map and metrics
/// derived from them. Cloning shares the data (`Arc`), so load it once at start-up and hand
/// clones to every render.
#[derive(Clone)]
pub struct PdfFont {
    inner: Arc<FontData>,
}

impl std::fmt::Debug for PdfFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfFont")
            .field("postscript_name", &self.inner.postscript_name)
            .field("face_index", &self.inner.face_index)
            .field("bytes", &self.inner.bytes.len())
            .field("mapped_chars", &self.inner.glyphs.len())
            .finish()
    }
}

/// Whether the glyph outlines are TrueType (`glyf`) or CFF; PDF embeds the two differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outlines {
    TrueType,
    Cff,
}

/// One character's glyph in the original font and its advance width in font units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Glyph {
    pub(crate) id: u16,
    pub(crate) advance: u16,
}

pub(crate) struct FontData {
    pub(crate) bytes: Vec<u8>,
    pub(crate) face_index: u32,
    pub(crate) postscript_name: String,
    pub(crate) outlines: Outlines,
    pub(crate) units_per_em: f32,
    pub(crate) ascender: f32,
    pub(crate) descender: f32,
    pub(crate) cap_height: f32,
    /// x_min, y_min, x_max, y_max in font units.
    pub(crate) bbox: [f32; 4],
    glyphs: HashMap<char, Glyph>,
    pub(crate) notdef_advance: u16,
}

impl PdfFont {
    /// Parses font bytes (a TrueType / OpenType file, or a collection and the index of the face
    /// to use) and precomputes the glyph map. Fails with [`PdfError::InvalidFont`] when the bytes
    /// are not a usable font or the font has no Chinese glyphs.
    pub fn from_bytes(bytes: Vec<u8>, face_index: u32) -> Result<Self, PdfError> {
        let face = Face::parse(&bytes, face_index)
            .map_err(|e| PdfError::InvalidFont(format!("cannot parse the font: {e}")))?;
        let outlines = if face.tables().glyf.is_some() {
            Outlines::TrueType
        } else if face.tables().cff.is_some() {
            Outlines::Cff
        } else {
            return Err(PdfError::InvalidFont(
                "the font has neither TrueType (glyf) nor CFF outlines".into(),
            ));
        };
        let glyphs = char_map(&face);
        if !glyphs.contains_key(&'中') || !glyphs.contains_key(&'A') {
            return Err(PdfError::InvalidFont(
                "the font lacks Chinese or Latin glyphs; use a CJK font such as WenQuanYi Zen Hei \
                 (Debian package fonts-wqy-zenhei)"
                    .into(),
            ));
        }
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .map(|n| n.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect())
            .filter(|n: &String| !n.is_empty())
            .unwrap_or_else(|| "GongzhuCJK".to_owned());
        let bb = face.global_bounding_box();
        let data = FontData {
            face_index,
            postscript_name,
            outlines,
            units_per_em: f32::from(face.units_per_em()),
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            cap_height: f32::from(face.capital_height().unwrap_or(face.ascender())),
            bbox: [bb.x_min, bb.y_min, bb.x_max, bb.y_max].map(f32::from),
            notdef_advance: face.glyph_hor_advance(GlyphId(0)).unwrap_or(0),
            glyphs,
            bytes,
        };
        Ok(Self { inner: Arc::new(data) })
    }

    /// The font's PostScript name (e.g. `WenQuanYiZenHei`).
    pub fn postscript_name(&self) -> &str {
        &self.inner.postscript_name
    }

    pub(crate) fn data(&self) -> &FontData {
        &self.inner
    }

    /// The glyph for a character; characters the font lacks get `.notdef` (glyph 0).
    pub(crate) fn glyph(&self, c: char) -> Glyph {
        self.inner.glyphs.get(&c).copied().unwrap_or(Glyph { id: 0, advance: self.inner.notdef_advance })
    }

    /// The advance of a character at `size` points.
    pub(crate) fn char_width(&self, c: char, size: f32) -> f32 {
        f32::from(self.glyph(c).advance) * size / self.inner.units_per_em
    }

    /// The width of a string set on one line at `size` points (no kerning: CJK has none and
    /// contract text does not need it).
    pub(crate) fn text_width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.glyph(c).advance)).sum();
        units as f32 * size / self.inner.units_per_em
    }
}

/// Every Unicode code point the font maps, with its glyph and advance.
fn char_map(face: &Face<'_>) -> HashMap<char, Glyph> {
    let mut map = HashMap::new();
    let Some(cmap) = face.tables().cmap else {
        return map;
    };
    for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
        subtable.codepoints(|cp| {
            let Some(c) = char::from_u32(cp) else { return };
            if map.contains_key(&c) {
                return;
            }
            if let Some(id) = subtable.glyph_index(cp).filter(|g| g.0 != 0) {
                let advance = face.glyph_hor_advance(id).unwrap_or(0);
                map.insert(c, Glyph { id: id.0, advance });
            }
        });
    }
    map
}

/// Loads the rendering font: `path` if given (face 0), else the file named by the
/// `GONGZHU_PDF_FONT` environment variable (face 0), else the first of
/// [`STANDARD_FONT_PATHS`] that exists. When none exists the error says which package to install.
pub fn load_font(path: Option<&Path>) -> Result<PdfFont, PdfError> {
    if let Some(path) = path {
        return load_file(path, 0);
    }
    if let Some(path) = std::env::var_os(FONT_ENV).filter(|p| !p.is_empty()) {
        return load_file(Path::new(&path), 0);
    }
    for (path, index) in STANDARD_FONT_PATHS {
        let path = Path::new(path);
        if path.is_file() {
            return load_file(path, *index);
        }
    }
    Err(PdfError::FontNotFound {
        searched: STANDARD_FONT_PATHS.iter().map(|(p, _)| PathBuf::from(p)).collect(),
    })
}

fn load_file(path: &Path, face_index: u32) -> Result<PdfFont, PdfError> {
    let bytes = std::fs::read(path).map_err(|source| PdfError::FontRead { path: path.to_owned(), source })?;
    PdfFont::from_bytes(bytes, face_index).map_err(|e| match e {
        PdfError::InvalidFont(why) => PdfError::InvalidFont(format!("{}: {why}", path.display())),
        other => other,
    })
}
