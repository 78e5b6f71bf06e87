//! Training: learn merges from a corpus by gluing the most frequent neighbouring pair.

use std::collections::HashMap;
use std::fmt;

use super::{merge_pair, readable_bytes, Bpe, Merge, SplitPattern, TokenId};
use crate::error::{Error, Location, Result};

/// What to train: the vocabulary size, the pre-split pattern and the special tokens.
///
/// ```
/// use clinkit::tokenize::bpe::{TrainOptions, GPT4_PATTERN};
/// let options = TrainOptions::new(512)
///     .with_pattern(GPT4_PATTERN)
///     .with_special_tokens(&["<|endoftext|>"]);
/// assert_eq!(options.vocab_size, 512);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainOptions {
    /// The number of tokens at the end: 256 bytes + merges + special tokens.
    pub vocab_size: usize,
    /// The pre-split pattern (see [`SplitPattern`]); `None` treats the corpus as one piece.
    pub pattern: Option<String>,
    /// Special tokens, numbered after the merges (they count in `vocab_size`).
    pub special_tokens: Vec<String>,
}

impl TrainOptions {
    /// Options for a vocabulary of `vocab_size` tokens, no pattern, no special tokens.
    pub fn new(vocab_size: usize) -> TrainOptions {
        TrainOptions {
            vocab_size,
            pattern: None,
            special_tokens: Vec::new(),
        }
    }

    /// The same options with a pre-split pattern, such as [`super::GPT4_PATTERN`].
    pub fn with_pattern(mut self, pattern: &str) -> TrainOptions {
        self.pattern = Some(pattern.to_string());
        self
    }

    /// The same options with special tokens such as `<|endoftext|>`.
    pub fn with_special_tokens(mut self, tokens: &[&str]) -> TrainOptions {
        self.special_tokens = tokens.iter().map(|token| token.to_string()).collect();
        self
    }
}

/// One step of training: which pair was most frequent and what it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainStep {
    /// The merge learned in this step.
    pub merge: Merge,
    /// How often the pair occurred in the corpus at this step.
    pub count: usize,
    /// The new token's text, for people (`<0xC3>` for bytes that are not text alone).
    pub text: String,
}

/// The trained tokenizer and the story of its training, step by step.
///
/// ```
/// use clinkit::tokenize::bpe::{Bpe, TrainOptions};
/// let training = Bpe::train_traced("aaabdaaabac", &TrainOptions::new(259)).unwrap();
/// // Wikipedia's example: "aa" first, then "aaa"... here written as token pieces.
/// assert_eq!(training.steps[0].text, "aa");
/// assert_eq!(training.steps[0].count, 4);
/// assert_eq!(training.bpe.vocab_size(), 259);
/// print!("{training}"); // one line per merge
/// ```
#[derive(Debug, Clone)]
pub struct Training {
    /// The trained tokenizer.
    pub bpe: Bpe,
    /// Every merge in the order it was learned, with its count.
    pub steps: Vec<TrainStep>,
}

impl fmt::Display for Training {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.steps {
            let (left, right) = step.merge.pair;
            writeln!(
                f,
                "merge {:>4}: [{}] + [{}] -> [{}] ({} times)",
                step.merge.id,
                self.bpe.token_text(left),
                self.bpe.token_text(right),
                step.text,
                step.count
            )?;
        }
        Ok(())
    }
}

impl Bpe {
    /// Learns merges from `corpus` until the vocabulary has `options.vocab_size` tokens
    /// (or no pair occurs twice any more).
    ///
    /// When two pairs are equally frequent, the pair with the smaller numbers wins, so
    /// training always gives the same result.
    pub fn train(corpus: &str, options: &TrainOptions) -> Result<Bpe> {
        Bpe::train_traced(corpus, options).map(|training| training.bpe)
    }

    /// [`Bpe::train`], also returning every step (see [`Training`]).
    pub fn train_traced(corpus: &str, options: &TrainOptions) -> Result<Training> {
        let merges_wanted = merges_wanted(options)?;
        let pattern = options
            .pattern
            .as_deref()
            .map(SplitPattern::new)
            .transpose()?;
        let mut words = count_words(corpus.as_bytes(), pattern.as_ref());
        let mut pairs = count_pairs(&words);
        let mut bytes_of_token: Vec<Vec<u8>> = (0..=255u8).map(|byte| vec![byte]).collect();
        let mut steps = Vec::new();
        for rank in 0..merges_wanted {
            let Some((pair, count)) = most_frequent(&pairs) else {
                break;
            };
            let merge = Merge {
                pair,
                id: (256 + rank) as TokenId,
            };
            merge_everywhere(&mut words, &mut pairs, merge);
            let mut bytes = bytes_of_token[pair.0 as usize].clone();
            bytes.extend_from_slice(&bytes_of_token[pair.1 as usize]);
            steps.push(TrainStep {
                merge,
                count,
                text: readable_bytes(&bytes),
            });
            bytes_of_token.push(bytes);
        }
        let merges = steps.iter().map(|step| step.merge).collect();
        let bpe = Bpe::from_merges(merges, pattern, &options.special_tokens)?;
        Ok(Training { bpe, steps })
    }
}

/// How many merges fit in the wanted vocabulary.
fn merges_wanted(options: &TrainOptions) -> Result<usize> {
    let fixed = 256 + options.special_tokens.len();
    if options.vocab_size < fixed {
        return Err(Error::invalid(
            Location::default().field("vocab_size"),
            format!(
                "a vocabulary of {} tokens is too small: the 256 bytes and {} special tokens need {fixed}",
                options.vocab_size,
                options.special_tokens.len()
            ),
        ));
    }
    Ok(options.vocab_size - fixed)
}

/// A distinct piece of the corpus (as token numbers) and how often it occurs.
struct Word {
    ids: Vec<TokenId>,
    count: usize,
}

/// Splits the corpus with the pattern and counts each distinct piece once: "geen"
/// occurring 5,000 times is one word with count 5,000, which makes training fast.
fn count_words(corpus: &[u8], pattern: Option<&SplitPattern>) -> Vec<Word> {
    let pieces = match pattern {
        Some(pattern) => pattern.split(corpus),
        None => vec![corpus],
    };
    let mut counts: HashMap<&[u8], usize> = HashMap::new();
    let mut order = Vec::new();
    for piece in pieces {
        let count = counts.entry(piece).or_insert(0);
        if *count == 0 {
            order.push(piece);
        }
        *count += 1;
    }
    order
        .into_iter()
        .map(|piece| Word {
            ids: piece.iter().map(|&byte| byte.into()).collect(),
            count: counts[piece],
        })
        .collect()
}

/// How often each neighbouring pair occurs in all words (weighted by word counts).
fn count_pairs(words: &[Word]) -> HashMap<(TokenId, TokenId), usize> {
    let mut pairs = HashMap::new();
    for word in words {
        add_pairs(&mut pairs, &word.ids, word.count);
    }
    pairs
}

fn add_pairs(pairs: &mut HashMap<(TokenId, TokenId), usize>, ids: &[TokenId], count: usize) {
    for pair in ids.windows(2) {
        *pairs.entry((pair[0], pair[1])).or_insert(0) += count;
    }
}

fn remove_pairs(pairs: &mut HashMap<(TokenId, TokenId), usize>, ids: &[TokenId], count: usize) {
    for pair in ids.windows(2) {
        let key = (pair[0], pair[1]);
        if let Some(total) = pairs.get_mut(&key) {
            *total -= count;
            if *total == 0 {
                pairs.remove(&key);
            }
        }
    }
}

/// The most frequent pair (ties: the smallest pair), if some pair occurs at least twice.
fn most_frequent(
    pairs: &HashMap<(TokenId, TokenId), usize>,
) -> Option<((TokenId, TokenId), usize)> {
    pairs
        .iter()
        .map(|(&pair, &count)| (pair, count))
        .filter(|&(_, count)| count >= 2)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
}

/// Applies a merge to every word that holds its pair, and updates the pair counts of
/// those words only.
fn merge_everywhere(
    words: &mut [Word],
    pairs: &mut HashMap<(TokenId, TokenId), usize>,
    merge: Merge,
) {
    let (left, right) = merge.pair;
    for word in words.iter_mut() {
        let holds_pair = word.ids.windows(2).any(|w| w[0] == left && w[1] == right);
        if !holds_pair {
            continue;
        }
        remove_pairs(pairs, &word.ids, word.count);
        word.ids = merge_pair(&word.ids, merge.pair, merge.id);
        add_pairs(pairs, &word.ids, word.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_stops_when_nothing_repeats() {
        let training = Bpe::train_traced("abcd", &TrainOptions::new(1000)).unwrap();
        assert!(training.steps.is_empty());
        assert_eq!(training.bpe.vocab_size(), 256);
    }

    #[test]
    fn a_too_small_vocabulary_is_refused() {
        let options = TrainOptions::new(256).with_special_tokens(&["<|end|>"]);
        let error = Bpe::train("x", &options).unwrap_err().to_string();
        assert!(error.contains("vocab_size"), "{error}");
    }

    #[test]
    fn merges_do_not_cross_pre_split_pieces() {
        let options = TrainOptions::new(300).with_pattern(super::super::GPT2_PATTERN);
        let bpe = Bpe::train(&"ab ab ab ".repeat(10), &options).unwrap();
        for merge in bpe.merges() {
            let text = bpe.token_text(merge.id);
            assert!(
                !text.trim_start().contains(' '),
                "merge crossed a space: {text:?}"
            );
        }
    }

    #[test]
    fn incremental_counts_equal_counting_again() {
        let corpus = "de patiënt heeft geen diabetes; de patiënt rookt niet. ".repeat(3);
        let options = TrainOptions::new(290).with_pattern(super::super::GPT4_PATTERN);
        let pattern = SplitPattern::new(super::super::GPT4_PATTERN).unwrap();
        let mut words = count_words(corpus.as_bytes(), Some(&pattern));
        let mut pairs = count_pairs(&words);
        let training = Bpe::train_traced(&corpus, &options).unwrap();
        for step in &training.steps {
            merge_everywhere(&mut words, &mut pairs, step.merge);
            assert_eq!(pairs, count_pairs(&words));
        }
    }
}
