//! Exports: CSV and iCalendar (being built).
