//! clerk's end-to-end tests, one binary (as mdBook has it): each module is one part of the
//! tool seen from outside (the binary, its output, its diagnostics), and `common` holds what
//! they share: the repository's root, copying a tree, and running clerk.
//!
//! `cargo test --test suite` runs them all; `cargo test --test suite serve::` one module.

mod browser;
mod build;
mod cases;
mod common;
mod engine;
mod everyday;
mod fuzz;
mod import;
mod import_fidelity;
mod import_limits;
mod layers;
mod layout;
mod new;
mod opendata;
mod pack;
mod properties;
mod publication;
mod real;
mod schema;
mod seeds;
mod serve;
mod setup;
mod tables;
mod templates;
mod unseen;
mod versions;
