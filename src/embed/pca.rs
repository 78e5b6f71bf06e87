//! Principal component analysis (PCA): a picture of 384-number vectors on a flat page.
//!
//! An embedding has hundreds of numbers; a screen has two directions. PCA finds the two
//! directions in which the vectors differ the most (the *principal components*) and
//! describes every vector by how far it lies along each of them. Texts that the model
//! finds similar land close together on the page.
//!
//! How, in small steps (no linear-algebra library needed):
//! 1. subtract the average vector, so the cloud of points sits around zero;
//! 2. *power iteration*: start from some direction `d`, and repeat "project every point
//!    on `d`, add the points up weighted by those projections, normalise": `d` turns
//!    towards the direction of largest spread, like a compass needle settling;
//! 3. remove that direction from every point (*deflation*) and repeat step 2 for the
//!    second direction.
//!
//! The *explained variance* says how much of all the spread each direction shows: a
//! picture whose two directions explain 15% hides a lot, so say it in the caption.
//!
//! ```
//! use clinkit::embed::pca::Pca;
//! // Points along the line y = 2x in 3-D (plus a little noise in z):
//! let points = vec![
//!     vec![1.0, 2.0, 0.1],
//!     vec![2.0, 4.0, -0.1],
//!     vec![3.0, 6.0, 0.1],
//!     vec![4.0, 8.0, -0.1],
//! ];
//! let pca = Pca::fit(&points).unwrap();
//! assert!(pca.explained_variance_ratio()[0] > 0.99);
//! let (x, _y) = pca.project(&points[0]);
//! let (x_last, _) = pca.project(&points[3]);
//! assert!((x - x_last).abs() > 6.0); // the line's length, sqrt(3² + 6²) = 6.7
//! ```

use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::eval::plot::draw;
use crate::eval::Svg;

/// How many rounds of power iteration at most; it usually settles far sooner.
const MAX_ROUNDS: usize = 500;
/// Stop when the direction moves less than this between rounds.
const SETTLED: f64 = 1e-10;

/// A fitted 2-D projection: the average vector and the two principal directions.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    mean: Vec<f64>,
    axes: [Vec<f64>; 2],
    variances: [f64; 2],
    total_variance: f64,
}

impl Pca {
    /// Finds the two directions of largest spread of `vectors` (all of the same length,
    /// at least two of them).
    ///
    /// ```
    /// let error = clinkit::embed::pca::Pca::fit(&[vec![1.0, 2.0]]).unwrap_err();
    /// assert!(error.to_string().contains("at least 2"), "{error}");
    /// ```
    pub fn fit(vectors: &[Vec<f32>]) -> Result<Pca> {
        check_shape(vectors)?;
        let mean = mean_vector(vectors);
        let centred: Vec<Vec<f64>> = vectors.iter().map(|v| subtract(v, &mean)).collect();
        let total_variance =
            centred.iter().map(|row| squared_length(row)).sum::<f64>() / (centred.len() - 1) as f64;
        let (first, first_variance) = principal_direction(&centred, None);
        let (second, second_variance) = principal_direction(&centred, Some(&first));
        Ok(Pca {
            mean,
            axes: [first, second],
            variances: [first_variance, second_variance],
            total_variance,
        })
    }

    /// Where `vector` lands on the page: its distance along the first and the second
    /// principal direction, measured from the average vector.
    pub fn project(&self, vector: &[f32]) -> (f64, f64) {
        let centred = subtract(vector, &self.mean);
        (dot(&centred, &self.axes[0]), dot(&centred, &self.axes[1]))
    }

    /// [`Pca::project`] for many vectors.
    pub fn project_all(&self, vectors: &[Vec<f32>]) -> Vec<(f64, f64)> {
        vectors.iter().map(|vector| self.project(vector)).collect()
    }

    /// The two principal directions, each of length 1.
    pub fn axes(&self) -> &[Vec<f64>; 2] {
        &self.axes
    }

    /// Which share of the total spread (variance) each of the two directions shows,
    /// between 0 and 1. Their sum is what the picture shows of the whole.
    pub fn explained_variance_ratio(&self) -> [f64; 2] {
        if self.total_variance == 0.0 {
            return [0.0, 0.0];
        }
        self.variances
            .map(|variance| variance / self.total_variance)
    }
}

/// Checks there are at least two vectors, all of the same length.
fn check_shape(vectors: &[Vec<f32>]) -> Result<()> {
    if vectors.len() < 2 {
        return Err(Error::Refused(format!(
            "PCA needs at least 2 vectors, got {}",
            vectors.len()
        )));
    }
    let width = vectors[0].len();
    if let Some((index, odd)) = vectors.iter().enumerate().find(|(_, v)| v.len() != width) {
        return Err(Error::Refused(format!(
            "PCA needs vectors of one length: vector 0 has {width} numbers, vector {index} has {}",
            odd.len()
        )));
    }
    Ok(())
}

/// `vector` minus the average vector, in f64: the point moved so the cloud sits around zero.
fn subtract(vector: &[f32], mean: &[f64]) -> Vec<f64> {
    vector
        .iter()
        .zip(mean)
        .map(|(value, mean)| *value as f64 - mean)
        .collect()
}

/// The average of the vectors, number by number.
fn mean_vector(vectors: &[Vec<f32>]) -> Vec<f64> {
    let mut sum = vec![0.0; vectors[0].len()];
    for vector in vectors {
        for (total, value) in sum.iter_mut().zip(vector) {
            *total += *value as f64;
        }
    }
    sum.iter()
        .map(|total| total / vectors.len() as f64)
        .collect()
}

/// Power iteration: the direction of largest spread of the centred `rows` (leaving out
/// `found`, an earlier direction), and the variance along it.
fn principal_direction(rows: &[Vec<f64>], found: Option<&[f64]>) -> (Vec<f64>, f64) {
    let width = rows[0].len();
    // A fixed, uneven start so the result is the same every run.
    let mut direction: Vec<f64> = (0..width).map(|i| 1.0 + (i % 7) as f64 * 0.1).collect();
    remove_component(&mut direction, found);
    normalise(&mut direction);
    for _ in 0..MAX_ROUNDS {
        let mut next = vec![0.0; width];
        for row in rows {
            let along = dot(row, &direction);
            for (total, value) in next.iter_mut().zip(row) {
                *total += along * value;
            }
        }
        remove_component(&mut next, found);
        if normalise(&mut next) == 0.0 {
            break; // no spread left in any direction
        }
        let moved = next
            .iter()
            .zip(&direction)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        direction = next;
        if moved < SETTLED {
            break;
        }
    }
    let variance = rows
        .iter()
        .map(|row| dot(row, &direction).powi(2))
        .sum::<f64>()
        / (rows.len() - 1) as f64;
    (direction, variance)
}

/// Removes from `vector` its part along the unit vector `axis`, if any.
fn remove_component(vector: &mut [f64], axis: Option<&[f64]>) {
    if let Some(axis) = axis {
        let along = dot(vector, axis);
        for (value, a) in vector.iter_mut().zip(axis) {
            *value -= along * a;
        }
    }
}

/// Scales `vector` to length 1 and returns its old length (0 leaves it as it is).
fn normalise(vector: &mut [f64]) -> f64 {
    let length = squared_length(vector).sqrt();
    if length > 0.0 {
        vector.iter_mut().for_each(|value| *value /= length);
    }
    length
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn squared_length(vector: &[f64]) -> f64 {
    dot(vector, vector)
}

/// Colours for up to eight groups (then they repeat), picked to be told apart easily.
const GROUP_COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// One point of a scatter chart: where it is, its group (colour and legend) and an
/// optional short label written next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotPoint {
    /// Position along the first principal direction.
    pub x: f64,
    /// Position along the second principal direction.
    pub y: f64,
    /// The group, such as the document's language or type; one colour per group.
    pub group: String,
    /// Text next to the point (empty for none).
    pub label: String,
}

/// Fits a PCA to `vectors` and places each one as a [`PlotPoint`] with its group and label.
///
/// ```
/// use clinkit::embed::pca::{pca_points, scatter_chart};
/// let vectors = vec![vec![0.0, 1.0, 0.0], vec![0.0, 0.9, 0.1], vec![1.0, 0.0, 0.0]];
/// let groups = ["heart", "heart", "lung"];
/// let (pca, points) = pca_points(&vectors, &groups, &["a", "b", "c"]).unwrap();
/// assert_eq!(points.len(), 3);
/// let chart = scatter_chart("Three texts", &points, pca.explained_variance_ratio());
/// assert!(chart.as_str().contains("lung"));
/// ```
pub fn pca_points<G: AsRef<str>, L: AsRef<str>>(
    vectors: &[Vec<f32>],
    groups: &[G],
    labels: &[L],
) -> Result<(Pca, Vec<PlotPoint>)> {
    let pca = Pca::fit(vectors)?;
    let points = pca
        .project_all(vectors)
        .into_iter()
        .enumerate()
        .map(|(i, (x, y))| PlotPoint {
            x,
            y,
            group: groups
                .get(i)
                .map(|g| g.as_ref().to_string())
                .unwrap_or_default(),
            label: labels
                .get(i)
                .map(|l| l.as_ref().to_string())
                .unwrap_or_default(),
        })
        .collect();
    Ok((pca, points))
}

/// Draws the points as a scatter chart, one colour per group with a legend; the axis
/// titles say how much of the spread each direction shows (`explained`, from
/// [`Pca::explained_variance_ratio`]). Shows inline in a notebook; save with
/// [`Svg::save`] (or `save_png` with the `png` feature).
pub fn scatter_chart(title: &str, points: &[PlotPoint], explained: [f64; 2]) -> Svg {
    let groups = group_names(points);
    let legend = groups.iter().any(|group| !group.is_empty());
    draw((720, 540), |root| {
        let (x_range, y_range) = padded_ranges(points, legend);
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(x_range, y_range)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(240, 240, 240))
            .x_desc(format!(
                "first direction ({:.0}% of spread)",
                explained[0] * 100.0
            ))
            .y_desc(format!(
                "second direction ({:.0}% of spread)",
                explained[1] * 100.0
            ))
            .x_label_formatter(&|x| tick(*x))
            .y_label_formatter(&|y| tick(*y))
            .draw()
            .map_err(|e| e.to_string())?;
        for (index, group) in groups.iter().enumerate() {
            let colour = GROUP_COLOURS[index % GROUP_COLOURS.len()];
            let members = points.iter().filter(|point| &point.group == group);
            chart
                .draw_series(members.map(|point| {
                    EmptyElement::at((point.x, point.y))
                        + Circle::new((0, 0), 5, colour.filled())
                        + Text::new(point.label.clone(), (7, -7), ("sans-serif", 11))
                }))
                .map_err(|e| e.to_string())?
                .label(group.as_str())
                .legend(move |(x, y)| Circle::new((x, y), 5, colour.filled()));
        }
        if legend {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// The distinct groups, in the order they first appear.
fn group_names(points: &[PlotPoint]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for point in points {
        if !names.contains(&point.group) {
            names.push(point.group.clone());
        }
    }
    names
}

/// An axis number with two decimals, without a minus sign on zero.
fn tick(value: f64) -> String {
    if value.abs() < 0.005 {
        return "0.00".to_string();
    }
    format!("{value:.2}")
}

/// The x and y ranges of the points with 8% room on every side (never empty), and room
/// on the right for the legend so it covers no point.
fn padded_ranges(
    points: &[PlotPoint],
    legend: bool,
) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let pad = |values: Vec<f64>| {
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !low.is_finite() || !high.is_finite() {
            return -1.0..1.0;
        }
        let room = ((high - low) * 0.08).max(1e-3);
        (low - room)..(high + room)
    };
    let x = pad(points.iter().map(|point| point.x).collect());
    let y = pad(points.iter().map(|point| point.y).collect());
    let legend_room = if legend {
        (x.end - x.start) * 0.35
    } else {
        0.0
    };
    (x.start..x.end + legend_room, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_axes_of_a_stretched_cloud() {
        // Spread 3 along (1, 1)/√2 and 1 along (1, -1)/√2.
        let points: Vec<Vec<f32>> = [(3.0, 1.0), (-3.0, 1.0), (3.0, -1.0), (-3.0, -1.0)]
            .iter()
            .map(|(a, b)| {
                let s = std::f32::consts::FRAC_1_SQRT_2;
                vec![(a + b) * s + 5.0, (a - b) * s - 2.0]
            })
            .collect();
        let pca = Pca::fit(&points).unwrap();
        let [first, second] = pca.axes();
        let s = std::f64::consts::FRAC_1_SQRT_2;
        assert!((first[0].abs() - s).abs() < 1e-6 && (first[0] - first[1]).abs() < 1e-6);
        assert!((second[0] + second[1]).abs() < 1e-6);
        // Variances 4·9/3 = 12 and 4·1/3 = 4/3: 90% and 10% of the total.
        let [r1, r2] = pca.explained_variance_ratio();
        assert!(
            (r1 - 0.9).abs() < 1e-6 && (r2 - 0.1).abs() < 1e-6,
            "{r1} {r2}"
        );
        let (x, y) = pca.project(&points[0]);
        assert!((x.abs() - 3.0).abs() < 1e-5 && (y.abs() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn unequal_lengths_are_refused() {
        let error = Pca::fit(&[vec![1.0, 2.0], vec![1.0]]).unwrap_err();
        assert!(error.to_string().contains("vector 1 has 1"), "{error}");
    }

    #[test]
    fn identical_points_have_no_spread() {
        let pca = Pca::fit(&[vec![1.0, 2.0], vec![1.0, 2.0]]).unwrap();
        assert_eq!(pca.explained_variance_ratio(), [0.0, 0.0]);
        assert_eq!(pca.project(&[1.0, 2.0]), (0.0, 0.0));
    }
}
