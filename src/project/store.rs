//! The one place that reads and writes project files: JSON with positions in errors,
//! unknown keys and key order preserved, the project lock, the guard that keeps
//! every delete, move, copy and write under amplify/ inside it, and writes staged
//! as one transaction per command (see `txn`).

use std::fs::{self, File, OpenOptions};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::txn::{self, Faults, Recovery, Staged, TxnError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is not valid JSON (line {line}, column {column}): {reason}\nFix the file by hand or restore it from version control, then run the command again."
    )]
    Malformed {
        path: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error(
        "{path} has an unexpected shape at `{at}`: {reason}\nFix that key by hand or restore the file from version control, then run the command again."
    )]
    Shape {
        path: String,
        at: String,
        reason: String,
    },
    #[error("Could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error(
        "Another authwiz command is running on this project (lock: {path}).\nWait for it to finish and run the command again."
    )]
    Locked { path: String },
    #[error(
        "Refused to {action} {path}: {reason}. authwiz deletes, moves and writes project files only inside the project's amplify/ folder.\nCheck the project files for a name with '..' or '/' (or remove the symbolic link), then run the command again."
    )]
    Outside {
        action: &'static str,
        path: String,
        reason: &'static str,
    },
    #[error(transparent)]
    Txn(#[from] TxnError),
}

/// How a file is laid out when written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `JSON.stringify(v, null, 2)`: keys in their existing order, new keys appended.
    Ordered,
    /// Keys sorted at every depth, as Amplify writes backend-config.json.
    Sorted,
}

/// A parsed file: the typed model plus the document it came from, so that a
/// rewrite keeps the key order of the original.
#[derive(Clone, Debug)]
pub struct Doc<T> {
    pub rel: PathBuf,
    pub value: T,
    original: Option<Value>,
    /// The file began with a UTF-8 byte-order mark (editors on Windows write one);
    /// a rewrite keeps it.
    bom: bool,
}

impl<T> Doc<T> {
    pub fn new(rel: impl Into<PathBuf>, value: T) -> Self {
        Doc {
            rel: rel.into(),
            value,
            original: None,
            bom: false,
        }
    }
}

const BOM: &str = "\u{FEFF}";

/// A project folder. Writes, removals, copies and moves are staged (in memory)
/// and happen together at [`Store::commit`]; reads see the files on disk, so a
/// command reads everything before it stages. Clones share what is staged.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
    staged: Arc<Mutex<Vec<Staged>>>,
    faults: Arc<Faults>,
    /// The user's home folder, where a transaction may replace the deployment
    /// secrets (`~/.aws/amplify/deployment-secrets.json`).
    home: Option<PathBuf>,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store {
            root: root.into(),
            staged: Default::default(),
            faults: Default::default(),
            home: None,
        }
    }

    /// The home folder a commit writes the deployment secrets under.
    pub fn with_home(mut self, home: Option<PathBuf>) -> Self {
        self.home = home;
        self
    }

    /// Stages the user's deployment secrets (`~/.aws/amplify/...`), replaced
    /// in the same transaction as the project's files.
    pub fn write_secrets<T: Serialize>(&self, doc: &Doc<T>) -> Result<(), StoreError> {
        self.stage(Staged::Secrets {
            bytes: doc_bytes(doc, Layout::Ordered)?,
        });
        Ok(())
    }

    /// Arms the test-only fault hook (`AUTHWIZ_FAULT_AT`, docs/testing.md).
    pub fn with_fault_hook(mut self, value: Option<&str>) -> Self {
        self.faults = Arc::new(Faults::parse(value));
        self
    }

    fn stage(&self, change: Staged) {
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(change);
    }

    fn take_staged(&self) -> Vec<Staged> {
        std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Writes everything staged as one transaction (`command` names it in the
    /// message of a later recovery).
    pub fn commit(&self, command: &str) -> Result<(), StoreError> {
        Ok(txn::commit(
            &self.root,
            command,
            self.take_staged(),
            &self.faults,
            self.home.as_deref(),
        )?)
    }

    /// `init`'s commit: the staged files make a new project (no `amplify/` yet).
    pub fn commit_new_project(&self, command: &str) -> Result<(), StoreError> {
        Ok(txn::commit_new_project(
            &self.root,
            command,
            self.take_staged(),
            &self.faults,
        )?)
    }

    /// Whether an interrupted command may have left a transaction to finish.
    pub fn needs_recovery(&self) -> bool {
        txn::pending(&self.root)
    }

    /// Finishes or discards an interrupted command's transaction; needs the lock.
    pub fn recover(&self, _lock: &ProjectLock) -> Result<Option<Recovery>, StoreError> {
        Ok(txn::recover(
            &self.root,
            &self.faults,
            self.home.as_deref(),
        )?)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.root.join(rel)
    }

    pub fn exists(&self, rel: impl AsRef<Path>) -> bool {
        self.path(rel).exists()
    }

    /// `rel` with `.` and `..` resolved (what a transaction records), refused when
    /// it leads out of the project or is absolute.
    fn resolved(&self, action: &'static str, rel: &Path) -> Result<PathBuf, StoreError> {
        let refuse = |reason| StoreError::Outside {
            action,
            path: display(rel),
            reason,
        };
        let mut parts = Vec::new();
        for c in rel.components() {
            match c {
                Component::Normal(p) => parts.push(p),
                Component::CurDir => {}
                Component::ParentDir => {
                    parts
                        .pop()
                        .ok_or_else(|| refuse("it leads out of the project"))?;
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(refuse("it is an absolute path"));
                }
            }
        }
        Ok(parts.iter().collect())
    }

    /// `rel`, resolved, if it lies inside `amplify/` with no symbolic link on the
    /// way (amplify/ itself included): the only place authwiz deletes, moves or
    /// copies.
    fn inside_amplify(&self, action: &'static str, rel: &Path) -> Result<PathBuf, StoreError> {
        let refuse = |reason| StoreError::Outside {
            action,
            path: display(rel),
            reason,
        };
        let resolved = self.resolved(action, rel)?;
        let mut parts = resolved.components();
        if parts.next() != Some(Component::Normal(super::AMPLIFY_DIR.as_ref()))
            || parts.next().is_none()
        {
            return Err(refuse("it is not inside amplify/"));
        }
        let mut path = self.root.clone();
        for part in resolved.components() {
            path.push(part);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(refuse("a symbolic link is on the way"));
                }
                Ok(_) => {}
                // Nothing exists beyond a missing folder.
                Err(_) => break,
            }
        }
        Ok(resolved)
    }

    /// Writes under amplify/ get the same check; other files (the client
    /// configuration in the source folder, amplify_outputs.json) are where the
    /// project says, inside it.
    fn writable(&self, rel: &Path) -> Result<PathBuf, StoreError> {
        let resolved = self.resolved("write", rel)?;
        match resolved.components().next() {
            Some(Component::Normal(first)) if first == super::AMPLIFY_DIR => {
                self.inside_amplify("write", &resolved)
            }
            _ => Ok(resolved),
        }
    }

    /// Reads a JSON file into its model; `None` when the file does not exist.
    pub fn read<T: DeserializeOwned>(
        &self,
        rel: impl AsRef<Path>,
    ) -> Result<Option<Doc<T>>, StoreError> {
        let rel = rel.as_ref();
        let text = match fs::read_to_string(self.path(rel)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err("read", rel, e)),
        };
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let original: Value = serde_json::from_str(text).map_err(|e| StoreError::Malformed {
            path: display(rel),
            line: e.line(),
            column: e.column(),
            reason: strip_position(&e.to_string()),
        })?;
        let value = serde_path_to_error::deserialize(&original).map_err(|e| {
            let (at, reason) = shape_error(e.path().to_string(), e.into_inner().to_string());
            StoreError::Shape {
                path: display(rel),
                at,
                reason,
            }
        })?;
        Ok(Some(Doc {
            rel: rel.to_path_buf(),
            value,
            original: Some(original),
            bom,
        }))
    }

    /// Stages the document, keeping the original key order.
    pub fn write<T: Serialize>(&self, doc: &Doc<T>, layout: Layout) -> Result<(), StoreError> {
        self.write_bytes(&doc.rel, &doc_bytes(doc, layout)?)
    }

    /// Stages `JSON.stringify(v, null, 2)` (no trailing newline).
    pub fn write_value(&self, rel: impl AsRef<Path>, value: &Value) -> Result<(), StoreError> {
        self.write_bytes(rel, json_text(value).as_bytes())
    }

    /// Stages a file. At commit it is written new (0600 when it holds a secret,
    /// else with the user's umask), fsynced, and renamed over the target.
    pub fn write_bytes(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<(), StoreError> {
        let to = self.writable(rel.as_ref())?;
        self.stage(Staged::Write {
            to,
            bytes: bytes.to_vec(),
        });
        Ok(())
    }

    /// Writes one file now, atomically, outside the command's transaction: for a
    /// record that must exist before a cloud call (push's journal).
    pub fn write_now<T: Serialize>(&self, doc: &Doc<T>, layout: Layout) -> Result<(), StoreError> {
        Ok(txn::write_now(
            &self.root,
            &self.writable(&doc.rel)?,
            &doc_bytes(doc, layout)?,
            &self.faults,
        )?)
    }

    /// Writes a file of private data (0600) now, outside the command's
    /// transaction, as `fill` produces it (a backup, written page by page);
    /// atomically: an unfinished one replaces nothing.
    pub fn write_private_now(
        &self,
        rel: impl AsRef<Path>,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), StoreError> {
        Ok(txn::write_private_now(
            &self.root,
            &self.writable(rel.as_ref())?,
            &self.faults,
            fill,
        )?)
    }

    /// Removes one file now, outside the command's transaction.
    pub fn remove_file_now(&self, rel: impl AsRef<Path>) -> Result<(), StoreError> {
        let rel = self.inside_amplify("remove", rel.as_ref())?;
        Ok(txn::remove_now(&self.root, &rel, &self.faults)?)
    }

    pub fn read_text(&self, rel: impl AsRef<Path>) -> Result<Option<String>, StoreError> {
        let rel = rel.as_ref();
        match fs::read_to_string(self.path(rel)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("read", rel, e)),
        }
    }

    /// Every file under the folder `rel` (recursively; none when it is
    /// missing) as (path relative to `rel` with `/`, bytes), sorted by path.
    /// A symbolic link is refused: what it points at is not the project's.
    pub fn files_under(&self, rel: impl AsRef<Path>) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let rel = rel.as_ref();
        let mut out = Vec::new();
        let mut dirs = vec![self.path(rel)];
        let base = self.path(rel);
        while let Some(dir) = dirs.pop() {
            let entries = match fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io_err("read", rel, e)),
            };
            for entry in entries {
                let entry = entry.map_err(|e| io_err("read", rel, e))?;
                let path = entry.path();
                let kind = entry.file_type().map_err(|e| io_err("read", &path, e))?;
                if kind.is_symlink() {
                    return Err(io_err(
                        "read",
                        &path,
                        std::io::Error::other("a symbolic link; copy the file in its place"),
                    ));
                }
                if kind.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let bytes = fs::read(&path).map_err(|e| io_err("read", &path, e))?;
                let name = path
                    .strip_prefix(&base)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((name, bytes));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Stages the removal of a file (a missing one is fine).
    pub fn remove_file(&self, rel: impl AsRef<Path>) -> Result<(), StoreError> {
        self.remove_dir(rel)
    }

    /// Stages the removal of a folder tree (a missing one is fine).
    pub fn remove_dir(&self, rel: impl AsRef<Path>) -> Result<(), StoreError> {
        let path = self.inside_amplify("remove", rel.as_ref())?;
        self.stage(Staged::Remove { path });
        Ok(())
    }

    /// Stages renaming a folder inside amplify/ (replacing the destination);
    /// nothing happens when `from` does not exist at that step.
    pub fn move_dir(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), StoreError> {
        self.stage(Staged::Move {
            from: self.inside_amplify("move", from.as_ref())?,
            to: self.inside_amplify("move", to.as_ref())?,
        });
        Ok(())
    }

    /// Stages replacing `to` with a copy of the folder `from` (as it is on disk
    /// at commit; a symbolic link in it stops the commit), both inside amplify/.
    pub fn copy_dir(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), StoreError> {
        self.stage(Staged::Copy {
            from: self.inside_amplify("copy", from.as_ref())?,
            to: self.inside_amplify("copy", to.as_ref())?,
        });
        Ok(())
    }

    /// Takes the project lock; it is released when the guard drops.
    pub fn lock(&self, rel: impl AsRef<Path>) -> Result<ProjectLock, StoreError> {
        let rel = rel.as_ref();
        let path = self.path(self.writable(rel)?);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err("create the folder for", rel, e))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_err("open", rel, e))?;
        match file.try_lock() {
            Ok(()) => Ok(ProjectLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(StoreError::Locked { path: display(rel) }),
            Err(fs::TryLockError::Error(e)) => Err(io_err("lock", rel, e)),
        }
    }
}

/// Holds the project lock while alive.
#[derive(Debug)]
pub struct ProjectLock {
    _file: File,
}

/// The document's bytes as written: the original's key order and byte-order
/// mark kept.
fn doc_bytes<T: Serialize>(doc: &Doc<T>, layout: Layout) -> Result<Vec<u8>, StoreError> {
    let new = serde_json::to_value(&doc.value).map_err(|e| StoreError::Shape {
        path: display(&doc.rel),
        at: ".".into(),
        reason: e.to_string(),
    })?;
    let merged = match (&doc.original, layout) {
        (_, Layout::Sorted) => sort_keys(new),
        (Some(old), Layout::Ordered) => merge_ordered(old, new),
        (None, Layout::Ordered) => new,
    };
    let bom = if doc.bom { BOM } else { "" };
    Ok(format!("{bom}{}", json_text(&merged)).into_bytes())
}

fn json_text(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("a JSON value always serializes")
}

fn io_err(action: &'static str, rel: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        action,
        path: display(rel),
        source,
    }
}

fn display(rel: &Path) -> String {
    rel.display().to_string()
}

/// Names the key of a shape error: a missing field is reported at the field
/// itself, and the root (serde's `.`) as the whole file.
fn shape_error(at: String, reason: String) -> (String, String) {
    let missing = reason
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'));
    match (at.as_str(), missing) {
        (".", Some(field)) => (field.to_string(), "this key is missing".into()),
        (_, Some(field)) => (format!("{at}.{field}"), "this key is missing".into()),
        (".", None) => ("(the whole file)".into(), reason),
        _ => (at, reason),
    }
}

/// serde_json appends " at line X column Y"; we report the position separately.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The new document with the old document's key order: keys that existed keep
/// their place, new keys follow in the new document's order.
pub fn merge_ordered(old: &Value, new: Value) -> Value {
    match (old, new) {
        (Value::Object(old), Value::Object(mut new)) => {
            let mut out = serde_json::Map::new();
            for (k, old_v) in old {
                if let Some(v) = new.shift_remove(k) {
                    out.insert(k.clone(), merge_ordered(old_v, v));
                }
            }
            out.extend(new);
            Value::Object(out)
        }
        (_, new) => new,
    }
}

/// Sorts object keys at every depth (Amplify's `orderedKeys`).
pub fn sort_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort_keys(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sort_keys).collect()),
        other => other,
    }
}

/// Places `files` ((path relative to `dest`, bytes)) into the folder `dest`
/// outside any project (a new Gen 2 app's folder): a new folder is built
/// beside it and renamed into place whole; into a folder that exists, each
/// file is written beside its place and renamed over it (others stay). A
/// symbolic link at `dest` or on a file's way is refused: what it points at
/// is not the user's choice of folder.
pub fn place_outside(dest: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), StoreError> {
    let io = |action: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source: std::io::Error| StoreError::Io {
            action,
            path: path.display().to_string(),
            source,
        }
    };
    let link = |path: &Path| fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let refuse = |path: &Path| StoreError::Io {
        action: "write",
        path: path.display().to_string(),
        source: std::io::Error::other("a symbolic link; pass --out with the real folder"),
    };
    if link(dest) {
        return Err(refuse(dest));
    }
    let tag = format!("authwiz-{}", std::process::id());
    if !dest.exists() {
        let parent = dest.parent().unwrap_or(Path::new("."));
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = parent.join(format!(".{}.{tag}", name.unwrap_or_default()));
        let built = (|| -> Result<(), StoreError> {
            for (rel, bytes) in files {
                let path = tmp.join(rel);
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).map_err(io("create", dir))?;
                }
                let mut f = File::create(&path).map_err(io("write", &path))?;
                std::io::Write::write_all(&mut f, bytes).map_err(io("write", &path))?;
                f.sync_all().map_err(io("write", &path))?;
            }
            fs::rename(&tmp, dest).map_err(io("move into place", dest))
        })();
        if built.is_err() {
            let _ = fs::remove_dir_all(&tmp);
        }
        return built;
    }
    for (rel, _) in files {
        let mut at = dest.to_path_buf();
        for c in rel.components() {
            at.push(c);
            if link(&at) {
                return Err(refuse(&at));
            }
        }
    }
    for (rel, bytes) in files {
        let path = dest.join(rel);
        let dir = path.parent().unwrap_or(dest);
        fs::create_dir_all(dir).map_err(io("create", dir))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(".{}.{tag}", name.unwrap_or_default()));
        let written = (|| -> Result<(), StoreError> {
            let mut f = File::create(&tmp).map_err(io("write", &tmp))?;
            std::io::Write::write_all(&mut f, bytes).map_err(io("write", &tmp))?;
            f.sync_all().map_err(io("write", &tmp))?;
            fs::rename(&tmp, &path).map_err(io("move into place", &path))
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_keeps_old_order_and_appends_new_keys() {
        let old = json!({"b": 1, "a": {"y": 1, "x": 2}, "gone": 0});
        let new = json!({"a": {"x": 3, "y": 4, "z": 5}, "b": 2, "c": 3});
        let merged = serde_json::to_string(&merge_ordered(&old, new)).unwrap();
        assert_eq!(merged, r#"{"b":2,"a":{"y":4,"x":3,"z":5},"c":3}"#);
    }

    #[test]
    fn sort_keys_sorts_every_level() {
        let v = sort_keys(json!({"b": {"d": 1, "c": [{"f": 1, "e": 2}]}, "a": 1}));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":1,"b":{"c":[{"e":2,"f":1}],"d":1}}"#
        );
    }
}
