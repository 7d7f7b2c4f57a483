//! Property tests: money parsing and precision, rounding, table arithmetic, and that no input
//! makes a parser panic.

use proptest::prelude::*;
use rust_decimal::Decimal;

use clerk::check::tables::check_table;
use clerk::diagnostic::Code;
use clerk::model::money::{format_gbp, format_short, round_to_unit, scan_amounts, Money};
use clerk::parse::{formula, frontmatter, markdown};

/// Amounts in pence up to £10bn.
fn pence() -> impl Strategy<Value = i64> {
    -1_000_000_000_000i64..1_000_000_000_000i64
}

proptest! {
    #[test]
    fn formatted_amounts_parse_back_exactly(p in pence()) {
        let value = Decimal::new(p, 2);
        let text = format_gbp(value, 2);
        let money = Money::parse(&text).unwrap();
        prop_assert_eq!(money.value, value);
        prop_assert_eq!(money.unit, Decimal::new(1, 2));
        prop_assert!(money.agrees_with(value));
    }

    #[test]
    fn precision_is_kept_as_written(p in 0i64..100_000_000_000, dp in 0u32..3) {
        let value = Decimal::new(p, dp);
        let money = Money::parse(&format_gbp(value, dp)).unwrap();
        prop_assert_eq!(money.value.scale(), dp);
    }

    #[test]
    fn a_short_amount_agrees_with_what_it_rounds(p in 100_000i64..1_000_000_000_000) {
        let value = Decimal::new(p, 2);
        let short = format_short(value);
        let money = Money::parse(&short).unwrap();
        prop_assert!(money.agrees_with(value), "{} should agree with {}", short, value);
    }

    #[test]
    fn an_exact_amount_disagrees_with_any_other_penny(p in pence(), delta in 1i64..1000) {
        let value = Decimal::new(p, 2);
        let money = Money::parse(&format_gbp(value, 2)).unwrap();
        prop_assert!(!money.agrees_with(value + Decimal::new(delta, 2)));
    }

    #[test]
    fn rounding_is_half_away_from_zero(n in -1_000_000i64..1_000_000) {
        // n + 0.5 pounds rounds to n + 1 when positive, to n when negative (away from zero).
        let half = Decimal::new(n * 10 + if n >= 0 { 5 } else { -5 }, 1);
        let rounded = round_to_unit(half, Decimal::ONE).unwrap();
        let expected = if n >= 0 { Decimal::from(n + 1) } else { Decimal::from(n - 1) };
        prop_assert_eq!(rounded, expected);
    }

    #[test]
    fn amounts_are_found_in_prose(p in 0i64..1_000_000_000_000, words in "[a-z ]{0,30}", tail in "[a-z ]{0,30}") {
        let value = Decimal::new(p, 2);
        let amount = format_gbp(value, 2);
        let text = format!("{words} {amount} {tail}");
        let found = scan_amounts(&text);
        prop_assert_eq!(found.len(), 1);
        prop_assert_eq!(&text[found[0].range.clone()], amount.as_str());
        prop_assert_eq!(found[0].money.value, value);
    }

    #[test]
    fn a_total_that_is_the_sum_passes_and_any_other_fails(rows in prop::collection::vec(0i64..10_000_000_000, 1..12), delta in -100_000i64..100_000) {
        let values: Vec<Decimal> = rows.iter().map(|p| Decimal::new(*p, 2)).collect();
        let total: Decimal = values.iter().copied().sum();
        let table = |total: Decimal| {
            let mut md = String::from("| Item | Cost |\n|---|---:|\n");
            for (i, v) in values.iter().enumerate() {
                md.push_str(&format!("| Line {i} | {} |\n", format_gbp(*v, 2)));
            }
            md.push_str(&format!("| Total | {} |\n", format_gbp(total, 2)));
            let doc = markdown::parse(&md, 0);
            let mut out = Vec::new();
            check_table(0, &doc.tables[0], &|_, _| false, &mut out);
            out
        };
        prop_assert!(table(total).is_empty());
        if delta != 0 {
            let wrong = table(total + Decimal::new(delta, 2));
            prop_assert_eq!(wrong.len(), 1);
            prop_assert_eq!(wrong[0].code, Code::TotalMismatch);
        }
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,200}") {
        let _ = Money::parse(&text);
        let _ = scan_amounts(&text);
        let _ = formula::parse(&text);
        let _ = frontmatter::split(&text);
        let _ = markdown::parse(&text, 0);
    }

    #[test]
    fn parsers_never_panic_on_money_like_text(text in "[£0-9,.kmbn()\\- ]{0,40}") {
        let _ = Money::parse(&text);
        let _ = scan_amounts(&text);
        let _ = formula::parse(&text);
    }
}
