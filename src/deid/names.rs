//! Person names in Dutch and English clinical text.
//!
//! Most names in real letters are on no list, so a name is recognised by its *context*:
//!
//! - a title or form of address before it: `dhr.`, `mw.`, `mevrouw`, `de heer`, `Mr`,
//!   `Mrs`, `Dr`, `dr.`, `Dear`;
//! - a field label: `Patiënt:`, `Naam:`, `Betreft:`, `Re:`, `Aan:`, `To:`, `Aanvrager:`,
//!   `Authorised by:`...;
//! - a role after it: `J. Jansen, huisarts`, `Fena Bromcroft, General Practitioner`;
//! - a signature: the line after `Met vriendelijke groet,` or `Kind regards,`;
//! - its shape: initials before a capitalised word (`A. van der Klosma`), or a surname,
//!   a comma and initials (`Gelbeek, E.`, `Oosveld, P. van de`);
//! - a first name from the short lists of common names before a capitalised word;
//! - the document itself: once `Gelbeek` is known to be a name, every other `Gelbeek` in
//!   the same document is one too.
//!
//! A name may carry Dutch particles (`van`, `de`, `van der`, `ten`, `in 't`), which stay
//! part of the name, while the title does not (`dhr. [In 't Linring]`). Medical eponyms
//! are not names: `ziekte van Parkinson`, `Graves' disease`, `Holter`.

use std::collections::HashSet;
use std::ops::Range;

use crate::data::PhiType;
use crate::deid::detector::{Hit, Rank};
use crate::deid::lexicon::{
    is_common_first_name, is_eponym, is_not_name, is_particle, is_role, is_title, EPONYM_CUES,
    ROLES,
};

/// One piece of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    /// `J.`, `H.J.`, `Th.`
    Initials,
    /// `van`, `de`, `'t`
    Particle,
    /// A capitalised word: a first name or a surname.
    Word,
}

/// A name read from text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedName {
    /// Where the whole name stands (bytes).
    pub range: Range<usize>,
    /// Where its surname (the last capitalised word) stands.
    pub surname: Range<usize>,
    /// Capitalised words before the surname (first names).
    pub first_names: Vec<Range<usize>>,
}

/// How sure the context makes us that a name follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cue {
    /// Only the shape (initials, a first name from a list).
    Shape,
    /// A field label, a role or a signature.
    Field,
    /// A personal title (`dhr.`, `Dr`, `Dear`).
    Title,
}

/// Field labels after which a name follows (case-insensitive, the `:` optional).
const LABELS: &str = r"pati[eë]nte?|pt|naam|name|re|betreft|aan|to|van|from|aanvrager|aangevraagd door|requested by|referrer|verwijzer|verwijzend arts|reported by|authori[sz]ed by|gevalideerd door|geautoriseerd door|echocardiografist|sonographer|supervisie|supervisor|copy to|kopie aan|cc|referring clinician|referring doctor|behandelaar|hoofdbehandelaar|consultant|seen by|seen by locum|gezien door|waarneming door|reviewed by|dictated by|ondertekend door|signed by|contact|contactpersoon|partner|echtgeno(?:o|te)|wife|husband|daughter|son|dochter|zoon|next of kin";

/// Labels that need no colon (they cannot be ordinary words before a name).
const FREE_LABELS: &str = r"seen by|seen by locum|gezien door|waarneming door|reviewed by|dictated by|ondertekend door|signed by|authori[sz]ed by|gevalideerd door|geautoriseerd door|requested by|aangevraagd door|reported by";

regex!(
    label_re,
    format!(r"(?im)(?:^|[\s|(])(?:(?:{LABELS})[ ]?:|pt\.|(?:{FREE_LABELS}))[ ]+")
);
regex!(
    title_re,
    r"(?-u:\b)(?:[Dd]hr|[Mm]w|[Mm]evr|[Mm]evrouw|[Mm]eneer|[Dd]e heer|[Hh]eer|Mr|Mrs|Ms|Miss|Mx|Dr|dr|Drs|drs|Prof|prof|Professor|Dear|Beste|Sir|Sister|Zuster|[Zz]r)(?-u:\b)\.?[ ]+"
);
regex!(
    role_re,
    format!(
        r"(?i),[ ](?:{})(?-u:\b)",
        ROLES
            .iter()
            .map(|r| regex::escape(r))
            .collect::<Vec<_>>()
            .join("|")
    )
);
regex!(
    closing_re,
    r"(?i)(?:met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|hoogachtend|kind regards|best regards|warm regards|regards|yours sincerely|yours faithfully|with best wishes|best wishes),?[ ]*\n(?:[ ]*\n)*"
);
regex!(
    initials_re,
    r"(?:^|[^\p{L}\p{N}.])((?:[A-Z]\.[ ]?){1,4}(?:(?:van|de|der|den|ten|ter|te|in|'t|op|du|la|le)[ ])*\p{Lu}\p{Ll})"
);
regex!(
    inverted_re,
    r"(?-u:\b)\p{Lu}[\p{L}'’-]+,[ ]?(?:[A-Z]\.){1,4}"
);
regex!(
    clinic_re,
    r"(?i)(?-u:\b)(?:spreekuur|clinic|consult|consultation|visit|bezoek|telefonisch contact|telephone contact)[ ]?\("
);
regex!(
    relative_re,
    r"(?i)(?-u:\b)(?:echtgeno(?:ot|te)|partner|dochter|zoon|zus|broer|wife|husband|daughter|son|sister|brother)[ ]\(?"
);
regex!(
    capword_re,
    r"(?-u:\b)\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*"
);

/// Finds names. `taken` (sorted, not overlapping) are the spans other detectors already
/// claimed with more certainty (institutions, e-mails...): a name candidate overlapping them is dropped
/// before its surname is learnt, so `Huisartsenpraktijk Eelga` does not teach `Eelga`.
pub(crate) fn find(text: &str, taken: &[Range<usize>], hits: &mut Vec<Hit>) {
    let mut candidates: Vec<(ParsedName, Cue)> = Vec::new();
    let mut push = |name: Option<ParsedName>, cue: Cue| {
        if let Some(name) = name {
            candidates.push((name, cue));
        }
    };
    for m in title_re().find_iter(text) {
        push(parse_after_titles(text, m.start()), Cue::Title);
    }
    for m in label_re().find_iter(text) {
        push(parse_after_titles(text, m.end()), Cue::Field);
    }
    for m in role_re().find_iter(text) {
        push(name_before(text, m.start()), Cue::Field);
    }
    for m in closing_re().find_iter(text) {
        push(parse_after_titles(text, m.end()), Cue::Field);
    }
    for line in signature_lines(text) {
        let name = parse_after_titles(text, line.start)
            .filter(|name| name.range.end == line.end && name_has_two_pieces(text, name));
        push(name, Cue::Field);
    }
    for m in relative_re().find_iter(text) {
        // `echtgenote (Marja)`, `his wife Mary`: a first name from the lists, or a full name.
        let name = parse_forward(text, m.end()).filter(|name| {
            is_common_first_name(&text[name.surname.clone()]) || name_has_two_pieces(text, name)
        });
        push(name, Cue::Field);
    }
    for m in clinic_re().find_iter(text) {
        let name =
            parse_forward(text, m.end()).filter(|name| text[name.range.end..].starts_with(')'));
        push(name, Cue::Field);
    }
    for c in initials_re().captures_iter(text) {
        let start = c.get(1).unwrap().start();
        if !after_class_word(text, start) {
            push(parse_forward(text, start), Cue::Shape);
        }
    }
    for m in inverted_re().find_iter(text) {
        push(parse_inverted(text, m.start()), Cue::Shape);
    }
    for m in capword_re().find_iter(text) {
        if is_common_first_name(m.as_str()) {
            let name = parse_forward(text, m.start()).filter(|n| !n.first_names.is_empty());
            push(name, Cue::Shape);
        }
    }

    // `taken` is sorted and does not overlap itself: a binary search finds the one
    // claimed span that could overlap (no rescan of all spans for every candidate).
    let overlaps_taken = |range: &Range<usize>| {
        let next = taken.partition_point(|t| t.end <= range.start);
        taken.get(next).is_some_and(|t| t.start < range.end)
    };
    let mut known: HashSet<&str> = HashSet::new();
    for (name, cue) in &candidates {
        if overlaps_taken(&name.range) || is_eponym_use(text, name, *cue) {
            continue;
        }
        let rank = if *cue == Cue::Shape {
            Rank::Context
        } else {
            Rank::Cued
        };
        hits.push(Hit::new(name.range.clone(), PhiType::Name, rank));
        for word in std::iter::once(&name.surname).chain(&name.first_names) {
            let word = &text[word.clone()];
            if word.chars().count() >= 3 && !is_eponym(word) && !is_not_name(word) {
                known.insert(word);
            }
        }
    }
    if known.is_empty() {
        return;
    }
    // The document's own repeated mentions.
    for m in capword_re().find_iter(text) {
        if !known.contains(m.as_str()) || overlaps_taken(&m.range()) {
            continue;
        }
        let range = extend_mention(text, m.range(), &known);
        let name = ParsedName {
            range,
            surname: m.range(),
            first_names: Vec::new(),
        };
        if !is_eponym_use(text, &name, Cue::Shape) {
            hits.push(Hit::new(name.range, PhiType::Name, Rank::Context));
        }
    }
}

/// Lines that may hold only a signature: a line right above a role line
/// (`Mela Pelcroft` above `Consultant Cardiologist`), and the last line of a letter
/// (before the end of the text, a page break or a `____` rule).
fn signature_lines(text: &str) -> Vec<Range<usize>> {
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\u{c}' {
            lines.push(start..i);
            start = i + 1;
        }
    }
    lines.push(start..text.len());
    let trimmed = |r: &Range<usize>| -> Range<usize> {
        let line = &text[r.clone()];
        let head = line.len() - line.trim_start().len();
        let tail = line.trim_end().len();
        r.start + head..r.start + tail.max(head)
    };
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let content = trimmed(line);
        if content.is_empty() || content.len() > 60 {
            continue;
        }
        let next_non_empty = lines[i + 1..].iter().map(&trimmed).find(|r| !r.is_empty());
        let above_role = lines.get(i + 1).map(&trimmed).is_some_and(|next| {
            let next = &text[next];
            let role = next.split(',').next().unwrap_or(next);
            is_role(role.trim())
        });
        let ends_letter = match &next_non_empty {
            None => true,
            Some(next) => {
                let next = &text[next.clone()];
                next.starts_with("___")
                    || next.starts_with("- pagina")
                    || next.starts_with("Page ")
                    || text[line.end..]
                        .trim_start_matches([' ', '\n'])
                        .starts_with('\u{c}')
            }
        };
        if above_role || ends_letter {
            found.push(content);
        }
    }
    found
}

/// At least two capitalised words, or initials and a surname.
fn name_has_two_pieces(text: &str, name: &ParsedName) -> bool {
    !name.first_names.is_empty() || text[name.range.start..name.surname.start].contains('.')
}

/// Is the "initial" at `pos` really a class or stage in Roman numerals, as in
/// `NYHA klasse I. Roken: ...` or `type II. De ...`?
fn after_class_word(text: &str, pos: usize) -> bool {
    let before = text[..pos].trim_end();
    let word_start = before
        .rfind(|c: char| c.is_whitespace())
        .map_or(0, |i| i + 1);
    let word = before[word_start..].to_lowercase();
    let roman = text[pos..].starts_with(['I', 'V', 'X']);
    roman
        && (matches!(
            word.as_str(),
            "klasse"
                | "class"
                | "type"
                | "stadium"
                | "stage"
                | "graad"
                | "grade"
                | "nyha"
                | "fase"
                | "phase"
                | "gold"
                | "ckd"
                | "tnm"
                | "killip"
        ) || word.ends_with("-klasse")
            || word
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && word.len() > 1)
}

/// Skips titles at `pos` (`dhr.`, `Dr`, `collega dr.`, `de heer`) and reads a name.
fn parse_after_titles(text: &str, mut pos: usize) -> Option<ParsedName> {
    for _ in 0..3 {
        pos = skip_spaces(text, pos);
        if let Some(end) = title_at(text, pos) {
            pos = end;
        } else {
            break;
        }
    }
    parse_inverted(text, pos).or_else(|| parse_forward(text, pos))
}

/// The end of a title word at `pos` (with its full stop), if there is one.
fn title_at(text: &str, pos: usize) -> Option<usize> {
    let rest = &text[pos..];
    if rest.starts_with("de heer ") || rest.starts_with("De heer ") {
        return Some(pos + "de heer".len());
    }
    let end = word_end(text, pos)?;
    if !is_title(&text[pos..end]) {
        return None;
    }
    Some(if text[end..].starts_with('.') {
        end + 1
    } else {
        end
    })
}

/// Reads a name written first-names-first: `[first names | initials] [particles] surname`.
fn parse_forward(text: &str, start: usize) -> Option<ParsedName> {
    let mut pieces: Vec<(Range<usize>, Piece)> = Vec::new();
    let mut pos = start;
    loop {
        let at = if pieces.is_empty() {
            pos
        } else {
            let after = skip_spaces(text, pos);
            let glued_after_initial = pieces.last().is_some_and(|p| p.1 == Piece::Initials)
                && text[pos..].starts_with(|c: char| c.is_uppercase());
            if after == pos && !glued_after_initial || after > pos + 2 {
                break;
            }
            after
        };
        // A nickname in brackets after initials: `P.J. (Piet) de Boer`.
        if pieces.last().is_some_and(|p| p.1 == Piece::Initials) && text[at..].starts_with('(') {
            let inner = word_end(text, at + 1).filter(|&end| text[end..].starts_with(')'));
            if let Some(end) = inner.filter(|&end| is_capitalised_word(&text[at + 1..end])) {
                pieces.push((at + 1..end, Piece::Word));
                pos = end + 1;
                continue;
            }
        }
        if let Some(end) = initials_at(text, at) {
            if pieces.iter().any(|p| p.1 != Piece::Initials) {
                break;
            }
            pieces.push((at..end, Piece::Initials));
            pos = end;
            continue;
        }
        let Some(end) = word_end(text, at) else {
            break;
        };
        let word = &text[at..end];
        let first = word.chars().next().unwrap_or(' ');
        let after_word = pieces.last().is_some_and(|p| p.1 == Piece::Word);
        let particle_here = if after_word {
            // After a capitalised word only a particle that starts a surname continues the
            // name: `Teske van der Kerbeek`, but not `J. Jansen in Leiden`.
            first.is_lowercase() && starts_surname(text, at, word)
        } else {
            first.is_lowercase()
                || first == '\''
                || pieces.is_empty()
                || pieces.last().is_some_and(|p| p.1 == Piece::Particle)
        };
        if is_particle(word) && particle_here {
            pieces.push((at..end, Piece::Particle));
            pos = end;
            continue;
        }
        if is_capitalised_word(word) && !is_not_name(word) && !is_title(word) {
            if pieces.iter().filter(|p| p.1 == Piece::Word).count() >= 4 {
                break;
            }
            pieces.push((at..end, Piece::Word));
            pos = end;
            continue;
        }
        break;
    }
    while pieces.last().is_some_and(|p| p.1 != Piece::Word) {
        pieces.pop();
    }
    let (surname, _) = pieces.last()?.clone();
    // Only the capitalised words before the particles of the surname are first names.
    let first_names = pieces[..pieces.len() - 1]
        .iter()
        .filter(|p| p.1 == Piece::Word)
        .map(|p| p.0.clone())
        .collect();
    Some(ParsedName {
        range: pieces[0].0.start..surname.end,
        surname,
        first_names,
    })
}

/// Can the particle `word` at `at` start a surname after a first name? `van`, `de`,
/// `ten`... can; `in`, `op`, `uit`, `het` only before `'t`, `de` or `den` (`in 't Veld`).
fn starts_surname(text: &str, at: usize, word: &str) -> bool {
    const STARTERS: &[&str] = &[
        "van", "de", "der", "den", "ten", "ter", "te", "von", "du", "le", "la", "da", "di", "del",
        "'t", "vd",
    ];
    if STARTERS.contains(&word) {
        return true;
    }
    let next = &text[at + word.len()..];
    next.starts_with(" 't ") || next.starts_with(" de ") || next.starts_with(" den ")
}

/// Reads a name written surname first: `Gelbeek, E.` or `Oosveld, P. van de`.
fn parse_inverted(text: &str, start: usize) -> Option<ParsedName> {
    let surname_end = word_end(text, start)?;
    let surname = &text[start..surname_end];
    if !is_capitalised_word(surname) || is_not_name(surname) || is_title(surname) {
        return None;
    }
    let rest = &text[surname_end..];
    let comma = if rest.starts_with(", ") {
        2
    } else if rest.starts_with(',') {
        1
    } else {
        return None;
    };
    let initials_start = surname_end + comma;
    let mut end = initials_at(text, initials_start)?;
    // Trailing particles: `Oosveld, P. van de`.
    loop {
        if !text[end..].starts_with(' ') {
            break;
        }
        let Some(word_stop) = word_end(text, end + 1) else {
            break;
        };
        let word = &text[end + 1..word_stop];
        if is_particle(word) && word.chars().next().is_some_and(|c| !c.is_uppercase()) {
            end = word_stop;
        } else {
            break;
        }
    }
    Some(ParsedName {
        range: start..end,
        surname: start..surname_end,
        first_names: Vec::new(),
    })
}

/// The name that ends right before a `, role` at `comma`: the text from the start of the
/// line (or a `:`, `(`, `|` or `,` before it), without titles, must be exactly a name.
fn name_before(text: &str, comma: usize) -> Option<ParsedName> {
    let line_start = text[..comma]
        .rfind(['\n', ':', '(', '|', ','])
        .map_or(0, |i| i + 1);
    let name = parse_after_titles(text, line_start)?;
    (name.range.end == comma).then_some(name)
}

/// A known name found again: add the initials, particles or first name right before it
/// and, for `Gelbeek, E.`, the initials after it.
fn extend_mention(text: &str, word: Range<usize>, known: &HashSet<&str>) -> Range<usize> {
    if let Some(inverted) = parse_inverted(text, word.start) {
        return inverted.range;
    }
    let mut start = word.start;
    // Look back over at most five pieces on the same line.
    for _ in 0..5 {
        let before = &text[..start];
        let trimmed = before.trim_end_matches(' ');
        if trimmed.len() == before.len() || before.len() - trimmed.len() > 2 {
            break;
        }
        let piece_start = trimmed
            .rfind(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '(' | '|' | ';'))
            .map_or(0, |i| {
                i + trimmed[i..].chars().next().map_or(1, char::len_utf8)
            });
        let piece = &trimmed[piece_start..];
        let is_initials =
            !piece.is_empty() && initials_at(text, piece_start) == Some(trimmed.len());
        let is_lower_particle =
            is_particle(piece) && piece.chars().next().is_some_and(|c| !c.is_uppercase());
        let is_capital_particle = is_particle(piece) && !is_not_name_particle(before, piece_start);
        let is_known_first_name = known.contains(piece);
        if is_initials || is_lower_particle || is_capital_particle || is_known_first_name {
            start = piece_start;
        } else {
            break;
        }
    }
    start..word.end
}

/// A capitalised particle at a sentence start ("De patiënt") is not part of a name;
/// after a title or label it is ("mevr. De Eelsing").
fn is_not_name_particle(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end();
    before.is_empty() || before.ends_with(['.', '\n', ':']) && !ends_with_title(before)
}

/// Does the text end with a title such as `mevr.` or `Dr`?
fn ends_with_title(text: &str) -> bool {
    let word_start = text.rfind(|c: char| c.is_whitespace()).map_or(0, |i| i + 1);
    is_title(&text[word_start..])
}

/// Is this candidate a medical eponym rather than a person? A name right after `ziekte
/// van`, `syndroom van` or before `disease`, `monitor`, `syndrome` is always an eponym;
/// a lone eponym surname without a personal title is one too.
fn is_eponym_use(text: &str, name: &ParsedName, cue: Cue) -> bool {
    let before = text[..name.range.start].trim_end();
    let before_lower = before
        .rsplit(|c: char| c.is_whitespace())
        .take(2)
        .map(str::to_lowercase)
        .collect::<Vec<_>>();
    let cue_before = before_lower
        .iter()
        .any(|w| EPONYM_CUES.contains(&w.trim_end_matches(['.', ','])));
    let after = text[name.range.end..].trim_start_matches(['\'', '’', 's', '-', ' ']);
    let next: String = after
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    let cue_after = EPONYM_CUES.contains(&next.as_str())
        || next.starts_with("syndro")
        || next.starts_with("ziekte");
    let surname = &text[name.surname.clone()];
    if cue_before && before_lower.first().is_some_and(|w| w == "van") || cue_after {
        return is_eponym(surname) || cue != Cue::Title;
    }
    // `M. Bechterew`: the M. is "morbus" (disease), not an initial.
    let morbus = text[name.range.start..name.surname.start].trim_end() == "M.";
    is_eponym(surname)
        && name.first_names.is_empty()
        && cue < Cue::Title
        && (morbus || &text[name.range.clone()] == surname)
}

/// The end of initials at `pos`: `J.`, `H.J.`, `J. W.`, `Th.`; `None` if there are none.
fn initials_at(text: &str, pos: usize) -> Option<usize> {
    let mut end = pos;
    let mut count = 0;
    loop {
        let rest = &text[end..];
        let mut chars = rest.char_indices();
        let Some((_, first)) = chars.next() else {
            break;
        };
        if !first.is_ascii_uppercase() {
            break;
        }
        // One capital, or a two- or three-letter Dutch initial such as Th., Chr., Joh.
        let letters = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = &rest[..letters];
        let is_initial = letters == 1 || matches!(word, "Th" | "Ch" | "Chr" | "Ph" | "Joh");
        if !is_initial || !rest[letters..].starts_with('.') {
            break;
        }
        end += letters + 1;
        count += 1;
        // Another initial may follow directly or after one space.
        let next = &text[end..];
        if next.starts_with(' ')
            && next[1..].starts_with(|c: char| c.is_ascii_uppercase())
            && next[2..].starts_with('.')
        {
            end += 1;
        }
    }
    (count > 0).then_some(end)
}

/// The end of the word at `pos` (letters, with inner `-` and `'`, or a leading `'` as in
/// `'t`), or `None` if no word starts there.
fn word_end(text: &str, pos: usize) -> Option<usize> {
    let rest = text.get(pos..)?;
    let mut end = 0;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_letter = chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || (matches!(c, '-' | '\'' | '’') && next_is_letter) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    (end > 0).then_some(pos + end)
}

/// A word that starts with a capital and has a lowercase letter (`Jansen`, `O'Brien`,
/// `Groot-Velwijk`), not an abbreviation in capitals (`NYHA`).
fn is_capitalised_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && word.chars().any(char::is_lowercase)
}

/// Skips at most two spaces.
fn skip_spaces(text: &str, pos: usize) -> usize {
    let spaces = text[pos..]
        .bytes()
        .take(2)
        .take_while(|b| *b == b' ')
        .count();
    pos + spaces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        find(text, &[], &mut hits);
        let hits = crate::deid::detector::resolve(hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn titles_initials_and_particles() {
        assert_eq!(
            found("Betreft: dhr. In 't Linring, geb."),
            ["In 't Linring"]
        );
        assert_eq!(found("Pt. M.P. de Duiga, 70 jaar"), ["M.P. de Duiga"]);
        assert_eq!(found("Dear Dr Wadwell,"), ["Wadwell"]);
        assert_eq!(found("Patiënt: Zankamp, F.A.\n"), ["Zankamp, F.A."]);
        assert_eq!(found("Oosveld, P. van de | geb."), ["Oosveld, P. van de"]);
        assert_eq!(
            found("Pt. de heer Van de Zanlink, 55 jaar"),
            ["Van de Zanlink"]
        );
    }

    #[test]
    fn roles_signatures_and_repeats() {
        let text =
            "Met vriendelijke groet,\n\nTijo Uitlo\n\nAan: Pieard Zwalo, huisarts\nZwalo belde.";
        assert_eq!(found(text), ["Tijo Uitlo", "Pieard Zwalo", "Zwalo"]);
    }

    #[test]
    fn eponyms_are_not_names() {
        assert!(found("Bekend met de ziekte van Parkinson en Graves' disease.").is_empty());
        assert!(found("Holter: geen ritmestoornissen. Parkinson stabiel.").is_empty());
        assert_eq!(found("Dr Holter zag patiënt."), ["Holter"]);
    }
}
