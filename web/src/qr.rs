//! QR codes as SVG path data, for the authenticator-app enrolment.

use qrcode::{Color, EcLevel, QrCode};

/// A QR code: its width in modules (without the quiet zone) and one SVG path drawing the dark
/// modules, offset by a four-module quiet zone.
pub struct QrPath {
    /// Modules per side, including the quiet zone on both sides.
    pub size: usize,
    /// SVG path data (`M x y h1v1h-1z` per dark module).
    pub d: String,
}

const QUIET_ZONE: usize = 4;

/// Encodes `text` (an `otpauth://` URI) at medium error correction.
pub fn qr_path(text: &str) -> Option<QrPath> {
    let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
    let width = code.width();
    let mut d = String::new();
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (index % width + QUIET_ZONE, index / width + QUIET_ZONE);
            d.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(QrPath { size: width + 2 * QUIET_ZONE, d })
}
