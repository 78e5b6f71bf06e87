//! The detector: runs every finder over a text and settles overlaps.
//!
//! Each finder proposes *hits* (a span, a PHI type and how certain it is). Hits often
//! overlap: `Huisartsenpraktijk Eelga` is an institution, but `Eelga` may also look like
//! a surname; `2016 PE` could be a postcode. The rule: the more certain hit wins, and
//! between equally certain hits the longer one; the loser is dropped entirely.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::data::{Document, Lang, PhiSpan, PhiType};
use crate::deid::{addresses, ages, dates, ids, institutions, names, patterns};
use crate::text::CharIndex;

/// How certain a finder is of a hit; a more certain hit wins an overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Rank {
    /// A guess from shape alone (a bare 8-digit number may be an identifier).
    Weak,
    /// Found by context inside the document (a name seen before, initials).
    Context,
    /// A pattern with its checks (a phone number with the right digits, a date).
    Pattern,
    /// A pattern right after its label (`patiëntnr. 123`, `Patiënt: ...`).
    Cued,
    /// Unmistakable (an e-mail address, a BSN after `BSN`).
    Exact,
}

/// One proposed piece of PHI, in byte offsets of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: PhiType,
    pub rank: Rank,
}

impl Hit {
    pub(crate) fn new(range: Range<usize>, kind: PhiType, rank: Rank) -> Self {
        Hit {
            start: range.start,
            end: range.end,
            kind,
            rank,
        }
    }

    fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Finds the PHI in a text: every type of [`PhiType`], Dutch and English, as spans of
/// **characters** (like the gold files), sorted and never overlapping.
///
/// `lang` only decides how an ambiguous date such as `3/4/2020` is read when nothing
/// else in the text tells.
///
/// ```
/// use clinkit::data::{Lang, PhiType};
/// let text = "Betreft: mevr. J. de Vries, geb. 8 januari 1951, BSN 111222333, tel. 06-12345678.";
/// let found = clinkit::deid::detect(text, Lang::Nl);
/// let shown: Vec<(&str, PhiType)> = found
///     .iter()
///     .map(|phi| (&text[phi.start..phi.end], phi.kind)) // this text is ASCII: chars = bytes
///     .collect();
/// assert_eq!(shown, [
///     ("J. de Vries", PhiType::Name),
///     ("8 januari 1951", PhiType::Date),
///     ("111222333", PhiType::Bsn),
///     ("06-12345678", PhiType::Phone),
/// ]);
/// ```
pub fn detect(text: &str, lang: Lang) -> Vec<PhiSpan> {
    let hits = detect_bytes(text, lang);
    let index = CharIndex::new(text);
    let char_of = |byte: usize| -> usize {
        // Binary search in the character index: the character that starts at `byte`.
        let (mut low, mut high) = (0, index.char_len());
        while low < high {
            let middle = (low + high) / 2;
            if index.byte(middle).unwrap_or(usize::MAX) < byte {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    };
    hits.into_iter()
        .map(|hit| PhiSpan {
            start: char_of(hit.start),
            end: char_of(hit.end),
            kind: hit.kind,
        })
        .collect()
}

/// [`detect`] on a document's text and language.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = Document::new("a", Lang::En, "referral", "Dear Dr Smith, re: Mr J. Brown, DOB 03/04/1950.");
/// let found = clinkit::deid::detect_document(&letter);
/// assert_eq!(found.len(), 3);
/// ```
pub fn detect_document(document: &Document) -> Vec<PhiSpan> {
    detect(&document.text, document.lang)
}

/// All finders, then the overlap resolution, in bytes.
pub(crate) fn detect_bytes(text: &str, lang: Lang) -> Vec<Hit> {
    let mut hits = Vec::new();
    patterns::find_emails(text, &mut hits);
    patterns::find_urls(text, &mut hits);
    patterns::find_phones(text, &mut hits);
    patterns::find_postcodes(text, &mut hits);
    ids::find_bsns(text, &mut hits);
    ids::find_ids(text, &mut hits);
    dates::find(text, lang, &mut hits);
    ages::find(text, &mut hits);
    institutions::find(text, &mut hits);
    addresses::find(text, &mut hits);
    // Names learn surnames from their own hits, so they come after the others and skip
    // what the more certain finders already claimed.
    let claimed = resolve(hits.clone());
    let taken: Vec<Range<usize>> = claimed
        .iter()
        .filter(|hit| hit.rank >= Rank::Pattern)
        .map(Hit::range)
        .collect();
    names::find(text, &taken, &mut hits);
    resolve(hits)
}

/// Keeps the most certain, then longest, hits that do not overlap; sorted by position.
pub(crate) fn resolve(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.retain(|hit| hit.start < hit.end);
    hits.sort_by(|a, b| {
        b.rank
            .cmp(&a.rank)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.kind.cmp(&b.kind))
    });
    // Accepted hits by start; each lookup checks the neighbours on both sides.
    let mut accepted: BTreeMap<usize, Hit> = BTreeMap::new();
    for hit in hits {
        let before = accepted.range(..hit.end).next_back();
        if before.is_some_and(|(_, other)| other.end > hit.start) {
            continue;
        }
        accepted.insert(hit.start, hit);
    }
    accepted.into_values().collect()
}

/// For tests: the pieces of `text` that `find` marks, in the order it marks them.
#[cfg(test)]
pub(crate) fn texts_found(text: &str, find: impl Fn(&str, &mut Vec<Hit>)) -> Vec<&str> {
    let mut hits = Vec::new();
    find(text, &mut hits);
    hits.iter().map(|h| &text[h.start..h.end]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution_prefers_certain_then_long() {
        let hits = vec![
            Hit::new(0..5, PhiType::Name, Rank::Context),
            Hit::new(0..10, PhiType::Institution, Rank::Pattern),
            Hit::new(12..14, PhiType::Age, Rank::Pattern),
            Hit::new(11..20, PhiType::Id, Rank::Weak),
        ];
        let kept: Vec<_> = resolve(hits).iter().map(|h| (h.start, h.kind)).collect();
        assert_eq!(kept, [(0, PhiType::Institution), (12, PhiType::Age)]);
    }
}
