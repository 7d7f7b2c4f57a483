//! Word's list numbering, rebuilt: numbering.xml defines abstract lists (levels with a start
//! value, a format such as decimal or lowerRoman, and a level text such as `%1.%2.`) and list
//! instances that point at one, optionally overriding a level's start. A paragraph names an
//! instance and a level; its number is what the counters say when it is reached.
//!
//! The rules followed are Word's: instances of one abstract list share its counters (the
//! numbering continues) unless an instance overrides a level's start, which restarts that
//! level where the instance is first used; an item resets the levels below it unless a level's
//! `lvlRestart` is 0; a level not yet reached shows its start value; `isLgl` shows every level
//! as a decimal number.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Word allows nine levels (0–8).
const LEVELS: usize = 9;

/// One level of a list definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    pub start: u64,
    /// `decimal`, `lowerRoman`, `upperLetter`, `bullet`, `none`…
    pub format: String,
    /// `%1.`, `%1.%2.`, `(%1)`, or a bullet's glyph.
    pub text: String,
    /// `lvlRestart` of 0: the level never restarts.
    pub never_restarts: bool,
    pub legal: bool,
}

/// The list definitions of one document.
#[derive(Debug, Default)]
pub struct ListDefs {
    /// Abstract list id → its levels by number.
    abstracts: BTreeMap<u64, BTreeMap<usize, Level>>,
    /// Instance id → (abstract list id, start overrides by level, level overrides).
    instances: BTreeMap<u64, Instance>,
}

#[derive(Debug, Default)]
struct Instance {
    abstract_id: u64,
    starts: BTreeMap<usize, u64>,
    levels: BTreeMap<usize, Level>,
}

impl ListDefs {
    /// Reads docx-rs's JSON form of numbering.xml.
    pub fn of(numberings: &Value) -> ListDefs {
        let mut defs = ListDefs::default();
        for a in array(numberings, "abstractNums") {
            let levels = array(a, "levels").filter_map(level).collect();
            defs.abstracts.insert(uint(a, "id").unwrap_or(0), levels);
        }
        for n in array(numberings, "numberings") {
            let mut instance = Instance {
                abstract_id: uint(n, "abstractNumId").unwrap_or(0),
                ..Instance::default()
            };
            for o in array(n, "levelOverrides") {
                let Some(lvl) = uint(o, "level").map(|l| l as usize) else {
                    continue;
                };
                if let Some(start) = uint(o, "overrideStart") {
                    instance.starts.insert(lvl, start);
                }
                if let Some((_, level)) = o.get("overrideLevel").and_then(level) {
                    instance.levels.insert(lvl, level);
                }
            }
            defs.instances.insert(uint(n, "id").unwrap_or(0), instance);
        }
        defs
    }

    /// The level `ilvl` of list instance `num`, with its overrides applied.
    pub fn level(&self, num: usize, ilvl: usize) -> Option<Level> {
        let instance = self.instances.get(&(num as u64))?;
        let mut level = instance
            .levels
            .get(&ilvl)
            .or_else(|| self.abstracts.get(&instance.abstract_id)?.get(&ilvl))?
            .clone();
        if let Some(start) = instance.starts.get(&ilvl) {
            level.start = *start;
        }
        Some(level)
    }
}

/// The counters of every abstract list, as the document is read from the top.
#[derive(Debug, Default)]
pub struct Counters {
    /// Abstract list id → the current value at each level (`None`: not reached since reset).
    values: BTreeMap<u64, [Option<u64>; LEVELS]>,
    /// Instances already used: a start override restarts its level only where first used.
    used: BTreeSet<u64>,
}

impl Counters {
    /// Counts one item at level `ilvl` of instance `num` and returns its label as rendered
    /// ("1.2.", "iii.", "(b)"); `None` when the list or level is not defined.
    pub fn next(&mut self, defs: &ListDefs, num: usize, ilvl: usize) -> Option<String> {
        let ilvl = ilvl.min(LEVELS - 1);
        let instance = defs.instances.get(&(num as u64))?;
        let this = defs.level(num, ilvl)?;
        let values = self.values.entry(instance.abstract_id).or_default();
        if self.used.insert(num as u64) {
            for lvl in instance.starts.keys().filter(|l| **l < LEVELS) {
                values[*lvl] = None;
            }
        }
        values[ilvl] = Some(match values[ilvl] {
            Some(v) => v.saturating_add(1),
            None => this.start,
        });
        for (deeper, value) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let keeps = defs.level(num, deeper).is_some_and(|l| l.never_restarts);
            if !keeps {
                *value = None;
            }
        }
        Some(render(&this.text, |k| {
            let level = defs.level(num, k)?;
            let value = values[k].unwrap_or(level.start);
            let format = if this.legal {
                "decimal"
            } else {
                level.format.as_str()
            };
            Some(format_number(value, format))
        }))
    }
}

/// A level text with `%1`…`%9` replaced by each level's formatted value.
fn render(text: &str, value_of: impl Fn(usize) -> Option<String>) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                if (1..=LEVELS as u32).contains(&d) {
                    out.push_str(&value_of(d as usize - 1).unwrap_or_default());
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// A counter's value in one of Word's number formats; an unknown format is decimal.
pub fn format_number(value: u64, format: &str) -> String {
    match format {
        "lowerRoman" => roman(value).to_lowercase(),
        "upperRoman" => roman(value),
        "lowerLetter" => letters(value).to_lowercase(),
        "upperLetter" => letters(value),
        "decimalZero" if value < 10 => format!("0{value}"),
        "none" => String::new(),
        _ => value.to_string(),
    }
}

/// Roman numerals; 0 and values above 3999 are shown as decimals, as Word does.
fn roman(mut value: u64) -> String {
    if value == 0 || value > 3999 {
        return value.to_string();
    }
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (n, s) in TABLE {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}

/// Word's letters: A…Z, then AA…ZZ, AAA… (the letter repeated, not base 26).
fn letters(value: u64) -> String {
    if value == 0 {
        return "0".into();
    }
    let letter = (b'A' + ((value - 1) % 26) as u8) as char;
    let times = ((value - 1) / 26 + 1).min(64) as usize;
    std::iter::repeat_n(letter, times).collect()
}

fn level(value: &Value) -> Option<(usize, Level)> {
    let number = uint(value, "level")? as usize;
    let restart = uint(value, "levelRestart");
    Some((
        number,
        Level {
            start: uint(value, "start").unwrap_or(1),
            format: value
                .get("format")
                .and_then(Value::as_str)
                .unwrap_or("decimal")
                .to_string(),
            text: value
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            never_restarts: restart == Some(0),
            legal: value
                .get("isLgl")
                .is_some_and(|v| !v.is_null() && v != false),
        },
    ))
}

fn array<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn uint(value: &Value, key: &str) -> Option<u64> {
    value.get(key).and_then(Value::as_u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn defs() -> ListDefs {
        ListDefs::of(&json!({
            "abstractNums": [
                {"id": 0, "levels": [
                    {"level": 0, "start": 1, "format": "decimal", "text": "%1."},
                    {"level": 1, "start": 1, "format": "decimal", "text": "%1.%2."},
                    {"level": 2, "start": 1, "format": "lowerRoman", "text": "%3."}
                ]},
                {"id": 1, "levels": [
                    {"level": 0, "start": 1, "format": "lowerRoman", "text": "%1."}
                ]}
            ],
            "numberings": [
                {"id": 1, "abstractNumId": 0, "levelOverrides": []},
                {"id": 2, "abstractNumId": 1, "levelOverrides": []},
                {"id": 3, "abstractNumId": 1, "levelOverrides": [{"level": 0, "overrideStart": 1}]}
            ]
        }))
    }

    #[test]
    fn multi_level_numbers_continue_and_restart_below() {
        let defs = defs();
        let mut c = Counters::default();
        let seen: Vec<String> = [(1, 0), (1, 1), (1, 1), (1, 2), (1, 2), (1, 0), (1, 1)]
            .iter()
            .map(|(n, l)| c.next(&defs, *n, *l).unwrap())
            .collect();
        assert_eq!(seen, ["1.", "1.1.", "1.2.", "i.", "ii.", "2.", "2.1."]);
    }

    #[test]
    fn an_instance_sharing_a_list_continues_unless_it_overrides_the_start() {
        let defs = defs();
        let mut c = Counters::default();
        assert_eq!(c.next(&defs, 2, 0).unwrap(), "i.");
        assert_eq!(c.next(&defs, 2, 0).unwrap(), "ii.");
        // Instance 3 restarts at its first use, then continues.
        assert_eq!(c.next(&defs, 3, 0).unwrap(), "i.");
        assert_eq!(c.next(&defs, 3, 0).unwrap(), "ii.");
        assert_eq!(c.next(&defs, 2, 0).unwrap(), "iii.");
    }

    #[test]
    fn formats() {
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(1994, "upperRoman"), "MCMXCIV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(3, "decimalZero"), "03");
        assert_eq!(format_number(0, "lowerRoman"), "0");
        assert_eq!(format_number(7, "somethingNew"), "7");
    }

    #[test]
    fn unknown_lists_and_levels_give_no_number() {
        let defs = defs();
        let mut c = Counters::default();
        assert_eq!(c.next(&defs, 9, 0), None);
        assert_eq!(c.next(&defs, 2, 5), None);
    }
}
