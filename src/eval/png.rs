//! Charts as PNG pictures (feature `png`, part of `cli`): for slides, Word documents and
//! anything else that does not take SVG.
//!
//! The SVG charts are drawn into pixels by [resvg](https://docs.rs/resvg), a renderer in
//! pure Rust: no system image library is needed. Text, however, needs a font, and resvg
//! reads the fonts installed on the computer (on Linux those under `/usr/share/fonts`,
//! such as DejaVu). Without any font, saving a PNG fails with a message saying so,
//! rather than writing a picture without its labels.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use crate::error::{Error, Result};
use crate::eval::plot::Svg;
use crate::eval::report::EvalReport;

/// How many PNG pixels [`Svg::save_png`] draws per SVG pixel: 2, so that a chart stays
/// sharp on high-resolution screens and in print (a 720 × 200 chart becomes 1440 × 400).
pub const PNG_SCALE: f32 = 2.0;

/// The largest width or height of a PNG, in pixels (larger scales are refused).
const MAX_SIDE: f32 = 16_384.0;

/// Families tried, in order, for text that asks for `sans-serif` (as the charts do) when
/// the font library's default (Arial) is not installed.
const SANS: [&str; 7] = [
    "DejaVu Sans",
    "Liberation Sans",
    "Arial",
    "Helvetica",
    "Noto Sans",
    "FreeSans",
    "Verdana",
];
const SERIF: [&str; 5] = [
    "DejaVu Serif",
    "Liberation Serif",
    "Times New Roman",
    "Noto Serif",
    "FreeSerif",
];
const MONOSPACE: [&str; 5] = [
    "DejaVu Sans Mono",
    "Liberation Mono",
    "Courier New",
    "Noto Sans Mono",
    "FreeMono",
];

const NO_FONTS: &str = "cannot draw the charts as PNG: no fonts were found on this computer \
     (the chart labels need one). Install a font package, for example `apt-get install \
     fonts-dejavu-core` on Debian or Ubuntu, or save the charts as SVG instead";

impl Svg {
    /// The chart as PNG bytes, `scale` PNG pixels per SVG pixel (1.0 keeps
    /// [`size`](Svg::size); [`PNG_SCALE`] is what [`save_png`](Svg::save_png) uses).
    /// Fails when no font is installed, or when the scale is not positive or gives a
    /// picture over 16,384 pixels wide or high.
    ///
    /// ```
    /// let chart = clinkit::eval::f1_chart("F1", &[("age".to_string(), 0.9, None)]);
    /// let png = chart.to_png(1.0).unwrap();
    /// assert!(png.starts_with(b"\x89PNG"));
    /// ```
    pub fn to_png(&self, scale: f32) -> Result<Vec<u8>> {
        render(self, scale, system_fonts()?)
    }

    /// Writes the chart as a PNG file (creating its folder), at [`PNG_SCALE`] times its
    /// [`size`](Svg::size). Fails with a message when no font is installed.
    ///
    /// ```
    /// let chart = clinkit::eval::f1_chart("F1", &[("age".to_string(), 0.9, None)]);
    /// let path = std::env::temp_dir().join("clinkit-doc-f1.png");
    /// chart.save_png(&path).unwrap();
    /// assert!(std::fs::read(&path).unwrap().starts_with(b"\x89PNG"));
    /// ```
    pub fn save_png(&self, path: &Path) -> Result<()> {
        let png = self.to_png(PNG_SCALE)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(path, png).map_err(|e| Error::io(path, e))
    }
}

impl EvalReport {
    /// Writes `f1.png` and `confusion_<field>.png` into `folder` (the PNG twins of
    /// [`save_charts`](EvalReport::save_charts)); returns the files written. Fails with a
    /// message when no font is installed.
    ///
    /// ```
    /// # let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// let folder = std::env::temp_dir().join("clinkit-doc-save-charts-png");
    /// let written = report.save_charts_png(&folder).unwrap();
    /// assert!(written[0].ends_with("f1.png"));
    /// ```
    pub fn save_charts_png(&self, folder: &Path) -> Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for (name, chart) in self.charts() {
            let path = folder.join(format!("{name}.png"));
            chart.save_png(&path)?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The fonts installed on this computer, read once (reading them takes a moment), with
/// the generic families `sans-serif`, `serif` and `monospace` pointed at installed fonts.
fn system_fonts() -> Result<Arc<fontdb::Database>> {
    static FONTS: OnceLock<std::result::Result<Arc<fontdb::Database>, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut fonts = fontdb::Database::new();
            fonts.load_system_fonts();
            prepare_fonts(fonts).map(Arc::new)
        })
        .clone()
        .map_err(Error::Refused)
}

/// Points each generic family whose default font is missing at an installed one, so that
/// `font-family="sans-serif"` always finds a font. Fails when there is no font at all.
fn prepare_fonts(mut fonts: fontdb::Database) -> std::result::Result<fontdb::Database, String> {
    let Some(any) = fonts
        .faces()
        .find_map(|face| face.families.first().map(|(name, _)| name.clone()))
    else {
        return Err(NO_FONTS.to_string());
    };
    let installed = |fonts: &fontdb::Database, family: fontdb::Family| {
        fonts
            .query(&fontdb::Query {
                families: &[family],
                ..Default::default()
            })
            .is_some()
    };
    let pick = |fonts: &fontdb::Database, names: &[&str]| -> Option<String> {
        names
            .iter()
            .find(|name| installed(fonts, fontdb::Family::Name(name)))
            .map(|name| name.to_string())
    };
    let sans = pick(&fonts, &SANS).unwrap_or(any);
    if !installed(&fonts, fontdb::Family::SansSerif) {
        fonts.set_sans_serif_family(sans.clone());
    }
    if !installed(&fonts, fontdb::Family::Serif) {
        let serif = pick(&fonts, &SERIF).unwrap_or_else(|| sans.clone());
        fonts.set_serif_family(serif);
    }
    if !installed(&fonts, fontdb::Family::Monospace) {
        let monospace = pick(&fonts, &MONOSPACE).unwrap_or_else(|| sans.clone());
        fonts.set_monospace_family(monospace);
    }
    Ok(fonts)
}

/// Draws `svg` into a white picture `scale` times its size and encodes it as PNG.
fn render(svg: &Svg, scale: f32, fonts: Arc<fontdb::Database>) -> Result<Vec<u8>> {
    if fonts.is_empty() {
        return Err(Error::Refused(NO_FONTS.to_string()));
    }
    let (width, height) = svg.size();
    let (width, height) = (
        (width as f32 * scale).round(),
        (height as f32 * scale).round(),
    );
    if !(scale.is_finite() && scale > 0.0 && width >= 1.0 && height >= 1.0)
        || width > MAX_SIDE
        || height > MAX_SIDE
    {
        return Err(Error::Refused(format!(
            "cannot draw a chart as PNG at scale {scale}: the picture must be 1 to {MAX_SIDE} \
             pixels wide and high"
        )));
    }
    let options = usvg::Options {
        fontdb: fonts,
        font_family: "sans-serif".into(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg.as_str(), &options)
        .map_err(|e| Error::Refused(format!("cannot read a chart as SVG: {e}")))?;
    if svg.as_str().contains("</text>") && !tree.has_text_nodes() {
        return Err(Error::Refused(
            "cannot draw the chart's labels as PNG: none of the installed fonts could be used"
                .into(),
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(width as u32, height as u32)
        .ok_or_else(|| Error::Refused("cannot make a picture of this size".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| Error::Refused(format!("cannot encode a chart as PNG: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::f1_chart;

    fn chart() -> Svg {
        f1_chart("F1", &[("age".to_string(), 0.9, None)])
    }

    #[test]
    fn without_fonts_there_is_a_clear_error_not_a_picture_without_text() {
        let empty = fontdb::Database::new();
        let message = prepare_fonts(empty.clone()).unwrap_err();
        assert!(message.contains("no fonts were found"), "{message}");
        let error = render(&chart(), 1.0, Arc::new(empty)).unwrap_err();
        assert!(error.to_string().contains("fonts-dejavu-core"), "{error}");
    }

    #[test]
    fn bad_scales_are_refused() {
        for scale in [0.0, -1.0, f32::NAN, 1000.0] {
            assert!(chart().to_png(scale).is_err(), "scale {scale}");
        }
    }

    #[test]
    fn the_png_has_the_charts_size_times_the_scale() {
        let chart = chart();
        let (width, height) = chart.size();
        let pixmap = tiny_skia::Pixmap::decode_png(&chart.to_png(1.5).unwrap()).unwrap();
        assert_eq!(
            (pixmap.width(), pixmap.height()),
            (
                (width as f32 * 1.5).round() as u32,
                (height as f32 * 1.5).round() as u32
            )
        );
    }
}
