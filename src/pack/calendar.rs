//! The meeting's calendar file.

use chrono::NaiveDate;

use super::*;

/// The meeting as an iCalendar event (RFC 5545), stamped with its publication date so two
/// runs give the same file.
pub(super) fn calendar(m: &MeetingView, items: &[ItemView]) -> String {
    use icalendar::{Calendar, Component, Event, EventLike};
    let date = NaiveDate::parse_from_str(&m.date, "%Y-%m-%d").unwrap_or_default();
    let published = NaiveDate::parse_from_str(&m.published, "%Y-%m-%d").unwrap_or_default();
    let mut event = Event::new();
    event
        .uid(&format!("{}@clerk", one_line(&m.id)))
        .summary(&one_line(&m.committee));
    if let Some(stamp) = published.and_hms_opt(0, 0, 0) {
        event.timestamp(stamp.and_utc());
    }
    match chrono::NaiveTime::parse_from_str(&m.time, "%H:%M")
        .ok()
        .map(|t| date.and_time(t))
    {
        Some(start) => {
            event.starts(icalendar::CalendarDateTime::WithTimezone {
                date_time: start,
                tzid: "Europe/London".into(),
            });
        }

        None => {
            event.all_day(date);
        }
    }
    if !m.venue.is_empty() {
        event.location(&one_line(&m.venue));
    }
    let agenda: Vec<String> = items
        .iter()
        .map(|i| format!("{}. {}", i.number, one_line(&i.title)))
        .collect();
    // The crate escapes these lines' text (RFC 5545 3.3.11) and folds them; each line of paper
    // text has been made one line first, so none can start a property of its own.
    event.description(&format!("Agenda:\n{}", agenda.join("\n")));
    let mut cal = Calendar::new();
    cal.name(&one_line(&format!("{} {}", m.committee, m.date_text)))
        .push(event.done());
    cal.done().to_string()
}

/// Paper text as one line of calendar text: line breaks and other control characters become
/// spaces (RFC 5545 allows none in a value; the calendar name is not escaped by the crate).
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
