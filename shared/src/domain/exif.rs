//! EXIF of site photos: the capture time (`DateTimeOriginal`) and the GPS position (decimal
//! degrees) read from a JPEG (APP1 `Exif`), PNG (`eXIf` chunk) or WebP (`EXIF` RIFF chunk),
//! and the same images with that block removed ([`strip`]) for any view that must not reveal
//! where and when a photo was taken.
//!
//! The reader walks the TIFF structure by hand (both byte orders): IFD0 → the Exif IFD
//! (tag 0x8769) for 0x9003, and the GPS IFD (0x8825) for latitude/longitude with their N/S
//! and E/W references. Every offset is bounds-checked; a damaged or absent block gives `None`
//! fields, never an error, since the photo itself is still a photo.

use chrono::NaiveDateTime;

/// What a photo's EXIF says about where and when it was taken.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PhotoMeta {
    /// `DateTimeOriginal` as the camera recorded it (its local time; EXIF has no zone here).
    pub captured_at: Option<NaiveDateTime>,
    /// Latitude in decimal degrees, south negative.
    pub latitude: Option<f64>,
    /// Longitude in decimal degrees, west negative.
    pub longitude: Option<f64>,
}

/// The image containers photos come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// JPEG (`FF D8`).
    Jpeg,
    /// PNG (`89 50 4E 47 …`).
    Png,
    /// WebP (`RIFF….WEBP`).
    Webp,
}

impl ImageKind {
    /// The kind of `bytes`, by their signature.
    #[must_use]
    pub fn of(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }
}

const EXIF_HEADER: &[u8] = b"Exif\0\0";

/// Reads the capture time and position of a JPEG, PNG or WebP (all `None` for anything else
/// or when the photo carries no EXIF).
#[must_use]
pub fn read(bytes: &[u8]) -> PhotoMeta {
    blocks(bytes).into_iter().find_map(|(start, end)| tiff(&bytes[start..end])).unwrap_or_default()
}

/// The image without its EXIF block (and, for WebP, without the flag announcing it); `None`
/// when `bytes` is not a JPEG, PNG or WebP. Pixels and every other chunk stay as they were.
#[must_use]
pub fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    let kind = ImageKind::of(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    let mut cursor = 0;
    for (start, end) in segments(bytes, kind).into_iter().filter(|s| s.exif).map(|s| (s.start, s.end)) {
        out.extend_from_slice(&bytes[cursor..start]);
        cursor = end;
    }
    out.extend_from_slice(&bytes[cursor..]);
    if kind == ImageKind::Webp && out.len() >= 8 {
        let riff = u32::try_from(out.len() - 8).unwrap_or(u32::MAX);
        out[4..8].copy_from_slice(&riff.to_le_bytes());
        if out.len() >= 21 && &out[12..16] == b"VP8X" {
            out[20] &= !0x08;
        }
    }
    Some(out)
}

/// One container segment or chunk: where it lies whole, and whether it is the EXIF one
/// (with where its TIFF data lies).
struct Segment {
    start: usize,
    end: usize,
    exif: bool,
    data: (usize, usize),
}

/// The TIFF blocks of the image's EXIF segments, as ranges of `bytes`.
fn blocks(bytes: &[u8]) -> Vec<(usize, usize)> {
    let Some(kind) = ImageKind::of(bytes) else { return Vec::new() };
    segments(bytes, kind).into_iter().filter(|s| s.exif).map(|s| s.data).collect()
}

fn segments(bytes: &[u8], kind: ImageKind) -> Vec<Segment> {
    match kind {
        ImageKind::Jpeg => jpeg_segments(bytes),
        ImageKind::Png => png_chunks(bytes),
        ImageKind::Webp => webp_chunks(bytes),
    }
}

fn jpeg_segments(bytes: &[u8]) -> Vec<Segment> {
    let mut found = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        // Start of scan: entropy-coded data follows, no more metadata segments.
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let end = at + 2 + len;
        if len < 2 || end > bytes.len() {
            break;
        }
        let payload = &bytes[at + 4..end];
        let exif = marker == 0xE1 && payload.starts_with(EXIF_HEADER);
        found.push(Segment { start: at, end, exif, data: (at + 4 + EXIF_HEADER.len(), end) });
        at = end;
    }
    found
}

fn png_chunks(bytes: &[u8]) -> Vec<Segment> {
    let mut found = Vec::new();
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len = be32(&bytes[at..at + 4]) as usize;
        let Some(end) = (at + 12).checked_add(len).filter(|end| *end <= bytes.len()) else { break };
        let exif = &bytes[at + 4..at + 8] == b"eXIf";
        found.push(Segment { start: at, end, exif, data: (at + 8, at + 8 + len) });
        if &bytes[at + 4..at + 8] == b"IEND" {
            break;
        }
        at = end;
    }
    found
}

fn webp_chunks(bytes: &[u8]) -> Vec<Segment> {
    let mut found = Vec::new();
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        let data_end = at + 8 + len;
        if data_end > bytes.len() {
            break;
        }
        let end = (data_end + (len & 1)).min(bytes.len());
        let exif = &bytes[at..at + 4] == b"EXIF";
        // Some writers keep JPEG's "Exif\0\0" in front of the TIFF data.
        let skip = if bytes[at + 8..data_end].starts_with(EXIF_HEADER) { EXIF_HEADER.len() } else { 0 };
        found.push(Segment { start: at, end, exif, data: (at + 8 + skip, data_end) });
        at = end;
    }
    found
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// A TIFF block with its byte order.
struct Tiff<'a> {
    data: &'a [u8],
    little: bool,
}

/// One IFD entry: its type, count and value-or-offset field.
#[derive(Clone, Copy)]
struct Entry {
    kind: u16,
    count: u32,
    value_at: usize,
}

const ASCII: u16 = 2;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;

impl<'a> Tiff<'a> {
    fn u16_at(&self, at: usize) -> Option<u16> {
        let b = self.data.get(at..at + 2)?;
        Some(if self.little { u16::from_le_bytes([b[0], b[1]]) } else { u16::from_be_bytes([b[0], b[1]]) })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b = self.data.get(at..at + 4)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if self.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) })
    }

    /// The entries of the IFD at `offset`, by tag.
    fn ifd(&self, offset: usize) -> Vec<(u16, Entry)> {
        let Some(count) = self.u16_at(offset) else { return Vec::new() };
        (0..usize::from(count))
            .map_while(|i| {
                let at = offset + 2 + i * 12;
                let tag = self.u16_at(at)?;
                let kind = self.u16_at(at + 2)?;
                let count = self.u32_at(at + 4)?;
                Some((tag, Entry { kind, count, value_at: at + 8 }))
            })
            .collect()
    }

    /// Where an entry's values lie: inline when they fit in 4 bytes, else at its offset.
    fn values_at(&self, entry: Entry, unit: usize) -> Option<usize> {
        let size = unit.checked_mul(entry.count as usize)?;
        let at = if size <= 4 { entry.value_at } else { self.u32_at(entry.value_at)? as usize };
        self.data.get(at..at.checked_add(size)?).map(|_| at)
    }

    fn ascii(&self, entry: Entry) -> Option<&'a str> {
        if entry.kind != ASCII {
            return None;
        }
        let at = self.values_at(entry, 1)?;
        let raw = &self.data[at..at + entry.count as usize];
        std::str::from_utf8(raw).ok().map(|s| s.trim_end_matches('\0').trim())
    }

    fn offset(&self, entry: Entry) -> Option<usize> {
        (entry.kind == LONG).then(|| self.u32_at(entry.value_at).map(|v| v as usize)).flatten()
    }

    /// Three rationals (degrees, minutes, seconds) as decimal degrees.
    fn degrees(&self, entry: Entry) -> Option<f64> {
        if entry.kind != RATIONAL || entry.count != 3 {
            return None;
        }
        let at = self.values_at(entry, 8)?;
        let mut parts = [0.0; 3];
        for (i, part) in parts.iter_mut().enumerate() {
            let numerator = f64::from(self.u32_at(at + i * 8)?);
            let denominator = f64::from(self.u32_at(at + i * 8 + 4)?);
            if denominator == 0.0 {
                return None;
            }
            *part = numerator / denominator;
        }
        Some(parts[0] + parts[1] / 60.0 + parts[2] / 3600.0)
    }
}

fn tiff(data: &[u8]) -> Option<PhotoMeta> {
    let little = match data.get(..4)? {
        [b'I', b'I', 42, 0] => true,
        [b'M', b'M', 0, 42] => false,
        _ => return None,
    };
    let t = Tiff { data, little };
    let ifd0 = t.ifd(t.u32_at(4)? as usize);
    let find = |ifd: &[(u16, Entry)], tag: u16| ifd.iter().find(|(t, _)| *t == tag).map(|(_, e)| *e);
    let mut meta = PhotoMeta::default();
    if let Some(exif) = find(&ifd0, 0x8769).and_then(|e| t.offset(e)) {
        let exif = t.ifd(exif);
        meta.captured_at = find(&exif, 0x9003)
            .and_then(|e| t.ascii(e))
            .and_then(|s| NaiveDateTime::parse_from_str(s, "%Y:%m:%d %H:%M:%S").ok());
    }
    if let Some(gps) = find(&ifd0, 0x8825).and_then(|e| t.offset(e)) {
        let gps = t.ifd(gps);
        let signed = |reference: u16, value: u16, negative: &str, limit: f64| {
            let reference = t.ascii(find(&gps, reference)?)?;
            let degrees = t.degrees(find(&gps, value)?)?;
            let degrees = if reference.eq_ignore_ascii_case(negative) { -degrees } else { degrees };
            (degrees.is_finite() && degrees.abs() <= limit).then_some(degrees)
        };
        let (lat, lon) = (signed(1, 2, "S", 90.0), signed(3, 4, "W", 180.0));
        // A position is both coordinates or none.
        if let (Some(lat), Some(lon)) = (lat, lon) {
            meta.latitude = Some(lat);
            meta.longitude = Some(lon);
        }
    }
    Some(meta)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const JPEG: &[u8] = include_bytes!("../../fixtures/photos/site.jpg");
    const PNG: &[u8] = include_bytes!("../../fixtures/photos/site.png");
    const WEBP: &[u8] = include_bytes!("../../fixtures/photos/site.webp");
    const PLAIN: &[u8] = include_bytes!("../../fixtures/photos/plain.jpg");

    fn at(day: u32, h: u32, m: u32, s: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(2026, 12, day).and_then(|d| d.and_hms_opt(h, m, s))
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-4)
    }

    #[test]
    fn a_jpeg_gives_its_capture_time_and_position_little_endian() {
        let meta = read(JPEG);
        assert_eq!(meta.captured_at, at(20, 9, 30, 15));
        assert!(close(meta.latitude, 31.2304) && close(meta.longitude, 121.4737), "{meta:?}");
    }

    #[test]
    fn a_png_exif_chunk_is_read_big_endian() {
        let meta = read(PNG);
        assert_eq!(meta.captured_at, at(21, 14, 5, 0));
        assert!(close(meta.latitude, 39.9042) && close(meta.longitude, 116.4074), "{meta:?}");
    }

    #[test]
    fn a_webp_exif_chunk_is_read_and_south_is_negative() {
        let meta = read(WEBP);
        assert_eq!(meta.captured_at, at(22, 16, 45, 30));
        assert!(close(meta.latitude, -33.8688) && close(meta.longitude, 151.2093), "{meta:?}");
    }

    #[test]
    fn a_photo_without_exif_or_not_an_image_gives_nothing() {
        assert_eq!(read(PLAIN), PhotoMeta::default());
        assert_eq!(read(b"%PDF-1.4"), PhotoMeta::default());
        assert_eq!(read(&[]), PhotoMeta::default());
    }

    #[test]
    fn damaged_exif_is_ignored_not_an_error() {
        for cut in [20, 60, 200, 400] {
            let mut bytes = JPEG[..cut.min(JPEG.len())].to_vec();
            bytes.extend_from_slice(&[0xFF; 8]);
            let _ = read(&bytes);
        }
        let mut wild = JPEG.to_vec();
        for b in wild.iter_mut().skip(30).take(60) {
            *b = 0xEE;
        }
        let _ = read(&wild);
    }

    #[test]
    fn stripping_removes_the_block_and_keeps_the_image() {
        for (photo, kind) in [(JPEG, ImageKind::Jpeg), (PNG, ImageKind::Png), (WEBP, ImageKind::Webp)] {
            let stripped = strip(photo).expect("an image");
            assert_eq!(ImageKind::of(&stripped), Some(kind));
            assert_eq!(read(&stripped), PhotoMeta::default(), "{kind:?}");
            assert!(stripped.len() < photo.len(), "{kind:?}");
            assert!(!stripped.windows(EXIF_HEADER.len()).any(|w| w == EXIF_HEADER), "{kind:?}");
        }
        let webp = strip(WEBP).expect("webp");
        let riff = u32::from_le_bytes([webp[4], webp[5], webp[6], webp[7]]) as usize;
        assert_eq!(riff, webp.len() - 8);
        assert_eq!(webp[20] & 0x08, 0, "the VP8X EXIF flag is cleared");
        assert_eq!(strip(PLAIN).as_deref(), Some(PLAIN));
        assert_eq!(strip(b"%PDF-1.4"), None);
    }
}
