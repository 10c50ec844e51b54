//! A command's writes as one transaction: every new file (and folder copy) is
//! staged in a git-ignored folder, an intent log lists the renames, moves and
//! removals, then they run in order. A command killed at any instant leaves the
//! project as before or as after: the next command finishes a transaction whose
//! log was written, and discards one whose log was not.
//!
//! Layout (both match Amplify's `amplify/.config/local-*` ignore rule):
//! - `amplify/.config/local-authwiz-txn/`: staged files (`0`, `1`, ... by step),
//!   the progress marker `step-<k>` (steps before k are done), temporary files;
//! - `amplify/.config/local-authwiz-txn.json`: the intent log; its rename into
//!   place is the commit point, its removal the end of the transaction.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

/// What can go wrong while writing or recovering a transaction.
#[derive(Debug, thiserror::Error)]
pub enum TxnError {
    #[error("Could not {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: String,
        source: std::io::Error,
    },
    #[error(
        "Could not finish writing the project files: {reason}\n{TXN_LOG} records the remaining steps; fix the cause (disk space, permissions), then run any authwiz command: it completes them first."
    )]
    Unfinished { reason: String },
    #[error(
        "{TXN_LOG} (the record of an interrupted command) is damaged: {reason}\nDelete it and {TXN_DIR}/, then check the project files against version control."
    )]
    DamagedLog { reason: String },
}

fn io_err(action: &'static str, rel: &Path, source: std::io::Error) -> TxnError {
    TxnError::Io {
        action,
        path: rel.display().to_string(),
        source,
    }
}

/// Staged files and temporary files; git-ignored (`amplify/.config/local-*`).
pub const TXN_DIR: &str = "amplify/.config/local-authwiz-txn";
/// The intent log of a committed, not yet finished transaction.
pub const TXN_LOG: &str = "amplify/.config/local-authwiz-txn.json";
/// Temporary files of authwiz versions before transactions (`.authwiz-XXXXXX`
/// beside the target); removed by recovery.
const LEGACY_TEMP_PREFIX: &str = ".authwiz-";
/// `init` builds `amplify/` here, beside it, and renames it into place.
pub const INIT_STAGING: &str = ".amplify.authwiz-init";

/// Keys whose values are credentials: a file holding one is written 0600.
const SECRET_MARKERS: [&str; 5] = [
    "AppClientSecret",
    "hostedUIProviderCreds",
    "client_secret",
    "private_key",
    // A backup of a pool's users: their personal data.
    "authwiz-auth-backup",
];

/// One change a command asked for, applied at commit.
#[derive(Clone, Debug)]
pub(super) enum Staged {
    Write {
        to: PathBuf,
        bytes: Vec<u8>,
    },
    /// Replace `to` with a copy of the folder `from` as it is on disk at commit.
    Copy {
        from: PathBuf,
        to: PathBuf,
    },
    Remove {
        path: PathBuf,
    },
    /// Rename `from` to `to` (replacing it) when `from` exists.
    Move {
        from: PathBuf,
        to: PathBuf,
    },
    /// The user's deployment secrets (outside the project: [`SECRETS`] under
    /// the home folder), replaced with `bytes`.
    Secrets {
        bytes: Vec<u8>,
    },
}

/// Where the Amplify CLI keeps social providers' secrets, under the home folder.
pub const SECRETS: &str = ".aws/amplify/deployment-secrets.json";

/// One step of the intent log.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
enum Op {
    /// Rename the staged file or folder onto `to`.
    Place {
        staged: String,
        to: PathBuf,
    },
    Remove {
        path: PathBuf,
    },
    Move {
        from: PathBuf,
        to: PathBuf,
    },
    /// Copy the staged file onto the deployment secrets under the home folder
    /// of the command that runs the step (the log names no outside path).
    PlaceSecrets {
        staged: String,
    },
}

#[derive(Debug, Serialize, Deserialize)]
struct Log {
    /// The command that wrote it, for the recovery message.
    command: String,
    ops: Vec<Op>,
}

/// What the start of a command found and did about an interrupted one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// The interrupted transaction was finished (its command), or discarded (None).
    pub finished: Option<Option<String>>,
    /// Temporary files of older authwiz versions that were removed.
    pub stray_temps: usize,
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        match &self.finished {
            Some(Some(command)) => parts.push(format!(
                "The last `authwiz {command}` stopped while writing its changes ({TXN_LOG}); they are now complete"
            )),
            Some(None) => parts.push(
                "The last authwiz command stopped before it changed any file; what it had prepared was discarded, and the project is as it was before it".to_string(),
            ),
            None => {}
        }
        if self.stray_temps > 0 {
            parts.push(format!(
                "removed {} temporary file(s) left by an earlier authwiz",
                self.stray_temps
            ));
        }
        write!(f, "{}.", parts.join("; "))
    }
}

/// The test-only fault seam (docs/testing.md), set from `AUTHWIZ_FAULT_AT`:
/// `N` aborts the process just before its N-th file operation, `N:fail` makes
/// that operation fail instead, as on a full disk. Shared by a Store's clones.
#[derive(Debug, Default)]
pub struct Faults {
    at: Option<(u64, bool)>,
    count: AtomicU64,
}

impl Faults {
    pub fn parse(value: Option<&str>) -> Faults {
        let at = value.and_then(|v| {
            let (n, fail) = match v.split_once(':') {
                Some((n, "fail")) => (n, true),
                Some(_) => return None,
                None => (v, false),
            };
            Some((n.parse().ok()?, fail))
        });
        Faults {
            at,
            count: AtomicU64::new(0),
        }
    }

    /// Called before every file operation.
    fn point(&self) -> std::io::Result<()> {
        match self.at {
            Some((at, fail)) if self.count.fetch_add(1, Ordering::SeqCst) + 1 == at => {
                if !fail {
                    std::process::abort();
                }
                // ENOSPC: "No space left on device".
                Err(std::io::Error::from_raw_os_error(28))
            }
            _ => Ok(()),
        }
    }
}

/// Whether bytes hold a credential (an app client secret, OAuth credentials).
pub fn holds_secret(bytes: &[u8]) -> bool {
    SECRET_MARKERS
        .iter()
        .any(|m| bytes.windows(m.len()).any(|w| w == m.as_bytes()))
}

/// Creates a new file with `bytes`, fsynced: 0600 when it holds a secret, else
/// the user's umask decides (0666 requested).
pub(super) fn write_new_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if holds_secret(bytes) { 0o600 } else { 0o666 });
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Removes a file or a folder tree; a missing one is fine.
fn remove_any(path: &Path) -> std::io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A relative path without `..`: what a log may name inside the project.
/// What a log may name: a resolved path inside the project with no symbolic link
/// on the way; removals and moves only inside `amplify/` (the Store's guard, for a
/// log that did not come from this Store).
fn inside(root: &Path, rel: &Path, amplify_only: bool) -> bool {
    let resolved =
        !rel.as_os_str().is_empty() && rel.components().all(|c| matches!(c, Component::Normal(_)));
    let in_amplify = rel.starts_with(super::AMPLIFY_DIR) && rel.components().count() > 1;
    let mut path = root.to_path_buf();
    let no_link = rel.components().all(|c| {
        path.push(c);
        !fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
    });
    resolved && no_link && (in_amplify || !amplify_only)
}

/// Copies a folder tree into a new place, each file written as a new file.
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
            write_new_file(&target, &fs::read(entry.path())?)?;
        }
    }
    sync_dir(to);
    Ok(())
}

/// Runs a command's staged changes as one transaction under `root`.
pub(super) fn commit(
    root: &Path,
    command: &str,
    staged: Vec<Staged>,
    f: &Faults,
    home: Option<&Path>,
) -> Result<(), TxnError> {
    commit_with(root, root, command, staged, (f, home))
}

/// `init`: there is no `amplify/` yet, so the transaction is staged and logged
/// in a new `amplify/` under [`INIT_STAGING`], and committed by renaming that
/// folder into place; its steps then write every file of the new project.
pub(super) fn commit_new_project(
    root: &Path,
    command: &str,
    staged: Vec<Staged>,
    f: &Faults,
) -> Result<(), TxnError> {
    let tree_root = root.join(INIT_STAGING);
    // What an init killed before its commit point left.
    remove_any(&tree_root).map_err(|e| io_err("remove", Path::new(INIT_STAGING), e))?;
    let result = commit_with(root, &tree_root, command, staged, (f, None));
    let _ = remove_any(&tree_root);
    result
}

fn commit_with(
    root: &Path,
    tree_root: &Path,
    command: &str,
    staged: Vec<Staged>,
    (f, home): (&Faults, Option<&Path>),
) -> Result<(), TxnError> {
    if staged.is_empty() && root == tree_root {
        return Ok(());
    }
    if exists(&root.join(TXN_LOG)) {
        return Err(TxnError::Unfinished {
            reason: "an earlier transaction is still recorded".into(),
        });
    }
    let dir = tree_root.join(TXN_DIR);
    let prepared = prepare(root, &dir, command, staged, f);
    let ops = match prepared {
        Ok(ops) => ops,
        Err(e) => {
            // Nothing visible changed: drop what was staged.
            let _ = remove_any(&dir);
            return Err(e);
        }
    };
    // The commit point: the log (or, for init, the whole new amplify/) appears.
    let committed = if root == tree_root {
        f.point()
            .and_then(|()| fs::rename(dir.join("log"), root.join(TXN_LOG)))
    } else {
        f.point()
            .and_then(|()| fs::rename(dir.join("log"), tree_root.join(TXN_LOG)))
            .and_then(|()| f.point())
            .and_then(|()| {
                fs::rename(
                    tree_root.join(super::AMPLIFY_DIR),
                    root.join(super::AMPLIFY_DIR),
                )
            })
    };
    if let Err(e) = committed {
        let _ = remove_any(&dir);
        return Err(io_err("record the changes in", Path::new(TXN_LOG), e));
    }
    if root != tree_root {
        // Empty now: amplify/ moved out of it.
        let _ = fs::remove_dir(tree_root);
    }
    if let Some(parent) = root.join(TXN_LOG).parent() {
        sync_dir(parent);
    }
    sync_dir(root);
    finish(root, &ops, 0, (f, home)).map_err(|e| TxnError::Unfinished {
        reason: e.to_string(),
    })
}

/// Phase 1: staged files and the log written (fsynced) in the staging folder;
/// nothing outside it changes.
fn prepare(
    root: &Path,
    dir: &Path,
    command: &str,
    staged: Vec<Staged>,
    f: &Faults,
) -> Result<Vec<Op>, TxnError> {
    remove_any(dir).map_err(|e| io_err("clear", Path::new(TXN_DIR), e))?;
    fs::create_dir_all(dir).map_err(|e| io_err("create", Path::new(TXN_DIR), e))?;
    // The progress marker first: it tells recovery a transaction was being staged.
    write_new_file(&dir.join("step-0"), b"").map_err(|e| io_err("write", Path::new(TXN_DIR), e))?;
    let mut ops = Vec::with_capacity(staged.len());
    for (k, s) in staged.into_iter().enumerate() {
        let name = k.to_string();
        let path = dir.join(&name);
        match s {
            Staged::Write { to, bytes } => {
                f.point()
                    .and_then(|()| write_new_file(&path, &bytes))
                    .map_err(|e| io_err("write", &to, e))?;
                ops.push(Op::Place { staged: name, to });
            }
            Staged::Copy { from, to } => {
                f.point()
                    .and_then(|()| copy_tree(&root.join(&from), &path))
                    .map_err(|e| io_err("copy", &from, e))?;
                ops.push(Op::Place { staged: name, to });
            }
            Staged::Secrets { bytes } => {
                f.point()
                    .and_then(|()| write_new_file(&path, &bytes))
                    .map_err(|e| io_err("write", Path::new(SECRETS), e))?;
                ops.push(Op::PlaceSecrets { staged: name });
            }
            Staged::Remove { path } => ops.push(Op::Remove { path }),
            Staged::Move { from, to } => ops.push(Op::Move { from, to }),
        }
    }
    let log = Log {
        command: command.to_string(),
        ops,
    };
    let text = serde_json::to_vec_pretty(&log).expect("the log serializes");
    f.point()
        .and_then(|()| write_new_file(&dir.join("log"), &text))
        .map_err(|e| io_err("write", Path::new(TXN_LOG), e))?;
    sync_dir(dir);
    Ok(log.ops)
}

/// Phase 2: every step from `from` on, in order, each advancing the progress
/// marker; then the log goes (the end of the transaction) and the staging folder.
/// A step may have run before a crash, so each is safe to run again once.
fn finish(
    root: &Path,
    ops: &[Op],
    from: usize,
    (f, home): (&Faults, Option<&Path>),
) -> std::io::Result<()> {
    let dir = root.join(TXN_DIR);
    for (k, op) in ops.iter().enumerate().skip(from) {
        match op {
            Op::PlaceSecrets { staged } => place_secrets(&dir.join(staged), home, f)?,
            _ => apply(root, &dir, op, f)?,
        }
        f.point()?;
        fs::rename(
            dir.join(format!("step-{k}")),
            dir.join(format!("step-{}", k + 1)),
        )?;
    }
    let mut touched: Vec<PathBuf> = ops
        .iter()
        .flat_map(|op| match op {
            Op::Place { to, .. } => vec![to.clone()],
            Op::Remove { path } => vec![path.clone()],
            Op::Move { from, to } => vec![from.clone(), to.clone()],
            Op::PlaceSecrets { .. } => Vec::new(),
        })
        .filter_map(|p| root.join(p).parent().map(Path::to_path_buf))
        .collect();
    touched.sort();
    touched.dedup();
    for d in &touched {
        sync_dir(d);
    }
    f.point()?;
    fs::remove_file(root.join(TXN_LOG))?;
    if let Some(parent) = root.join(TXN_LOG).parent() {
        sync_dir(parent);
    }
    // Done; what is left in the staging folder is only the progress marker, and
    // the next command removes it if this fails.
    let _ = f.point().and_then(|()| remove_any(&dir));
    Ok(())
}

fn apply(root: &Path, dir: &Path, op: &Op, f: &Faults) -> std::io::Result<()> {
    let create_parent = |p: &Path| match p.parent() {
        Some(parent) => fs::create_dir_all(parent),
        None => Ok(()),
    };
    match op {
        Op::Place { staged, to } => {
            let (src, to) = (dir.join(staged), root.join(to));
            if !exists(&src) {
                return Ok(()); // placed before a crash
            }
            // A file is replaced by the rename itself; a folder must go first.
            if fs::symlink_metadata(&to).is_ok_and(|m| m.is_dir()) {
                f.point()?;
                remove_any(&to)?;
            }
            create_parent(&to)?;
            f.point()?;
            fs::rename(&src, &to)
        }
        Op::Remove { path } => {
            let path = root.join(path);
            if exists(&path) {
                f.point()?;
                remove_any(&path)?;
            }
            Ok(())
        }
        Op::PlaceSecrets { .. } => Ok(()),
        Op::Move { from, to } => {
            let (from, to) = (root.join(from), root.join(to));
            if !exists(&from) {
                return Ok(());
            }
            if exists(&to) {
                f.point()?;
                remove_any(&to)?;
            }
            create_parent(&to)?;
            f.point()?;
            fs::rename(&from, &to)
        }
    }
}

/// The deployment secrets replaced with the staged file: copied beside them
/// (the home folder may be on another file system), renamed into place, then
/// the staged file goes, so that a step run again after a crash is a no-op.
fn place_secrets(src: &Path, home: Option<&Path>, f: &Faults) -> std::io::Result<()> {
    if !exists(src) {
        return Ok(()); // placed before a crash
    }
    let Some(home) = home else {
        return Err(std::io::Error::other(
            "the home folder is not known (HOME is not set), so the deployment secrets cannot be written",
        ));
    };
    let to = home.join(SECRETS);
    let dir = to.parent().expect("the secrets file has a folder");
    fs::create_dir_all(dir)?;
    let temp = dir.join(".deployment-secrets.json.authwiz");
    remove_any(&temp)?;
    f.point()?;
    write_new_file(&temp, &fs::read(src)?)?;
    f.point()?;
    fs::rename(&temp, &to)?;
    sync_dir(dir);
    f.point()?;
    fs::remove_file(src)
}

/// Whether an interrupted command may have left something to finish or discard.
pub(super) fn pending(root: &Path) -> bool {
    exists(&root.join(TXN_LOG)) || exists(&root.join(TXN_DIR))
}

/// Finishes (log present) or discards (no log) an interrupted transaction, and
/// removes temporary files of older versions. Call with the project lock held.
pub(super) fn recover(
    root: &Path,
    f: &Faults,
    home: Option<&Path>,
) -> Result<Option<Recovery>, TxnError> {
    let log_path = root.join(TXN_LOG);
    let dir = root.join(TXN_DIR);
    let finished = if exists(&log_path) {
        let log = read_log(root)?;
        let step = progress(&dir).ok_or_else(|| damaged("its progress marker is missing"))?;
        if step > log.ops.len() {
            return Err(damaged("its progress marker is past the last step"));
        }
        finish(root, &log.ops, step, (f, home)).map_err(|e| TxnError::Unfinished {
            reason: e.to_string(),
        })?;
        Some(Some(log.command))
    } else if exists(&dir) {
        // Marker at step 0: a transaction being staged, never committed. Past
        // step 0: what a finished one leaves. None: a single-file write's temp.
        let unfinished = progress(&dir) == Some(0);
        remove_any(&dir).map_err(|e| io_err("remove", Path::new(TXN_DIR), e))?;
        unfinished.then_some(None)
    } else {
        None
    };
    let stray_temps = remove_legacy_temps(root);
    Ok((finished.is_some() || stray_temps > 0).then_some(Recovery {
        finished,
        stray_temps,
    }))
}

fn read_log(root: &Path) -> Result<Log, TxnError> {
    let text = fs::read(root.join(TXN_LOG)).map_err(|e| io_err("read", Path::new(TXN_LOG), e))?;
    let log: Log = serde_json::from_slice(&text).map_err(|e| damaged(&e.to_string()))?;
    for op in &log.ops {
        let ok = match op {
            Op::Place { staged, to } => staged.parse::<usize>().is_ok() && inside(root, to, false),
            Op::Remove { path } => inside(root, path, true),
            Op::Move { from, to } => inside(root, from, true) && inside(root, to, true),
            Op::PlaceSecrets { staged } => staged.parse::<usize>().is_ok(),
        };
        if !ok {
            return Err(damaged(
                "a step names a path outside the project (or outside amplify/, or through a symbolic link)",
            ));
        }
    }
    Ok(log)
}

fn damaged(reason: &str) -> TxnError {
    TxnError::DamagedLog {
        reason: reason.to_string(),
    }
}

/// The k of the `step-<k>` marker: steps before k are done.
fn progress(dir: &Path) -> Option<usize> {
    fs::read_dir(dir)
        .ok()?
        .flatten()
        .find_map(|e| e.file_name().to_str()?.strip_prefix("step-")?.parse().ok())
}

/// `.authwiz-XXXXXX` files under `amplify/` and in the project root, and an
/// old init's staging folder: what versions before transactions left behind.
fn remove_legacy_temps(root: &Path) -> usize {
    fn walk(dir: &Path, recurse: bool, removed: &mut usize) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            let stray = (!is_dir && name.starts_with(LEGACY_TEMP_PREFIX))
                || (is_dir && name.starts_with(INIT_STAGING) && !recurse);
            if stray {
                if remove_any(&entry.path()).is_ok() {
                    *removed += 1;
                }
            } else if is_dir && recurse {
                walk(&entry.path(), true, removed);
            }
        }
    }
    let mut removed = 0;
    walk(root, false, &mut removed);
    walk(&root.join(super::AMPLIFY_DIR), true, &mut removed);
    removed
}

/// Writes one file atomically outside any transaction (a temporary file renamed
/// onto the target): for records that must exist before a cloud call, such as
/// push's journal. In a project the temporary file sits in the git-ignored
/// staging folder; elsewhere (`~/.aws/amplify/`) beside the target.
pub(super) fn write_now(root: &Path, rel: &Path, bytes: &[u8], f: &Faults) -> Result<(), TxnError> {
    write_now_with(root, rel, f, |tmp| write_new_file(tmp, bytes))
}

/// A file of private data (0600) written now by `fill` as it goes, then put
/// in place atomically: what is not finished never replaces anything.
pub(super) fn write_private_now(
    root: &Path,
    rel: &Path,
    f: &Faults,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), TxnError> {
    write_now_with(root, rel, f, |tmp| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(tmp)?;
        let mut out = std::io::BufWriter::new(&file);
        fill(&mut out)?;
        out.flush()?;
        drop(out);
        file.sync_all()
    })
}

fn write_now_with(
    root: &Path,
    rel: &Path,
    f: &Faults,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), TxnError> {
    let target = root.join(rel);
    let parent = target.parent().unwrap_or(root).to_path_buf();
    let in_project = root.join(TXN_DIR).parent().is_some_and(Path::is_dir);
    let dir = if in_project {
        root.join(TXN_DIR)
    } else {
        parent.clone()
    };
    fs::create_dir_all(&dir).map_err(|e| io_err("create the folder for", rel, e))?;
    fs::create_dir_all(&parent).map_err(|e| io_err("create the folder for", rel, e))?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = remove_any(&tmp);
    if let Err(e) = f.point().and_then(|()| write(&tmp)) {
        let _ = remove_any(&tmp);
        return Err(io_err("write", rel, e));
    }
    f.point()
        .and_then(|()| fs::rename(&tmp, &target))
        .map_err(|e| io_err("replace", rel, e))?;
    sync_dir(&parent);
    if in_project {
        // Empty unless a transaction is being staged; leave nothing behind.
        let _ = fs::remove_dir(&dir);
    }
    Ok(())
}

/// Removes one file outside any transaction.
pub(super) fn remove_now(root: &Path, rel: &Path, f: &Faults) -> Result<(), TxnError> {
    let path = root.join(rel);
    if exists(&path) {
        f.point()
            .and_then(|()| remove_any(&path))
            .map_err(|e| io_err("remove", rel, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(root: &Path) -> Vec<(String, String)> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
            for e in fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                if p.is_dir() {
                    walk(base, &p, out);
                } else {
                    out.push((rel, fs::read_to_string(&p).unwrap()));
                }
            }
        }
        let mut out = Vec::new();
        walk(root, root, &mut out);
        out.sort();
        out
    }

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::create_dir_all(r.join("amplify/.config")).unwrap();
        fs::create_dir_all(r.join("amplify/#current-cloud-backend")).unwrap();
        fs::write(r.join("amplify/#current-cloud-backend/m.json"), "dev").unwrap();
        fs::create_dir_all(r.join("amplify/.config/local-authwiz-envs/prod")).unwrap();
        fs::write(
            r.join("amplify/.config/local-authwiz-envs/prod/m.json"),
            "prod",
        )
        .unwrap();
        fs::write(r.join("amplify/a.json"), "old a").unwrap();
        dir
    }

    /// What an env checkout stages: parks dev's folder and brings back prod's,
    /// rewrites a file and removes one.
    fn checkout_staged() -> Vec<Staged> {
        vec![
            Staged::Write {
                to: "amplify/a.json".into(),
                bytes: b"new a".to_vec(),
            },
            Staged::Move {
                from: "amplify/#current-cloud-backend".into(),
                to: "amplify/.config/local-authwiz-envs/dev".into(),
            },
            Staged::Move {
                from: "amplify/.config/local-authwiz-envs/prod".into(),
                to: "amplify/#current-cloud-backend".into(),
            },
            Staged::Remove {
                path: "amplify/gone".into(),
            },
        ]
    }

    /// The checkout's operations, prepared.
    fn checkout_ops(root: &Path) -> Vec<Op> {
        prepare(
            root,
            &root.join(TXN_DIR),
            "env checkout",
            checkout_staged(),
            &Faults::default(),
        )
        .unwrap()
    }

    #[test]
    fn every_step_can_run_again_after_a_crash() {
        let expected = {
            let dir = project();
            commit(
                dir.path(),
                "env checkout",
                checkout_staged(),
                &Faults::default(),
                None,
            )
            .unwrap();
            tree(dir.path())
        };
        assert!(expected.contains(&(
            "amplify/#current-cloud-backend/m.json".into(),
            "prod".into()
        )));
        // A crash after step k ran but before its marker moved: the next command
        // runs step k again, then the rest.
        for k in 0..4 {
            let dir = project();
            let root = dir.path();
            let ops = checkout_ops(root);
            fs::rename(root.join(TXN_DIR).join("log"), root.join(TXN_LOG)).unwrap();
            for (i, op) in ops.iter().enumerate().take(k + 1) {
                apply(root, &root.join(TXN_DIR), op, &Faults::default()).unwrap();
                if i < k {
                    fs::rename(
                        root.join(TXN_DIR).join(format!("step-{i}")),
                        root.join(TXN_DIR).join(format!("step-{}", i + 1)),
                    )
                    .unwrap();
                }
            }
            let r = recover(root, &Faults::default(), None).unwrap().unwrap();
            assert_eq!(r.finished, Some(Some("env checkout".into())));
            assert_eq!(tree(root), expected, "crash after step {k}");
        }
    }

    #[test]
    fn a_failure_at_any_step_leaves_before_or_after_once_recovered() {
        let staged = |_: &Path| {
            vec![
                Staged::Write {
                    to: "amplify/a.json".into(),
                    bytes: b"new a".to_vec(),
                },
                Staged::Copy {
                    from: "amplify/.config/local-authwiz-envs".into(),
                    to: "amplify/copy".into(),
                },
                Staged::Move {
                    from: "amplify/#current-cloud-backend".into(),
                    to: "amplify/.config/local-authwiz-envs/dev".into(),
                },
                Staged::Remove {
                    path: "amplify/a.json".into(),
                },
            ]
        };
        let before = tree(project().path());
        let after = {
            let dir = project();
            commit(
                dir.path(),
                "x",
                staged(dir.path()),
                &Faults::default(),
                None,
            )
            .unwrap();
            tree(dir.path())
        };
        for n in 1.. {
            let dir = project();
            let root = dir.path();
            let faults = Faults::parse(Some(&format!("{n}:fail")));
            if commit(root, "x", staged(root), &faults, None).is_ok() {
                assert!(n > 5, "{n}");
                break;
            }
            recover(root, &Faults::default(), None).unwrap();
            let now = tree(root);
            assert!(now == before || now == after, "failure at {n}: {now:?}");
            assert!(!root.join(TXN_DIR).exists() && !root.join(TXN_LOG).exists());
        }
    }

    #[test]
    fn an_unlogged_transaction_is_discarded() {
        let dir = project();
        let root = dir.path();
        let before = tree(root);
        checkout_ops(root);
        let r = recover(root, &Faults::default(), None).unwrap().unwrap();
        assert_eq!(r.finished, Some(None));
        assert_eq!(tree(root), before);
        assert!(!root.join(TXN_DIR).exists());
        assert_eq!(recover(root, &Faults::default(), None).unwrap(), None);
    }

    #[test]
    fn a_log_naming_paths_outside_is_refused() {
        let dir = project();
        let root = dir.path();
        let victim = tempfile::tempdir().unwrap();
        fs::write(victim.path().join("keep"), "").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(victim.path(), root.join("amplify/link")).unwrap();
        for step in [
            r#"{"op":"remove","path":"../victim"}"#,
            r#"{"op":"remove","path":"src"}"#,
            r#"{"op":"remove","path":"amplify/link/keep"}"#,
            r#"{"op":"move","from":"amplify/a.json","to":"/tmp/x"}"#,
        ] {
            fs::create_dir_all(root.join(TXN_DIR)).unwrap();
            fs::write(root.join(TXN_DIR).join("step-0"), "").unwrap();
            fs::write(
                root.join(TXN_LOG),
                format!(r#"{{"command":"x","ops":[{step}]}}"#),
            )
            .unwrap();
            let e = recover(root, &Faults::default(), None)
                .unwrap_err()
                .to_string();
            assert!(e.contains("outside the project"), "{step}: {e}");
        }
        assert!(victim.path().join("keep").exists());
        assert!(root.join("amplify/a.json").exists());
    }

    #[test]
    fn secrets_are_recognised() {
        assert!(holds_secret(br#"{"AppClientSecret": "x"}"#));
        assert!(!holds_secret(br#"{"AppClientID": "x"}"#));
    }

    #[cfg(unix)]
    #[test]
    fn files_with_secrets_are_private_and_others_follow_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("s");
        let plain = dir.path().join("p");
        write_new_file(&secret, br#"{"AppClientSecret":"x"}"#).unwrap();
        write_new_file(&plain, b"{}").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&secret), 0o600);
        // What a plain create gives under this process's umask.
        let probe = dir.path().join("probe");
        File::create(&probe).unwrap();
        assert_eq!(mode(&plain), mode(&probe));
    }
}
