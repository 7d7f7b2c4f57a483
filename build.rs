//! Embeds the scenarios under tests/fixtures/cases/ (each folder's README.txt and expected.txt)
//! into clerk, so `clerk codes CODE` explains a code with a real example of it: the output the
//! scenario's test checks, as clerk prints it.

use std::path::Path;
use std::{env, fs};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let cases = Path::new(&root).join("tests/fixtures/cases");
    println!("cargo:rerun-if-changed=tests/fixtures/cases");
    let mut names: Vec<String> = fs::read_dir(&cases)
        .map(|dir| {
            dir.flatten()
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// Every scenario folder: its name, what it shows (README.txt) and what clerk prints\n/// for it (expected.txt).\npub(crate) const CASES: &[(&str, &str, &str)] = &[\n",
    );
    for name in names {
        let readme = cases.join(&name).join("README.txt");
        let expected = cases.join(&name).join("expected.txt");
        if readme.is_file() && expected.is_file() {
            out.push_str(&format!(
                "    ({name:?}, include_str!({:?}), include_str!({:?})),\n",
                readme.display().to_string(),
                expected.display().to_string()
            ));
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("cases.rs");
    fs::write(dest, out).expect("the embedded scenarios are written");
}
