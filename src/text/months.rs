//! Month names as Dutch and English letters write them, shared by the synthetic letter
//! generator (which writes dates) and de-identification (which finds and shifts them).
//!
//! ```
//! use clinkit::text::months::{MONTHS_EN, MONTHS_NL_SHORT};
//! assert_eq!(MONTHS_EN[2], "March");
//! assert_eq!(MONTHS_NL_SHORT[2], "mrt");
//! ```

/// Dutch month names in full (`maart`), January first.
pub const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Dutch month names shortened as in letters (`mrt`), January first.
pub const MONTHS_NL_SHORT: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// English month names in full (`March`), January first.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English month names shortened (`Mar`), January first.
pub const MONTHS_EN_SHORT: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
