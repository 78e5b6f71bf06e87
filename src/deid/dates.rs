//! Dates: finding them in Dutch and English text, reading them, and moving them.
//!
//! A date is PHI: a birth date or an admission date helps to re-identify a patient. For
//! research, though, the *intervals* matter (days from admission to discharge, months
//! between two echos). *Date shifting* keeps them: every date of one patient moves by
//! the same secret number of days, so intervals stay exactly the same while the real
//! dates disappear. A shifted date is written the way the original was written
//! (`8 januari 1951` stays `dd monthname yyyy` in Dutch, `4/23/2020` stays American).
//!
//! Formats found: `12-5-2021`, `14/04/2021`, `27.08.2021`, `2021-08-27`, `22-07-20`,
//! `8 januari 1951`, `3 aug. 2022`, `16 Sep 2024`, `November 3, 2019`, `3rd March 2020`,
//! `december 2017` (month level) and `21-04:` at the start of a line (a day in a course of
//! an admission). A bare year (`2016`) is not a date here.

use std::ops::Range;

use crate::data::{Lang, PhiType};
use crate::deid::detector::{Hit, Rank};
use crate::deid::lexicon::month_number;
use crate::text::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::text::months::{MONTHS_EN, MONTHS_EN_SHORT, MONTHS_NL, MONTHS_NL_SHORT};

/// Month names as written: Dutch full, Dutch short, English full, English short.
const MONTHS: [[&str; 12]; 4] = [MONTHS_NL, MONTHS_NL_SHORT, MONTHS_EN, MONTHS_EN_SHORT];

/// The regular expression alternation of every month spelling.
const MONTH_ALTERNATION: &str = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march|may|june|july|august|october|jan|febr|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec";

/// English month names written in full, with a capital (for `June 4`, without a year).
const FULL_MONTHS_EN: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// How the parts of a date are ordered when written with numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    DayMonth,
    MonthDay,
}

/// A date read from text: the calendar values and where each part stands in the
/// written form, so a shifted date can be written in the same format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenDate {
    /// The written form, as found.
    pub text: String,
    /// Year, if written (a two-digit year is read as 19xx or 20xx).
    pub year: Option<i32>,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, if written (not for `december 2017`).
    pub day: Option<u32>,
    year_at: Option<Range<usize>>,
    month_at: Range<usize>,
    day_at: Option<Range<usize>>,
    month_in_words: bool,
    /// Whether days and months are written with two digits (`08`, not `8`).
    padded: bool,
}

impl WrittenDate {
    /// Reads one date written in any of the formats of this module, or `None`.
    /// `month_first` says how to read an ambiguous `3/4/2020` (American: March 4).
    ///
    /// ```
    /// use clinkit::deid::WrittenDate;
    /// let date = WrittenDate::parse("8 januari 1951", false).unwrap();
    /// assert_eq!((date.year, date.month, date.day), (Some(1951), 1, Some(8)));
    /// let us = WrittenDate::parse("4/23/2020", false).unwrap();
    /// assert_eq!((us.month, us.day), (4, Some(23)));
    /// assert!(WrittenDate::parse("31-02-2020", false).is_none());
    /// ```
    pub fn parse(text: &str, month_first: bool) -> Option<WrittenDate> {
        let trimmed = text.trim();
        if let Some(c) = numeric_re().captures(trimmed) {
            let (a, b) = (c.get(1)?, c.get(3)?);
            let year_at = c.get(5).map(|y| y.range());
            return numeric_date(trimmed, a.range(), b.range(), year_at, month_first);
        }
        if let Some(c) = iso_re().captures(trimmed) {
            let (y, m, d) = (c.get(1)?, c.get(2)?, c.get(3)?);
            return build(trimmed, Some(y.range()), m.range(), false, Some(d.range()));
        }
        if let Some(c) = day_month_year_re().captures(trimmed) {
            if c.get(0)?.len() == trimmed.len() {
                let year = c.get(3).map(|y| y.range());
                return build(
                    trimmed,
                    year,
                    c.get(2)?.range(),
                    true,
                    Some(c.get(1)?.range()),
                );
            }
        }
        if let Some(c) = month_day_year_re().captures(trimmed) {
            if c.get(0)?.len() == trimmed.len() {
                let (m, d, y) = (c.get(1)?, c.get(2)?, c.get(3)?);
                return build(trimmed, Some(y.range()), m.range(), true, Some(d.range()));
            }
        }
        if let Some(c) = month_year_re().captures(trimmed) {
            if c.get(0)?.len() == trimmed.len() {
                return build(
                    trimmed,
                    Some(c.get(2)?.range()),
                    c.get(1)?.range(),
                    true,
                    None,
                );
            }
        }
        if let Some(c) = day_month_words_re().captures(trimmed) {
            return build(
                trimmed,
                None,
                c.get(2)?.range(),
                true,
                Some(c.get(1)?.range()),
            );
        }
        if let Some(c) = month_day_words_re().captures(trimmed) {
            return build(
                trimmed,
                None,
                c.get(1)?.range(),
                true,
                Some(c.get(2)?.range()),
            );
        }
        if let Some(c) = day_month_re().captures(trimmed) {
            if c.get(0)?.len() == trimmed.len() {
                let (a, b) = (c.get(1)?.range(), c.get(3)?.range());
                return numeric_date(trimmed, a, b, None, month_first);
            }
        }
        None
    }

    /// The same date moved by `days` days, written in the same format (same order,
    /// separators, zero padding, month-name language and capitals, year digits).
    /// A date without a day moves as the middle of its month; a date without a year
    /// as a day in 2001.
    ///
    /// ```
    /// use clinkit::deid::WrittenDate;
    /// let shift = |text: &str, days| WrittenDate::parse(text, false).unwrap().shifted(days);
    /// assert_eq!(shift("8 januari 1951", 30), "7 februari 1951");
    /// assert_eq!(shift("14/04/2021", -14), "31/03/2021");
    /// assert_eq!(shift("4/23/2020", 10), "5/3/2020");
    /// assert_eq!(shift("December 31, 2019", 1), "January 1, 2020");
    /// assert_eq!(shift("december 2017", 31), "januari 2018");
    /// assert_eq!(shift("22-07-20", 1), "23-07-20");
    /// ```
    pub fn shifted(&self, days: i64) -> String {
        let year = self.year.unwrap_or(2001);
        let day = self.day.unwrap_or(15);
        let (new_year, new_month, new_day) =
            civil_from_days(days_from_civil(year, self.month, day) + days);
        let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
        if let Some(at) = &self.year_at {
            let width = at.len();
            let text = if width == 2 {
                format!("{:02}", new_year.rem_euclid(100))
            } else {
                format!("{new_year:0width$}")
            };
            pieces.push((at.clone(), text));
        }
        if let Some(at) = &self.day_at {
            let width = if self.padded { 2 } else { 1 };
            pieces.push((at.clone(), format!("{new_day:0width$}")));
        }
        let month_text = if self.month_in_words {
            month_like(&self.text[self.month_at.clone()], new_month)
        } else {
            let width = if self.padded { 2 } else { 1 };
            format!("{new_month:0width$}")
        };
        pieces.push((self.month_at.clone(), month_text));
        pieces.sort_by_key(|(at, _)| std::cmp::Reverse(at.start));
        let mut out = self.text.clone();
        for (at, text) in pieces {
            out.replace_range(at, &text);
        }
        out
    }

    /// Days since 1 January 1970 (for comparing and measuring intervals); a date
    /// without a day counts as the 15th, without a year as in 2001.
    ///
    /// ```
    /// use clinkit::deid::WrittenDate;
    /// let a = WrittenDate::parse("1-1-1970", false).unwrap();
    /// assert_eq!(a.day_number(), 0);
    /// ```
    pub fn day_number(&self) -> i64 {
        days_from_civil(
            self.year.unwrap_or(2001),
            self.month,
            self.day.unwrap_or(15),
        )
    }
}

/// A numeric day-month(-year) date with the two first parts at `a` and `b`.
fn numeric_date(
    text: &str,
    a: Range<usize>,
    b: Range<usize>,
    year: Option<Range<usize>>,
    month_first: bool,
) -> Option<WrittenDate> {
    let first: u32 = text[a.clone()].parse().ok()?;
    let second: u32 = text[b.clone()].parse().ok()?;
    let order = match (first > 12, second > 12) {
        (true, true) => return None,
        (true, false) => Order::DayMonth,
        (false, true) => Order::MonthDay,
        (false, false) if month_first => Order::MonthDay,
        (false, false) => Order::DayMonth,
    };
    let (day_at, month_at) = match order {
        Order::DayMonth => (a, b),
        Order::MonthDay => (b, a),
    };
    build(text, year, month_at, false, Some(day_at))
}

/// Checks the values and makes the [`WrittenDate`].
fn build(
    text: &str,
    year_at: Option<Range<usize>>,
    month_at: Range<usize>,
    month_in_words: bool,
    day_at: Option<Range<usize>>,
) -> Option<WrittenDate> {
    let year = match &year_at {
        None => None,
        Some(at) => {
            let digits = &text[at.clone()];
            let value: i32 = digits.parse().ok()?;
            Some(if digits.len() == 2 {
                if value <= 40 {
                    2000 + value
                } else {
                    1900 + value
                }
            } else {
                value
            })
        }
    };
    if let Some(y) = year {
        if !(1850..=2150).contains(&y) {
            return None;
        }
    }
    let month = if month_in_words {
        month_number(&text[month_at.clone()])?
    } else {
        text[month_at.clone()].parse().ok()?
    };
    if !(1..=12).contains(&month) {
        return None;
    }
    let day = match &day_at {
        None => None,
        Some(at) => {
            let value: u32 = text[at.clone()].parse().ok()?;
            if value == 0 || value > days_in_month(year.unwrap_or(2000), month) {
                return None;
            }
            Some(value)
        }
    };
    let starts_with_zero = |at: &Range<usize>| text[at.clone()].starts_with('0');
    let padded = day_at.as_ref().is_some_and(starts_with_zero)
        || (!month_in_words
            && (starts_with_zero(&month_at)
                || year_at.as_ref().is_some_and(|y| y.start == 0)
                || (month_at.len() == 2 && day_at.as_ref().is_none_or(|d| d.len() == 2))));
    Some(WrittenDate {
        text: text.to_string(),
        padded,
        year,
        month,
        day,
        year_at,
        month_at,
        day_at,
        month_in_words,
    })
}

/// The name of `month` written like `model` (same language, length and capitals).
fn month_like(model: &str, month: u32) -> String {
    let bare = model.trim_end_matches('.');
    let dot = &model[bare.len()..];
    let lower = bare.to_lowercase();
    let index = (month - 1) as usize;
    // Dutch writes month names in lowercase, English with a capital: that decides
    // between `sep` (Dutch) and `Sep` (English) when both languages spell it alike.
    let capital = bare.chars().next().is_some_and(char::is_uppercase);
    let order: [usize; 4] = if capital { [2, 3, 0, 1] } else { [0, 1, 2, 3] };
    let list = order
        .into_iter()
        .find(|&list| MONTHS[list].iter().any(|name| name.to_lowercase() == lower))
        .unwrap_or(if bare.len() <= 4 { 1 } else { 0 });
    // `sept`, `febr` and other longer short forms: use the short list of their language.
    let list = if lower == "sept" || lower == "febr" {
        1
    } else {
        list
    };
    let mut name = MONTHS[list][index].to_lowercase();
    let mut letters = bare.chars();
    if bare.chars().all(|c| c.is_uppercase()) && bare.chars().count() > 1 {
        name = name.to_uppercase();
    } else if letters.next().is_some_and(char::is_uppercase) {
        let mut chars = name.chars();
        name = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    format!("{name}{dot}")
}

/// Finds every date in `text` (byte ranges). `lang` decides how an ambiguous `3/4/2020`
/// is read when the text itself gives no clue.
pub(crate) fn find(text: &str, lang: Lang, hits: &mut Vec<Hit>) {
    let month_first = prefers_month_first(text, lang);
    let mut push = |range: Range<usize>| {
        if WrittenDate::parse(&text[range.clone()], month_first).is_some() {
            hits.push(Hit::new(range, PhiType::Date, Rank::Pattern));
        }
    };
    for m in numeric_re_anywhere().find_iter(text) {
        let (start, end) = (m.start(), m.end());
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let after2 = text[end..].chars().nth(1);
        // Not part of a longer number chain such as 1.2.3.4 or a version 1/2/3/4.
        if before.is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
            && text[..start]
                .chars()
                .rev()
                .nth(1)
                .is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        if after.is_some_and(|c| matches!(c, '/' | '-' | '.' | ','))
            && after2.is_some_and(|c| c.is_ascii_digit())
        {
            continue;
        }
        push(start..end);
    }
    for m in iso_re_anywhere().find_iter(text) {
        push(m.range());
    }
    for re in [day_month_year_re_anywhere(), month_day_year_re_anywhere()] {
        for m in re.find_iter(text) {
            push(m.range());
        }
    }
    for m in month_year_re_anywhere().find_iter(text) {
        // `mei 2019` but not the `Mar` of "Mar 2019" when it is part of a full date
        // found above (the overlap resolution keeps the longer one).
        push(m.range());
    }
    // A day without a year (`3 maart`, `4 June`, `June 4th`); when a year follows, the
    // longer date above wins the overlap.
    for re in [day_month_words_re_anywhere(), month_day_words_re_anywhere()] {
        for m in re.find_iter(text) {
            push(m.range());
        }
    }
    for c in line_day_month_re().captures_iter(text) {
        if let Some(m) = c.get(1) {
            push(m.range());
        }
    }
}

/// Does this text write ambiguous numeric dates month first (American)? Looks for an
/// unambiguous one (`4/23/2020` or `23/4/2020`); English text without a clue is read
/// day first (British), as is Dutch text.
pub(crate) fn prefers_month_first(text: &str, lang: Lang) -> bool {
    if lang == Lang::Nl {
        return false;
    }
    let (mut month_first, mut day_first) = (0, 0);
    for c in slash_re().captures_iter(text) {
        let a: u32 = c[1].parse().unwrap_or(0);
        let b: u32 = c[2].parse().unwrap_or(0);
        if a <= 12 && b > 12 {
            month_first += 1;
        } else if a > 12 && b <= 12 {
            day_first += 1;
        }
    }
    month_first > day_first
}

regex!(
    numeric_re,
    r"^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})$"
);
regex!(
    numeric_re_anywhere,
    r"(?-u:\b)\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})(?-u:\b)|(?-u:\b)\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?-u:\b)|(?-u:\b)\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?-u:\b)"
);
regex!(iso_re, r"^(\d{4})-(\d{1,2})-(\d{1,2})$");
regex!(iso_re_anywhere, r"(?-u:\b)\d{4}-\d{2}-\d{2}(?-u:\b)");
regex!(
    day_month_year_re,
    format!(r"(?i)^(\d{{1,2}})(?:st|nd|rd|th|e)?\.? ({MONTH_ALTERNATION})\.?,? (\d{{4}})$")
);
regex!(
    day_month_year_re_anywhere,
    format!(
        r"(?i)(?-u:\b)\d{{1,2}}(?:st|nd|rd|th|e)?\.? (?:{MONTH_ALTERNATION})\.?,? \d{{4}}(?-u:\b)"
    )
);
regex!(
    month_day_year_re,
    format!(r"(?i)^({MONTH_ALTERNATION})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}})$")
);
regex!(
    month_day_year_re_anywhere,
    format!(r"(?i)(?-u:\b)(?:{MONTH_ALTERNATION})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}(?-u:\b)")
);
regex!(
    month_year_re,
    format!(r"(?i)^({MONTH_ALTERNATION})\.? (\d{{4}})$")
);
regex!(
    month_year_re_anywhere,
    format!(r"(?i)(?-u:\b)(?:{MONTH_ALTERNATION})\.? \d{{4}}(?-u:\b)")
);
regex!(day_month_re, r"^(\d{1,2})([-/])(\d{1,2})$");
regex!(
    day_month_words_re,
    format!(r"(?i)^(\d{{1,2}})(?:st|nd|rd|th|e)?\.? ({MONTH_ALTERNATION})\.?$")
);
regex!(
    day_month_words_re_anywhere,
    format!(r"(?i)(?-u:\b)\d{{1,2}}(?:st|nd|rd|th|e)?\.? (?:{MONTH_ALTERNATION})(?-u:\b)")
);
regex!(
    month_day_words_re,
    format!(r"^({FULL_MONTHS_EN}) (\d{{1,2}})(?:st|nd|rd|th)?$")
);
regex!(
    month_day_words_re_anywhere,
    format!(r"(?-u:\b)(?:{FULL_MONTHS_EN}) \d{{1,2}}(?:st|nd|rd|th)?(?-u:\b)")
);
regex!(line_day_month_re, r"(?m)^(\d{1,2}[-/]\d{1,2}):");
regex!(slash_re, r"(?-u:\b)(\d{1,2})/(\d{1,2})/\d{2,4}(?-u:\b)");

/// Moves a `YYYY-MM-DD` date (as in a document part's `date`) by `days` days.
///
/// ```
/// assert_eq!(clinkit::deid::shift_iso_date("2024-02-28", 2).as_deref(), Some("2024-03-01"));
/// ```
pub fn shift_iso_date(date: &str, days: i64) -> Option<String> {
    let parsed = WrittenDate::parse(date, false)?;
    parsed.day?;
    Some(parsed.shifted(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_keep_their_style() {
        assert_eq!(month_like("mrt", 5), "mei");
        assert_eq!(month_like("Sep", 10), "Oct");
        assert_eq!(month_like("aug.", 9), "sep.");
        assert_eq!(month_like("MAART", 4), "APRIL");
        assert_eq!(month_like("sept", 10), "okt");
    }

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find(text, Lang::Nl, &mut hits);
        let hits = crate::deid::detector::resolve(hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn finds_common_formats_and_skips_years_and_ratios() {
        assert_eq!(
            found("geb. 8 januari 1951, gezien 12-5-2021"),
            ["8 januari 1951", "12-5-2021"]
        );
        assert!(found("rookte tot 2006, RR 140/90, 1,73 m2").is_empty());
        assert_eq!(found("21-04: goed gereageerd"), ["21-04"]);
    }
}
