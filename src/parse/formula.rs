//! The small formula language of named figures: names, amounts, table cells, `+ - * /`, brackets.
//!
//! `young_carers_now + uplift`, `figure-1[Total current Spend] - £1.1m`,
//! `figure-1["A. Young Carers"][Costings] * 2`.

use rust_decimal::Decimal;

use crate::model::money::Money;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(Decimal),
    Figure(String),
    Cell {
        table: String,
        row: String,
        column: Option<String>,
    },
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(Decimal),
    Name(String),
    Cell {
        table: String,
        row: String,
        column: Option<String>,
    },
    Op(char),
    Open,
    Close,
}

/// Brackets deeper than this are refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err("the formula is empty".into());
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    let expr = parser.expr()?;
    if parser.pos < parser.tokens.len() {
        return Err(format!(
            "unexpected {} after the end of the formula",
            describe(&parser.tokens[parser.pos])
        ));
    }
    Ok(expr)
}

fn describe(t: &Token) -> String {
    match t {
        Token::Number(n) => format!("number `{n}`"),
        Token::Name(n) => format!("name `{n}`"),
        Token::Cell { table, row, .. } => format!("cell `{table}[{row}]`"),
        Token::Op(c) => format!("`{c}`"),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
    }
}

/// The tokens of a formula: operators, brackets, amounts, names and cells.
fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '+' | '-' | '*' | '/' | '−' | '×' => {
                let op = match c {
                    '−' => '-',
                    '×' => '*',
                    other => other,
                };
                tokens.push(Token::Op(op));
                i += 1;
            }
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '£' | '0'..='9' => {
                let (token, next) = amount(&chars, i)?;
                tokens.push(token);
                i = next;
            }
            c if c.is_alphabetic() || c == '_' => {
                let (token, next) = name_or_cell(&chars, i)?;
                tokens.push(token);
                i = next;
            }
            other => return Err(format!("unexpected character `{other}`")),
        }
    }
    Ok(tokens)
}

/// Reads an amount ("£1.2m", "250,000") starting at `start`; returns it and the next index.
fn amount(chars: &[char], start: usize) -> Result<(Token, usize), String> {
    let mut i = start + 1;
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',' || chars[i] == '.') {
        i += 1;
    }
    // A suffix (k, m, bn) belongs to the amount only when a word ends there.
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_alphabetic() {
        j += 1;
    }
    let suffix: String = chars[i..j].iter().collect::<String>().to_ascii_lowercase();
    if ["k", "m", "bn", "million", "thousand", "billion"].contains(&suffix.as_str()) {
        i = j;
    }
    let written: String = chars[start..i].iter().collect();
    let with_pound = if written.starts_with('£') {
        written.clone()
    } else {
        format!("£{written}")
    };
    let money = Money::parse(&with_pound).map_err(|e| format!("`{written}`: {e}"))?;
    Ok((Token::Number(money.value), i))
}

/// Reads a figure's name, or a cell (`table[row]`, `table[row][column]`), starting at `start`;
/// returns it and the next index.
fn name_or_cell(chars: &[char], start: usize) -> Result<(Token, usize), String> {
    let mut i = start;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    // `figure-1[…]` is a table id: a hyphenated word straight before `[`.
    let mut j = i;
    while j < chars.len()
        && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '-' || chars[j] == '.')
    {
        j += 1;
    }
    if j < chars.len() && chars[j] == '[' {
        i = j;
    }
    let name: String = chars[start..i].iter().collect();
    if i >= chars.len() || chars[i] != '[' {
        return Ok((Token::Name(name), i));
    }
    let (row, next) = bracketed(chars, i)?;
    i = next;
    let mut column = None;
    if i < chars.len() && chars[i] == '[' {
        let (col, next) = bracketed(chars, i)?;
        column = Some(col);
        i = next;
    }
    let cell = Token::Cell {
        table: name,
        row,
        column,
    };
    Ok((cell, i))
}

/// Reads `[label]` or `["label"]` starting at the `[`; returns the label and the next index.
fn bracketed(chars: &[char], open: usize) -> Result<(String, usize), String> {
    let mut i = open + 1;
    let mut label = String::new();
    while i < chars.len() && chars[i] != ']' {
        label.push(chars[i]);
        i += 1;
    }
    if i >= chars.len() {
        return Err("a `[` is never closed".into());
    }
    let label = label
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .trim()
        .to_string();
    if label.is_empty() {
        return Err("`[]` needs a row label or column header".into());
    }
    Ok((label, i + 1))
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn expr(&mut self) -> Result<Expr, String> {
        let mut left = self.term()?;
        while let Some(Token::Op(c @ ('+' | '-'))) = self.peek() {
            let op = if *c == '+' { Op::Add } else { Op::Sub };
            self.pos += 1;
            let right = self.term()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, String> {
        let mut left = self.factor()?;
        while let Some(Token::Op(c @ ('*' | '/'))) = self.peek() {
            let op = if *c == '*' { Op::Mul } else { Op::Div };
            self.pos += 1;
            let right = self.factor()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("brackets nest deeper than {MAX_DEPTH}"));
        }
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        let result = match token {
            Some(Token::Number(n)) => Ok(Expr::Number(n)),
            Some(Token::Name(n)) => Ok(Expr::Figure(n)),
            Some(Token::Cell { table, row, column }) => Ok(Expr::Cell { table, row, column }),
            Some(Token::Op('-')) => Ok(Expr::Neg(Box::new(self.factor()?))),
            Some(Token::Open) => {
                let inner = self.expr()?;
                match self.peek() {
                    Some(Token::Close) => {
                        self.pos += 1;
                        Ok(inner)
                    }
                    _ => Err("a `(` is never closed".into()),
                }
            }
            Some(other) => Err(format!(
                "expected a name, an amount or `(`, found {}",
                describe(&other)
            )),
            None => Err("the formula ends where a name or amount was expected".into()),
        };
        self.depth -= 1;
        result
    }
}

/// Evaluates an expression, asking `lookup` for the value of each name and cell.
pub fn evaluate(
    expr: &Expr,
    lookup: &mut dyn FnMut(&Expr) -> Result<Decimal, String>,
) -> Result<Decimal, String> {
    match expr {
        Expr::Number(n) => Ok(*n),
        Expr::Figure(_) | Expr::Cell { .. } => lookup(expr),
        Expr::Neg(inner) => Ok(-evaluate(inner, lookup)?),
        Expr::Binary(op, a, b) => {
            let a = evaluate(a, lookup)?;
            let b = evaluate(b, lookup)?;
            let result = match op {
                Op::Add => a.checked_add(b),
                Op::Sub => a.checked_sub(b),
                Op::Mul => a.checked_mul(b),
                Op::Div if b.is_zero() => return Err("division by zero".into()),
                Op::Div => a.checked_div(b),
            };
            result.ok_or_else(|| "the result is too large".into())
        }
    }
}

/// The names of figures an expression uses, in order.
pub fn figure_names(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Figure(n) => out.push(n.clone()),
        Expr::Neg(e) => figure_names(e, out),
        Expr::Binary(_, a, b) => {
            figure_names(a, out);
            figure_names(b, out);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn eval(text: &str) -> Decimal {
        let expr = parse(text).unwrap();
        evaluate(&expr, &mut |e| match e {
            Expr::Figure(n) if n == "a" => Ok(Decimal::from(10)),
            Expr::Cell { table, row, .. } if table == "figure-1" && row == "Total" => {
                Ok(Decimal::from(5))
            }
            other => Err(format!("unknown {other:?}")),
        })
        .unwrap()
    }

    #[test]
    fn evaluates_names_amounts_and_cells() {
        assert_eq!(eval("a + £1.1m - 100k"), Decimal::from(1_000_010));
        assert_eq!(eval("figure-1[Total] * 2"), Decimal::from(10));
        assert_eq!(eval("figure-1[\"Total\"]-a"), Decimal::from(-5));
        assert_eq!(eval("(a - 4) / 4"), Decimal::from_str("1.5").unwrap());
        assert_eq!(eval("-a + 1,000.50"), Decimal::from_str("990.50").unwrap());
    }

    #[test]
    fn hyphen_is_minus_unless_a_bracket_follows() {
        assert_eq!(
            parse("a-b").unwrap(),
            Expr::Binary(
                Op::Sub,
                Box::new(Expr::Figure("a".into())),
                Box::new(Expr::Figure("b".into()))
            )
        );
    }

    #[test]
    fn refuses_bad_formulas() {
        for text in [
            "",
            "a +",
            "(a",
            "a b",
            "figure-1[",
            "£1,00",
            "$5",
            &"(".repeat(1000),
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
