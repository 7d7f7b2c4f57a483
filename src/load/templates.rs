//! A council's template folder: the texts of the files that override a built-in template, by
//! name, and the files that override nothing. Render compiles the texts; it reads no file.
//!
//! A template is read as a file of the folder, never through a link: whatever a template
//! holds is published (a stylesheet in every page, a typst module in every PDF), so a template
//! that is a symbolic link, or sits in a folder that is one, would publish a file of the
//! machine that builds the site. Such an override is refused, and so is one that is not a
//! plain file, has other hard links, or is larger than a paper may be.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Component, Path};

use super::MAX_FILE_BYTES;

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
/// exist overrides nothing. An override that is a link, or is reached through one (the folder
/// itself included), or is not a plain file of its own, is refused with its path.
pub fn templates(dir: &Path, known: &[String]) -> Result<TemplateFolder, String> {
    let mut texts = BTreeMap::new();
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refusal(dir, "is a symbolic link"));
    }
    for rel in known {
        if let Some(text) = read_override(dir, rel)? {
            texts.insert(rel.clone(), text);
        }
    }
    Ok(TemplateFolder {
        texts,
        unused: unused(dir, known),
    })
}

/// The message for a template refused: its path, what is wrong, and what to do.
fn refusal(path: &Path, what: &str) -> String {
    format!(
        "the template `{}` {what}: clerk reads a template only as a plain file inside the template folder, never through a link, so a template cannot publish a file from elsewhere on this machine; copy the file into the folder instead",
        path.display()
    )
}

/// The text of the override at `rel` in `dir`, if there is one. Every step of its path is
/// looked at without following links; the file is then opened and checked to be the one
/// looked at, so a link put in its place meanwhile is not read either.
fn read_override(dir: &Path, rel: &str) -> Result<Option<String>, String> {
    let mut path = dir.to_path_buf();
    let parts: Vec<Component> = Path::new(rel).components().collect();
    for (i, part) in parts.iter().enumerate() {
        let Component::Normal(name) = part else {
            return Err(refusal(
                &dir.join(rel),
                "reaches outside the template folder",
            ));
        };
        path.push(name);
        let Ok(meta) = fs::symlink_metadata(&path) else {
            return Ok(None);
        };
        if meta.file_type().is_symlink() {
            return Err(refusal(&path, "is a symbolic link"));
        }
        let last = i + 1 == parts.len();
        if !last && !meta.is_dir() {
            return Ok(None);
        }
        if last {
            return read_plain_file(&path, &meta).map(Some);
        }
    }
    Ok(None)
}

/// Reads a template file that `looked` (its metadata, links not followed) says is a plain
/// file: refused when it is anything else, has other hard links, changed since it was looked
/// at, or holds more than a paper may.
fn read_plain_file(path: &Path, looked: &fs::Metadata) -> Result<String, String> {
    if !looked.is_file() {
        return Err(refusal(path, "is not a plain file"));
    }
    if links(looked) > 1 {
        return Err(refusal(
            path,
            "has other hard links (it is also a file elsewhere)",
        ));
    }
    let file = fs::File::open(path)
        .map_err(|e| format!("cannot read template `{}`: {e}", path.display()))?;
    let opened = file
        .metadata()
        .map_err(|e| format!("cannot read template `{}`: {e}", path.display()))?;
    if !same_file(looked, &opened) {
        return Err(refusal(path, "changed while it was read"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read template `{}`: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the template `{}` is larger than {} MiB, more than clerk reads",
            path.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| format!("the template `{}` is not UTF-8 text", path.display()))
}

#[cfg(unix)]
fn links(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &fs::Metadata) -> u64 {
    1
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino() && b.is_file()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, b: &fs::Metadata) -> bool {
    b.is_file()
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

    /// A link anywhere on an override's path, the folder itself included, is refused with the
    /// path that is a link; nothing of its target is read. So is a file with other hard links,
    /// and a path that is not a plain file.
    #[cfg(unix)]
    #[test]
    fn an_override_through_a_link_is_refused_naming_it() {
        use std::os::unix::fs::symlink;
        let secret = tempfile::tempdir().unwrap();
        let target = secret.path().join("secret.txt");
        std::fs::write(&target, "root:x:0:0 the build machine's secret").unwrap();
        std::fs::create_dir(secret.path().join("assets")).unwrap();
        std::fs::write(secret.path().join("assets/clerk.css"), "secret css").unwrap();
        let known = [
            "html/base.html".to_string(),
            "html/assets/clerk.css".to_string(),
        ];
        let refused = |setup: &dyn Fn(&std::path::Path), named: &str| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join("html")).unwrap();
            setup(dir.path());
            let e = templates(dir.path(), &known).unwrap_err();
            assert!(e.contains(named), "{named}: {e}");
            assert!(!e.contains("secret css") && !e.contains("root:x"), "{e}");
        };
        refused(
            &|d| symlink(&target, d.join("html/base.html")).unwrap(),
            "html/base.html` is a symbolic link",
        );
        refused(
            &|d| symlink(secret.path().join("assets"), d.join("html/assets")).unwrap(),
            "html/assets` is a symbolic link",
        );
        refused(
            &|d| std::fs::hard_link(&target, d.join("html/base.html")).unwrap(),
            "has other hard links",
        );
        refused(
            &|d| std::fs::create_dir(d.join("html/base.html")).unwrap(),
            "is not a plain file",
        );
        // The folder itself.
        let link = tempfile::tempdir().unwrap();
        symlink(secret.path(), link.path().join("templates")).unwrap();
        let e = templates(&link.path().join("templates"), &known).unwrap_err();
        assert!(e.contains("is a symbolic link"), "{e}");
    }

    #[test]
    fn an_oversized_template_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("html")).unwrap();
        let big = vec![b'a'; super::MAX_FILE_BYTES as usize + 1];
        std::fs::write(dir.path().join("html/base.html"), big).unwrap();
        let e = templates(dir.path(), &["html/base.html".to_string()]).unwrap_err();
        assert!(e.contains("larger than"), "{e}");
    }
}
