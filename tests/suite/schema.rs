//! `clerk schema`: the schemas come from the same types clerk reads front matter into, so every
//! example paper validates, and what clerk refuses the schema refuses too.

use std::path::PathBuf;

fn schema(kind: &str) -> serde_json::Value {
    let (code, stdout, _) = crate::common::Clerk::new(&["schema", kind]).run();
    assert_eq!(code, 0);
    serde_json::from_str(&stdout).unwrap()
}

/// A file's front matter (or a whole YAML file) as JSON.
fn front_matter(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let yaml = if path.extension().is_some_and(|e| e == "md") {
        text.split("\n---")
            .next()
            .unwrap()
            .trim_start_matches("---")
            .to_string()
    } else {
        text
    };
    serde_saphyr::from_str::<serde_json::Value>(&yaml).unwrap()
}

#[test]
fn every_example_validates_against_its_schema() {
    let papers = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("papers");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&papers)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
    {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy();
        let kind = match name.as_ref() {
            "report.md" => "report",
            "decision.md" => "decision",
            "council.yaml" => "council",
            _ if path.parent().is_some_and(|p| p.ends_with("meetings")) => "meeting",
            _ => continue,
        };
        let validator = jsonschema::validator_for(&schema(kind)).unwrap();
        let value = front_matter(path);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} files checked");
}

#[test]
fn the_schema_refuses_what_clerk_refuses() {
    let validator = jsonschema::validator_for(&schema("report")).unwrap();
    let ok =
        serde_json::json!({"title": "T", "classification": "Unrestricted", "key_decision": false});
    assert!(validator.is_valid(&ok));
    for bad in [
        serde_json::json!({"titel": "T", "classification": "Unrestricted", "key_decision": false}),
        serde_json::json!({"title": "T", "classification": "Secret", "key_decision": false}),
        serde_json::json!({"title": "T", "classification": "Unrestricted"}),
        serde_json::json!({"title": "T", "classification": "Unrestricted", "key_decision": false, "spending": 1000000}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad} should not validate");
    }
}
