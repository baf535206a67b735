//! Every England and Wales bank and public holiday from 1971 to 2030, written out by hand.
//!
//! Worked from the reference (`statutory-timescales.md` s.5): Schedule 1 of the Banking and
//! Financial Dealings Act 1971 (Easter Monday, last Monday in May, last Monday in August,
//! 26 December if not a Sunday, 27 December when 25 or 26 December is a Sunday); the common-law
//! holidays (Good Friday, Christmas Day); the annual proclamations (New Year's Day from 1974, the
//! next Monday when 1 January is at a weekend; first Monday in May from 1978; the remaining
//! Christmas substitutes); and the one-off changes of 1977, 1981, 1995, 1999, 2002, 2011, 2012,
//! 2020, 2022 and 2023. 2026-2028 are the announced years; 2029 and 2030 are projected and must be
//! flagged provisional. 14 November 1973 is disputed and is a working day.
//!
//! Weekend days are listed where they are holidays in law: Christmas Day on any day (common
//! law), and 26 December on a Saturday (Schedule 1: "if it be not a Sunday"). 1 January at a
//! weekend is not listed: the proclamation appoints the following Monday instead.
//!
//! Hand method: the weekday of 1 January of each year, then May 1 and 25 Dec fall on
//! (1 Jan + 1) weekdays later in a common year (+ 2 in a leap year) and 31 Aug on (1 Jan + 4)
//! (+ 5): from those the first/last Mondays and the Christmas pattern follow. Easter Sundays are
//! the well-known table below, with a sample worked on paper by the anonymous Gregorian
//! (Meeus/Jones/Butcher) algorithm, and the whole table re-checked in code by Knuth's
//! (a different) algorithm.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use lac_timescales::calendar::Calendar;
use lac_timescales::calendar::HolidayKind::{
    self, CommonLaw as CL, OneOff as OO, Proclamation as PR, Schedule1 as S1, Substitute as SU,
};

const NY: &str = "New Year's Day";
const NY_SUB: &str = "New Year's Day (substitute day)";
const GF: &str = "Good Friday";
const EM: &str = "Easter Monday";
const EARLY_MAY: &str = "Early May bank holiday";
const SPRING: &str = "Spring bank holiday";
const SUMMER: &str = "Summer bank holiday";
const XMAS: &str = "Christmas Day";
const BOX: &str = "Boxing Day";
const XMAS_SUB: &str = "Christmas Day (substitute day)";
const BOX_SUB: &str = "Boxing Day (substitute day)";

/// Last year whose holidays are announced; later years are provisional.
const LAST_ANNOUNCED: i32 = 2028;

/// (date, legal basis, name). For a one-off (`OO`) the name is a word the calendar's name must
/// contain; for every other day it is the exact GOV.UK title. Trailing comment: the weekday.
const HOLIDAYS: &[(&str, HolidayKind, &str)] = &[
    // 1971: 1 Jan Fri; Easter Sunday 11 Apr; 25 Dec Sat. No New Year holiday before 1974; Mon 27 (Sch 1) and Tue 28
    ("1971-04-09", CL, GF),       // Fri
    ("1971-04-12", S1, EM),       // Mon
    ("1971-05-31", S1, SPRING),   // Mon
    ("1971-08-30", S1, SUMMER),   // Mon
    ("1971-12-25", CL, XMAS),     // Sat
    ("1971-12-27", SU, XMAS_SUB), // Mon
    ("1971-12-28", SU, BOX_SUB),  // Tue
    // 1972: 1 Jan Sat; Easter Sunday 2 Apr; 25 Dec Mon
    ("1972-03-31", CL, GF),     // Fri
    ("1972-04-03", S1, EM),     // Mon
    ("1972-05-29", S1, SPRING), // Mon
    ("1972-08-28", S1, SUMMER), // Mon
    ("1972-12-25", CL, XMAS),   // Mon
    ("1972-12-26", S1, BOX),    // Tue
    // 1973: 1 Jan Mon; Easter Sunday 22 Apr; 25 Dec Tue. 14 Nov (royal wedding) disputed: a working day
    ("1973-04-20", CL, GF),     // Fri
    ("1973-04-23", S1, EM),     // Mon
    ("1973-05-28", S1, SPRING), // Mon
    ("1973-08-27", S1, SUMMER), // Mon
    ("1973-12-25", CL, XMAS),   // Tue
    ("1973-12-26", S1, BOX),    // Wed
    // 1974: 1 Jan Tue; Easter Sunday 14 Apr; 25 Dec Wed. First New Year bank holiday
    ("1974-01-01", PR, NY),     // Tue
    ("1974-04-12", CL, GF),     // Fri
    ("1974-04-15", S1, EM),     // Mon
    ("1974-05-27", S1, SPRING), // Mon
    ("1974-08-26", S1, SUMMER), // Mon
    ("1974-12-25", CL, XMAS),   // Wed
    ("1974-12-26", S1, BOX),    // Thu
    // 1975: 1 Jan Wed; Easter Sunday 30 Mar; 25 Dec Thu
    ("1975-01-01", PR, NY),     // Wed
    ("1975-03-28", CL, GF),     // Fri
    ("1975-03-31", S1, EM),     // Mon
    ("1975-05-26", S1, SPRING), // Mon
    ("1975-08-25", S1, SUMMER), // Mon
    ("1975-12-25", CL, XMAS),   // Thu
    ("1975-12-26", S1, BOX),    // Fri
    // 1976: 1 Jan Thu; Easter Sunday 18 Apr; 25 Dec Sat
    ("1976-01-01", PR, NY),       // Thu
    ("1976-04-16", CL, GF),       // Fri
    ("1976-04-19", S1, EM),       // Mon
    ("1976-05-31", S1, SPRING),   // Mon
    ("1976-08-30", S1, SUMMER),   // Mon
    ("1976-12-25", CL, XMAS),     // Sat
    ("1976-12-27", SU, XMAS_SUB), // Mon
    ("1976-12-28", SU, BOX_SUB),  // Tue
    // 1977: 1 Jan Sat; Easter Sunday 10 Apr; 25 Dec Sun. Spring 30 May -> Mon 6 Jun; Silver Jubilee Tue 7 Jun
    ("1977-01-03", SU, NY_SUB),                // Mon
    ("1977-04-08", CL, GF),                    // Fri
    ("1977-04-11", S1, EM),                    // Mon
    ("1977-06-06", OO, "Spring bank holiday"), // Mon
    ("1977-06-07", OO, "Silver Jubilee"),      // Tue
    ("1977-08-29", S1, SUMMER),                // Mon
    ("1977-12-25", CL, XMAS),                  // Sun
    ("1977-12-26", S1, BOX),                   // Mon
    ("1977-12-27", SU, XMAS_SUB),              // Tue
    // 1978: 1 Jan Sun; Easter Sunday 26 Mar; 25 Dec Mon. First early May bank holiday
    ("1978-01-02", SU, NY_SUB),    // Mon
    ("1978-03-24", CL, GF),        // Fri
    ("1978-03-27", S1, EM),        // Mon
    ("1978-05-01", PR, EARLY_MAY), // Mon
    ("1978-05-29", S1, SPRING),    // Mon
    ("1978-08-28", S1, SUMMER),    // Mon
    ("1978-12-25", CL, XMAS),      // Mon
    ("1978-12-26", S1, BOX),       // Tue
    // 1979: 1 Jan Mon; Easter Sunday 15 Apr; 25 Dec Tue
    ("1979-01-01", PR, NY),        // Mon
    ("1979-04-13", CL, GF),        // Fri
    ("1979-04-16", S1, EM),        // Mon
    ("1979-05-07", PR, EARLY_MAY), // Mon
    ("1979-05-28", S1, SPRING),    // Mon
    ("1979-08-27", S1, SUMMER),    // Mon
    ("1979-12-25", CL, XMAS),      // Tue
    ("1979-12-26", S1, BOX),       // Wed
    // 1980: 1 Jan Tue; Easter Sunday 6 Apr; 25 Dec Thu
    ("1980-01-01", PR, NY),        // Tue
    ("1980-04-04", CL, GF),        // Fri
    ("1980-04-07", S1, EM),        // Mon
    ("1980-05-05", PR, EARLY_MAY), // Mon
    ("1980-05-26", S1, SPRING),    // Mon
    ("1980-08-25", S1, SUMMER),    // Mon
    ("1980-12-25", CL, XMAS),      // Thu
    ("1980-12-26", S1, BOX),       // Fri
    // 1981: 1 Jan Thu; Easter Sunday 19 Apr; 25 Dec Fri. Royal wedding Wed 29 Jul
    ("1981-01-01", PR, NY),        // Thu
    ("1981-04-17", CL, GF),        // Fri
    ("1981-04-20", S1, EM),        // Mon
    ("1981-05-04", PR, EARLY_MAY), // Mon
    ("1981-05-25", S1, SPRING),    // Mon
    ("1981-07-29", OO, "Wedding"), // Wed
    ("1981-08-31", S1, SUMMER),    // Mon
    ("1981-12-25", CL, XMAS),      // Fri
    ("1981-12-26", S1, BOX),       // Sat
    ("1981-12-28", SU, BOX_SUB),   // Mon
    // 1982: 1 Jan Fri; Easter Sunday 11 Apr; 25 Dec Sat
    ("1982-01-01", PR, NY),        // Fri
    ("1982-04-09", CL, GF),        // Fri
    ("1982-04-12", S1, EM),        // Mon
    ("1982-05-03", PR, EARLY_MAY), // Mon
    ("1982-05-31", S1, SPRING),    // Mon
    ("1982-08-30", S1, SUMMER),    // Mon
    ("1982-12-25", CL, XMAS),      // Sat
    ("1982-12-27", SU, XMAS_SUB),  // Mon
    ("1982-12-28", SU, BOX_SUB),   // Tue
    // 1983: 1 Jan Sat; Easter Sunday 3 Apr; 25 Dec Sun
    ("1983-01-03", SU, NY_SUB),    // Mon
    ("1983-04-01", CL, GF),        // Fri
    ("1983-04-04", S1, EM),        // Mon
    ("1983-05-02", PR, EARLY_MAY), // Mon
    ("1983-05-30", S1, SPRING),    // Mon
    ("1983-08-29", S1, SUMMER),    // Mon
    ("1983-12-25", CL, XMAS),      // Sun
    ("1983-12-26", S1, BOX),       // Mon
    ("1983-12-27", SU, XMAS_SUB),  // Tue
    // 1984: 1 Jan Sun; Easter Sunday 22 Apr; 25 Dec Tue
    ("1984-01-02", SU, NY_SUB),    // Mon
    ("1984-04-20", CL, GF),        // Fri
    ("1984-04-23", S1, EM),        // Mon
    ("1984-05-07", PR, EARLY_MAY), // Mon
    ("1984-05-28", S1, SPRING),    // Mon
    ("1984-08-27", S1, SUMMER),    // Mon
    ("1984-12-25", CL, XMAS),      // Tue
    ("1984-12-26", S1, BOX),       // Wed
    // 1985: 1 Jan Tue; Easter Sunday 7 Apr; 25 Dec Wed
    ("1985-01-01", PR, NY),        // Tue
    ("1985-04-05", CL, GF),        // Fri
    ("1985-04-08", S1, EM),        // Mon
    ("1985-05-06", PR, EARLY_MAY), // Mon
    ("1985-05-27", S1, SPRING),    // Mon
    ("1985-08-26", S1, SUMMER),    // Mon
    ("1985-12-25", CL, XMAS),      // Wed
    ("1985-12-26", S1, BOX),       // Thu
    // 1986: 1 Jan Wed; Easter Sunday 30 Mar; 25 Dec Thu
    ("1986-01-01", PR, NY),        // Wed
    ("1986-03-28", CL, GF),        // Fri
    ("1986-03-31", S1, EM),        // Mon
    ("1986-05-05", PR, EARLY_MAY), // Mon
    ("1986-05-26", S1, SPRING),    // Mon
    ("1986-08-25", S1, SUMMER),    // Mon
    ("1986-12-25", CL, XMAS),      // Thu
    ("1986-12-26", S1, BOX),       // Fri
    // 1987: 1 Jan Thu; Easter Sunday 19 Apr; 25 Dec Fri
    ("1987-01-01", PR, NY),        // Thu
    ("1987-04-17", CL, GF),        // Fri
    ("1987-04-20", S1, EM),        // Mon
    ("1987-05-04", PR, EARLY_MAY), // Mon
    ("1987-05-25", S1, SPRING),    // Mon
    ("1987-08-31", S1, SUMMER),    // Mon
    ("1987-12-25", CL, XMAS),      // Fri
    ("1987-12-26", S1, BOX),       // Sat
    ("1987-12-28", SU, BOX_SUB),   // Mon
    // 1988: 1 Jan Fri; Easter Sunday 3 Apr; 25 Dec Sun
    ("1988-01-01", PR, NY),        // Fri
    ("1988-04-01", CL, GF),        // Fri
    ("1988-04-04", S1, EM),        // Mon
    ("1988-05-02", PR, EARLY_MAY), // Mon
    ("1988-05-30", S1, SPRING),    // Mon
    ("1988-08-29", S1, SUMMER),    // Mon
    ("1988-12-25", CL, XMAS),      // Sun
    ("1988-12-26", S1, BOX),       // Mon
    ("1988-12-27", SU, XMAS_SUB),  // Tue
    // 1989: 1 Jan Sun; Easter Sunday 26 Mar; 25 Dec Mon
    ("1989-01-02", SU, NY_SUB),    // Mon
    ("1989-03-24", CL, GF),        // Fri
    ("1989-03-27", S1, EM),        // Mon
    ("1989-05-01", PR, EARLY_MAY), // Mon
    ("1989-05-29", S1, SPRING),    // Mon
    ("1989-08-28", S1, SUMMER),    // Mon
    ("1989-12-25", CL, XMAS),      // Mon
    ("1989-12-26", S1, BOX),       // Tue
    // 1990: 1 Jan Mon; Easter Sunday 15 Apr; 25 Dec Tue
    ("1990-01-01", PR, NY),        // Mon
    ("1990-04-13", CL, GF),        // Fri
    ("1990-04-16", S1, EM),        // Mon
    ("1990-05-07", PR, EARLY_MAY), // Mon
    ("1990-05-28", S1, SPRING),    // Mon
    ("1990-08-27", S1, SUMMER),    // Mon
    ("1990-12-25", CL, XMAS),      // Tue
    ("1990-12-26", S1, BOX),       // Wed
    // 1991: 1 Jan Tue; Easter Sunday 31 Mar; 25 Dec Wed
    ("1991-01-01", PR, NY),        // Tue
    ("1991-03-29", CL, GF),        // Fri
    ("1991-04-01", S1, EM),        // Mon
    ("1991-05-06", PR, EARLY_MAY), // Mon
    ("1991-05-27", S1, SPRING),    // Mon
    ("1991-08-26", S1, SUMMER),    // Mon
    ("1991-12-25", CL, XMAS),      // Wed
    ("1991-12-26", S1, BOX),       // Thu
    // 1992: 1 Jan Wed; Easter Sunday 19 Apr; 25 Dec Fri
    ("1992-01-01", PR, NY),        // Wed
    ("1992-04-17", CL, GF),        // Fri
    ("1992-04-20", S1, EM),        // Mon
    ("1992-05-04", PR, EARLY_MAY), // Mon
    ("1992-05-25", S1, SPRING),    // Mon
    ("1992-08-31", S1, SUMMER),    // Mon
    ("1992-12-25", CL, XMAS),      // Fri
    ("1992-12-26", S1, BOX),       // Sat
    ("1992-12-28", SU, BOX_SUB),   // Mon
    // 1993: 1 Jan Fri; Easter Sunday 11 Apr; 25 Dec Sat
    ("1993-01-01", PR, NY),        // Fri
    ("1993-04-09", CL, GF),        // Fri
    ("1993-04-12", S1, EM),        // Mon
    ("1993-05-03", PR, EARLY_MAY), // Mon
    ("1993-05-31", S1, SPRING),    // Mon
    ("1993-08-30", S1, SUMMER),    // Mon
    ("1993-12-25", CL, XMAS),      // Sat
    ("1993-12-27", SU, XMAS_SUB),  // Mon
    ("1993-12-28", SU, BOX_SUB),   // Tue
    // 1994: 1 Jan Sat; Easter Sunday 3 Apr; 25 Dec Sun
    ("1994-01-03", SU, NY_SUB),    // Mon
    ("1994-04-01", CL, GF),        // Fri
    ("1994-04-04", S1, EM),        // Mon
    ("1994-05-02", PR, EARLY_MAY), // Mon
    ("1994-05-30", S1, SPRING),    // Mon
    ("1994-08-29", S1, SUMMER),    // Mon
    ("1994-12-25", CL, XMAS),      // Sun
    ("1994-12-26", S1, BOX),       // Mon
    ("1994-12-27", SU, XMAS_SUB),  // Tue
    // 1995: 1 Jan Sun; Easter Sunday 16 Apr; 25 Dec Mon. Early May moved 1 May -> Mon 8 May (VE Day 50)
    ("1995-01-02", SU, NY_SUB),                   // Mon
    ("1995-04-14", CL, GF),                       // Fri
    ("1995-04-17", S1, EM),                       // Mon
    ("1995-05-08", OO, "Early May bank holiday"), // Mon
    ("1995-05-29", S1, SPRING),                   // Mon
    ("1995-08-28", S1, SUMMER),                   // Mon
    ("1995-12-25", CL, XMAS),                     // Mon
    ("1995-12-26", S1, BOX),                      // Tue
    // 1996: 1 Jan Mon; Easter Sunday 7 Apr; 25 Dec Wed
    ("1996-01-01", PR, NY),        // Mon
    ("1996-04-05", CL, GF),        // Fri
    ("1996-04-08", S1, EM),        // Mon
    ("1996-05-06", PR, EARLY_MAY), // Mon
    ("1996-05-27", S1, SPRING),    // Mon
    ("1996-08-26", S1, SUMMER),    // Mon
    ("1996-12-25", CL, XMAS),      // Wed
    ("1996-12-26", S1, BOX),       // Thu
    // 1997: 1 Jan Wed; Easter Sunday 30 Mar; 25 Dec Thu
    ("1997-01-01", PR, NY),        // Wed
    ("1997-03-28", CL, GF),        // Fri
    ("1997-03-31", S1, EM),        // Mon
    ("1997-05-05", PR, EARLY_MAY), // Mon
    ("1997-05-26", S1, SPRING),    // Mon
    ("1997-08-25", S1, SUMMER),    // Mon
    ("1997-12-25", CL, XMAS),      // Thu
    ("1997-12-26", S1, BOX),       // Fri
    // 1998: 1 Jan Thu; Easter Sunday 12 Apr; 25 Dec Fri
    ("1998-01-01", PR, NY),        // Thu
    ("1998-04-10", CL, GF),        // Fri
    ("1998-04-13", S1, EM),        // Mon
    ("1998-05-04", PR, EARLY_MAY), // Mon
    ("1998-05-25", S1, SPRING),    // Mon
    ("1998-08-31", S1, SUMMER),    // Mon
    ("1998-12-25", CL, XMAS),      // Fri
    ("1998-12-26", S1, BOX),       // Sat
    ("1998-12-28", SU, BOX_SUB),   // Mon
    // 1999: 1 Jan Fri; Easter Sunday 4 Apr; 25 Dec Sat. Millennium Fri 31 Dec
    ("1999-01-01", PR, NY),           // Fri
    ("1999-04-02", CL, GF),           // Fri
    ("1999-04-05", S1, EM),           // Mon
    ("1999-05-03", PR, EARLY_MAY),    // Mon
    ("1999-05-31", S1, SPRING),       // Mon
    ("1999-08-30", S1, SUMMER),       // Mon
    ("1999-12-25", CL, XMAS),         // Sat
    ("1999-12-27", SU, XMAS_SUB),     // Mon
    ("1999-12-28", SU, BOX_SUB),      // Tue
    ("1999-12-31", OO, "Millennium"), // Fri
    // 2000: 1 Jan Sat; Easter Sunday 23 Apr; 25 Dec Mon
    ("2000-01-03", SU, NY_SUB),    // Mon
    ("2000-04-21", CL, GF),        // Fri
    ("2000-04-24", S1, EM),        // Mon
    ("2000-05-01", PR, EARLY_MAY), // Mon
    ("2000-05-29", S1, SPRING),    // Mon
    ("2000-08-28", S1, SUMMER),    // Mon
    ("2000-12-25", CL, XMAS),      // Mon
    ("2000-12-26", S1, BOX),       // Tue
    // 2001: 1 Jan Mon; Easter Sunday 15 Apr; 25 Dec Tue
    ("2001-01-01", PR, NY),        // Mon
    ("2001-04-13", CL, GF),        // Fri
    ("2001-04-16", S1, EM),        // Mon
    ("2001-05-07", PR, EARLY_MAY), // Mon
    ("2001-05-28", S1, SPRING),    // Mon
    ("2001-08-27", S1, SUMMER),    // Mon
    ("2001-12-25", CL, XMAS),      // Tue
    ("2001-12-26", S1, BOX),       // Wed
    // 2002: 1 Jan Tue; Easter Sunday 31 Mar; 25 Dec Wed. Golden Jubilee Mon 3 Jun; spring moved 27 May -> Tue 4 Jun
    ("2002-01-01", PR, NY),                    // Tue
    ("2002-03-29", CL, GF),                    // Fri
    ("2002-04-01", S1, EM),                    // Mon
    ("2002-05-06", PR, EARLY_MAY),             // Mon
    ("2002-06-03", OO, "Golden Jubilee"),      // Mon
    ("2002-06-04", OO, "Spring bank holiday"), // Tue
    ("2002-08-26", S1, SUMMER),                // Mon
    ("2002-12-25", CL, XMAS),                  // Wed
    ("2002-12-26", S1, BOX),                   // Thu
    // 2003: 1 Jan Wed; Easter Sunday 20 Apr; 25 Dec Thu
    ("2003-01-01", PR, NY),        // Wed
    ("2003-04-18", CL, GF),        // Fri
    ("2003-04-21", S1, EM),        // Mon
    ("2003-05-05", PR, EARLY_MAY), // Mon
    ("2003-05-26", S1, SPRING),    // Mon
    ("2003-08-25", S1, SUMMER),    // Mon
    ("2003-12-25", CL, XMAS),      // Thu
    ("2003-12-26", S1, BOX),       // Fri
    // 2004: 1 Jan Thu; Easter Sunday 11 Apr; 25 Dec Sat
    ("2004-01-01", PR, NY),        // Thu
    ("2004-04-09", CL, GF),        // Fri
    ("2004-04-12", S1, EM),        // Mon
    ("2004-05-03", PR, EARLY_MAY), // Mon
    ("2004-05-31", S1, SPRING),    // Mon
    ("2004-08-30", S1, SUMMER),    // Mon
    ("2004-12-25", CL, XMAS),      // Sat
    ("2004-12-27", SU, XMAS_SUB),  // Mon
    ("2004-12-28", SU, BOX_SUB),   // Tue
    // 2005: 1 Jan Sat; Easter Sunday 27 Mar; 25 Dec Sun
    ("2005-01-03", SU, NY_SUB),    // Mon
    ("2005-03-25", CL, GF),        // Fri
    ("2005-03-28", S1, EM),        // Mon
    ("2005-05-02", PR, EARLY_MAY), // Mon
    ("2005-05-30", S1, SPRING),    // Mon
    ("2005-08-29", S1, SUMMER),    // Mon
    ("2005-12-25", CL, XMAS),      // Sun
    ("2005-12-26", S1, BOX),       // Mon
    ("2005-12-27", SU, XMAS_SUB),  // Tue
    // 2006: 1 Jan Sun; Easter Sunday 16 Apr; 25 Dec Mon
    ("2006-01-02", SU, NY_SUB),    // Mon
    ("2006-04-14", CL, GF),        // Fri
    ("2006-04-17", S1, EM),        // Mon
    ("2006-05-01", PR, EARLY_MAY), // Mon
    ("2006-05-29", S1, SPRING),    // Mon
    ("2006-08-28", S1, SUMMER),    // Mon
    ("2006-12-25", CL, XMAS),      // Mon
    ("2006-12-26", S1, BOX),       // Tue
    // 2007: 1 Jan Mon; Easter Sunday 8 Apr; 25 Dec Tue
    ("2007-01-01", PR, NY),        // Mon
    ("2007-04-06", CL, GF),        // Fri
    ("2007-04-09", S1, EM),        // Mon
    ("2007-05-07", PR, EARLY_MAY), // Mon
    ("2007-05-28", S1, SPRING),    // Mon
    ("2007-08-27", S1, SUMMER),    // Mon
    ("2007-12-25", CL, XMAS),      // Tue
    ("2007-12-26", S1, BOX),       // Wed
    // 2008: 1 Jan Tue; Easter Sunday 23 Mar; 25 Dec Thu
    ("2008-01-01", PR, NY),        // Tue
    ("2008-03-21", CL, GF),        // Fri
    ("2008-03-24", S1, EM),        // Mon
    ("2008-05-05", PR, EARLY_MAY), // Mon
    ("2008-05-26", S1, SPRING),    // Mon
    ("2008-08-25", S1, SUMMER),    // Mon
    ("2008-12-25", CL, XMAS),      // Thu
    ("2008-12-26", S1, BOX),       // Fri
    // 2009: 1 Jan Thu; Easter Sunday 12 Apr; 25 Dec Fri
    ("2009-01-01", PR, NY),        // Thu
    ("2009-04-10", CL, GF),        // Fri
    ("2009-04-13", S1, EM),        // Mon
    ("2009-05-04", PR, EARLY_MAY), // Mon
    ("2009-05-25", S1, SPRING),    // Mon
    ("2009-08-31", S1, SUMMER),    // Mon
    ("2009-12-25", CL, XMAS),      // Fri
    ("2009-12-26", S1, BOX),       // Sat
    ("2009-12-28", SU, BOX_SUB),   // Mon
    // 2010: 1 Jan Fri; Easter Sunday 4 Apr; 25 Dec Sat
    ("2010-01-01", PR, NY),        // Fri
    ("2010-04-02", CL, GF),        // Fri
    ("2010-04-05", S1, EM),        // Mon
    ("2010-05-03", PR, EARLY_MAY), // Mon
    ("2010-05-31", S1, SPRING),    // Mon
    ("2010-08-30", S1, SUMMER),    // Mon
    ("2010-12-25", CL, XMAS),      // Sat
    ("2010-12-27", SU, XMAS_SUB),  // Mon
    ("2010-12-28", SU, BOX_SUB),   // Tue
    // 2011: 1 Jan Sat; Easter Sunday 24 Apr; 25 Dec Sun. Royal wedding Fri 29 Apr
    ("2011-01-03", SU, NY_SUB),    // Mon
    ("2011-04-22", CL, GF),        // Fri
    ("2011-04-25", S1, EM),        // Mon
    ("2011-04-29", OO, "Wedding"), // Fri
    ("2011-05-02", PR, EARLY_MAY), // Mon
    ("2011-05-30", S1, SPRING),    // Mon
    ("2011-08-29", S1, SUMMER),    // Mon
    ("2011-12-25", CL, XMAS),      // Sun
    ("2011-12-26", S1, BOX),       // Mon
    ("2011-12-27", SU, XMAS_SUB),  // Tue
    // 2012: 1 Jan Sun; Easter Sunday 8 Apr; 25 Dec Tue. Spring moved 28 May -> Mon 4 Jun; Diamond Jubilee Tue 5 Jun
    ("2012-01-02", SU, NY_SUB),                // Mon
    ("2012-04-06", CL, GF),                    // Fri
    ("2012-04-09", S1, EM),                    // Mon
    ("2012-05-07", PR, EARLY_MAY),             // Mon
    ("2012-06-04", OO, "Spring bank holiday"), // Mon
    ("2012-06-05", OO, "Diamond Jubilee"),     // Tue
    ("2012-08-27", S1, SUMMER),                // Mon
    ("2012-12-25", CL, XMAS),                  // Tue
    ("2012-12-26", S1, BOX),                   // Wed
    // 2013: 1 Jan Tue; Easter Sunday 31 Mar; 25 Dec Wed
    ("2013-01-01", PR, NY),        // Tue
    ("2013-03-29", CL, GF),        // Fri
    ("2013-04-01", S1, EM),        // Mon
    ("2013-05-06", PR, EARLY_MAY), // Mon
    ("2013-05-27", S1, SPRING),    // Mon
    ("2013-08-26", S1, SUMMER),    // Mon
    ("2013-12-25", CL, XMAS),      // Wed
    ("2013-12-26", S1, BOX),       // Thu
    // 2014: 1 Jan Wed; Easter Sunday 20 Apr; 25 Dec Thu
    ("2014-01-01", PR, NY),        // Wed
    ("2014-04-18", CL, GF),        // Fri
    ("2014-04-21", S1, EM),        // Mon
    ("2014-05-05", PR, EARLY_MAY), // Mon
    ("2014-05-26", S1, SPRING),    // Mon
    ("2014-08-25", S1, SUMMER),    // Mon
    ("2014-12-25", CL, XMAS),      // Thu
    ("2014-12-26", S1, BOX),       // Fri
    // 2015: 1 Jan Thu; Easter Sunday 5 Apr; 25 Dec Fri
    ("2015-01-01", PR, NY),        // Thu
    ("2015-04-03", CL, GF),        // Fri
    ("2015-04-06", S1, EM),        // Mon
    ("2015-05-04", PR, EARLY_MAY), // Mon
    ("2015-05-25", S1, SPRING),    // Mon
    ("2015-08-31", S1, SUMMER),    // Mon
    ("2015-12-25", CL, XMAS),      // Fri
    ("2015-12-26", S1, BOX),       // Sat
    ("2015-12-28", SU, BOX_SUB),   // Mon
    // 2016: 1 Jan Fri; Easter Sunday 27 Mar; 25 Dec Sun
    ("2016-01-01", PR, NY),        // Fri
    ("2016-03-25", CL, GF),        // Fri
    ("2016-03-28", S1, EM),        // Mon
    ("2016-05-02", PR, EARLY_MAY), // Mon
    ("2016-05-30", S1, SPRING),    // Mon
    ("2016-08-29", S1, SUMMER),    // Mon
    ("2016-12-25", CL, XMAS),      // Sun
    ("2016-12-26", S1, BOX),       // Mon
    ("2016-12-27", SU, XMAS_SUB),  // Tue
    // 2017: 1 Jan Sun; Easter Sunday 16 Apr; 25 Dec Mon
    ("2017-01-02", SU, NY_SUB),    // Mon
    ("2017-04-14", CL, GF),        // Fri
    ("2017-04-17", S1, EM),        // Mon
    ("2017-05-01", PR, EARLY_MAY), // Mon
    ("2017-05-29", S1, SPRING),    // Mon
    ("2017-08-28", S1, SUMMER),    // Mon
    ("2017-12-25", CL, XMAS),      // Mon
    ("2017-12-26", S1, BOX),       // Tue
    // 2018: 1 Jan Mon; Easter Sunday 1 Apr; 25 Dec Tue
    ("2018-01-01", PR, NY),        // Mon
    ("2018-03-30", CL, GF),        // Fri
    ("2018-04-02", S1, EM),        // Mon
    ("2018-05-07", PR, EARLY_MAY), // Mon
    ("2018-05-28", S1, SPRING),    // Mon
    ("2018-08-27", S1, SUMMER),    // Mon
    ("2018-12-25", CL, XMAS),      // Tue
    ("2018-12-26", S1, BOX),       // Wed
    // 2019: 1 Jan Tue; Easter Sunday 21 Apr; 25 Dec Wed
    ("2019-01-01", PR, NY),        // Tue
    ("2019-04-19", CL, GF),        // Fri
    ("2019-04-22", S1, EM),        // Mon
    ("2019-05-06", PR, EARLY_MAY), // Mon
    ("2019-05-27", S1, SPRING),    // Mon
    ("2019-08-26", S1, SUMMER),    // Mon
    ("2019-12-25", CL, XMAS),      // Wed
    ("2019-12-26", S1, BOX),       // Thu
    // 2020: 1 Jan Wed; Easter Sunday 12 Apr; 25 Dec Fri. Early May moved 4 May -> Fri 8 May (VE Day 75)
    ("2020-01-01", PR, NY),                       // Wed
    ("2020-04-10", CL, GF),                       // Fri
    ("2020-04-13", S1, EM),                       // Mon
    ("2020-05-08", OO, "Early May bank holiday"), // Fri
    ("2020-05-25", S1, SPRING),                   // Mon
    ("2020-08-31", S1, SUMMER),                   // Mon
    ("2020-12-25", CL, XMAS),                     // Fri
    ("2020-12-26", S1, BOX),                      // Sat
    ("2020-12-28", SU, BOX_SUB),                  // Mon
    // 2021: 1 Jan Fri; Easter Sunday 4 Apr; 25 Dec Sat
    ("2021-01-01", PR, NY),        // Fri
    ("2021-04-02", CL, GF),        // Fri
    ("2021-04-05", S1, EM),        // Mon
    ("2021-05-03", PR, EARLY_MAY), // Mon
    ("2021-05-31", S1, SPRING),    // Mon
    ("2021-08-30", S1, SUMMER),    // Mon
    ("2021-12-25", CL, XMAS),      // Sat
    ("2021-12-27", SU, XMAS_SUB),  // Mon
    ("2021-12-28", SU, BOX_SUB),   // Tue
    // 2022: 1 Jan Sat; Easter Sunday 17 Apr; 25 Dec Sun. Spring -> Thu 2 Jun; Jubilee Fri 3 Jun; Funeral Mon 19 Sep
    ("2022-01-03", SU, NY_SUB),                // Mon
    ("2022-04-15", CL, GF),                    // Fri
    ("2022-04-18", S1, EM),                    // Mon
    ("2022-05-02", PR, EARLY_MAY),             // Mon
    ("2022-06-02", OO, "Spring bank holiday"), // Thu
    ("2022-06-03", OO, "Platinum Jubilee"),    // Fri
    ("2022-08-29", S1, SUMMER),                // Mon
    ("2022-09-19", OO, "State Funeral"),       // Mon
    ("2022-12-25", CL, XMAS),                  // Sun
    ("2022-12-26", S1, BOX),                   // Mon
    ("2022-12-27", SU, XMAS_SUB),              // Tue
    // 2023: 1 Jan Sun; Easter Sunday 9 Apr; 25 Dec Mon. Coronation Mon 8 May
    ("2023-01-02", SU, NY_SUB),       // Mon
    ("2023-04-07", CL, GF),           // Fri
    ("2023-04-10", S1, EM),           // Mon
    ("2023-05-01", PR, EARLY_MAY),    // Mon
    ("2023-05-08", OO, "Coronation"), // Mon
    ("2023-05-29", S1, SPRING),       // Mon
    ("2023-08-28", S1, SUMMER),       // Mon
    ("2023-12-25", CL, XMAS),         // Mon
    ("2023-12-26", S1, BOX),          // Tue
    // 2024: 1 Jan Mon; Easter Sunday 31 Mar; 25 Dec Wed
    ("2024-01-01", PR, NY),        // Mon
    ("2024-03-29", CL, GF),        // Fri
    ("2024-04-01", S1, EM),        // Mon
    ("2024-05-06", PR, EARLY_MAY), // Mon
    ("2024-05-27", S1, SPRING),    // Mon
    ("2024-08-26", S1, SUMMER),    // Mon
    ("2024-12-25", CL, XMAS),      // Wed
    ("2024-12-26", S1, BOX),       // Thu
    // 2025: 1 Jan Wed; Easter Sunday 20 Apr; 25 Dec Thu
    ("2025-01-01", PR, NY),        // Wed
    ("2025-04-18", CL, GF),        // Fri
    ("2025-04-21", S1, EM),        // Mon
    ("2025-05-05", PR, EARLY_MAY), // Mon
    ("2025-05-26", S1, SPRING),    // Mon
    ("2025-08-25", S1, SUMMER),    // Mon
    ("2025-12-25", CL, XMAS),      // Thu
    ("2025-12-26", S1, BOX),       // Fri
    // 2026: 1 Jan Thu; Easter Sunday 5 Apr; 25 Dec Fri. Announced (GOV.UK)
    ("2026-01-01", PR, NY),        // Thu
    ("2026-04-03", CL, GF),        // Fri
    ("2026-04-06", S1, EM),        // Mon
    ("2026-05-04", PR, EARLY_MAY), // Mon
    ("2026-05-25", S1, SPRING),    // Mon
    ("2026-08-31", S1, SUMMER),    // Mon
    ("2026-12-25", CL, XMAS),      // Fri
    ("2026-12-26", S1, BOX),       // Sat
    ("2026-12-28", SU, BOX_SUB),   // Mon
    // 2027: 1 Jan Fri; Easter Sunday 28 Mar; 25 Dec Sat. Announced (GOV.UK)
    ("2027-01-01", PR, NY),        // Fri
    ("2027-03-26", CL, GF),        // Fri
    ("2027-03-29", S1, EM),        // Mon
    ("2027-05-03", PR, EARLY_MAY), // Mon
    ("2027-05-31", S1, SPRING),    // Mon
    ("2027-08-30", S1, SUMMER),    // Mon
    ("2027-12-25", CL, XMAS),      // Sat
    ("2027-12-27", SU, XMAS_SUB),  // Mon
    ("2027-12-28", SU, BOX_SUB),   // Tue
    // 2028: 1 Jan Sat; Easter Sunday 16 Apr; 25 Dec Mon. Announced (GOV.UK); the last announced year
    ("2028-01-03", SU, NY_SUB),    // Mon
    ("2028-04-14", CL, GF),        // Fri
    ("2028-04-17", S1, EM),        // Mon
    ("2028-05-01", PR, EARLY_MAY), // Mon
    ("2028-05-29", S1, SPRING),    // Mon
    ("2028-08-28", S1, SUMMER),    // Mon
    ("2028-12-25", CL, XMAS),      // Mon
    ("2028-12-26", S1, BOX),       // Tue
    // 2029: 1 Jan Mon; Easter Sunday 1 Apr; 25 Dec Tue. Projected: provisional
    ("2029-01-01", PR, NY),        // Mon
    ("2029-03-30", CL, GF),        // Fri
    ("2029-04-02", S1, EM),        // Mon
    ("2029-05-07", PR, EARLY_MAY), // Mon
    ("2029-05-28", S1, SPRING),    // Mon
    ("2029-08-27", S1, SUMMER),    // Mon
    ("2029-12-25", CL, XMAS),      // Tue
    ("2029-12-26", S1, BOX),       // Wed
    // 2030: 1 Jan Tue; Easter Sunday 21 Apr; 25 Dec Wed. Projected: provisional
    ("2030-01-01", PR, NY),        // Tue
    ("2030-04-19", CL, GF),        // Fri
    ("2030-04-22", S1, EM),        // Mon
    ("2030-05-06", PR, EARLY_MAY), // Mon
    ("2030-05-27", S1, SPRING),    // Mon
    ("2030-08-26", S1, SUMMER),    // Mon
    ("2030-12-25", CL, XMAS),      // Wed
    ("2030-12-26", S1, BOX),       // Thu
];

/// Easter Sunday, 1971-2030 (the standard table). Worked on paper by the anonymous Gregorian
/// algorithm (a = Y mod 19, b = Y / 100, c = Y mod 100, d = b / 4, e = b mod 4, f = (b + 8) / 25,
/// g = (b - f + 1) / 3, h = (19a + b - d - g + 15) mod 30, i = c / 4, k = c mod 4,
/// l = (32 + 2e + 2i - h - k) mod 7, m = (a + 11h + 22l) / 451, n = h + l - 7m + 114,
/// month = n / 31, day = n mod 31 + 1):
/// - 1974: a 17, b 19, c 74, d 4, e 3, f 1, g 6, h 347 mod 30 = 17, i 18, k 2, l 55 mod 7 = 6,
///   m 0, n 137: 14 April.
/// - 1977: a 1, h 43 mod 30 = 13, i 19, k 1, l 62 mod 7 = 6, m 0, n 133: 10 April.
/// - 1981: a 5, h 119 mod 30 = 29, i 20, k 1, l 48 mod 7 = 6, m 456 / 451 = 1, n 142: 19 April.
/// - 2000: a 5, b 20, c 0, d 5, e 0, f 1, g 6, h 119 mod 30 = 29, i 0, k 0, l 3, m 0, n 146:
///   23 April.
/// - 2008: a 13, h 271 mod 30 = 1, i 2, k 0, l 35 mod 7 = 0, m 0, n 115: 23 March.
/// - 2011: a 16, h 328 mod 30 = 28, i 2, k 3, l 5, m 0, n 147: 24 April.
/// - 2027: a 13, h 1, i 6, k 3, l 40 mod 7 = 5, m 0, n 120: 28 March.
/// - 2028: a 14, h 290 mod 30 = 20, i 7, k 0, l 26 mod 7 = 5, m 0, n 139: 16 April.
const EASTER: [(i32, u32, u32); 60] = [
    (1971, 4, 11),
    (1972, 4, 2),
    (1973, 4, 22),
    (1974, 4, 14),
    (1975, 3, 30),
    (1976, 4, 18),
    (1977, 4, 10),
    (1978, 3, 26),
    (1979, 4, 15),
    (1980, 4, 6),
    (1981, 4, 19),
    (1982, 4, 11),
    (1983, 4, 3),
    (1984, 4, 22),
    (1985, 4, 7),
    (1986, 3, 30),
    (1987, 4, 19),
    (1988, 4, 3),
    (1989, 3, 26),
    (1990, 4, 15),
    (1991, 3, 31),
    (1992, 4, 19),
    (1993, 4, 11),
    (1994, 4, 3),
    (1995, 4, 16),
    (1996, 4, 7),
    (1997, 3, 30),
    (1998, 4, 12),
    (1999, 4, 4),
    (2000, 4, 23),
    (2001, 4, 15),
    (2002, 3, 31),
    (2003, 4, 20),
    (2004, 4, 11),
    (2005, 3, 27),
    (2006, 4, 16),
    (2007, 4, 8),
    (2008, 3, 23),
    (2009, 4, 12),
    (2010, 4, 4),
    (2011, 4, 24),
    (2012, 4, 8),
    (2013, 3, 31),
    (2014, 4, 20),
    (2015, 4, 5),
    (2016, 3, 27),
    (2017, 4, 16),
    (2018, 4, 1),
    (2019, 4, 21),
    (2020, 4, 12),
    (2021, 4, 4),
    (2022, 4, 17),
    (2023, 4, 9),
    (2024, 3, 31),
    (2025, 4, 20),
    (2026, 4, 5),
    (2027, 3, 28),
    (2028, 4, 16),
    (2029, 4, 1),
    (2030, 4, 21),
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn is_weekend(x: NaiveDate) -> bool {
    matches!(x.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The hand-listed holidays of one year: (date, kind, name).
fn listed(year: i32) -> Vec<(NaiveDate, HolidayKind, &'static str)> {
    HOLIDAYS.iter().map(|&(s, k, n)| (d(s), k, n)).filter(|(x, _, _)| x.year() == year).collect()
}

fn days_of(year: i32) -> impl Iterator<Item = NaiveDate> {
    ymd(year, 1, 1).iter_days().take_while(move |x| x.year() == year)
}

#[test]
fn every_year_1971_to_2030_has_exactly_the_hand_listed_holidays() {
    let cal = Calendar::england_and_wales();
    assert_eq!(cal.version().last_announced_year, LAST_ANNOUNCED);
    for year in 1971..=2030 {
        let want = listed(year);
        let want_all: Vec<NaiveDate> = want.iter().map(|h| h.0).collect();
        let want_weekdays: Vec<NaiveDate> = want_all.iter().copied().filter(|x| !is_weekend(*x)).collect();
        let (jan1, dec31) = (ymd(year, 1, 1), ymd(year, 12, 31));

        // Weekday non-working days, both directions: an extra or a missing day fails.
        let got_weekdays: Vec<NaiveDate> =
            days_of(year).filter(|x| !is_weekend(*x) && !cal.is_working_day(*x).unwrap()).collect();
        assert_eq!(got_weekdays, want_weekdays, "weekday non-working days of {year}");

        // Every reported holiday of the year, weekend-falling ones included.
        let got_all: Vec<NaiveDate> = cal.bank_holidays(jan1, dec31).unwrap().iter().map(|h| h.date).collect();
        assert_eq!(got_all, want_all, "bank_holidays of {year}");

        // The skipped-day list used in explanations agrees (bounds strictly outside the year).
        let lo = if year == 1971 { jan1 } else { ymd(year - 1, 12, 31) };
        let skipped: Vec<NaiveDate> =
            cal.weekday_holidays_between(lo, ymd(year + 1, 1, 1)).unwrap().iter().map(|h| h.date).collect();
        assert_eq!(skipped, want_weekdays, "weekday_holidays_between around {year}");

        // Working days in the year = weekdays - weekday holidays (1 Jan 1971 is a Friday and,
        // before 1974, a working day; it is day 0 of the count, so add it back).
        let weekdays = days_of(year).filter(|x| !is_weekend(*x)).count() as i64;
        let jan1_counts = i64::from(cal.is_working_day(jan1).unwrap());
        assert_eq!(
            cal.working_days_between(jan1, dec31).unwrap() + jan1_counts,
            weekdays - want_weekdays.len() as i64,
            "working days in {year}"
        );

        let provisional = year > LAST_ANNOUNCED;
        assert_eq!(cal.is_provisional(jan1, dec31), provisional, "{year}");
        for (date, kind, name) in want {
            assert!(!cal.is_working_day(date).unwrap(), "{date} {name}");
            let h = cal.bank_holiday(date).unwrap().unwrap_or_else(|| panic!("{date} {name} missing"));
            assert_eq!(h.kind, kind, "kind of {date} {name}");
            if kind == OO {
                assert!(h.name.contains(name), "{date}: {:?} should mention {name:?}", h.name);
            } else {
                assert_eq!(h.name, name, "name of {date}");
            }
            assert_eq!(h.provisional, provisional, "provisional flag of {date} {name}");
            assert!(!h.disputed, "{date}");
            assert!(!h.source.is_empty(), "{date}");
        }
    }
}

#[test]
fn the_table_has_the_expected_size_and_shape() {
    // 504 days in 60 years; 479 of them on weekdays (25 weekend days: Christmas Day in the 17
    // years it falls at a weekend (Sat: 1971 76 82 93 99 2004 10 21 27; Sun: 1977 83 88 94 2005
    // 11 16 22), and 26 December on a Saturday in 8 (1981 87 92 98 2009 15 20 26)).
    assert_eq!(HOLIDAYS.len(), 504);
    assert_eq!(HOLIDAYS.iter().filter(|h| !is_weekend(d(h.0))).count(), 479);
    let mut sorted: Vec<NaiveDate> = HOLIDAYS.iter().map(|h| d(h.0)).collect();
    assert!(sorted.windows(2).all(|w| w[0] < w[1]), "table in date order, no duplicates");
    sorted.dedup();
    assert_eq!(sorted.len(), 504);
    // Self-checks of the hand data, independent of the crate: each rule day on its weekday.
    for &(s, kind, name) in HOLIDAYS.iter().filter(|h| h.1 != OO) {
        let x = d(s);
        let next_week = x + Days::new(7);
        match name {
            GF => assert_eq!(x.weekday(), Weekday::Fri, "{s}"),
            EM | NY_SUB => assert_eq!(x.weekday(), Weekday::Mon, "{s}"),
            XMAS_SUB => assert!(x.day() == 27 && matches!(x.weekday(), Weekday::Mon | Weekday::Tue), "{s}"),
            BOX_SUB => assert!(x.day() == 28 && matches!(x.weekday(), Weekday::Mon | Weekday::Tue), "{s}"),
            EARLY_MAY => assert!(x.weekday() == Weekday::Mon && x.month() == 5 && x.day() <= 7, "{s}"),
            SPRING => assert!(x.weekday() == Weekday::Mon && next_week.month() == 6, "{s}"),
            SUMMER => assert!(x.weekday() == Weekday::Mon && next_week.month() == 9, "{s}"),
            XMAS => assert_eq!((x.month(), x.day()), (12, 25), "{s}"),
            BOX => assert!((x.month(), x.day()) == (12, 26) && x.weekday() != Weekday::Sun, "{s}"),
            NY => assert!((x.month(), x.day()) == (1, 1) && !is_weekend(x) && x.year() >= 1974, "{s}"),
            _ => {}
        }
        let want_kind = match name {
            NY | EARLY_MAY => PR,
            NY_SUB | XMAS_SUB | BOX_SUB => SU,
            GF | XMAS => CL,
            _ => S1,
        };
        assert_eq!(kind, want_kind, "{s}");
    }
    for year in 1971..=2030 {
        let names: Vec<&str> = listed(year).iter().filter(|h| h.1 != OO).map(|h| h.2).collect();
        let has = |n: &str| names.iter().filter(|&&x| x == n).count();
        assert_eq!(has(GF) + has(EM) + has(XMAS) + has(SUMMER), 4, "{year}");
        assert_eq!(has(NY) + has(NY_SUB), usize::from(year >= 1974), "New Year in {year}");
        let moved_may = [1995, 2020].contains(&year);
        assert_eq!(has(EARLY_MAY), usize::from(year >= 1978 && !moved_may), "early May in {year}");
        let moved_spring = [1977, 2002, 2012, 2022].contains(&year);
        assert_eq!(has(SPRING), usize::from(!moved_spring), "spring in {year}");
    }
}

/// Knuth, TAOCP vol. 1, s.1.3.2 ex. 14: a different Easter algorithm from the crate's.
fn knuth_easter(y: i32) -> NaiveDate {
    let g = y % 19 + 1;
    let c = y / 100 + 1;
    let x = 3 * c / 4 - 12;
    let z = (8 * c + 5) / 25 - 5;
    let dd = 5 * y / 4 - x - 10;
    let mut e = (11 * g + 20 + z - x) % 30;
    if (e == 25 && g > 11) || e == 24 {
        e += 1;
    }
    let mut n = 44 - e;
    if n < 21 {
        n += 30;
    }
    n = n + 7 - (dd + n) % 7;
    if n > 31 {
        ymd(y, 4, (n - 31) as u32)
    } else {
        ymd(y, 3, n as u32)
    }
}

#[test]
fn easter_sundays_and_the_good_fridays_and_easter_mondays_in_the_table() {
    for (y, m, day) in EASTER {
        let easter = ymd(y, m, day);
        assert_eq!(easter.weekday(), Weekday::Sun, "{easter}");
        assert_eq!(knuth_easter(y), easter, "Easter {y}");
        let year = listed(y);
        let find = |n: &str| year.iter().find(|h| h.2 == n).map(|h| h.0);
        assert_eq!(find(GF), Some(easter - Days::new(2)), "Good Friday {y}");
        assert_eq!(find(EM), Some(easter + Days::new(1)), "Easter Monday {y}");
        // The calendar: Good Friday and Easter Monday are non-working; Easter Sunday is a weekend
        // day and not reported as a holiday.
        let cal = Calendar::england_and_wales();
        assert!(!cal.is_working_day(easter - Days::new(2)).unwrap(), "Good Friday {y}");
        assert!(!cal.is_working_day(easter + Days::new(1)).unwrap(), "Easter Monday {y}");
        assert!(cal.bank_holiday(easter).unwrap().is_none(), "Easter Sunday {y}");
    }
    assert_eq!(EASTER.iter().map(|e| e.0).collect::<Vec<_>>(), (1971..=2030).collect::<Vec<_>>());
}

#[test]
fn fourteenth_november_1973_is_disputed_and_a_working_day() {
    let cal = Calendar::england_and_wales();
    let day = ymd(1973, 11, 14); // Wednesday
    assert_eq!(day.weekday(), Weekday::Wed);
    assert!(cal.is_working_day(day).unwrap());
    assert!(cal.bank_holiday(day).unwrap().is_none());
    assert!(cal.bank_holidays(ymd(1973, 11, 1), ymd(1973, 11, 30)).unwrap().is_empty());
    let disputed: Vec<_> = cal.disputed_days().iter().filter(|h| h.date == day).collect();
    assert_eq!(disputed.len(), 1, "listed once among the disputed days");
    let h = disputed[0];
    assert!(h.disputed && !h.provisional);
    assert!(h.name.contains("Princess Anne"), "{}", h.name);
    assert!(!h.source.is_empty());
    // It is the only disputed day between 1971 and 2030.
    let in_range = cal.disputed_days().iter().filter(|h| (1971..=2030).contains(&h.date.year())).count();
    assert_eq!(in_range, 1);
    // Tue 13 Nov 1973 + 1 working day is Wed 14 Nov itself.
    assert_eq!(cal.add_working_days(ymd(1973, 11, 13), 1).unwrap(), day);
}

#[test]
fn the_known_wrong_answers_are_working_days() {
    // Days a careless calendar makes holidays (reference s.5 and s.6), each a weekday.
    let cal = Calendar::england_and_wales();
    let working = [
        ("1971-01-01", "no New Year's Day before 1974 (Fri)"),
        ("1973-01-01", "no New Year's Day before 1974 (Mon)"),
        ("1976-05-03", "no early May holiday before 1978 (first Mon in May 1976)"),
        ("1977-05-02", "no early May holiday before 1978 (first Mon in May 1977)"),
        ("1977-05-30", "spring holiday moved to 6 Jun for the Silver Jubilee"),
        ("1995-05-01", "early May moved to 8 May (VE Day 50)"),
        ("2002-05-27", "spring holiday moved to 4 Jun for the Golden Jubilee"),
        ("2012-05-28", "spring holiday moved to 4 Jun for the Diamond Jubilee"),
        ("2020-05-04", "early May moved to 8 May (VE Day 75)"),
        ("2022-05-30", "spring holiday moved to 2 Jun for the Platinum Jubilee"),
        ("2026-12-24", "Christmas Eve"),
        ("2026-12-31", "New Year's Eve"),
        ("2027-12-29", "Christmas 2027 is Sat: only Mon 27 and Tue 28 are substitutes"),
        ("2022-01-04", "New Year 2022 is Sat: only Mon 3 Jan is the substitute"),
    ];
    for (s, why) in working {
        assert!(!is_weekend(d(s)), "{s}");
        assert!(cal.is_working_day(d(s)).unwrap(), "{s}: {why}");
        assert!(cal.bank_holiday(d(s)).unwrap().is_none(), "{s}: {why}");
    }
    // New Year's Day at a weekend is not itself reported: the proclamation appoints the Monday.
    for s in ["1977-01-01", "1978-01-01", "2022-01-01", "2023-01-01", "2028-01-01"] {
        assert!(cal.bank_holiday(d(s)).unwrap().is_none(), "{s}");
    }
}

#[test]
fn the_calendar_table_agrees_with_the_hand_list_row_by_row() {
    // Oracle: a day is a working day when it is a weekday not in the hand list; the
    // working_day_number is the running count of such days from 1 January 1971 (a Friday and,
    // before 1974, a working day: number 1); the holiday column names exactly the listed days.
    let cal = Calendar::england_and_wales();
    let rows = cal.table(1971, 2030).unwrap();
    assert_eq!(rows.len(), 21_915); // 60 years of 365 days plus 15 leap days (1972 ... 2028)
    let listed: std::collections::BTreeMap<NaiveDate, (HolidayKind, &str)> =
        HOLIDAYS.iter().map(|&(s, k, n)| (d(s), (k, n))).collect();
    let mut count = 0u32;
    for (row, date) in rows.iter().zip(ymd(1971, 1, 1).iter_days()) {
        assert_eq!(row.date, date);
        let working = !is_weekend(date) && !listed.contains_key(&date);
        count += u32::from(working);
        assert_eq!(row.working_day, working, "{date}");
        assert_eq!(row.working_day_number, count, "{date}");
        match (listed.get(&date), &row.holiday) {
            (None, None) => {}
            (Some((OO, word)), Some(name)) => assert!(name.contains(word), "{date}: {name:?} / {word:?}"),
            (Some((_, want)), Some(name)) => assert_eq!(name, want, "{date}"),
            (want, got) => panic!("{date}: holiday {got:?}, hand list {want:?}"),
        }
        assert_eq!(row.provisional, date.year() > LAST_ANNOUNCED, "{date}");
    }
    // 60 years hold 15,653 weekdays less the 479 weekday holidays: 15,174 working days.
    let weekdays = rows.iter().filter(|r| !is_weekend(r.date)).count();
    assert_eq!(weekdays, 15_653);
    assert_eq!(rows.last().unwrap().working_day_number, 15_174);
}
