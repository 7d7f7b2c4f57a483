//! A council's template folder: the texts of the files that override a built-in template, by
//! name, and the files that override nothing. Render compiles the texts; it reads no file.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// What a template folder holds.
#[derive(Debug, Default)]
pub struct TemplateFolder {
    /// The text of each file that overrides a built-in template, by its path in the folder
    /// (`html/report.html`, `typst/paper.typ`).
    pub texts: BTreeMap<String, String>,
    /// Files that override nothing: an HTML, typst or CSS file at a path clerk does not read,
    /// which would otherwise be ignored without a word. Each comes with the path of the
    /// template of the same name, when there is one ("report.html" → "html/report.html").
    pub unused: Vec<(String, Option<String>)>,
}

/// Reads the overrides in `dir` of the templates at the paths `known` (each `/`-separated, as
/// in the folder), and lists the files there that override nothing. A folder that does not
/// exist overrides nothing.
pub fn templates(dir: &Path, known: &[String]) -> Result<TemplateFolder, String> {
    let mut texts = BTreeMap::new();
    for rel in known {
        let path = dir.join(rel);
        if path.is_file() {
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read template `{}`: {e}", path.display()))?;
            texts.insert(rel.clone(), text);
        }
    }
    Ok(TemplateFolder {
        texts,
        unused: unused(dir, known),
    })
}

/// The HTML, typst and CSS files in `dir` at none of the paths `known`.
fn unused(dir: &Path, known: &[String]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .max_depth(4)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let ext = entry.path().extension().and_then(|e| e.to_str());
        if !entry.file_type().is_file() || !matches!(ext, Some("html" | "typ" | "css")) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if known.contains(&rel) {
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let meant = known
            .iter()
            .find(|k| k.rsplit('/').next() == Some(name))
            .cloned();
        out.push((rel, meant));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::templates;

    #[test]
    fn reads_overrides_by_name_and_lists_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("html")).unwrap();
        std::fs::write(dir.path().join("html/base.html"), "mine").unwrap();
        std::fs::write(dir.path().join("report.html"), "misplaced").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a template").unwrap();
        let known = ["html/base.html".to_string(), "html/report.html".to_string()];
        let folder = templates(dir.path(), &known).unwrap();
        assert_eq!(folder.texts.len(), 1);
        assert_eq!(folder.texts["html/base.html"], "mine");
        assert_eq!(
            folder.unused,
            [(
                "report.html".to_string(),
                Some("html/report.html".to_string())
            )]
        );
        let none = templates(&dir.path().join("missing"), &known).unwrap();
        assert!(none.texts.is_empty() && none.unused.is_empty());
    }
}
