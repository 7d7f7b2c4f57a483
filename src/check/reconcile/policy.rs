//! Every threshold and distance of the reconciliation engine, in one table: its value, why it
//! is that value, and the test that pins it. Change a value here and that test says what moves.

use rust_decimal::Decimal;

/// One setting: its value, the reason for it in a sentence, and the test that pins it.
pub struct Setting<T> {
    pub value: T,
    pub reason: &'static str,
    pub test: &'static str,
}

pub struct Policy {
    pub words_agree: Setting<u32>,
    pub slip_agree: Setting<u32>,
    pub bound_agree: Setting<u32>,
    pub bound_scale: Setting<u32>,
    pub clause_words: Setting<usize>,
    pub coarse_digits: Setting<usize>,
    pub chance_per_paper: Setting<Decimal>,
    pub explain_by_chance: Setting<Decimal>,
    pub value_evidence: Setting<Decimal>,
    pub explained_by_chance_per_paper: Setting<Decimal>,
    pub digit_edit_digits: Setting<usize>,
    pub scale_edit_digits: Setting<usize>,
    pub earlier_amounts: Setting<usize>,
    pub sentence_amounts: Setting<usize>,
    pub sentence_claims: Setting<usize>,
    pub group_size: Setting<usize>,
    pub pair_pool: Setting<usize>,
    pub large_count: Setting<u32>,
    pub named_facts: Setting<usize>,
    pub swapped_count_digits: Setting<usize>,
}

pub const POLICY: Policy = Policy {
    words_agree: Setting {
        value: 4,
        reason: "a subject and a label are said of the same quantity when they share one specific word of the amount's clause, two of its sentence, or the like in generic words (scored in quarters: clause 4, sentence 2, heading 1, a generic word half)",
        test: "subject::tests::words_agree_on_a_specific_word_of_the_clause",
    },
    slip_agree: Setting {
        value: 2,
        reason: "a different value is a slip (an error) of a fact only when the words single the fact out: two words that say what it is (or one that is half of a short label's, or half of a label of generic words, two at least); one shared word is common among a paper's many labels (Kent's treasury papers: 'investment' is in half of them), and a period or a generic word ('cost', 'total') alone names no fact",
        test: "subject::tests::one_shared_word_agrees_but_does_not_identify",
    },
    bound_agree: Setting {
        value: 2,
        reason: "a bound is checked against a fact only when its sentence names every specific word of the fact's label, two at least: a looser match turns a rule's threshold or an allowance into a false error",
        test: "engine::a_bound_is_checked_against_the_quantity_it_names",
    },
    bound_scale: Setting {
        value: 10,
        reason: "a bound is said of a quantity of about its own size (\"up to £7.2m\" of £7.3m, \"more than £5m\" of £3.9m): a fact ten times larger or smaller than the bound, that its words happen to name, is something else (a programme's total for a cap per household)",
        test: "statements::bounds::tests::a_bound_is_checked_only_against_a_quantity_of_its_size_and_unit",
    },
    clause_words: Setting {
        value: 6,
        reason: "an amount's clause is the six words either side of it, up to punctuation or a conjunction: about a noun phrase and its verb",
        test: "subject::tests::a_clause_stops_at_punctuation_and_conjunctions",
    },
    coarse_digits: Setting {
        value: 2,
        reason: "an amount of one or two significant digits (\"£1m\", \"£2.4m\") agrees with a wide band of values, so value alone explains it only as the one candidate or with words that agree",
        test: "engine::a_coarse_amount_is_explained_by_the_fact_its_words_name",
    },
    chance_per_paper: Setting {
        value: Decimal::from_parts(5, 0, 0, false, 2),
        reason: "the expected number of slips a paper's amounts would show by chance, resting on value alone, is kept below one in twenty",
        test: "engine::noise_gives_few_errors",
    },
    value_evidence: Setting {
        value: Decimal::from_parts(1, 0, 0, false, 1),
        reason: "a slip resting on value alone is an error, not a warning, where its chance is under a tenth of the budget (a paper would show one by chance less than once in two hundred): so precise an amount one edit from a figure is that figure",
        test: "engine::a_precise_amount_one_edit_from_a_figure_is_a_slip",
    },
    explained_by_chance_per_paper: Setting {
        value: Decimal::ONE,
        reason: "combinations explain a paper's amounts by chance less than once a paper on average: each amount's share of that, if smaller, bounds its combinations too, so a paper of a thousand amounts tries none that chance would make (and costs linear time)",
        test: "engine::many_facts_cost_linear_time",
    },
    explain_by_chance: Setting {
        value: Decimal::from_parts(1, 0, 0, false, 1),
        reason: "a combination of facts (a sum, a difference, a product) explains an amount only where a random amount of its precision would match one of the combinations less than one time in ten: more often, the match says nothing",
        test: "properties::every_figure_and_listed_combination_explains_itself",
    },
    digit_edit_digits: Setting {
        value: 3,
        reason: "one digit changed, added or dropped is named only in amounts of three significant digits or more: shorter ones are one such edit from almost anything",
        test: "slips::tests::agreement_and_short_amounts_are_not_slips",
    },
    scale_edit_digits: Setting {
        value: 2,
        reason: "a zero too many or too few, thousands for millions or a unit left off is named only in amounts of two significant digits or more",
        test: "slips::tests::names_each_kind_of_slip",
    },
    earlier_amounts: Setting {
        value: 8,
        reason: "an amount is read with at most the eight amounts before it in its paragraph, the sums and changes a paragraph builds on",
        test: "engine::an_amount_worked_out_from_its_paragraph_is_explained",
    },
    sentence_amounts: Setting {
        value: 6,
        reason: "a sentence's own arithmetic (sums of two to four of its amounts) is tried over at most six of the amounts nearest each one, so a sentence of any length costs time in proportion to its amounts",
        test: "engine::amounts_in_one_sentence_cost_linear_time",
    },
    sentence_claims: Setting {
        value: 24,
        reason: "a sentence with more amounts than this is a list, not a statement of arithmetic: its amounts are checked one by one against the facts",
        test: "engine::amounts_in_one_sentence_cost_linear_time",
    },
    group_size: Setting {
        value: 40,
        reason: "sums of three or four cells are drawn from a column (or the named figures) of at most forty: beyond, so many sums exist that one agreeing says nothing",
        test: "properties::every_figure_and_listed_combination_explains_itself",
    },
    pair_pool: Setting {
        value: 2_000,
        reason: "sums and differences of two facts are searched by value; past this many facts their number makes any agreement chance, so only the reach of the chance bound limits them",
        test: "engine::many_facts_cost_linear_time",
    },
    named_facts: Setting {
        value: 12,
        reason: "the facts an amount's words name are at most the twelve that agree best: words shared with more than that single nothing out",
        test: "engine::a_sum_of_the_facts_its_words_name_is_a_slip_when_one_edit_off",
    },
    large_count: Setting {
        value: 100,
        reason: "a count over a hundred multiplies only amounts of three significant digits or more, which can tell the product from chance",
        test: "engine::an_amount_worked_out_from_its_paragraph_is_explained",
    },
    swapped_count_digits: Setting {
        value: 3,
        reason: "two mentions of a count of one subject with two digits swapped are a slip only from three digits on (\"1,243\" and \"1,234\"), and never across different periods",
        test: "counts::tests::swapped_counts_of_one_subject_are_a_slip",
    },
};
