//! Property tests of the engine: any amount is safe to check, every figure and listed
//! combination explains itself, and one slipped digit of a figure is always named.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::facts::{Fact, Kind};
use super::search::{significant_digits, Index};
use super::slips::relation;
use crate::model::money::{Money, Qualifier};

fn fact(value: Decimal, unit: Decimal) -> Fact {
    Fact::of(value, unit, "a figure".into(), Kind::Figure)
}

/// Any decimal up to 28 digits, negative or tiny.
fn any_amount() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), any::<i64>(), 0u32..28, any::<bool>()).prop_map(|(hi, lo, scale, neg)| {
        let lo = (lo as u64 & 0xffff_ffff) as u32;
        let mid = (hi as u64 >> 32) as u32;
        let hi = (hi as u64 & 0x0fff_ffff) as u32;
        Decimal::from_parts(lo, mid, hi, neg, scale)
    })
}

/// A figure of three to nine significant digits, in pounds or pence.
fn figure() -> impl Strategy<Value = Decimal> {
    (100u64..1_000_000_000, prop::sample::select(vec![0u32, 2])).prop_map(|(n, scale)| {
        let n = if n % 10 == 0 { n + 1 } else { n };
        Decimal::from_i128_with_scale(n as i128, scale)
    })
}

fn exact(value: Decimal) -> Money {
    Money::exact(value)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_amount_makes_the_engine_panic(
        facts in prop::collection::vec((any_amount(), any_amount()), 0..12),
        claim in any_amount(),
        unit in any_amount(),
    ) {
        let facts: Vec<Fact> = facts.into_iter().map(|(v, u)| fact(v, u.abs())).collect();
        let index = Index::new(&facts);
        for qualifier in [Qualifier::Exact, Qualifier::Approximate, Qualifier::Bound] {
            let m = Money { value: claim, unit: unit.abs(), qualifier };
            let cx = super::context::Context { sentence: facts.clone(), earlier: Vec::new(), factors: Vec::new(), cue: Default::default() };
            let _ = index.explain(&m, &cx);
            index.near(&m, &cx, &mut |e, _| {
                let _ = relation(&m, e.value, significant_digits(&m));
                false
            });
        }
    }

    #[test]
    fn every_figure_and_listed_combination_explains_itself(
        values in prop::collection::vec(figure(), 1..10),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let facts: Vec<Fact> = values.iter().map(|v| fact(*v, Decimal::new(1, v.scale()))).collect();
        let index = Index::new(&facts);
        let (i, j) = (a.index(facts.len()), b.index(facts.len()));
        let mut wanted = vec![(facts[i].value, facts[i].unit)];
        if i != j {
            // Written no more precisely than the less precise of the two.
            let unit = facts[i].unit.max(facts[j].unit);
            wanted.push((facts[i].value + facts[j].value, unit));
            wanted.push((facts[i].value - facts[j].value, unit));
        }
        for (v, unit) in wanted {
            let v = crate::model::money::round_to_unit(v, unit).unwrap();
            let m = Money { value: v, unit, qualifier: Qualifier::Exact };
            if significant_digits(&m) >= 3 || v == facts[i].value {
                let explained = !index.agreeing(&m).is_empty()
                    || index.explain(&m, &super::context::Context::empty()).is_some();
                prop_assert!(explained, "{v} is not explained by {values:?}");
            }
        }
    }

    #[test]
    fn one_slipped_digit_after_the_first_is_always_a_likely_slip(
        value in figure(),
        at in any::<prop::sample::Index>(),
        digit in 0u8..10,
        kind in 0u8..4,
    ) {
        let written = value.abs().to_string().replace('.', "");
        let scale = value.scale();
        let i = at.index(written.len());
        let mut d: Vec<u8> = written.bytes().collect();
        match kind {
            0 if i + 1 < d.len() && d[i] != d[i + 1] => d.swap(i, i + 1),
            1 if d[i] != b'0' + digit => d[i] = b'0' + digit,
            // A digit added or dropped in front changes the amount's size: not a typing slip.
            2 if i > 0 => d.insert(i, b'0' + digit),
            3 if d.len() > 3 && i > 0 => { d.remove(i); }
            _ => return Ok(()),
        }
        if d[0] == b'0' {
            return Ok(());
        }
        let text = String::from_utf8(d).unwrap();
        let slipped = Decimal::from_i128_with_scale(text.parse::<i128>().unwrap(), scale);
        let m = exact(slipped);
        if slipped == value || significant_digits(&m) < 3 {
            return Ok(());
        }
        let facts = [fact(value, Decimal::new(1, scale))];
        let index = Index::new(&facts);
        prop_assert!(index.agreeing(&m).is_empty(), "{slipped} explained by {value}");
        prop_assert!(index.explain(&m, &super::context::Context::empty()).is_none(), "{slipped} explained by {value}");
        let found = index.one_edit(&m, significant_digits(&m));
        prop_assert!(!found.is_empty(), "{slipped} for {value}: not found by looking up its edits");
        prop_assert!(relation(&m, value, significant_digits(&m)).is_some(), "{slipped} for {value}: no edit named");
    }
}
