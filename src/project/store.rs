//! The one place that reads and writes project files: JSON with positions in errors,
//! unknown keys and key order preserved, atomic writes, the project lock, and the
//! guard that keeps every delete, move, copy and write under amplify/ inside it.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

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

#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store { root: root.into() }
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

    /// The absolute path of `rel` if it lies inside `amplify/` once `.` and `..`
    /// are resolved, with no symbolic link on the way (amplify/ itself included):
    /// the only place authwiz deletes, moves or copies.
    fn inside_amplify(&self, action: &'static str, rel: &Path) -> Result<PathBuf, StoreError> {
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
        if parts.len() < 2 || parts[0] != super::AMPLIFY_DIR {
            return Err(refuse("it is not inside amplify/"));
        }
        let mut path = self.root.clone();
        for part in &parts {
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
        Ok(self.root.join(parts.iter().collect::<PathBuf>()))
    }

    /// Writes under amplify/ get the same check; other files (the client
    /// configuration in the source folder, amplify_outputs.json) are where the
    /// project says.
    fn writable(&self, rel: &Path) -> Result<PathBuf, StoreError> {
        match rel.components().next() {
            Some(Component::Normal(first)) if first == super::AMPLIFY_DIR => {
                self.inside_amplify("write", rel)
            }
            _ => Ok(self.path(rel)),
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

    /// Writes the document atomically, keeping the original key order.
    pub fn write<T: Serialize>(&self, doc: &Doc<T>, layout: Layout) -> Result<(), StoreError> {
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
        let text = serde_json::to_string_pretty(&merged).expect("a JSON value always serializes");
        let bom = if doc.bom { BOM } else { "" };
        self.write_bytes(&doc.rel, format!("{bom}{text}").as_bytes())
    }

    /// Serializes like `JSON.stringify(v, null, 2)` (no trailing newline) and writes atomically.
    pub fn write_value(&self, rel: impl AsRef<Path>, value: &Value) -> Result<(), StoreError> {
        let text = serde_json::to_string_pretty(value).expect("a JSON value always serializes");
        self.write_bytes(rel, text.as_bytes())
    }

    /// Atomic write: temp file in the same folder, fsync, rename, fsync the folder.
    pub fn write_bytes(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<(), StoreError> {
        let rel = rel.as_ref();
        let path = self.writable(rel)?;
        let dir = path.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).map_err(|e| io_err("create the folder for", rel, e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".authwiz-")
            .tempfile_in(&dir)
            .map_err(|e| io_err("create a temporary file for", rel, e))?;
        tmp.write_all(bytes)
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| io_err("write", rel, e))?;
        if let Ok(meta) = fs::metadata(&path) {
            // Keep the mode of the file we replace (e.g. 0600 for files with secrets).
            let _ = fs::set_permissions(tmp.path(), meta.permissions());
        }
        tmp.persist(&path)
            .map_err(|e| io_err("replace", rel, e.error))?;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    pub fn read_text(&self, rel: impl AsRef<Path>) -> Result<Option<String>, StoreError> {
        let rel = rel.as_ref();
        match fs::read_to_string(self.path(rel)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("read", rel, e)),
        }
    }

    pub fn remove_file(&self, rel: impl AsRef<Path>) -> Result<(), StoreError> {
        let rel = rel.as_ref();
        match fs::remove_file(self.inside_amplify("remove", rel)?) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err("remove", rel, e)),
            _ => Ok(()),
        }
    }

    pub fn remove_dir(&self, rel: impl AsRef<Path>) -> Result<(), StoreError> {
        let rel = rel.as_ref();
        match fs::remove_dir_all(self.inside_amplify("remove", rel)?) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err("remove", rel, e)),
            _ => Ok(()),
        }
    }

    /// Renames a folder inside amplify/ (atomic on one file system).
    pub fn move_dir(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), StoreError> {
        let (from, to) = (from.as_ref(), to.as_ref());
        let (source, target) = (
            self.inside_amplify("move", from)?,
            self.inside_amplify("move", to)?,
        );
        if !source.exists() {
            return Ok(());
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| io_err("create the folder for", to, e))?;
        }
        self.remove_dir(to)?;
        fs::rename(source, target).map_err(|e| io_err("move", from, e))
    }

    /// Copies a folder tree inside amplify/, replacing the destination.
    pub fn copy_dir(&self, from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<(), StoreError> {
        let (from, to) = (from.as_ref(), to.as_ref());
        let (source, target) = (
            self.inside_amplify("copy", from)?,
            self.inside_amplify("copy", to)?,
        );
        self.remove_dir(to)?;
        copy_tree(&source, &target).map_err(|e| io_err("copy", from, e))
    }

    /// Takes the project lock; it is released when the guard drops.
    pub fn lock(&self, rel: impl AsRef<Path>) -> Result<ProjectLock, StoreError> {
        let rel = rel.as_ref();
        let path = self.writable(rel)?;
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

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            // A link could point anywhere; authwiz copies only what is in the project.
            return Err(std::io::Error::other(format!(
                "{} is a symbolic link, which authwiz does not follow inside amplify/",
                entry.path().display()
            )));
        }
        if kind.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
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
