//! Finding what explains an amount, without trying every subset: facts are indexed by value,
//! and each search looks only in the window of values that could agree.
//!
//! An amount is explained by one fact, a sum or difference of two, a sum of three or four cells
//! of one table column (or of the named figures), a fact times a count or a percentage stated in
//! the same sentence, or other amounts of its sentence added up. Combinations are tried only
//! where the amount has the significant digits to tell them apart from chance: a round "£2m"
//! is explained by a fact, never by whatever pair happens to make two million.

use rust_decimal::Decimal;

use super::facts::{Fact, Kind};
use super::slips::{self, Edit};
use super::Context;
use crate::model::money::{format_exact, Money, Qualifier};
use crate::model::verdict;

/// One way of arriving at a value from the paper's own figures.
#[derive(Clone, Debug)]
pub struct Explanation {
    pub value: Decimal,
    /// The coarsest precision among its parts.
    pub unit: Decimal,
    /// The arithmetic, e.g. "£325,484.88 + £100,000 = £425,484.88".
    pub text: String,
    /// Better explanations have lower ranks: a figure or total, then a cell, then arithmetic.
    pub rank: u8,
    /// Made with a percentage (its slips are percentage slips).
    pub percentage: bool,
    /// Arithmetic on the amount's own sentence only: closely tied to it, so one mistyped digit
    /// of it is a slip, not chance.
    pub local: bool,
    /// The smallest part added or taken away, in size (`Decimal::MAX` for a single fact or a
    /// product: nothing is added).
    pub smallest: Decimal,
    /// What it is: a cell, a figure, a sum …
    pub kind: verdict::Kind,
    /// For a single fact, its index among the facts.
    pub fact: Option<usize>,
    /// A part is an amount of the amount's own sentence: the sentence states the arithmetic.
    pub sentence: bool,
    /// The words of its facts' labels, for weighing a slip of it by its words.
    pub about: String,
    /// Where its fact (or first part) is written.
    pub at: Option<verdict::Place>,
    /// For a fact adjusted by a percentage ("× (100% + 2%)", "÷ (100% − 5%)"), the fact's own
    /// value: an amount nearer to it than to the adjusted one is no slip of the adjustment.
    pub adjusted: Option<Decimal>,
    /// How far rounding in its parts may put it from the exact figure: half the last written
    /// unit of each rounded amount of the sentence it adds ("£126k, £15k and £13k" may be
    /// £1,500 either side of £154,000); zero where its parts are exact.
    pub spread: Decimal,
    /// For a pair of parts, how many such pairs it was drawn from (the pairs of cells sharing
    /// a row or a column, or an amount said nearby with each fact); 0: from all pairs.
    pub family: usize,
}

/// A multiplier stated in a sentence: a count ("three years") or a percentage ("5%").
#[derive(Clone, Debug)]
pub struct Factor {
    pub value: Decimal,
    /// How to show `fact × factor`: "× 3", "× 5%", "× 105%".
    pub shown: String,
    pub percentage: bool,
    /// The amount is the fact times this as stated ("for three years", "25% of"), not worked
    /// back from it ("÷ 3") or adjusted by it ("× (100% + 5%)").
    pub direct: bool,
    /// A percentage of the sentence before the amount's: it multiplies only the amounts of
    /// the amount's own sentence ("… at least 20% of their council tax. For a Band C home
    /// (£1,944.61 a year) that is £388.92"), never the paragraph's.
    pub borrowed: bool,
}

/// What a sentence's words say of the arithmetic in it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cue {
    /// "total", "together", "combined", "in all", "altogether", "sum".
    pub sum: bool,
    /// "increase", "reduction", "saving", "more than last year", "from … to".
    pub difference: bool,
    /// "the same percentage", "that rate", "this uplift": a percentage said before.
    pub same_percentage: bool,
}

/// Which combinations a search may use.
#[derive(Clone, Debug, Default)]
pub struct Reach {
    /// Leave single facts out (they are weighed by their words, elsewhere).
    skip_singles: bool,
    sums: bool,
    differences: bool,
    /// Pairs of cells of one row or one column (this year's and last year's, two lots of one
    /// contract): far fewer than all pairs, so a coarser amount may be one of them.
    related: bool,
    /// A fact of the paper times a count or percentage of the amount's sentence.
    products: bool,
    /// For each group, whether sums of three or four of it may be used.
    groups: Option<Vec<bool>>,
}

/// Facts in value order, and the groups combinations are drawn from.
pub struct Index<'f> {
    facts: &'f [Fact],
    by_value: Vec<usize>,
    /// The largest size among the facts.
    spread: Decimal,
    /// The most chance a combination may carry to explain an amount (`Index::for_amounts`).
    threshold: Decimal,
    /// Groups of up to `GROUP` facts that sums of three or four are drawn from: each table
    /// column's cells, and the named and declared figures.
    groups: Vec<Vec<usize>>,
    /// How many ordered pairs of cells share a row or a column.
    related_pairs: usize,
}

/// Whether two cells share a table row or column.
fn related(a: &Fact, b: &Fact) -> bool {
    match (a.place, b.place) {
        (Some(p), Some(q)) => p.table == q.table && (p.row == q.row || p.column == q.column),
        _ => false,
    }
}

use super::policy::POLICY;

fn rank_of(kind: Kind) -> u8 {
    match kind {
        Kind::Figure | Kind::Declared | Kind::Total => 0,
        Kind::Cell | Kind::Outside => 1,
        Kind::Mention | Kind::Threshold => 2,
    }
}

/// Significant digits of an amount as written ("£1.25m": 3; "£2m": 1; "£12,490,000": 4).
pub fn significant_digits(m: &Money) -> usize {
    let unit = m.significant_unit();
    crate::model::money::digits_at(m.value, unit).map_or(0, |d| d.trim_start_matches('0').len())
}

impl<'f> Index<'f> {
    pub fn new(facts: &'f [Fact]) -> Index<'f> {
        let mut by_value: Vec<usize> = (0..facts.len()).collect();
        by_value.sort_by(|a, b| facts[*a].value.cmp(&facts[*b].value).then(a.cmp(b)));
        // Pair sums spread up to the largest fact written; a column's sum that no total row
        // gives is not written, and would make every pair look rare.
        let spread = facts
            .iter()
            .filter(|f| f.place.is_none_or(|p| p.row != usize::MAX))
            .map(|f| f.value.abs())
            .max()
            .unwrap_or_default();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut columns: std::collections::BTreeMap<(usize, usize), Vec<usize>> =
            Default::default();
        let mut figures = Vec::new();
        for (i, f) in facts.iter().enumerate() {
            match f.place {
                Some(p) => columns.entry((p.table, p.column)).or_default().push(i),
                None if matches!(f.kind, Kind::Figure | Kind::Declared) => figures.push(i),
                None => {}
            }
        }
        groups.extend(
            columns
                .into_values()
                .filter(|g| g.len() <= POLICY.group_size.value),
        );
        if figures.len() <= POLICY.group_size.value {
            groups.push(figures);
        }
        let mut lines: std::collections::BTreeMap<(usize, bool, usize), usize> = Default::default();
        for p in facts.iter().filter_map(|f| f.place) {
            *lines.entry((p.table, true, p.row)).or_default() += 1;
            *lines.entry((p.table, false, p.column)).or_default() += 1;
        }
        let related_pairs = lines.values().map(|k| k * k.saturating_sub(1)).sum();
        Index {
            facts,
            by_value,
            spread,
            threshold: POLICY.explain_by_chance.value,
            groups,
            related_pairs,
        }
    }

    pub fn facts(&self) -> &[Fact] {
        self.facts
    }

    /// The index for a paper of `amounts` amounts: a combination explains one only where its
    /// chance is within `Policy::explain_by_chance`, and the paper's chance explanations are
    /// expected to number fewer than `Policy::explained_by_chance_per_paper`.
    pub fn for_amounts(mut self, amounts: usize) -> Index<'f> {
        let share = POLICY
            .explained_by_chance_per_paper
            .value
            .checked_div(Decimal::from(amounts.max(1) as u64))
            .unwrap_or_default();
        self.threshold = POLICY.explain_by_chance.value.min(share);
        self
    }

    /// Sums and differences of two cells sharing a table row or column, for naming a slipped
    /// sum ("£12.34m" for two rows making £13.34m); none where there are too many to weigh.
    pub fn related_arithmetic(&self) -> Vec<Explanation> {
        let mut out = Vec::new();
        let cells: Vec<&Fact> = self.facts.iter().filter(|f| f.place.is_some()).collect();
        for (i, a) in cells.iter().enumerate() {
            for b in &cells[i + 1..] {
                if !related(a, b) {
                    continue;
                }
                if !a.overlaps(b) {
                    out.extend(combine(&[a, b], true));
                }
                out.extend(combine(&[a, b], false));
                out.extend(combine(&[b, a], false));
            }
        }
        for e in &mut out {
            e.family = self.related_pairs;
        }
        out
    }

    /// How many pairs of cells share a row or a column.
    pub fn related_count(&self) -> usize {
        self.related_pairs
    }

    /// Whether `count` values, each as wide as `unit`, would hit one of the facts by chance
    /// less than one time in ten.
    pub fn unlikely_by_chance(&self, count: usize, unit: Decimal, size: Decimal) -> bool {
        self.unlikely_among(self.facts.len(), count, unit, size)
    }

    /// The same, among `family` candidate values rather than the facts.
    pub fn unlikely_among(
        &self,
        family: usize,
        count: usize,
        unit: Decimal,
        size: Decimal,
    ) -> bool {
        chance_among(family, count, unit, size).is_some_and(|p| p <= self.threshold)
    }

    /// Facts whose value lies in `[low, high]`.
    fn within(&self, low: Decimal, high: Decimal) -> &[usize] {
        let start = self
            .by_value
            .partition_point(|&i| self.facts[i].value < low);
        let end = self
            .by_value
            .partition_point(|&i| self.facts[i].value <= high);
        &self.by_value[start..end.max(start)]
    }

    /// Facts that could agree with `target` once multiplied by `k` (k > 0).
    fn within_scaled(&self, target: &Money, k: Decimal) -> &[usize] {
        let Some((low, high)) = target.window() else {
            return &[];
        };
        match (low.checked_div(k), high.checked_div(k)) {
            (Some(l), Some(h)) => self.within(l.min(h), l.max(h)),
            _ => &[],
        }
    }

    /// Every fact that explains `m` (or its negation) alone, at the precision written.
    pub fn agreeing(&self, m: &Money) -> Vec<usize> {
        let mut out = Vec::new();
        for target in targets(m) {
            let Some((low, high)) = target.window() else {
                continue;
            };
            for &i in self.within(low, high) {
                if accept(&target, m, single(&self.facts[i])) && !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// How many facts have a size in `[low, high)`, either sign.
    pub fn count_sized(&self, low: Decimal, high: Decimal) -> usize {
        let up = self.by_value[..]
            .partition_point(|&i| self.facts[i].value < high)
            .saturating_sub(
                self.by_value
                    .partition_point(|&i| self.facts[i].value < low),
            );
        let down = self
            .by_value
            .partition_point(|&i| self.facts[i].value <= -low)
            .saturating_sub(
                self.by_value
                    .partition_point(|&i| self.facts[i].value <= -high),
            );
        up + down
    }

    /// Every fact one edit from `m` (`digits` its significant digits), found by looking up
    /// each value the edit could have been made from: a near miss, each scale, each digit
    /// swapped, changed, added or dropped. Costs the logarithm of the facts per variant.
    pub fn one_edit(&self, m: &Money, digits: usize) -> Vec<(Edit, usize)> {
        let mut found: Vec<usize> = Vec::new();
        let mut look = |low: Option<Decimal>, high: Option<Decimal>| {
            if let (Some(l), Some(h)) = (low, high) {
                for sign in [Decimal::ONE, Decimal::NEGATIVE_ONE] {
                    let (a, b) = (l * sign, h * sign);
                    for &i in self.within(a.min(b), a.max(b)) {
                        if !found.contains(&i) {
                            found.push(i);
                        }
                    }
                }
            }
        };
        let (v, u) = (m.value.abs(), m.unit);
        if u <= Decimal::ZERO {
            return Vec::new();
        }
        let wide = m.significant_unit().max(u);
        look(v.checked_sub(wide), v.checked_add(wide));
        for k in [1u32, 3, 6, 9] {
            let f = Decimal::from(10i64.pow(k));
            let half = u.checked_div(Decimal::TWO);
            let around = |x: Option<Decimal>, w: Option<Decimal>| {
                (
                    x.zip(w).and_then(|(x, w)| x.checked_sub(w)),
                    x.zip(w).and_then(|(x, w)| x.checked_add(w)),
                )
            };
            let (l, h) = around(v.checked_div(f), half.and_then(|h| h.checked_div(f)));
            look(l, h);
            let (l, h) = around(v.checked_mul(f), half.and_then(|h| h.checked_mul(f)));
            look(l, h);
        }
        if let Some(written) = crate::model::money::digits_at(v, u) {
            if written.len() <= 30 {
                for variant in slips::variants_of(&written) {
                    let Ok(n) = variant.parse::<Decimal>() else {
                        continue;
                    };
                    let Some(x) = n.checked_mul(u) else { continue };
                    let half = u.checked_div(Decimal::TWO);
                    look(
                        half.and_then(|h| x.checked_sub(h)),
                        half.and_then(|h| x.checked_add(h)),
                    );
                }
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .filter(|&i| self.facts[i].kind != Kind::Threshold)
            .filter_map(|i| slips::relation(m, self.facts[i].value, digits).map(|e| (e, i)))
            .collect()
    }

    /// The best explanation of `m` (or of its negation) by arithmetic, if the paper has one.
    /// `cx` holds the other amounts of its sentence, its counts and percentages and what its
    /// words say of arithmetic. Single facts are weighed by `agreeing` and their words.
    pub fn explain(&self, m: &Money, cx: &Context) -> Option<Explanation> {
        // First what is closest to hand: the amount's own sentence; then the combinations its
        // precision can tell from chance.
        let first = Reach {
            skip_singles: true,
            ..Reach::default()
        };
        let mut wider = self.reach(m, cx.cue);
        wider.skip_singles = true;
        for reach in [first, wider] {
            let mut best: Option<Explanation> = None;
            for target in targets(m) {
                let found =
                    self.each_way(&target, reach.clone(), cx, &mut |e| accept(&target, m, e));
                if let Some(e) = found {
                    if best.as_ref().is_none_or(|b| e.rank < b.rank) {
                        best = Some(e);
                    }
                }
            }
            if best.is_some() {
                return best;
            }
        }
        None
    }

    /// Which combinations may explain `m`: those that would agree with it by chance less than
    /// one time in ten, given how many there are, how far apart the facts lie and how wide
    /// the amount's window is; or those its sentence states ("an increase of", "in total").
    pub fn reach(&self, m: &Money, cue: Cue) -> Reach {
        // Sums and differences spread over the whole range of the paper's values; products
        // of small facts crowd near small amounts, so their neighbourhood is the amount's own
        // size.
        let chance = |count: usize, range: u32| -> bool {
            self.family_chance(m, count, range)
                .is_some_and(|p| p <= self.threshold)
        };
        let products = self.unlikely_by_chance(4, m.significant_unit(), m.value);
        // (A percentage times a fact; counts need no reach.)
        let n = self.facts.len();
        let pairs_by_chance = chance(n * n.saturating_sub(1), 2);
        // A sentence that says "in total" or "an increase of" makes a sum likelier, not
        // certain: among very many pairs one agreeing is still chance.
        let pairs_if_said = n <= POLICY.pair_pool.value;
        let groups: Vec<bool> = self
            .groups
            .iter()
            .map(|g| chance(group_combinations(g.len()), 4))
            .collect();
        Reach {
            skip_singles: false,
            sums: pairs_by_chance || (cue.sum && pairs_if_said),
            differences: pairs_by_chance || (cue.difference && pairs_if_said),
            related: chance(self.related_pairs, 2),
            products,
            groups: Some(groups),
        }
    }

    /// How often a random amount of `m`'s precision would land within its window of one of
    /// `count` combinations, spread over `range` times the paper's values (sums of two reach
    /// twice the largest fact, of three or four about four times): `None` if not computable.
    fn family_chance(&self, m: &Money, count: usize, range: u32) -> Option<Decimal> {
        let spread = self.spread.max(m.value.abs());
        let window = m.significant_unit().checked_mul(Decimal::TWO)?;
        let range = spread.checked_mul(Decimal::from(range))?;
        if range.is_zero() {
            return None;
        }
        Decimal::from(count as u64)
            .checked_mul(window)?
            .checked_div(range)
            .map(|p| p.min(Decimal::ONE))
    }

    /// The chance that arithmetic on value alone, of `e`'s kind, would explain an amount of
    /// `m`'s precision by accident: of all the pairs of facts for a sum or difference of two,
    /// (or of the family it was drawn from: the pairs of cells sharing a row or column, an
    /// amount said nearby with each fact), of the largest
    /// group's sums for three or four parts, of the facts times four factors
    /// for a product. Arithmetic of the amount's own sentence or paragraph is no chance (0).
    pub fn chance_of(&self, m: &Money, e: &Explanation) -> Decimal {
        if e.local || e.sentence {
            return Decimal::ZERO;
        }
        let n = self.facts.len();
        let parts = e.rank.saturating_sub(4);
        let found = match e.kind {
            verdict::Kind::Sum | verdict::Kind::Difference if parts >= 3 => {
                let most = self.groups.iter().map(Vec::len).max().unwrap_or(0);
                self.family_chance(m, group_combinations(most), 4)
            }
            verdict::Kind::Sum | verdict::Kind::Difference if e.family > 0 => {
                self.family_chance(m, e.family, 2)
            }
            verdict::Kind::Sum | verdict::Kind::Difference => {
                self.family_chance(m, n * n.saturating_sub(1), 2)
            }
            // As `reach` allows products: four factors of each fact (`unlikely_by_chance`).
            _ => chance_among(n, 4, m.significant_unit(), m.value).map(|p| p.min(Decimal::ONE)),
        };
        found.unwrap_or(Decimal::ONE)
    }

    /// Every explanation-like value near `m`, for naming a slip: every fact, then the
    /// combinations within its reach (offered with `true`). Each is offered to `offer` until
    /// it says it has found what it wants.
    pub fn near(&self, m: &Money, cx: &Context, offer: &mut dyn FnMut(Explanation, bool) -> bool) {
        // Single facts are looked up by `one_edit`; here the amounts nearby.
        for f in cx.sentence.iter().chain(&cx.earlier) {
            if offer(single(f), false) {
                return;
            }
        }
        // The arithmetic of its own sentence and paragraph, however far from it: few enough
        // that each is weighed by the chance of its edit (`local_family`).
        for e in local_arithmetic(m, cx) {
            if offer(e, false) {
                return;
            }
        }
        let mut reach = self.reach(m, cx.cue);
        reach.skip_singles = true;
        for target in targets(m) {
            let wide = widened(&target);
            if self
                .each_way(&wide, reach.clone(), cx, &mut |e| offer(e, true))
                .is_some()
            {
                return;
            }
        }
    }

    /// Tries every way of explaining `target`, from the best kind down, giving each candidate
    /// to `take`; returns the first it takes.
    fn each_way(
        &self,
        target: &Money,
        reach: Reach,
        cx: &Context,
        take: &mut dyn FnMut(Explanation) -> bool,
    ) -> Option<Explanation> {
        let mut tried = |e: Explanation| -> Option<Explanation> {
            if take(e.clone()) {
                Some(e)
            } else {
                None
            }
        };
        let (low, high) = target.window()?;
        if !reach.skip_singles {
            for &i in self.within(low, high) {
                if let Some(e) = tried(single(&self.facts[i])) {
                    return Some(e);
                }
            }
        }
        // Nearby amounts explain only through arithmetic: repeating one explains nothing.
        // A percentage of an amount said earlier in the paragraph ("under-borrowed by £58.468m.
        // … interest of £1.4m at 2.41%") is the paragraph's own arithmetic too.
        let nearby: Vec<Fact> = cx.sentence.iter().chain(&cx.earlier).cloned().collect();
        let own = cx.sentence.len();
        for e in self.scaled(target, (&nearby, own), &cx.factors, reach.products) {
            if let Some(e) = tried(e) {
                return Some(e);
            }
        }
        for e in local_arithmetic(target, cx) {
            if let Some(e) = tried(e) {
                return Some(e);
            }
        }
        if reach.sums || reach.differences {
            let nearby: Vec<Fact> = cx.sentence.iter().chain(&cx.earlier).cloned().collect();
            let own = cx.sentence.len();
            if let Some(e) = self.with_nearby(target, &nearby, own, &reach, &mut tried) {
                return Some(e);
            }
        }
        if reach.sums || reach.differences || reach.related {
            if let Some(e) = self.pairs(target, &reach, &mut tried) {
                return Some(e);
            }
        }
        if let Some(allowed) = &reach.groups {
            if let Some(e) = self.groups_of_three_or_four(target, allowed, &mut tried) {
                return Some(e);
            }
        }
        None
    }

    /// A fact (or a sentence's amount) times one of the sentence's counts or percentages.
    fn scaled(
        &self,
        target: &Money,
        (nearby, own): (&[Fact], usize),
        factors: &[Factor],
        from_index: bool,
    ) -> Vec<Explanation> {
        let mut out = Vec::new();
        for factor in factors {
            if factor.value <= Decimal::ZERO {
                continue;
            }
            // `nearby` is the amount's sentence (its first `own`) then its paragraph before.
            let sentence = if factor.borrowed {
                &nearby[..own]
            } else {
                nearby
            };
            // A count stated beside the amount ("for seven years") is specific; a percentage
            // applied to any figure of the paper makes many near values, so it needs the reach.
            // Worked back or adjusted, only from a fact its sentence quotes ("20% of the
            // £33.5m block, £6.7m" where the table gives £6,704,000).
            let open = from_index || factor.direct;
            let found = self.within_scaled(target, factor.value);
            let from_index = found
                .iter()
                .map(|&i| &self.facts[i])
                .filter(|f| open || quoted(sentence, f));
            for f in from_index {
                out.extend(times(f, factor));
            }
            // An amount of its own sentence or paragraph times a count or percentage it states
            // is arithmetic the paragraph states.
            for f in sentence {
                out.extend(times(f, factor).map(|mut e| {
                    e.sentence = factor.direct;
                    e
                }));
            }
        }
        out
    }

    /// A nearby amount plus or minus a fact ("£776,000 … The confirmed figure is £342,000
    /// lower" than the table's £434,000).
    // Long because the three ways of each nearby amount (plus a fact, minus one, taken from
    // one) are one table of windows, each searched the same way.
    fn with_nearby(
        &self,
        target: &Money,
        nearby: &[Fact],
        own: usize,
        reach: &Reach,
        tried: &mut dyn FnMut(Explanation) -> Option<Explanation>,
    ) -> Option<Explanation> {
        let (low, high) = target.window()?;
        for (k, p) in nearby.iter().enumerate() {
            let windows = [
                (
                    low.checked_sub(p.value),
                    high.checked_sub(p.value),
                    true,
                    false,
                ),
                (
                    p.value.checked_sub(high),
                    p.value.checked_sub(low),
                    false,
                    false,
                ),
                (
                    low.checked_add(p.value),
                    high.checked_add(p.value),
                    false,
                    true,
                ),
            ];
            for (l, h, sum, reversed) in windows {
                let (Some(l), Some(h)) = (l, h) else { continue };
                for &b in self.within(l, h) {
                    let f = &self.facts[b];
                    // The council's threshold is a rule, never a part of the paper's arithmetic.
                    if f.kind == Kind::Threshold {
                        continue;
                    }
                    // A sum with a negative figure is a difference of sizes ("the remaining
                    // £3.112m" of a variance held as -£3,352,000), and the other way round.
                    let adds = sum == (f.value.is_sign_negative() == p.value.is_sign_negative());
                    if (adds && !reach.sums) || (!adds && !reach.differences) {
                        continue;
                    }
                    let parts = if reversed { [f, p] } else { [p, f] };
                    let e = combine(&parts, sum).map(|mut e| {
                        e.sentence = k < own;
                        // Each amount nearby, with any fact, three ways.
                        e.family = nearby
                            .len()
                            .saturating_mul(self.facts.len())
                            .saturating_mul(3);
                        e
                    });
                    if let Some(e) = e.and_then(&mut *tried) {
                        return Some(e);
                    }
                }
            }
        }
        None
    }

    /// Sums and differences of two facts.
    fn pairs(
        &self,
        target: &Money,
        reach: &Reach,
        tried: &mut dyn FnMut(Explanation) -> Option<Explanation>,
    ) -> Option<Explanation> {
        let (low, high) = target.window()?;
        for a in 0..self.facts.len() {
            let fa = &self.facts[a];
            // a + b = target, and a - b = target.
            let windows = [
                (low.checked_sub(fa.value), high.checked_sub(fa.value), true),
                (fa.value.checked_sub(high), fa.value.checked_sub(low), false),
            ];
            for (l, h, sum) in windows {
                let any = if sum { reach.sums } else { reach.differences };
                if !any && !reach.related {
                    continue;
                }
                let (Some(l), Some(h)) = (l, h) else { continue };
                for &b in self.within(l, h) {
                    let fb = &self.facts[b];
                    let threshold = fa.kind == Kind::Threshold || fb.kind == Kind::Threshold;
                    if a == b
                        || threshold
                        || (sum && (b < a || fa.overlaps(fb)))
                        || (!any && !related(fa, fb))
                    {
                        continue;
                    }
                    let e = combine(&[fa, fb], sum).map(|mut e| {
                        if !any {
                            e.family = self.related_pairs;
                        }
                        e
                    });
                    if let Some(e) = e.and_then(&mut *tried) {
                        return Some(e);
                    }
                }
            }
        }
        None
    }

    /// Sums of three or four facts of one group (a table column, or the named figures):
    /// triples and quadruples both search the group's sorted pair sums.
    fn groups_of_three_or_four(
        &self,
        target: &Money,
        allowed: &[bool],
        tried: &mut dyn FnMut(Explanation) -> Option<Explanation>,
    ) -> Option<Explanation> {
        let (low, high) = target.window()?;
        for (group, _) in self.groups.iter().zip(allowed).filter(|(_, ok)| **ok) {
            // Pair sums of the group, in value order, searched for the rest of the target.
            let pairs = pair_sums(self.facts, group);
            if let Some(e) = self.triples(group, &pairs, (low, high), tried) {
                return Some(e);
            }
            if let Some(e) = self.quadruples(&pairs, (low, high), tried) {
                return Some(e);
            }
        }
        None
    }

    /// A fact of the group plus a pair sum of it, within the target's window.
    fn triples(
        &self,
        group: &[usize],
        pairs: &[(Decimal, usize, usize)],
        (low, high): (Decimal, Decimal),
        tried: &mut dyn FnMut(Explanation) -> Option<Explanation>,
    ) -> Option<Explanation> {
        for &c in group {
            let fc = &self.facts[c];
            let (Some(l), Some(h)) = (low.checked_sub(fc.value), high.checked_sub(fc.value)) else {
                continue;
            };
            for &(_, a, b) in pairs_within(pairs, l, h) {
                if c <= b || [a, b].iter().any(|&x| self.facts[x].overlaps(fc)) {
                    continue;
                }
                let parts = [&self.facts[a], &self.facts[b], fc];
                if let Some(e) = combine(&parts, true).and_then(&mut *tried) {
                    return Some(e);
                }
            }
        }
        None
    }

    /// Two pair sums of the group, four facts in all, within the target's window.
    fn quadruples(
        &self,
        pairs: &[(Decimal, usize, usize)],
        (low, high): (Decimal, Decimal),
        tried: &mut dyn FnMut(Explanation) -> Option<Explanation>,
    ) -> Option<Explanation> {
        for &(s, a, b) in pairs {
            let (Some(l), Some(h)) = (low.checked_sub(s), high.checked_sub(s)) else {
                continue;
            };
            for &(_, c, d) in pairs_within(pairs, l, h) {
                let ids = [a, b, c, d];
                if c <= b
                    || ids
                        .iter()
                        .enumerate()
                        .any(|(x, i)| ids[x + 1..].contains(i))
                {
                    continue;
                }
                let parts: Vec<&Fact> = ids.iter().map(|&i| &self.facts[i]).collect();
                let clash = parts
                    .iter()
                    .enumerate()
                    .any(|(x, p)| parts[x + 1..].iter().any(|q| p.overlaps(q)));
                if clash {
                    continue;
                }
                if let Some(e) = combine(&parts, true).and_then(&mut *tried) {
                    return Some(e);
                }
            }
        }
        None
    }
}

/// Whether a sentence quotes a fact: one of its amounts agrees with the fact's value.
fn quoted(sentence: &[Fact], f: &Fact) -> bool {
    sentence.iter().any(|s| {
        Money {
            value: s.value,
            unit: s.unit,
            qualifier: Qualifier::Exact,
        }
        .agrees_with(f.value)
    })
}

/// A fact times a factor, shown "£2m × 3 = £6m"; `None` when the product overflows.
fn times(f: &Fact, factor: &Factor) -> Option<Explanation> {
    let value = f.value.checked_mul(factor.value)?;
    Some(Explanation {
        value,
        // A table's or a figure's value is exact however it is multiplied; a
        // rounded prose amount's rounding grows with it.
        // "£8.1m, 60% (£4.86m)", "by 2.7%, from £9.60 to £9.86": a share or a change the
        // paper states of its own amount is its own arithmetic, as precise as it is written.
        unit: match f.kind {
            Kind::Mention if factor.percentage => Decimal::ZERO,
            Kind::Mention | Kind::Outside => f.unit.checked_mul(factor.value).unwrap_or(f.unit),
            _ => f.unit,
        },
        text: format!(
            "{} {} = {}",
            f.shown(),
            factor.shown,
            format_exact(value.round_dp(2).normalize())
        ),
        rank: 3,
        percentage: factor.percentage,
        local: false,
        smallest: Decimal::MAX,
        kind: verdict::Kind::Product,
        fact: None,
        sentence: false,
        about: f.words_of.clone(),
        at: f.at.clone(),
        adjusted: (factor.percentage && factor.shown.contains('(')).then_some(f.value),
        spread: Decimal::ZERO,
        family: 0,
    })
}

/// Pair sums of a group's facts that do not overlap, in value order, so the rest of a target
/// can be searched for among them.
fn pair_sums(facts: &[Fact], group: &[usize]) -> Vec<(Decimal, usize, usize)> {
    let mut pairs: Vec<(Decimal, usize, usize)> = Vec::new();
    for (x, &a) in group.iter().enumerate() {
        for &b in &group[x + 1..] {
            let (fa, fb) = (&facts[a], &facts[b]);
            if let Some(v) = fa.value.checked_add(fb.value).filter(|_| !fa.overlaps(fb)) {
                pairs.push((v, a, b));
            }
        }
    }
    pairs.sort();
    pairs
}

/// The pair sums from `l` to `h`, of pair sums in value order.
fn pairs_within(
    pairs: &[(Decimal, usize, usize)],
    l: Decimal,
    h: Decimal,
) -> &[(Decimal, usize, usize)] {
    let s = pairs.partition_point(|p| p.0 < l);
    let e = pairs.partition_point(|p| p.0 <= h);
    &pairs[s..e.max(s)]
}

/// The values an amount may stand for: itself, and its negation (a saving written "£1m"
/// against "(£1,000,000)" in a table).
fn targets(m: &Money) -> Vec<Money> {
    let mut out = vec![m.clone()];
    if !m.value.is_zero() {
        out.push(Money {
            value: -m.value,
            ..m.clone()
        });
    }
    out
}

/// A wider window for naming slips: ten units either side of the written value.
fn widened(m: &Money) -> Money {
    Money {
        unit: m.unit.checked_mul(Decimal::TEN).unwrap_or(m.unit),
        qualifier: Qualifier::Approximate,
        ..m.clone()
    }
}

/// Whether an explanation explains the amount `m`, or its negation, at the precision written.
pub fn agrees(m: &Money, e: &Explanation) -> bool {
    targets(m).iter().any(|target| accept(target, m, e.clone()))
}

/// Whether an explanation explains the claim `m` (as `target`): it agrees at the precision
/// written, and is at least as precise as the claim (a rough "£6m" never explains "£6.094m").
fn accept(target: &Money, m: &Money, e: Explanation) -> bool {
    if !target.agrees_with(e.value) {
        return within_spread(target, &e);
    }
    // A part smaller than the last digit of an amount written exactly ("£269,495,000 −
    // £60,000" for "£269.4m") only nudges the larger part, which alone misses the amount by
    // less than that digit: any small figure of the paper could, so the pair explains it only
    // by chance, and would hide a slip of rounding. Not so for an amount its own sentence
    // works out ("£1.4m and £0.6m, £2m in all") or one written as approximate.
    let nudged = e.smallest < m.significant_unit() && e.value != target.value;
    if nudged && m.qualifier == Qualifier::Exact && !e.local {
        return false;
    }
    // Equal to the penny is no rounding: "£680,712" is £63,580,712 less a budget of £62.9m.
    m.qualifier == Qualifier::Approximate
        || e.unit <= m.significant_unit()
        || e.value == target.value
}

/// "About £155k: £126k …, £15k … and £13k …": an approximate amount agrees with its
/// sentence's arithmetic where rounding in the parts and in itself could make the difference
/// (`|amount − sum| < spread + half its own unit`). An exact amount claims its digits, and
/// is held to them.
fn within_spread(target: &Money, e: &Explanation) -> bool {
    target.qualifier == Qualifier::Approximate
        && !e.spread.is_zero()
        && within_rounding(target, e.value, e.spread)
}

/// Whether `total` differs from the `sum` of rounded parts by less than their rounding
/// (`room`, half the last written unit of each part) and, for an approximate total, its own.
pub fn within_rounding(total: &Money, sum: Decimal, room: Decimal) -> bool {
    let own = if total.qualifier == Qualifier::Approximate {
        total.significant_unit() / Decimal::TWO
    } else {
        Decimal::ZERO
    };
    let gap = total.value.checked_sub(sum).map(|d| d.abs());
    gap.zip(room.checked_add(own))
        .is_some_and(|(gap, room)| gap < room)
}

/// Whether the rounding of a sentence's parts hides any slip of `m` against their arithmetic
/// `e`: `m` is approximate, or written more precisely than its coarsest part ("£14.604m for
/// the year, against a budget of £11.9m, a pressure of £2.7m"), and within the parts'
/// rounding of their sum. Digits finer than the parts cannot be checked against them.
pub fn rounding_hides(m: &Money, e: &Explanation) -> bool {
    let finer = m.significant_unit() < e.unit;
    !e.spread.is_zero()
        && (m.qualifier == Qualifier::Approximate || finer)
        && within_rounding(m, e.value, e.spread)
}

pub fn single(f: &Fact) -> Explanation {
    Explanation {
        value: f.value,
        unit: f.unit,
        text: f.shown(),
        rank: rank_of(f.kind),
        percentage: false,
        local: false,
        smallest: Decimal::MAX,
        kind: f.explanation_kind(),
        fact: None,
        sentence: false,
        about: f.words_of.clone(),
        at: f.at.clone(),
        adjusted: None,
        spread: Decimal::ZERO,
        family: 0,
    }
}

/// Adds (or, for two, subtracts) facts, showing the arithmetic largest first.
pub fn combine(parts: &[&Fact], sum: bool) -> Option<Explanation> {
    let mut sorted: Vec<&Fact> = parts.to_vec();
    sorted.sort_by_key(|f| std::cmp::Reverse(f.value));
    let value = if sum {
        sorted
            .iter()
            .try_fold(Decimal::ZERO, |acc, f| acc.checked_add(f.value))?
    } else {
        parts[0].value.checked_sub(parts[1].value)?
    };
    let shown: Vec<String> = if sum {
        sorted.iter().map(|f| format_exact(f.value)).collect()
    } else {
        parts.iter().map(|f| format_exact(f.value)).collect()
    };
    let op = if sum { " + " } else { " − " };
    Some(Explanation {
        value,
        unit: parts.iter().map(|f| f.unit).max()?,
        text: format!("{} = {}", shown.join(op), format_exact(value.normalize())),
        rank: 4 + parts.len() as u8,
        percentage: false,
        local: false,
        smallest: parts.iter().map(|f| f.value.abs()).min()?,
        kind: if sum {
            verdict::Kind::Sum
        } else {
            verdict::Kind::Difference
        },
        fact: None,
        sentence: false,
        about: parts
            .iter()
            .map(|f| f.words_of.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        at: sorted.first().and_then(|f| f.at.clone()),
        adjusted: None,
        spread: Decimal::ZERO,
        family: 0,
    })
}

/// Sums of two to four of the other amounts in a sentence ("£1.9m for … and £0.5m for …,
/// £2.4m in all"), and differences of two ("falls by £1, from £5.50 to £4.50").
fn sentence_arithmetic(sentence: &[Fact]) -> Vec<Explanation> {
    let n = sentence.len().min(6);
    let mut out = Vec::new();
    for mask in 1u32..(1 << n) {
        let count = mask.count_ones() as usize;
        if !(2..=4).contains(&count) {
            continue;
        }
        let parts: Vec<&Fact> = (0..n)
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| &sentence[i])
            .collect();
        let spread = parts
            .iter()
            .try_fold(Decimal::ZERO, |a, f| a.checked_add(f.unit / Decimal::TWO))
            .unwrap_or_default();
        let from = out.len();
        out.extend(combine(&parts, true));
        if count == 2 {
            out.extend(combine(&parts, false));
            out.extend(combine(&[parts[1], parts[0]], false));
        }
        for e in &mut out[from..] {
            e.spread = spread;
        }
    }
    for e in &mut out {
        e.local = true;
        e.kind = verdict::Kind::OwnArithmetic;
    }
    out
}

/// The arithmetic an amount's own sentence and paragraph state: sums of its sentence's
/// amounts, and (for an amount of three significant digits or more) an amount of its sentence
/// plus or minus one said earlier in its paragraph.
fn local_arithmetic(m: &Money, cx: &Context) -> Vec<Explanation> {
    let mut out = sentence_arithmetic(&cx.sentence);
    if significant_digits(m) < POLICY.digit_edit_digits.value {
        return out;
    }
    let paragraph = paragraph_arithmetic(cx);
    // Only where chance among the paragraph's sums and differences would rarely make the
    // amount: `family` values, each as wide as twice the amount's last digit.
    let unlikely = Decimal::from(paragraph.len() as u64)
        .checked_mul(m.significant_unit())
        .and_then(|x| x.checked_mul(Decimal::TWO))
        .and_then(|x| x.checked_div(m.value.abs()))
        .is_some_and(|p| p <= POLICY.explain_by_chance.value);
    if unlikely {
        out.extend(paragraph);
    }
    out
}

/// How many values the local arithmetic of `cx` can make: the candidates a slip of it is
/// weighed among.
pub fn local_family(cx: &Context) -> usize {
    let n = cx.sentence.len().min(POLICY.sentence_amounts.value);
    let k = if cx.cue.sum || cx.cue.difference {
        n + cx.earlier.len()
    } else {
        n
    };
    (1usize << n) + 3 * k * cx.earlier.len()
}

/// "The reserve is forecast to be £14.54m at 31 March 2026. With the planned surplus of £1.0m
/// it would be £15.54m": an amount of its sentence plus or minus one said earlier in its
/// paragraph; and where its words speak of a sum or a difference ("the remaining £3.128m",
/// after "£14.628m … uses £11.5m of it"), any two amounts said earlier in the paragraph.
fn paragraph_arithmetic(cx: &Context) -> Vec<Explanation> {
    let mut out = Vec::new();
    let own = cx.sentence.iter().take(POLICY.sentence_amounts.value);
    let said: Vec<&Fact> = if cx.cue.sum || cx.cue.difference {
        own.chain(&cx.earlier).collect()
    } else {
        own.collect()
    };
    for (k, a) in said.iter().enumerate() {
        for (j, b) in cx.earlier.iter().enumerate() {
            // Each pair of earlier amounts once.
            if k >= cx.sentence.len().min(POLICY.sentence_amounts.value)
                && j <= k - cx.sentence.len().min(POLICY.sentence_amounts.value)
            {
                continue;
            }
            out.extend(combine(&[a, b], true));
            out.extend(combine(&[a, b], false));
            out.extend(combine(&[b, a], false));
        }
    }
    for e in &mut out {
        e.local = true;
        e.kind = verdict::Kind::OwnArithmetic;
    }
    out
}

/// How many sums of three or four a group of `k` facts makes (k choose 3, times (k + 1) / 4
/// for the fourths, plus one): the family a sum of a group is drawn from.
fn group_combinations(k: usize) -> usize {
    k * k.saturating_sub(1) * k.saturating_sub(2) / 6 * (k + 1) / 4 + 1
}

/// How often `count` values, each as wide as `unit`, drawn for each of `family` candidates,
/// would land on an amount of `size` by chance: `count × family × unit / |size|`.
fn chance_among(family: usize, count: usize, unit: Decimal, size: Decimal) -> Option<Decimal> {
    Decimal::from(count as u64)
        .checked_mul(Decimal::from(family as u64))?
        .checked_mul(unit)?
        .checked_div(size.abs())
}
