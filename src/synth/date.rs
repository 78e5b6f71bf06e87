//! Calendar dates, written the many ways letters write them.

use crate::data::Lang;
use crate::text::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::text::months::{MONTHS_EN, MONTHS_EN_SHORT, MONTHS_NL, MONTHS_NL_SHORT};

/// A calendar date (proleptic Gregorian calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// The ways a date is written in letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateStyle {
    /// `12-03-2024`
    Dashes,
    /// `12-3-2024`
    DashesShort,
    /// `12/03/2024` (day first, as in the Netherlands and the UK)
    Slashes,
    /// `3/12/2024` (month first, American)
    SlashesMonthFirst,
    /// `12.03.2024`
    Dots,
    /// `12 maart 2024`, `12 March 2024`
    Long,
    /// `12 mrt 2024`, `12 Mar 2024`
    LongShortMonth,
    /// `March 12, 2024` (English only; Dutch falls back to `Long`)
    MonthDayYear,
    /// `2024-03-12`
    Iso,
}

/// The date styles a letter in `lang` uses.
pub(crate) fn styles(lang: Lang) -> &'static [DateStyle] {
    match lang {
        Lang::Nl => &[
            DateStyle::Dashes,
            DateStyle::Dashes,
            DateStyle::DashesShort,
            DateStyle::Long,
            DateStyle::LongShortMonth,
            DateStyle::Dots,
            DateStyle::Slashes,
        ],
        Lang::En => &[
            DateStyle::Slashes,
            DateStyle::Slashes,
            DateStyle::Long,
            DateStyle::MonthDayYear,
            DateStyle::LongShortMonth,
            DateStyle::SlashesMonthFirst,
            DateStyle::Iso,
        ],
    }
}

impl Date {
    /// A date; panics on an impossible one (a bug in the generator).
    pub fn new(year: i32, month: u32, day: u32) -> Date {
        let date = Date { year, month, day };
        assert!(
            (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month),
            "impossible date {year}-{month}-{day}"
        );
        date
    }

    /// Days since 1970-01-01 ([`crate::text::calendar::days_from_civil`]).
    pub fn to_days(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let (year, month, day) = civil_from_days(days);
        Date { year, month, day }
    }

    /// The date `days` later (or earlier, for a negative number).
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// Whole years between `self` (a birth date) and `on`: the age on that day.
    pub fn years_until(self, on: Date) -> i64 {
        let mut years = (on.year - self.year) as i64;
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The date written in `style` for a letter in `lang`.
    pub fn write(self, style: DateStyle, lang: Lang) -> String {
        let (d, m, y) = (self.day, self.month, self.year);
        let month_index = (m - 1) as usize;
        match (style, lang) {
            (DateStyle::Dashes, _) => format!("{d:02}-{m:02}-{y}"),
            (DateStyle::DashesShort, _) => format!("{d}-{m}-{y}"),
            (DateStyle::Slashes, _) => format!("{d:02}/{m:02}/{y}"),
            (DateStyle::SlashesMonthFirst, _) => format!("{m}/{d}/{y}"),
            (DateStyle::Dots, _) => format!("{d:02}.{m:02}.{y}"),
            (DateStyle::Long, Lang::Nl) | (DateStyle::MonthDayYear, Lang::Nl) => {
                format!("{d} {} {y}", MONTHS_NL[month_index])
            }
            (DateStyle::Long, Lang::En) => format!("{d} {} {y}", MONTHS_EN[month_index]),
            (DateStyle::LongShortMonth, Lang::Nl) => {
                format!("{d} {} {y}", MONTHS_NL_SHORT[month_index])
            }
            (DateStyle::LongShortMonth, Lang::En) => {
                format!("{d} {} {y}", MONTHS_EN_SHORT[month_index])
            }
            (DateStyle::MonthDayYear, Lang::En) => format!("{} {d}, {y}", MONTHS_EN[month_index]),
            (DateStyle::Iso, _) => self.iso(),
        }
    }

    /// Month and year only: `maart 2024`, `March 2024` (still a date in the PHI sense).
    pub fn month_year(self, lang: Lang) -> String {
        let month_index = (self.month - 1) as usize;
        match lang {
            Lang::Nl => format!("{} {}", MONTHS_NL[month_index], self.year),
            Lang::En => format!("{} {}", MONTHS_EN[month_index], self.year),
        }
    }

    /// Day and month only, as in a day-by-day course: `12-03`, `12/03`.
    pub fn day_month(self, lang: Lang) -> String {
        match lang {
            Lang::Nl => format!("{:02}-{:02}", self.day, self.month),
            Lang::En => format!("{:02}/{:02}", self.day, self.month),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_000, 60_000] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).to_days(), 0);
        assert_eq!(Date::new(2024, 2, 28).plus_days(1), Date::new(2024, 2, 29));
        assert_eq!(Date::new(2023, 12, 31).plus_days(1), Date::new(2024, 1, 1));
    }

    #[test]
    fn writes_dates() {
        let date = Date::new(2024, 3, 12);
        assert_eq!(date.write(DateStyle::Dashes, Lang::Nl), "12-03-2024");
        assert_eq!(date.write(DateStyle::Long, Lang::Nl), "12 maart 2024");
        assert_eq!(
            date.write(DateStyle::SlashesMonthFirst, Lang::En),
            "3/12/2024"
        );
        assert_eq!(
            date.write(DateStyle::MonthDayYear, Lang::En),
            "March 12, 2024"
        );
        assert_eq!(Date::new(1957, 6, 1).years_until(date), 66);
    }
}
