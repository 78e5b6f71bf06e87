//! Charts of an evaluation: F1 per field with its interval, and confusion-matrix heatmaps.
//!
//! Charts are drawn with [plotters](https://docs.rs/plotters) as SVG text, which needs no
//! font or image library, shows inline in a Jupyter notebook on the evcxr kernel, opens
//! in any browser, and can be pasted into an HTML report. With the `png` feature (part of
//! `cli`), [`Svg::save_png`] also draws them as PNG pictures for slides and documents.

use std::path::Path;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::eval::bootstrap::Interval;
use crate::eval::confusion::ConfusionMatrix;
use crate::eval::report::EvalReport;

/// A chart as SVG text. In a notebook cell on the evcxr kernel, a value of this type shows
/// as the picture (through [`Svg::evcxr_display`]).
///
/// ```
/// let chart = clinkit::eval::f1_chart("F1", &[("age".to_string(), 0.9, None)]);
/// assert!(chart.as_str().starts_with("<svg"));
/// assert!(chart.as_str().contains("age"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg {
    svg: String,
    size: (u32, u32),
}

impl Svg {
    /// The SVG text.
    pub fn as_str(&self) -> &str {
        &self.svg
    }

    /// Width and height of the chart in pixels.
    ///
    /// ```
    /// let chart = clinkit::eval::f1_chart("F1", &[("age".to_string(), 0.9, None)]);
    /// assert_eq!(chart.size().0, 720);
    /// ```
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// Writes the SVG to a file (creating its folder).
    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(path, &self.svg).map_err(|e| Error::io(path, e))
    }

    /// The text evcxr reads to show rich output: `EVCXR_BEGIN_CONTENT text/html`, the SVG,
    /// `EVCXR_END_CONTENT`.
    ///
    /// ```
    /// let chart = clinkit::eval::f1_chart("F1", &[]);
    /// let shown = chart.evcxr_content();
    /// assert!(shown.starts_with("EVCXR_BEGIN_CONTENT text/html\n<svg"));
    /// assert!(shown.ends_with("\nEVCXR_END_CONTENT"));
    /// ```
    pub fn evcxr_content(&self) -> String {
        format!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.svg.trim_end()
        )
    }

    /// Shows the chart in a notebook: evcxr calls this for the value of a cell.
    pub fn evcxr_display(&self) {
        println!("{}", self.evcxr_content());
    }
}

impl std::fmt::Display for Svg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.svg)
    }
}

/// Draws into an SVG string; drawing into memory cannot fail for lack of space or fonts,
/// so an error here is a bug and is shown inside the picture instead of panicking.
pub(crate) fn draw(
    size: (u32, u32),
    paint: impl FnOnce(
        &DrawingArea<SVGBackend, plotters::coord::Shift>,
    ) -> std::result::Result<(), String>,
) -> Svg {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let outcome = root
            .fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|_| paint(&root));
        if let Err(message) = outcome {
            let _ = root.draw(&Text::new(
                format!("chart failed: {message}"),
                (10, 20),
                ("sans-serif", 14),
            ));
        }
        let _ = root.present();
    }
    Svg { svg, size }
}

/// Horizontal bars of F1 (0 to 1) per row, with the confidence interval as a whisker.
/// Each row is `(name, F1, interval)`; the first row is drawn at the top.
pub fn f1_chart(title: &str, rows: &[(String, f64, Option<Interval>)]) -> Svg {
    horizontal_bars(title, "F1", 1.0, rows)
}

/// Horizontal bars from 0 to each row's value (axis `x_desc`, up to `max`), each labelled
/// with its value and, when given, an interval drawn as a whisker. The first row is on top.
pub(crate) fn horizontal_bars(
    title: &str,
    x_desc: &str,
    max: f64,
    rows: &[(String, f64, Option<Interval>)],
) -> Svg {
    let n = rows.len().max(1) as i32;
    let label_width = rows
        .iter()
        .map(|(name, _, _)| name.chars().count())
        .max()
        .unwrap_or(4) as u32
        * 8
        + 16;
    let height = 80 + 30 * n as u32;
    draw((720, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(30)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0f64..max * 1.05, (0..last_segment(n)).into_segmented())
            .map_err(|e| e.to_string())?;
        let row_of = |k: usize| n - 1 - k as i32;
        let name_at = |value: &SegmentValue<i32>| match value {
            SegmentValue::CenterOf(y) | SegmentValue::Exact(y) => rows
                .get((n - 1 - y) as usize)
                .map(|(name, _, _)| name.clone())
                .unwrap_or_default(),
            SegmentValue::Last => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .y_labels(rows.len().max(1))
            .y_label_formatter(&name_at)
            .x_desc(x_desc)
            .x_label_formatter(&|x| format!("{x:.1}"))
            .draw()
            .map_err(|e| e.to_string())?;
        let bar = RGBColor(70, 130, 180);
        chart
            .draw_series(rows.iter().enumerate().map(|(k, (_, f1, _))| {
                let y = row_of(k);
                let mut rectangle = Rectangle::new(
                    [
                        (0.0, SegmentValue::Exact(y)),
                        (*f1, SegmentValue::Exact(y + 1)),
                    ],
                    bar.filled(),
                );
                rectangle.set_margin(5, 5, 0, 0);
                rectangle
            }))
            .map_err(|e| e.to_string())?;
        for (k, (_, f1, interval)) in rows.iter().enumerate() {
            let y = SegmentValue::CenterOf(row_of(k));
            if let Some(interval) = interval {
                let style = BLACK.stroke_width(2);
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(interval.low, y.clone()), (interval.high, y.clone())],
                        style,
                    )))
                    .map_err(|e| e.to_string())?;
                for end in [interval.low, interval.high] {
                    chart
                        .draw_series(std::iter::once(
                            EmptyElement::at((end, y.clone()))
                                + PathElement::new(vec![(0, -6), (0, 6)], style),
                        ))
                        .map_err(|e| e.to_string())?;
                }
            }
            let right = interval.map(|i| i.high).unwrap_or(*f1).max(*f1);
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((right, y))
                        + Text::new(format!("{f1:.2}"), (6, -6), ("sans-serif", 12)),
                ))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// A heatmap of a confusion matrix: rows are the gold labels, columns the predicted
/// labels; each cell shows its count and is coloured by its share of the row (so a dark
/// diagonal means each gold label is mostly predicted right).
///
/// ```
/// use clinkit::eval::{confusion_chart, ConfusionMatrix};
/// let m = ConfusionMatrix::from_labels("urgency", &["urgent", "routine"], &["urgent", "urgent"], &["routine", "urgent"]);
/// let svg = confusion_chart(&m);
/// assert!(svg.as_str().contains("routine") && svg.as_str().contains("urgent"));
/// ```
pub fn confusion_chart(matrix: &ConfusionMatrix) -> Svg {
    let k = matrix.labels.len().max(1) as i32;
    let label_width = matrix
        .labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4) as u32
        * 8
        + 40;
    let cell = 56;
    let size = (label_width + cell * k as u32 + 60, 110 + cell * k as u32);
    draw(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("{}: gold (rows) vs predicted (columns)", matrix.field),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(label_width)
            .build_cartesian_2d(
                (0..last_segment(k)).into_segmented(),
                (0..last_segment(k)).into_segmented(),
            )
            .map_err(|e| e.to_string())?;
        let label_at = |flip: bool| {
            move |value: &SegmentValue<i32>| match value {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    let index = if flip { k - 1 - i } else { *i };
                    matrix
                        .labels
                        .get(index as usize)
                        .cloned()
                        .unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            }
        };
        let (x_label, y_label) = (label_at(false), label_at(true));
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(k as usize)
            .y_labels(k as usize)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc("predicted")
            .y_desc("gold")
            .draw()
            .map_err(|e| e.to_string())?;
        for (g, row) in matrix.counts.iter().enumerate() {
            let row_total: usize = row.iter().sum();
            for (p, &count) in row.iter().enumerate() {
                let share = if row_total == 0 {
                    0.0
                } else {
                    count as f64 / row_total as f64
                };
                let (x, y) = (p as i32, k - 1 - g as i32);
                let mut rectangle = Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    shade(share).filled(),
                );
                rectangle.set_margin(1, 1, 1, 1);
                chart
                    .draw_series(std::iter::once(rectangle))
                    .map_err(|e| e.to_string())?;
                let ink = if share > 0.5 { WHITE } else { BLACK };
                let text = count.to_string();
                let offset = -(text.len() as i32 * 4);
                chart
                    .draw_series(std::iter::once(
                        EmptyElement::at((SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)))
                            + Text::new(
                                text,
                                (offset, -7),
                                ("sans-serif", 14).into_font().color(&ink),
                            ),
                    ))
                    .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    })
}

/// The end of a segmented axis with `n` categories: plotters gives `0..m` one segment
/// per value from 0 to `m` included, so `m = n − 1`; a one-category axis needs `0..1`
/// (an empty segment on top) because `0..0` draws no label.
pub(crate) fn last_segment(n: i32) -> i32 {
    (n - 1).max(1)
}

/// A colour from near-white (0) to dark blue (1).
pub(crate) fn shade(share: f64) -> RGBColor {
    let mix = |from: f64, to: f64| (from + (to - from) * share.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(247.0, 8.0), mix(251.0, 48.0), mix(255.0, 107.0))
}

impl EvalReport {
    /// F1 per field with the bootstrap interval as a whisker, then the micro and macro
    /// averages. In a notebook, the chart shows as the cell's value.
    pub fn f1_chart(&self) -> Svg {
        let mut rows: Vec<(String, f64, Option<Interval>)> = self
            .fields
            .iter()
            .map(|row| (row.field.clone(), row.scores.f1, row.f1_interval))
            .collect();
        rows.push(("micro".into(), self.micro.scores.f1, self.micro.f1_interval));
        rows.push((
            "macro".into(),
            self.macro_avg.scores.f1,
            self.macro_avg.f1_interval,
        ));
        f1_chart(
            &format!("F1 per field ({} documents)", self.documents),
            &rows,
        )
    }

    /// One confusion-matrix heatmap per categorical field and for diagnosis status,
    /// with the field name (for file names such as `confusion_smoking.svg`).
    pub fn confusion_charts(&self) -> Vec<(String, Svg)> {
        self.confusion
            .iter()
            .filter(|m| m.total() > 0)
            .map(|m| (m.field.clone(), confusion_chart(m)))
            .collect()
    }

    /// All charts with the file name each is saved under, without extension: `f1`, then
    /// `confusion_<field>` (a dot in the field becomes `_`).
    ///
    /// ```
    /// # let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// let names: Vec<String> = report.charts().into_iter().map(|(name, _)| name).collect();
    /// assert_eq!(names, ["f1"]); // no categorical fields in no documents
    /// ```
    pub fn charts(&self) -> Vec<(String, Svg)> {
        let mut charts = vec![("f1".to_string(), self.f1_chart())];
        for (field, chart) in self.confusion_charts() {
            charts.push((format!("confusion_{}", field.replace('.', "_")), chart));
        }
        charts
    }

    /// Writes `f1.svg` and `confusion_<field>.svg` into `folder`; returns the files written.
    ///
    /// ```
    /// # let report = clinkit::eval::evaluate(&[], &[], &Default::default()).unwrap();
    /// let folder = std::env::temp_dir().join("clinkit-doc-save-charts");
    /// let written = report.save_charts(&folder).unwrap();
    /// assert!(written[0].ends_with("f1.svg"));
    /// ```
    pub fn save_charts(&self, folder: &Path) -> Result<Vec<std::path::PathBuf>> {
        let mut written = Vec::new();
        for (name, chart) in self.charts() {
            let path = folder.join(format!("{name}.svg"));
            chart.save(&path)?;
            written.push(path);
        }
        Ok(written)
    }
}
