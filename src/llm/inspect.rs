//! Looking inside a language model while it reads a text: three teaching views.
//!
//! A model such as Gemma 3 reads a text as tokens and keeps, for every token, a vector of
//! numbers (640 in the 270M model) that each layer changes a little: the *residual stream*
//! or *hidden state*. [`inspect`] runs the model once over a text and keeps what it did:
//!
//! 1. **Hidden-state norms**: the length of that vector after the embedding and after each
//!    layer ([`Inspection::hidden_norms`], chart: [`Inspection::norms_chart`]). The length
//!    grows as layers add information; a sudden jump marks a layer that writes a lot.
//! 2. **Attention of one head**: for every token, how much it looked at each earlier token
//!    when one chosen head of one chosen layer mixed information
//!    ([`Inspection::attention`], heatmap: [`Inspection::attention_heatmap`]). Each row adds
//!    up to 1, and everything above the diagonal is 0: a token cannot look at the future.
//!    *Local* layers also see only the last 512 tokens (the sliding window).
//! 3. **The next token**: the most likely next tokens with their probabilities
//!    ([`Inspection::next_tokens`]: a table and a bar chart).
//!
//! The numbers come from the model's own forward pass
//! ([`Gemma3::forward_traced`](super::gemma3::Gemma3::forward_traced)), not from a copy of it:
//! what you see is what the model computes when it generates text.
//!
//! In a notebook (the values show as pictures and tables):
//!
//! ```no_run
//! use clinkit::llm::{inspect::inspect, local::LocalModel};
//! let model = LocalModel::packaged("gemma-3-270m-q4_k_m")?;
//! let seen = inspect(&model, "The patient has atrial fibrillation and takes", 5, 0)?;
//! seen.norms_chart();        // how long the hidden vector is after each layer
//! seen.attention_heatmap();  // layer 5 (the first global layer), head 0
//! println!("{}", seen.next_tokens(5)); // the five most likely next tokens
//! # Ok::<(), clinkit::Error>(())
//! ```

use std::fmt;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use serde::Serialize;

use super::gemma3::{Gemma3Config, Trace};
use super::local::LocalModel;
use super::sample::{log_softmax, top_n};
use crate::eval::plot::{draw, horizontal_bars, last_segment, shade};
use crate::eval::{Interval, Svg};
use crate::kernel::Html;
use crate::text::escape_html;
use crate::{Error, Result};

/// What the model did with one text: its tokens, hidden states, one head's attention and
/// the scores for the next token. Made by [`inspect`].
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The token ids read, starting with `<bos>`.
    pub token_ids: Vec<u32>,
    /// The text of each token, as shown on chart axes (a new line shows as `\n`).
    pub tokens: Vec<String>,
    /// The hidden states: `hidden_states[0]` after the embedding, `hidden_states[i + 1]`
    /// after layer `i`; each holds one vector per token.
    pub hidden_states: Vec<Vec<Vec<f32>>>,
    /// The chosen head's attention weights, with which layer and head they are.
    pub attention: AttentionMap,
    /// The score of every vocabulary entry for the token after the text.
    pub logits: Vec<f32>,
    /// The text of every vocabulary entry's token would be too much to keep; these are the
    /// texts of the 50 most likely next tokens (for [`Inspection::next_tokens`]).
    top_texts: Vec<(u32, String)>,
    /// Chart labels of the steps: `embedding`, `layer 0 (local)`, ...
    step_names: Vec<String>,
}

/// How much each token looked at each token before it, in one head of one layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttentionMap {
    /// The layer, counted from 0.
    pub layer: usize,
    /// The head, counted from 0.
    pub head: usize,
    /// `None` for a global layer (sees all earlier tokens); `Some(512)` for a local layer
    /// that only sees the last 512 tokens, itself included.
    pub window: Option<usize>,
    /// `weights[row][column]`: how much token `row` looked at token `column`. Each row adds
    /// up to 1; a column after the row (the future) or outside the window is 0.
    pub weights: Vec<Vec<f32>>,
}

impl AttentionMap {
    /// True when token `row` can see token `column` in this layer: not in the future, and
    /// within the window of a local layer.
    ///
    /// ```
    /// use clinkit::llm::inspect::AttentionMap;
    /// let map = AttentionMap { layer: 0, head: 0, window: Some(2), weights: vec![] };
    /// assert!(map.can_see(3, 2));  // one back: inside a window of 2
    /// assert!(!map.can_see(3, 1)); // two back: outside it
    /// assert!(!map.can_see(1, 2)); // the future
    /// ```
    pub fn can_see(&self, row: usize, column: usize) -> bool {
        column <= row && self.window.is_none_or(|window| row - column < window)
    }
}

/// One candidate for the next token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextToken {
    /// The token id.
    pub id: u32,
    /// The token's text.
    pub text: String,
    /// Its probability (softmax of the logits): between 0 and 1.
    pub probability: f32,
}

/// The most likely next tokens, most likely first. Shows as a table in a notebook and as
/// plain text with `println!("{}", ...)`; [`NextTokens::chart`] draws bars.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextTokens(pub Vec<NextToken>);

/// Runs `model` once over `text` and keeps what it did, with the attention of `head` in
/// `layer` (both counted from 0; Gemma 3 270M has layers 0 to 17 and heads 0 to 3).
///
/// The text is read in one piece, so keep it short for the attention heatmap (about 30
/// tokens are readable). Errors: a layer or head the model does not have, or a text the
/// tokenizer cannot read.
pub fn inspect(model: &LocalModel, text: &str, layer: usize, head: usize) -> Result<Inspection> {
    let ids = model.encode(text)?;
    inspect_tokens(model, &ids, layer, head)
}

/// Like [`inspect`], for token ids you already have (they should start with `<bos>`).
pub fn inspect_tokens(
    model: &LocalModel,
    ids: &[u32],
    layer: usize,
    head: usize,
) -> Result<Inspection> {
    // The views name Gemma's local and global layers; other networks are not drawn yet.
    let network = model.network().as_gemma3().ok_or_else(|| Error::Model {
        name: model.path().display().to_string(),
        message: format!(
            "the teaching views support gemma3 models; this one is {:?}",
            model.network().architecture()
        ),
    })?;
    let mut cache = network.new_cache();
    let mut trace = Trace::keeping_attention(layer, head);
    let logits = network.forward_traced(ids, &mut cache, &mut trace)?;
    let token_text = |id: u32| model.tokenizer().decode(&[id], false).unwrap_or_default();
    let top_texts = top_n(&logits, 50)
        .into_iter()
        .map(|id| (id, token_text(id)))
        .collect();
    Ok(Inspection {
        token_ids: ids.to_vec(),
        tokens: ids.iter().map(|&id| axis_label(&token_text(id))).collect(),
        hidden_states: trace.hidden_states,
        attention: attention_map(network.config(), layer, head, &trace.attention, ids.len()),
        logits,
        top_texts,
        step_names: (0..=network.config().layers)
            .map(|step| step_name(network.config(), step))
            .collect(),
    })
}

/// A token's text as a short label: new lines and tabs become `\n` and `\t`, and a token
/// that is only spaces shows them as `␣` (else its label would be invisible).
fn axis_label(text: &str) -> String {
    let text = text.replace('\n', "\\n").replace('\t', "\\t");
    if !text.is_empty() && text.trim().is_empty() {
        return text.replace(' ', "␣");
    }
    text
}

/// The kept attention rows as a square `count × count` table (the trace starts at position 0
/// for a text read in one piece from an empty cache).
fn attention_map(
    config: &Gemma3Config,
    layer: usize,
    head: usize,
    rows: &[Vec<f32>],
    count: usize,
) -> AttentionMap {
    let weights = rows
        .iter()
        .map(|row| {
            let mut full = row.clone();
            full.resize(count, 0.0);
            full
        })
        .collect();
    AttentionMap {
        layer,
        head,
        window: (!config.is_global_layer(layer)).then_some(config.sliding_window),
        weights,
    }
}

/// The length (L2 norm) of a vector: the square root of the sum of its squares.
///
/// ```
/// assert_eq!(clinkit::llm::inspect::l2_norm(&[3.0, 4.0]), 5.0);
/// ```
pub fn l2_norm(vector: &[f32]) -> f32 {
    vector
        .iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt() as f32
}

/// The name of step `index` of the residual stream on charts: `embedding`, then
/// `layer 0 (local)` ... `layer 5 (global)` (layers counted from 0, as everywhere in clinkit
/// and llama.cpp, so the number on the chart is the number you pass to [`inspect`]).
fn step_name(config: &Gemma3Config, index: usize) -> String {
    match index {
        0 => "embedding".into(),
        i if config.is_global_layer(i - 1) => format!("layer {} (global)", i - 1),
        i => format!("layer {} (local)", i - 1),
    }
}

impl Inspection {
    /// The hidden-state norms: `hidden_norms()[step][token]`, with step 0 the embedding and
    /// step `i + 1` the output of layer `i`.
    pub fn hidden_norms(&self) -> Vec<Vec<f32>> {
        self.hidden_states
            .iter()
            .map(|step| step.iter().map(|vector| l2_norm(vector)).collect())
            .collect()
    }

    /// The names of the steps, for charts and tables: `embedding`, `layer 0 (local)`, ...
    pub fn step_names(&self) -> &[String] {
        &self.step_names
    }

    /// The norms at the last token, one per step (embedding, layer 0, ...): what the model
    /// builds up before it scores the next token.
    pub fn last_token_norms(&self) -> Vec<f32> {
        self.hidden_norms()
            .iter()
            .map(|step| step.last().copied().unwrap_or(0.0))
            .collect()
    }

    /// A bar chart of [`Inspection::last_token_norms`]: one bar per step, embedding on top.
    pub fn norms_chart(&self) -> Svg {
        let norms = self.last_token_norms();
        let rows: Vec<(String, f64, Option<Interval>)> = norms
            .iter()
            .zip(&self.step_names)
            .map(|(&norm, name)| (name.clone(), f64::from(norm), None))
            .collect();
        let max = norms.iter().copied().fold(0.0f32, f32::max).max(1e-6);
        let last = self.tokens.last().map(String::as_str).unwrap_or("");
        horizontal_bars(
            &format!("Length of the hidden vector of the last token ({last:?}), per layer"),
            "L2 norm",
            f64::from(max) * 1.1, // room for the last bar's number
            &rows,
        )
    }

    /// The `k` most likely next tokens with their probabilities (softmax of
    /// [`Inspection::logits`]), most likely first. At most 50.
    pub fn next_tokens(&self, k: usize) -> NextTokens {
        let logprobs = log_softmax(&self.logits);
        NextTokens(
            self.top_texts
                .iter()
                .take(k)
                .map(|(id, text)| NextToken {
                    id: *id,
                    text: text.clone(),
                    probability: logprobs[*id as usize].exp(),
                })
                .collect(),
        )
    }

    /// A heatmap of [`Inspection::attention`]: one row per token (reading down), one column
    /// per token it can look at; darker is more attention. Grey cells cannot be seen: the
    /// future, and for a local layer anything outside its window.
    pub fn attention_heatmap(&self) -> Svg {
        attention_heatmap(&self.attention, &self.tokens)
    }
}

/// Draws an attention map with the token texts on both axes (see
/// [`Inspection::attention_heatmap`]).
///
/// ```
/// use clinkit::llm::inspect::{attention_heatmap, AttentionMap};
/// let map = AttentionMap { layer: 0, head: 0, window: None,
///                          weights: vec![vec![1.0, 0.0], vec![0.3, 0.7]] };
/// let svg = attention_heatmap(&map, &["<bos>".into(), "pijn".into()]);
/// assert!(svg.as_str().contains("pijn") && svg.as_str().contains("&lt;bos&gt;"));
/// ```
pub fn attention_heatmap(map: &AttentionMap, tokens: &[String]) -> Svg {
    let n = map.weights.len().max(1) as i32;
    let label_width = tokens
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(4)
        .min(24) as u32
        * 7
        + 20;
    let cell = if n <= 40 { 20 } else { (800 / n as u32).max(2) };
    let size = (
        label_width + cell * n as u32 + 40,
        label_width + cell * n as u32 + 60,
    );
    let kind = match map.window {
        None => "global layer: sees every earlier token".to_string(),
        Some(w) => format!("local layer: sees the last {w} tokens"),
    };
    let caption = format!(
        "Attention of layer {}, head {} ({kind})",
        map.layer, map.head
    );
    // Label every token when there are few; otherwise every `step`-th.
    let step = (n as usize).div_ceil(60).max(1);
    let label_of = |index: usize| match tokens.get(index) {
        Some(token) if index % step == 0 => shorten(token, 24),
        _ => String::new(),
    };
    let row_label = |value: &SegmentValue<i32>| match value {
        SegmentValue::CenterOf(y) | SegmentValue::Exact(y) => label_of((n - 1 - y) as usize),
        SegmentValue::Last => String::new(),
    };
    draw(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(caption, ("sans-serif", 15))
            .margin(10)
            .x_label_area_size(label_width)
            .y_label_area_size(label_width)
            .build_cartesian_2d(
                (0..last_segment(n)).into_segmented(),
                (0..last_segment(n)).into_segmented(),
            )
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(n as usize)
            .x_label_formatter(&|_| String::new()) // drawn below, turned a quarter
            .y_labels(n as usize)
            .y_label_formatter(&row_label)
            .y_label_style(("sans-serif", 11))
            .axis_desc_style(("sans-serif", 13))
            .x_desc("looked at (key)")
            .y_desc("reading (query)")
            .draw()
            .map_err(|e| e.to_string())?;
        let hidden = RGBColor(225, 225, 225);
        let cells = map.weights.iter().enumerate().flat_map(|(row, weights)| {
            weights.iter().enumerate().map(move |(column, &weight)| {
                let colour = if map.can_see(row, column) {
                    shade(f64::from(weight).sqrt())
                } else {
                    hidden
                };
                let (x, y) = (column as i32, n - 1 - row as i32);
                Rectangle::new(
                    [
                        (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                        (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                    ],
                    colour.filled(),
                )
            })
        });
        chart.draw_series(cells).map_err(|e| e.to_string())?;
        let turned = ("sans-serif", 11)
            .into_font()
            .transform(FontTransform::Rotate90);
        for column in 0..n {
            let bottom = (SegmentValue::CenterOf(column), SegmentValue::Exact(0));
            let (x, y) = chart.backend_coord(&bottom);
            root.draw(&Text::new(
                label_of(column as usize),
                (x + 5, y + 6),
                turned.clone(),
            ))
            .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// `text` cut to at most `max` characters (with `…` when cut).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}

impl NextTokens {
    /// The candidates as an HTML table (rank, token, probability), for notebooks and reports.
    ///
    /// ```
    /// use clinkit::llm::inspect::{NextToken, NextTokens};
    /// let next = NextTokens(vec![NextToken { id: 9, text: " <b>".into(), probability: 0.25 }]);
    /// assert!(next.html().as_str().contains("&lt;b&gt;"));
    /// assert!(next.html().as_str().contains("0.250"));
    /// ```
    pub fn html(&self) -> Html {
        let mut html = String::from(
            "<table><thead><tr><th>#</th><th>next token</th><th>id</th><th>probability</th></tr></thead><tbody>",
        );
        for (rank, token) in self.0.iter().enumerate() {
            html.push_str(&format!(
                "<tr><td>{}</td><td><code style=\"white-space: pre\">{}</code></td><td>{}</td><td>{:.3}</td></tr>",
                rank + 1,
                escape_html(&format!("{:?}", token.text)),
                token.id,
                token.probability
            ));
        }
        html.push_str("</tbody></table>");
        Html::new(html)
    }

    /// Horizontal bars of the probabilities, most likely on top.
    pub fn chart(&self) -> Svg {
        let rows: Vec<(String, f64, Option<Interval>)> = self
            .0
            .iter()
            .map(|t| (format!("{:?}", t.text), f64::from(t.probability), None))
            .collect();
        horizontal_bars("Most likely next tokens", "probability", 1.0, &rows)
    }

    /// Shows the table in a notebook: evcxr calls this for the value of a cell.
    pub fn evcxr_display(&self) {
        self.html().evcxr_display();
    }
}

/// Plain text: one line per candidate, `1. 0.108 " a"`.
///
/// ```
/// use clinkit::llm::inspect::{NextToken, NextTokens};
/// let next = NextTokens(vec![NextToken { id: 9, text: " a".into(), probability: 0.108 }]);
/// assert_eq!(next.to_string(), "1. 0.108 \" a\" (id 9)\n");
/// ```
impl fmt::Display for NextTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (rank, token) in self.0.iter().enumerate() {
            writeln!(
                f,
                "{}. {:.3} {:?} (id {})",
                rank + 1,
                token.probability,
                token.text,
                token.id
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_show_invisible_tokens() {
        assert_eq!(axis_label("\n\n"), "\\n\\n");
        assert_eq!(axis_label("  "), "␣␣");
        assert_eq!(axis_label(" mg"), " mg");
    }

    #[test]
    fn attention_rows_are_padded_to_a_square() {
        let config = Gemma3Config::tiny_for_tests();
        let map = attention_map(&config, 0, 1, &[vec![1.0], vec![0.5, 0.5]], 2);
        assert_eq!(map.weights, vec![vec![1.0, 0.0], vec![0.5, 0.5]]);
        assert_eq!(map.window, Some(config.sliding_window));
        assert_eq!(attention_map(&config, 5, 0, &[], 0).window, None);
    }
}
