//! Exercise: is this a BSN? The elfproef.
//!
//! Every Dutch citizen has a BSN (burgerservicenummer): nine digits that pass the
//! *elfproef* (eleven test). A de-identifier that hid every nine-digit number would also
//! hide lab order numbers; one that checks the elfproef knows which numbers are BSNs.
//! Replace the `todo!()` with your code, then run `clinkit lessons check 02`.

/// True when `text` holds exactly nine digits (dots and spaces between them are allowed,
/// as in `1234.56.782`) that pass the elfproef: 9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6
/// + 3·d7 + 2·d8 − 1·d9 is a multiple of 11. Nine zeros is not a BSN.
///
/// `is_bsn("123456782")` is `true`; `is_bsn("123456789")` is `false`.
pub fn is_bsn(text: &str) -> bool {
    todo!("the eleven test")
}
