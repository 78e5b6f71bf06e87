//! The HTML view: summary lines beside the letter, evidence lit up on hover or click.

use crate::data::Document;
use crate::text::{escape_html, CharIndex, Span};

use super::{Section, Summary};

/// Style and script of the view, inline so the page needs nothing from outside.
const VIEW_STYLE: &str = ".sum-view{display:flex;gap:2em;align-items:flex-start}\
.sum-list{flex:1;min-width:18em}.sum-letter{flex:1.4;white-space:pre-wrap;font-family:monospace;\
border:1px solid #ccc;padding:1em}.sum-stmt{cursor:pointer;padding:2px 4px;border-radius:3px}\
.sum-stmt:hover,.sum-stmt.on{background:#ffe08a}.sum-bad{color:#b00020}\
.sum-bad::before{content:'\\26A0  unsupported: '}mark.ev{background:#eef3ff}mark.ev.on{background:#ffc83d}";

const VIEW_SCRIPT: &str = "document.querySelectorAll('.sum-view').forEach(function(view){\
function light(id,on){view.querySelectorAll('mark.ev').forEach(function(m){\
if((' '+m.dataset.s+' ').indexOf(' '+id+' ')>=0){m.classList.toggle('on',on);}});}\
view.querySelectorAll('.sum-stmt').forEach(function(li){var id=li.dataset.s;\
li.addEventListener('mouseenter',function(){light(id,true);});\
li.addEventListener('mouseleave',function(){if(!li.classList.contains('on'))light(id,false);});\
li.addEventListener('click',function(){li.classList.toggle('on');light(id,li.classList.contains('on'));});});});";

/// An HTML fragment (style and script included, no external files) that shows the summary
/// beside its letter: hovering or clicking a statement highlights its evidence in the
/// letter; statements the check did not support are marked in red.
///
/// ```
/// use clinkit::data::{Document, Lang};
/// let letter = clinkit::extract::rules::extract(&Document::new("ex", Lang::En, "referral", "LVEF <35>%: LVEF 35%."));
/// let summary = clinkit::summarise::template_summary(&letter);
/// let html = clinkit::summarise::summary_html(&letter, &summary);
/// assert!(html.contains("&lt;35&gt;"));
/// assert!(html.contains(r#"<mark class="ev" data-s="0">35</mark>"#));
/// ```
pub fn summary_html(letter: &Document, summary: &Summary) -> String {
    let mut out = format!(
        "<style>{VIEW_STYLE}</style><h2>{}</h2><div class=\"sum-view\"><div class=\"sum-list\">",
        escape_html(&letter.id)
    );
    for section in Section::ALL {
        let members: Vec<(usize, _)> = summary
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.section == section)
            .collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!("<h3>{}</h3><ul>", section.title(summary.lang)));
        for (index, statement) in members {
            let class = if statement.is_supported() {
                "sum-stmt"
            } else {
                "sum-stmt sum-bad"
            };
            out.push_str(&format!(
                "<li class=\"{class}\" data-s=\"{index}\">{}</li>",
                escape_html(&statement.text)
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div><div class=\"sum-letter\">");
    out.push_str(&marked_letter(letter, summary));
    out.push_str(&format!("</div></div><script>{VIEW_SCRIPT}</script>"));
    out
}

/// The letter's text with every evidence piece in a `<mark>` that lists the statements
/// it supports (`data-s="0 3"`).
fn marked_letter(letter: &Document, summary: &Summary) -> String {
    let index = CharIndex::new(&letter.text);
    let length = index.char_len();
    let spans_of = |i: usize| {
        summary.statements[i]
            .spans
            .iter()
            .filter(|s| s.end <= length)
    };
    let mut cuts: Vec<usize> = vec![0, length];
    for i in 0..summary.statements.len() {
        for span in spans_of(i) {
            cuts.extend([span.start, span.end]);
        }
    }
    cuts.sort();
    cuts.dedup();
    let mut out = String::new();
    for pair in cuts.windows(2) {
        let piece = Span::new(pair[0], pair[1]);
        let text = escape_html(index.slice(piece).unwrap_or_default());
        let owners: Vec<String> = (0..summary.statements.len())
            .filter(|&i| spans_of(i).any(|span| span.start <= piece.start && piece.end <= span.end))
            .map(|i| i.to_string())
            .collect();
        if owners.is_empty() {
            out.push_str(&text);
        } else {
            out.push_str(&format!(
                "<mark class=\"ev\" data-s=\"{}\">{text}</mark>",
                owners.join(" ")
            ));
        }
    }
    out
}
