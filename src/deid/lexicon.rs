//! Word lists for de-identification: titles, name particles, eponyms, common names.
//!
//! Every list here was written for clinkit by hand. The common names come from what
//! public statistics report as frequent (the Dutch surname and first-name rankings of
//! the CBS and the Meertens Instituut's Nederlandse Voornamenbank and
//! Familienamenbank; for English the surname and baby-name rankings published by the
//! UK Office for National Statistics and the US Census Bureau), recalled from their
//! published summaries and kept short: the top of each ranking, not a copy of a list.
//! The eponyms are the ones a cardiology or internal-medicine text meets.
//!
//! The lists help, but a de-identifier must not rely on them: most names in real
//! letters are not on any short list. Detection therefore leans on *context* (titles,
//! initials, field labels, signatures), and uses these lists as extra evidence only.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Titles and forms of address that come right before a name (lowercase, without the
/// final full stop).
#[rustfmt::skip]
pub const TITLES: &[&str] = &[
    "dhr", "mw", "mevr", "mevrouw", "meneer", "heer", "mr", "mrs", "ms", "miss", "mx", "dr",
    "drs", "prof", "professor", "ir", "mr", "sir", "dame", "lady", "lord", "rev", "zr",
    "zuster", "broeder", "collega", "arts", "doctor", "dokter", "sister", "nurse",
];

/// Name particles (Dutch *tussenvoegsels* and a few foreign ones): `van`, `de`, `van der`,
/// `ten`... Lowercase; a name may also start with a capitalised one ("Van der Berg").
#[rustfmt::skip]
pub const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "ten", "ter", "te", "in", "'t", "t", "op", "uit", "het", "von",
    "vom", "zu", "la", "le", "du", "da", "di", "del", "della", "dos", "das", "d'", "bin", "al",
    "el", "vd", "v.d.",
];

/// Medical eponyms: surnames that in a clinical text almost always name a disease, a
/// sign, a test, a score or a device, not a person ("ziekte van Parkinson", "Graves",
/// "Holter"). Capitalised as written in text.
#[rustfmt::skip]
pub const EPONYMS: &[&str] = &[
    "Addison", "Adams", "Adson", "Alzheimer", "Apgar", "Arnold", "Austin", "Babinski", "Bechterew", "Baker",
    "Barlow", "Barrett", "Basedow", "Bazett", "Becker", "Behçet", "Bell", "Bernard", "Bland",
    "Blalock", "Bouchard", "Brugada", "Bruce", "Buerger", "Burkitt", "Chagas", "Cheyne",
    "Chiari", "Child", "Churg", "Cockcroft", "Conn", "Corrigan", "Crohn", "Cushing", "Danon",
    "DeBakey", "Doppler", "Down", "Dressler", "Duchenne", "Duke", "Dupuytren", "Ebstein",
    "Eisenmenger", "Epstein", "Erb", "Fabry", "Fallot", "Flint", "Fontan", "Framingham",
    "Friedewald", "Friedreich", "Gault", "Gilbert", "Glenn", "Graham", "Graves", "Guillain",
    "Barré", "Hashimoto", "Heimlich", "Henoch", "His", "Hodgkin", "Holter", "Horner", "Horton",
    "Huntington", "Judkins", "Kaposi", "Kawasaki", "Kent", "Kerley", "Killip", "Korotkoff",
    "Korsakoff", "Kussmaul", "Lambl", "Laplace", "Levine", "Libman", "Loeffler", "Löffler",
    "Lown", "Lyme", "Mahaim", "Mallory", "Marfan", "Mobitz", "Monckeberg", "Mönckeberg",
    "Morgagni", "Murphy", "Musset", "Noonan", "Osler", "Paget", "Parkinson", "Pick", "Pompe",
    "Prinzmetal", "Purkinje", "Quincke", "Raynaud", "Reiter", "Romano", "Romberg", "Roth",
    "Sacks", "Schönlein", "Seldinger", "Simpson", "Sjögren", "Sokolow", "Steell", "Stokes",
    "Strauss", "Swan", "Ganz", "Takayasu", "Takotsubo", "Tietze", "Traube", "Trendelenburg",
    "Turner", "Uhl", "Valsalva", "Virchow", "Waldenström", "Wegener", "Weiss", "Wells",
    "Wenckebach", "Wernicke", "Whipple", "White", "Williams", "Wilson", "Wolff", "Lyon",
    "Cornell", "Minnesota", "Seattle", "Geneva", "Glasgow", "Rotterdam", "Mayo", "Tanner",
];

/// Words that say an eponym is meant (a disease, sign or device), so the word before or
/// after is not a person: "ziekte van Parkinson", "Holter monitor", "Graves' disease".
#[rustfmt::skip]
pub const EPONYM_CUES: &[&str] = &[
    "ziekte", "syndroom", "syndrome", "disease", "sign", "teken", "fenomeen", "phenomenon",
    "test", "manoeuvre", "maneuver", "manoeuvre", "monitor", "monitoring", "registratie",
    "onderzoek", "formule", "formula", "criteria", "criteriën", "score", "classificatie",
    "classification", "type", "block", "blok", "procedure", "operatie", "operation", "shunt",
    "catheter", "katheter", "protocol", "index", "tetralogie", "tetralogy", "anomalie",
    "anomaly", "reflex", "murmur", "souffle", "vlekken", "spots", "nodes", "noduli", "lijnen",
    "lines", "correctie", "correction", "methode", "method", "equation", "vergelijking",
];

/// Words that look like names after a cue but are not: roles, departments, document
/// words, calendar words and common sentence starts (capitalised as in text).
#[rustfmt::skip]
pub const NOT_NAMES: &[&str] = &[
    // Dutch function words and sentence starts.
    "De", "Het", "Een", "Dit", "Deze", "Die", "Dat", "Er", "En", "Of", "Op", "In", "Aan", "Bij",
    "Met", "Na", "Voor", "Naar", "Over", "Geen", "Wel", "Niet", "Nog", "Ook", "Zie", "Graag",
    "Patiënt", "Patient", "Patiente", "Patiënte", "Pt", "Betreft", "Datum", "Naam", "Adres",
    "Telefoon", "Tel", "Geachte", "Beste", "Collega", "Hierbij", "Sinds", "Sedert", "Wij", "We",
    "Ik", "Hij", "Zij", "Ze", "U", "Uw", "Hem", "Haar", "Zijn", "Mijn", "Vriendelijke", "Groet",
    "Groeten", "Hoogachtend", "Bijlage", "Kopie", "Verwijzer", "Verwijzing", "Aanvrager",
    "Huisarts", "Cardioloog", "Specialist", "Arts", "Internist", "Longarts", "Neuroloog",
    "Verpleegkundige", "Polikliniek", "Afdeling", "Cardiologie", "Interne", "Geneeskunde",
    "Ziekenhuis", "Praktijk", "Apotheek", "Laboratorium", "Echocardiografie", "Echo", "Lab",
    "Conclusie", "Beleid", "Anamnese", "Medicatie", "Allergieën", "Voorgeschiedenis",
    "Familieanamnese", "Diagnose", "Diagnoses", "Onderzoek", "Uitslag", "Uitslagen",
    "Vraagstelling", "Reden", "Urgentie", "Spoed", "Regulier", "Routine", "Man", "Vrouw",
    "Heer", "Mevrouw", "Meneer", "Dhr", "Mw", "Mevr", "Dr", "Drs", "Prof", "Nederland",
    "Nederlands", "Zorgdomein", "ZorgDomein", "Roken", "Alcohol", "Intoxicaties", "Beloop",
    "Opname", "Ontslag", "Controle", "Klachten", "Lichamelijk", "Aanvullend", "Bevindingen",
    "Supervisie", "Medisch", "Centrum", "Streekziekenhuis", "Huisartsenpraktijk",
    "Gezondheidscentrum", "Sint", "Gasthuis", "Kliniek", "Klinisch", "Chemisch", "Bepaling",
    "Eerdere", "Actuele", "Gestopte",
    // English function words and sentence starts.
    "The", "A", "An", "This", "That", "These", "He", "She", "They", "We", "I", "It", "His",
    "Her", "Their", "Our", "My", "Your", "You", "And", "Or", "But", "If", "On", "At", "To",
    "From", "With", "For", "Of", "By", "As", "No", "Not", "Yes", "Please", "Many", "Thank",
    "Thanks", "Dear", "Kind", "Regards", "Yours", "Sincerely", "Best", "Wishes", "Re", "Ref",
    "Date", "Name", "Address", "Phone", "Telephone", "Email", "Mr", "Mrs", "Ms", "Miss", "Sir",
    "Madam", "Doctor", "Consultant", "Cardiologist", "Cardiology", "Registrar", "General",
    "Practitioner", "Physician", "Nurse", "Clinic", "Department", "Medicine", "Hospital",
    "Surgery", "Practice", "Pharmacy", "Centre", "Center", "Health", "Laboratory", "Referral",
    "Referrer", "Requested", "Reported", "Impression", "Plan", "History", "Examination",
    "Investigations", "Medication", "Medications", "Allergies", "Diagnosis", "Summary", "Male",
    "Female", "Priority", "Urgent", "Copy", "Page", "Patient's", "NHS", "GP", "DOB", "BSN",
    "ECG", "ECHO", "Smoking", "Alcohol", "Course", "Admission", "Discharge", "Follow",
    "Symptoms", "Findings", "Conclusion", "Royal", "Infirmary", "St", "Saint", "Clinical",
    "Biochemistry", "Outpatients", "Ward",
    // Calendar words.
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Januari", "Februari", "Maart", "Mei", "Juni", "Juli",
    "Augustus", "Oktober", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "Maandag", "Dinsdag", "Woensdag", "Donderdag", "Vrijdag", "Zaterdag", "Zondag",
];

/// Job titles and roles that follow a name after a comma ("J. Jansen, huisarts"),
/// lowercase. A name right before one of these is a person.
#[rustfmt::skip]
pub const ROLES: &[&str] = &[
    "huisarts", "cardioloog", "internist", "internist-nefroloog", "nefroloog", "longarts",
    "neuroloog", "chirurg", "geriater", "arts", "arts-assistent", "aios", "anios",
    "coassistent", "verpleegkundige", "verpleegkundig specialist", "physician assistant",
    "seh-arts", "klinisch chemicus", "apotheker", "echocardiografist", "laborant",
    "praktijkondersteuner", "poh", "radioloog", "anesthesioloog", "gp", "general practitioner",
    "consultant", "cardiologist", "consultant cardiologist", "registrar",
    "cardiology registrar", "nephrologist", "neurologist", "respiratory physician",
    "consultant physician", "emergency physician", "physician", "nurse", "nurse specialist",
    "specialist nurse", "pharmacist", "sonographer", "clinical scientist",
    "biomedical scientist", "fy1", "fy2", "sho", "spr", "house officer", "junior doctor",
    "surgeon", "geriatrician", "radiologist",
];

/// Common Dutch surnames (the top of the CBS / Meertens surname ranking, as recalled),
/// used to recognise names without a title and to choose surrogate names.
#[rustfmt::skip]
pub const SURNAMES_NL: &[&str] = &[
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten",
    "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers",
    "van Veen", "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Wijk",
    "Postma", "Martens", "Vink", "de Ridder", "Jonker", "van Rijn", "Hermans", "Bosman",
    "Wouters",
];

/// Common English surnames (the top of the ONS and US Census surname rankings, as
/// recalled; eponyms such as Wilson and White are left out on purpose).
#[rustfmt::skip]
pub const SURNAMES_EN: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Davies", "Evans", "Thomas", "Johnson", "Roberts",
    "Robinson", "Thompson", "Wright", "Walker", "Edwards", "Hughes", "Green", "Hall", "Lewis",
    "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Harrison", "Morgan", "Allen", "James",
    "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
    "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Shaw", "Miller",
    "Cox", "Richards", "Khan", "Marshall", "Anderson", "Ellis", "Singh", "Begum", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain",
    "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
];

/// Common Dutch first names (from the Meertens Voornamenbank and SVB rankings of
/// several generations, as recalled).
#[rustfmt::skip]
pub const FIRST_NAMES_NL: &[&str] = &[
    "Jan", "Johannes", "Cornelis", "Hendrik", "Willem", "Pieter", "Gerrit", "Jacobus",
    "Hendrikus", "Adrianus", "Petrus", "Kees", "Piet", "Henk", "Gerard", "Joost", "Wim", "Hans",
    "Peter", "Erik", "Frank", "Marco", "Dennis", "Sander", "Bas", "Daan", "Sem", "Lucas",
    "Levi", "Finn", "Bram", "Luuk", "Milan", "Jesse", "Thijs", "Ruben", "Tim", "Maria", "Anna",
    "Johanna", "Wilhelmina", "Cornelia", "Hendrika", "Geertruida", "Elisabeth", "Ria", "Truus",
    "Joke", "Els", "Marja", "Petra", "Monique", "Ingrid", "Marieke", "Annemiek", "Sandra",
    "Esther", "Linda", "Saskia", "Anouk", "Sanne", "Lotte", "Fleur", "Tess", "Julia", "Sophie",
    "Eva", "Lieke", "Femke", "Noor",
];

/// Common English first names (from ONS baby-name rankings and US Social Security
/// rankings of several generations, as recalled; words such as "May" or "Will" left out).
#[rustfmt::skip]
pub const FIRST_NAMES_EN: &[&str] = &[
    "John", "David", "Michael", "Robert", "Richard", "Paul", "Andrew", "Peter", "Stephen",
    "Christopher", "Daniel", "Matthew", "James", "William", "Thomas", "George", "Harry", "Jack",
    "Oliver", "Charlie", "Oscar", "Jacob", "Joseph", "Edward", "Henry", "Samuel", "Benjamin",
    "Mary", "Margaret", "Elizabeth", "Susan", "Sarah", "Patricia", "Jennifer", "Barbara",
    "Helen", "Karen", "Emma", "Jane", "Ann", "Anne", "Joan", "Dorothy", "Jean", "Joyce",
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Mia", "Ella", "Lucy", "Charlotte",
    "Jessica", "Rachel", "Rebecca", "Claire", "Alison", "Julie", "Carol",
];

/// Common Dutch street names, for surrogate addresses.
#[rustfmt::skip]
pub const STREETS_NL: &[&str] = &[
    "Kerkstraat", "Schoolstraat", "Molenstraat", "Dorpsstraat", "Stationsweg", "Julianastraat",
    "Nieuwstraat", "Beatrixstraat", "Wilhelminastraat", "Kerkweg", "Sportlaan", "Industrieweg",
    "Emmastraat", "Eikenlaan", "Parkweg", "Vijverlaan", "Marktstraat", "Havenstraat",
    "Lindelaan", "Beukenlaan",
];

/// Common British street names, for surrogate addresses.
#[rustfmt::skip]
pub const STREETS_EN: &[&str] = &[
    "High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street",
    "London Road", "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue",
    "Queens Road", "New Road", "Grange Road", "Kings Road", "Alexandra Road", "Glebe Road",
    "York Road", "North Street",
];

/// Dutch towns (the larger municipalities of the CBS list), for surrogate places.
#[rustfmt::skip]
pub const TOWNS_NL: &[&str] = &[
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Almere",
    "Maastricht", "Heerlen", "Zaandam",
    "Amersfoort", "Apeldoorn", "Arnhem", "Assen", "Breda", "Delft", "Deventer", "Dordrecht",
    "Ede", "Emmen", "Enschede", "Gouda", "Haarlem", "Helmond", "Hengelo", "Hilversum",
    "Leeuwarden", "Leiden", "Lelystad", "Nijmegen", "Oss", "Purmerend", "Roosendaal",
    "Schiedam", "Tilburg", "Venlo", "Zoetermeer", "Zwolle", "Alkmaar", "Almelo",
];

/// British towns, for surrogate places.
#[rustfmt::skip]
pub const TOWNS_EN: &[&str] = &[
    "London", "Birmingham", "Manchester", "Leeds", "Sheffield", "Bristol", "Liverpool",
    "Nottingham", "Newcastle", "Cardiff", "Edinburgh", "Belfast", "Southampton", "Brighton",
    "Bath", "Bolton", "Carlisle", "Cheltenham", "Chester", "Coventry", "Derby", "Durham",
    "Exeter", "Gloucester", "Ipswich", "Lancaster", "Leicester", "Lincoln", "Luton", "Norwich",
    "Oxford", "Peterborough", "Plymouth", "Preston", "Reading", "Salisbury", "Stockport",
    "Swindon", "Worcester", "York", "Wakefield", "Taunton", "Truro", "Kendal",
];

/// Is `word` (with or without a final full stop, any case) a title such as `dhr.` or `Dr`?
///
/// ```
/// use clinkit::deid::lexicon::is_title;
/// assert!(is_title("dhr.") && is_title("Mrs") && !is_title("Jansen"));
/// ```
pub fn is_title(word: &str) -> bool {
    let word = word.trim_end_matches('.').to_lowercase();
    TITLES.contains(&word.as_str())
}

/// Is `word` a name particle such as `van`, `de`, `ten` (any case)?
///
/// ```
/// use clinkit::deid::lexicon::is_particle;
/// assert!(is_particle("van") && is_particle("Ter") && is_particle("'t"));
/// assert!(!is_particle("Vries"));
/// ```
pub fn is_particle(word: &str) -> bool {
    let lower = word.to_lowercase();
    PARTICLES.contains(&lower.as_str())
}

/// Is `word` (as written, capitalised) a medical eponym such as `Parkinson` or `Holter`?
/// A possessive (`Graves'`, `Parkinson's`) counts too.
///
/// ```
/// use clinkit::deid::is_eponym;
/// assert!(is_eponym("Parkinson"));
/// assert!(is_eponym("Graves'"));
/// assert!(!is_eponym("Jansen"));
/// ```
pub fn is_eponym(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| EPONYMS.iter().copied().collect());
    let word = word
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_end_matches(['\'', '’']);
    set.contains(word)
}

/// Is `word` a capitalised word that is not a name (a role, a department, a sentence start,
/// a month)?
///
/// ```
/// use clinkit::deid::lexicon::is_not_name;
/// assert!(is_not_name("Cardiologie") && is_not_name("Patiënt") && is_not_name("Maart"));
/// assert!(!is_not_name("Gelbeek"));
/// ```
pub fn is_not_name(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| NOT_NAMES.iter().copied().collect());
    let word = word.trim_end_matches('.');
    set.contains(word) || month_number(word).is_some()
}

/// Is `word` a first name on the short lists (written with a capital)?
///
/// ```
/// use clinkit::deid::lexicon::is_common_first_name;
/// assert!(is_common_first_name("Pieter") && is_common_first_name("Margaret"));
/// assert!(!is_common_first_name("Holter"));
/// ```
pub fn is_common_first_name(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        FIRST_NAMES_NL
            .iter()
            .chain(FIRST_NAMES_EN)
            .copied()
            .collect()
    });
    set.contains(word)
}

/// Is `text` (any case) a role such as `huisarts` or `Consultant Cardiologist`?
///
/// ```
/// use clinkit::deid::lexicon::is_role;
/// assert!(is_role("huisarts") && is_role("Consultant Cardiologist"));
/// assert!(!is_role("patiënt"));
/// ```
pub fn is_role(text: &str) -> bool {
    ROLES.contains(&text.to_lowercase().as_str())
}

/// The month number of a Dutch or English month name or abbreviation (any case, with or
/// without a final full stop), such as `mrt` → 3 or `September` → 9.
///
/// ```
/// use clinkit::deid::month_number;
/// assert_eq!(month_number("mrt"), Some(3));
/// assert_eq!(month_number("Sept."), Some(9));
/// assert_eq!(month_number("maandag"), None);
/// ```
pub fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    let month = match lower.as_str() {
        "januari" | "january" | "jan" => 1,
        "februari" | "february" | "feb" | "febr" => 2,
        "maart" | "march" | "mrt" | "mar" | "mrt." => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "june" | "jun" => 6,
        "juli" | "july" | "jul" => 7,
        "augustus" | "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "october" | "okt" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(month)
}

/// The value of a Dutch or English number word from 1 to 120 (`zevenenzeventig` → 77,
/// `eighty-nine` → 89), used for ages written in words.
///
/// ```
/// use clinkit::deid::number_word_value;
/// assert_eq!(number_word_value("zevenenzeventig"), Some(77));
/// assert_eq!(number_word_value("drieënveertig"), Some(43));
/// assert_eq!(number_word_value("eighty-nine"), Some(89));
/// assert_eq!(number_word_value("hartfalen"), None);
/// ```
pub fn number_word_value(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    if let Some(value) = small_number(&word) {
        return Some(value);
    }
    if let Some(rest) = word.strip_prefix("honderd") {
        let rest = rest.strip_prefix("en").unwrap_or(rest);
        return small_number(rest).map(|v| 100 + v);
    }
    if let Some(rest) = word.strip_prefix("one hundred") {
        let rest = rest
            .trim_start_matches([' ', '-'])
            .trim_start_matches("and ");
        return small_number(rest).map(|v| 100 + v);
    }
    None
}

/// 1 to 99 in Dutch or English words.
fn small_number(word: &str) -> Option<u32> {
    const UNITS_NL: [&str; 9] = [
        "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
    ];
    const TEENS_NL: [&str; 10] = [
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
    ];
    const TENS_NL: [&str; 8] = [
        "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig",
    ];
    const UNITS_EN: [&str; 9] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const TEENS_EN: [&str; 10] = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS_EN: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let position = |list: &[&str], w: &str| list.iter().position(|x| *x == w).map(|i| i as u32);
    if let Some(i) = position(&UNITS_NL, word).or_else(|| position(&UNITS_EN, word)) {
        return Some(i + 1);
    }
    if word == "één" {
        return Some(1);
    }
    if let Some(i) = position(&TEENS_NL, word).or_else(|| position(&TEENS_EN, word)) {
        return Some(i + 10);
    }
    if let Some(i) = position(&TENS_NL, word).or_else(|| position(&TENS_EN, word)) {
        return Some(i * 10 + 20);
    }
    // English: "sixty-eight" or "sixty eight".
    if let Some((tens, unit)) = word.split_once(['-', ' ']) {
        if let (Some(t), Some(u)) = (position(&TENS_EN, tens), position(&UNITS_EN, unit)) {
            return Some(t * 10 + 20 + u + 1);
        }
    }
    // Dutch: unit + "en" or "ën" + tens, written as one word ("zevenenzeventig").
    for (u, unit) in UNITS_NL.iter().enumerate() {
        if let Some(rest) = word.strip_prefix(unit) {
            let rest = rest.strip_prefix("ën").or_else(|| rest.strip_prefix("en"));
            if let Some(t) = rest.and_then(|r| position(&TENS_NL, r)) {
                return Some(t * 10 + 20 + u as u32 + 1);
            }
        }
    }
    None
}
