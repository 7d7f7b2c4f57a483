//! Write: the only place clerk puts files on disk. Every file goes inside the output folder,
//! atomically (a temporary file in the same folder, then a rename), never through a symlink.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::sync::Mutex;

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// The folder that marks an output folder as clerk's (its cache lives there too).
pub const MARKER: &str = ".clerk";
const MARKER_TEXT: &str = "This folder was made by clerk. `clerk build` removes from it every file it did not write,\nso keep nothing else here.\n";

/// Where `path` really is: absolute, with `.` and `..` and any links in the part that exists
/// resolved, so two spellings of one folder compare equal.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(p) => out.push(p),
                    _ => {}
                }
            }
            return out;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Whether `inner` is `outer` or lies inside it, however either is spelt.
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    resolved(inner).starts_with(resolved(outer))
}

/// The output folder.
#[derive(Debug)]
pub struct Output {
    root: PathBuf,
    /// Folders this run has already checked or made, so each is looked at once.
    prepared: Mutex<HashSet<PathBuf>>,
}

fn refuse(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

impl Output {
    /// Opens (creating) the output folder. A symlink there is refused: it could point anywhere.
    pub fn create(root: &Path) -> io::Result<Output> {
        if fs::symlink_metadata(root).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse(format!(
                "`{}` is a symbolic link; clerk writes only into a real folder",
                root.display()
            )));
        }
        fs::create_dir_all(root)?;
        Ok(Output {
            root: root.to_path_buf(),
            prepared: Mutex::new(HashSet::new()),
        })
    }

    /// Opens (creating) an output folder that clerk owns: one it made (it holds `.clerk/`), an
    /// empty one, or a new one. A build removes from it whatever it did not write, so a folder
    /// holding anyone else's files is refused rather than emptied.
    pub fn create_owned(root: &Path) -> io::Result<Output> {
        let marker = root.join(MARKER);
        if fs::symlink_metadata(&marker).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(refuse(format!(
                "`{}` is a symbolic link; clerk will not write through it",
                marker.display()
            )));
        }
        let has_files = fs::read_dir(root).is_ok_and(|mut d| d.next().is_some());
        if has_files && !fs::symlink_metadata(&marker).is_ok_and(|m| m.is_dir()) {
            return Err(refuse(format!(
                "`{}` holds files clerk did not make; clerk's output folder must be new, empty or one clerk made, because a build removes what it did not write",
                root.display()
            )));
        }
        let out = Output::create(root)?;
        out.write(&format!("{MARKER}/README"), MARKER_TEXT.as_bytes())?;
        Ok(out)
    }

    /// Removes every file under the output folder that is not in `keep` (paths relative to the
    /// folder, `/`-separated), then the folders left empty. Links are removed, never followed.
    /// Returns what was removed, sorted.
    pub fn remove_all_but(&self, keep: &BTreeSet<String>) -> io::Result<Vec<String>> {
        let mut removed = Vec::new();
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&self.root)
            .follow_links(false)
            .min_depth(1)
            .contents_first(true)
        {
            let entry = entry.map_err(io::Error::other)?;
            let rel = entry
                .path()
                .strip_prefix(&self.root)
                .map_err(|_| refuse("outside the output folder".into()))?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let rel = rel.join("/");
            if entry.file_type().is_dir() {
                dirs.push(entry.into_path());
            } else if !keep.contains(&rel)
                && rel != format!("{MARKER}/README")
                && rel != format!("{MARKER}/lock")
            {
                fs::remove_file(entry.path())?;
                removed.push(rel);
            }
        }
        // contents_first: every folder comes after what it holds, so emptied ones go in turn.
        for dir in dirs {
            if dir != self.root.join(MARKER)
                && fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_none())
            {
                fs::remove_dir(&dir)?;
            }
        }
        removed.sort();
        Ok(removed)
    }

    /// Holds the output folder for one run: a second build or pack into the same folder is
    /// refused while this one works. The operating system lets go of the lock when the process
    /// ends, however it ends, so a crashed build never leaves the folder locked.
    pub fn lock(&self) -> io::Result<fs::File> {
        let path = self.path(&format!("{MARKER}/lock"))?;
        self.prepare_parent(&path)?;
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "another clerk is writing to `{}`; wait for it to finish, or choose another --out",
                    self.root.display()
                ),
            )),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }

    /// A working folder inside the output (typst's staging), made through real folders only:
    /// a link anywhere on the way is refused, so nothing is written or later removed elsewhere.
    pub fn work_dir(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.path(rel)?;
        self.prepare_parent(&path.join("x"))?;
        Ok(path)
    }

    /// Removes a working folder made by `work_dir`, refusing if a link has appeared on its way.
    pub fn remove_work_dir(&self, rel: &str) -> io::Result<()> {
        let path = self.path(rel)?;
        let mut dir = self.root.clone();
        for part in Path::new(rel).components() {
            dir.push(part);
            if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(refuse(format!(
                    "`{}` is a symbolic link; clerk will not remove through it",
                    dir.display()
                )));
            }
        }
        match fs::remove_dir_all(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of `rel` inside the output folder, refusing anything that would leave it.
    pub fn path(&self, rel: &str) -> io::Result<PathBuf> {
        let rel_path = Path::new(rel);
        if rel.is_empty() || rel_path.is_absolute() {
            return Err(refuse(format!(
                "`{rel}` is not a path inside the output folder"
            )));
        }
        let mut path = self.root.clone();
        for component in rel_path.components() {
            match component {
                Component::Normal(part) => {
                    path.push(part);
                }
                _ => return Err(refuse(format!("`{rel}` would leave the output folder"))),
            }
        }
        Ok(path)
    }

    /// Creates the folders above `path`, refusing to pass through a symlink.
    fn prepare_parent(&self, path: &Path) -> io::Result<()> {
        let parent = path.parent().unwrap_or(&self.root);
        if self.prepared.lock().is_ok_and(|p| p.contains(parent)) {
            return Ok(());
        }
        let rel = parent
            .strip_prefix(&self.root)
            .map_err(|_| refuse("outside the output folder".into()))?;
        let mut dir = self.root.clone();
        for part in rel.components() {
            dir.push(part);
            match fs::symlink_metadata(&dir) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refuse(format!(
                        "`{}` is a symbolic link; clerk will not write through it",
                        dir.display()
                    )))
                }
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(refuse(format!(
                        "`{}` is a file where a folder should be",
                        dir.display()
                    )))
                }
                Err(_) => match fs::create_dir(&dir) {
                    Ok(()) => {}
                    // Another task made it a moment ago.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                    Err(e) => return Err(e),
                },
            }
        }
        if let Ok(mut p) = self.prepared.lock() {
            p.insert(parent.to_path_buf());
        }
        Ok(())
    }

    /// Writes `bytes` to `rel` atomically. An identical file is left untouched.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path(rel)?;
        self.prepare_parent(&path)?;
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refuse(format!(
                    "`{}` is a symbolic link; clerk will not write through it",
                    path.display()
                )))
            }
            // An identical file is left alone (its timestamp too).
            Ok(m)
                if m.is_file()
                    && m.len() == bytes.len() as u64
                    && fs::read(&path).is_ok_and(|old| old == bytes) =>
            {
                return Ok(());
            }
            _ => {}
        }
        let parent = path.parent().unwrap_or(&self.root);
        let mut builder = tempfile::Builder::new();
        builder.prefix(".clerk-").suffix(".tmp");
        // Readable as the umask says (0644 under 022), like any file written the ordinary way:
        // a web server or a colleague must be able to read what clerk publishes.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder.tempfile_in(parent)?;
        temp.write_all(bytes)?;
        // The rename is what makes the write atomic for readers. No fsync: generated output
        // can be built again, and a sync per file would cost more than rendering it.
        temp.persist(&path).map_err(|e| e.error)?;

        Ok(())
    }
}

/// A fresh folder under `parent` holding the files another program is handed (typst's
/// `--root`), removed when dropped. Files are written in, never linked: the program must find
/// nothing else there.
pub struct Staged(tempfile::TempDir);

impl Staged {
    pub fn new(parent: &Path, files: &[(&str, &[u8])]) -> io::Result<Staged> {
        fs::create_dir_all(parent)?;
        let dir = tempfile::Builder::new()
            .prefix("typst-")
            .tempdir_in(parent)?;
        for (name, bytes) in files {
            fs::write(dir.path().join(name), bytes)?;
        }
        Ok(Staged(dir))
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes `name` afresh: the next document's data over the last one's.
    pub fn put(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        fs::write(self.0.path().join(name), bytes)
    }

    /// Writes `rel` (a `/`-separated path inside the folder), making its folders: a page of a
    /// site staged for a tool that reads a tree.
    pub fn put_at(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let mut path = self.0.path().to_path_buf();
        for part in Path::new(rel).components() {
            match part {
                Component::Normal(p) => path.push(p),
                _ => return Err(refuse(format!("`{rel}` would leave the staging folder"))),
            }
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)
    }

    /// Every file the program wrote under the folder's `sub`, by its `/`-separated path inside
    /// `sub`, sorted; links are not followed.
    pub fn take_tree(&self, sub: &str) -> io::Result<Vec<(String, Vec<u8>)>> {
        let root = self.0.path().join(sub);
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&root)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(&root)
                .map_err(|_| refuse("outside the staging folder".into()))?;
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push((rel.join("/"), fs::read(entry.path())?));
        }
        Ok(files)
    }

    /// What the program wrote into the folder as `name`, removed once read, so the folder
    /// never holds one document's output when the next is made.
    pub fn take(&self, name: &str) -> io::Result<Vec<u8>> {
        let path = self.0.path().join(name);
        let bytes = fs::read(&path);
        let _ = fs::remove_file(&path);
        bytes
    }
}

/// Writes a new file atomically and never over an existing one (or through a link): `clerk
/// import` must not replace a paper someone has edited. Makes the file's folder if needed.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if fs::symlink_metadata(parent).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(refuse(format!(
            "`{}` is a symbolic link; clerk will not write through it",
            parent.display()
        )));
    }
    fs::create_dir_all(parent)?;
    if fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "`{}` already exists; clerk import never overwrites",
                path.display()
            ),
        ));
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".clerk-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(parent)?;
    temp.write_all(bytes)?;
    // A hard link then unlink: fails, leaving nothing, if the file appeared meanwhile.
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "`{}` already exists; clerk import never overwrites",
                    path.display()
                ),
            )
        } else {
            e.error
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::create(&dir.path().join("out")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(out.write(bad, b"x").is_err(), "{bad}");
        }
        out.write("a/b/c.html", b"ok").unwrap();
        assert_eq!(fs::read(dir.path().join("out/a/b/c.html")).unwrap(), b"ok");
    }

    #[test]
    fn one_run_at_a_time_holds_an_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = Output::create_owned(&dir.path().join("out")).unwrap();
        let held = out.lock().unwrap();
        let second = Output::create_owned(&dir.path().join("out")).unwrap();
        let refused = second.lock().unwrap_err();
        assert!(refused.to_string().contains("another clerk"), "{refused}");
        drop(held);
        assert!(second.lock().is_ok(), "free again once the first lets go");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_as_readable_as_the_umask_allows() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = Output::create(&dir.path().join("out")).unwrap();
        out.write("page.html", b"x").unwrap();
        let mode = fs::metadata(dir.path().join("out/page.html"))
            .unwrap()
            .permissions()
            .mode();
        // Whatever the umask, the group and others get what it leaves, not nothing.
        let probe = dir.path().join("probe");
        fs::write(&probe, b"x").unwrap();
        let ordinary = fs::metadata(&probe).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, ordinary & 0o777);
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        fs::create_dir(&outside).unwrap();
        let out = Output::create(&dir.path().join("out")).unwrap();
        std::os::unix::fs::symlink(&outside, dir.path().join("out/link")).unwrap();
        assert!(out.write("link/x.html", b"x").is_err());
        std::os::unix::fs::symlink(outside.join("f"), dir.path().join("out/f.html")).unwrap();
        assert!(out.write("f.html", b"x").is_err());
        assert!(
            fs::read_dir(&outside).unwrap().next().is_none(),
            "nothing written outside"
        );
    }
}
