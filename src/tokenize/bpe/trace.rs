//! A step-by-step picture of encoding: the bytes, then one line per merge.

use std::fmt;

use super::{merge_pair, Bpe, Merge, TokenId};
use crate::tokenize::display::escape_html;

/// One moment of encoding: the merge just applied (none for the start) and the tokens
/// of every pre-split piece after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    /// The merge applied in this step; `None` for the starting bytes.
    pub merge: Option<Merge>,
    /// The text of the merged token (empty for the start).
    pub merged_text: String,
    /// For each pre-split piece, its tokens after this step.
    pub pieces: Vec<Vec<TokenId>>,
}

/// How a text becomes tokens, one merge at a time. Print it in a terminal, or let a
/// notebook show it as a table.
///
/// Each step applies the earliest-learned merge that occurs anywhere in the text, which
/// gives the same tokens as [`Bpe::encode_ordinary`] (special tokens are read as text).
///
/// ```
/// use clinkit::tokenize::bpe::{Bpe, TrainOptions};
/// let bpe = Bpe::train(&"geen koorts, geen pijn. ".repeat(10), &TrainOptions::new(262)).unwrap();
/// let trace = bpe.trace("geen pijn");
/// assert_eq!(trace.steps[0].merge, None); // the start: one token per byte
/// assert_eq!(trace.final_ids(), bpe.encode("geen pijn"));
/// print!("{trace}");
/// ```
#[derive(Debug, Clone)]
pub struct EncodeTrace {
    /// The text that was encoded.
    pub text: String,
    /// The start, then one step per merge applied.
    pub steps: Vec<TraceStep>,
    /// The text of every token that occurs in the steps, by token number.
    token_texts: std::collections::BTreeMap<TokenId, String>,
}

pub(super) fn trace(bpe: &Bpe, text: &str) -> EncodeTrace {
    let mut pieces: Vec<Vec<TokenId>> = bpe
        .pre_split(text.as_bytes())
        .into_iter()
        .map(|piece| piece.iter().map(|&byte| byte.into()).collect())
        .collect();
    let mut steps = vec![TraceStep {
        merge: None,
        merged_text: String::new(),
        pieces: pieces.clone(),
    }];
    while let Some(merge) = earliest_merge(bpe, &pieces) {
        for piece in pieces.iter_mut() {
            *piece = merge_pair(piece, merge.pair, merge.id);
        }
        steps.push(TraceStep {
            merge: Some(merge),
            merged_text: bpe.token_text(merge.id),
            pieces: pieces.clone(),
        });
    }
    let token_texts = steps
        .iter()
        .flat_map(|step| step.pieces.iter().flatten())
        .map(|&id| (id, bpe.token_text(id)))
        .collect();
    EncodeTrace {
        text: text.to_string(),
        steps,
        token_texts,
    }
}

/// The earliest-learned merge that occurs in any piece.
fn earliest_merge(bpe: &Bpe, pieces: &[Vec<TokenId>]) -> Option<Merge> {
    pieces
        .iter()
        .filter_map(|piece| bpe.first_merge_in(piece))
        .min_by_key(|merge| merge.id)
}

impl EncodeTrace {
    /// The token numbers at the end of encoding.
    pub fn final_ids(&self) -> Vec<TokenId> {
        self.steps
            .last()
            .map(|step| step.pieces.concat())
            .unwrap_or_default()
    }

    fn token_text(&self, id: TokenId) -> &str {
        self.token_texts.get(&id).map_or("?", String::as_str)
    }

    /// One step's tokens as `[G][ee][n] | [ p][ij][n]` (pieces separated by `|`).
    fn step_line(&self, step: &TraceStep) -> String {
        let pieces: Vec<String> = step
            .pieces
            .iter()
            .map(|piece| {
                piece
                    .iter()
                    .map(|&id| format!("[{}]", visible(self.token_text(id))))
                    .collect()
            })
            .collect();
        pieces.join(" | ")
    }

    /// The trace as an HTML table: one row per step, tokens as boxes.
    pub fn to_html(&self) -> String {
        let mut html = String::from(
            "<table style=\"border-collapse:collapse;font-family:monospace\">\
             <tr><th style=\"text-align:left\">step</th><th style=\"text-align:left\">merge</th>\
             <th style=\"text-align:left\">tokens</th></tr>",
        );
        for (number, step) in self.steps.iter().enumerate() {
            let merge = match step.merge {
                None => "bytes".to_string(),
                Some(merge) => format!(
                    "[{}] + [{}] &rarr; <b>[{}]</b> ({})",
                    escape_html(&visible(self.token_text(merge.pair.0))),
                    escape_html(&visible(self.token_text(merge.pair.1))),
                    escape_html(&visible(&step.merged_text)),
                    merge.id
                ),
            };
            let boxes: String = step
                .pieces
                .iter()
                .map(|piece| {
                    piece
                        .iter()
                        .map(|&id| {
                            let new = step.merge.is_some_and(|merge| merge.id == id);
                            let colour = if new { "#ffd591" } else { "#e6f4ff" };
                            format!(
                                "<span title=\"{id}\" style=\"background:{colour};border:1px solid #999;\
                                 margin:1px;padding:0 2px;white-space:pre\">{}</span>",
                                escape_html(&visible(self.token_text(id)))
                            )
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("&nbsp;&nbsp;");
            html.push_str(&format!(
                "<tr><td>{number}</td><td style=\"white-space:nowrap\">{merge}</td><td>{boxes}</td></tr>"
            ));
        }
        html.push_str("</table>");
        html
    }

    /// Shows the trace as a table in a notebook (evcxr calls this for a cell's value).
    pub fn evcxr_display(&self) {
        println!(
            "EVCXR_BEGIN_CONTENT text/html\n{}\nEVCXR_END_CONTENT",
            self.to_html()
        );
    }
}

/// Newlines and tabs written so they can be seen.
fn visible(text: &str) -> String {
    text.replace('\n', "\\n")
        .replace('\t', "\\t")
        .replace('\r', "\\r")
}

impl fmt::Display for EncodeTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (number, step) in self.steps.iter().enumerate() {
            let label = match step.merge {
                None => "bytes".to_string(),
                Some(merge) => format!("+[{}] ({})", visible(&step.merged_text), merge.id),
            };
            writeln!(f, "{number:>3} {label:<18} {}", self.step_line(step))?;
        }
        Ok(())
    }
}
