//! Calendar arithmetic: leap years, days in a month, and counting days.
//!
//! Dates are hard to add to ("28 February plus 2 days"), but day *numbers* are easy: count
//! the days since 1 January 1970, add, and turn the number back into a date. The two
//! conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`, which work for
//! any date of the Gregorian calendar. De-identification shifts dates with them, the synthetic
//! data generator spaces letters with them, and course plans count days to a deadline.
//!
//! ```
//! use clinkit::text::calendar::{civil_from_days, days_from_civil};
//! let day = days_from_civil(2024, 2, 28);
//! assert_eq!(civil_from_days(day + 2), (2024, 3, 1)); // 2024 is a leap year
//! ```

/// Is `year` a leap year? Every fourth year is, except whole centuries, except every
/// fourth century (2000 was, 1900 was not).
///
/// ```
/// use clinkit::text::calendar::is_leap;
/// assert!(is_leap(2024) && is_leap(2000) && !is_leap(1900) && !is_leap(2026));
/// ```
pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days of `month` (1 to 12) in `year`; 0 for a month that does not exist.
///
/// ```
/// use clinkit::text::calendar::days_in_month;
/// assert_eq!((days_in_month(2024, 2), days_in_month(2025, 2), days_in_month(2025, 13)), (29, 28, 0));
/// ```
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The number of days from 1 January 1970 to this date (negative before it).
///
/// ```
/// use clinkit::text::calendar::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2027, 1, 2) - days_from_civil(2026, 12, 8), 25);
/// ```
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    // Count years from March, so the leap day is the last day of the (shifted) year.
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) `days` days after 1 January 1970: the inverse of
/// [`days_from_civil`].
///
/// ```
/// use clinkit::text::calendar::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        for days in [-800_000, -1, 0, 1, 59, 60, 11_016, 19_000, 80_000] {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), days);
        }
        assert_eq!(
            days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28),
            2
        );
    }
}
