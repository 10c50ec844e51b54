//! The apply engine: desired resources as a graph (key, properties,
//! dependencies) → a plan of Create / Update / Replace / Delete steps in
//! dependency order (deletes reversed) → apply, one provider per resource type,
//! with a typed journal written after every step. A failure undoes every
//! completed step in reverse (the failed one too: it may have been applied); a
//! journal left by a killed run is reconciled by the next plan, which puts what
//! is no longer wanted back as it was before that run.

use std::collections::{BTreeMap, HashSet};

use futures::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::cloud::CloudError;
use crate::project::{Doc, Layout, Store, StoreError};

/// A resource's identity: its type and its name (deterministic per env).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Key {
    pub kind: String,
    pub name: String,
}

impl Key {
    pub fn new(kind: &str, name: impl Into<String>) -> Self {
        Key {
            kind: kind.to_string(),
            name: name.into(),
        }
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.name)
    }
}

/// One resource as a push wants it: `desired: None` means it must not exist.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub key: Key,
    pub desired: Option<Value>,
    /// Keys this resource needs first (and that are deleted after it).
    pub deps: Vec<Key>,
    /// How the plan names it to the user.
    pub label: String,
}

/// What a provider does for one resource type. Futures are boxed so that the
/// engine can hold providers of every type side by side.
pub trait Provider {
    fn kind(&self) -> &'static str;
    /// The resource as it is now, `None` when it does not exist.
    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>>;
    /// The resource as this run knows it, for an undo: by the physical id that
    /// was recorded, read or made, never looked up by name (a resource of the
    /// same name may be another's: a teammate's push, another tool's).
    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        self.read(key)
    }
    /// Creates the resource; returns it as created, with the physical id the
    /// cloud gave it (recorded in the journal before the next call).
    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>>;
    /// Sends the full desired state (never a partial one).
    fn update<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>>;
    fn delete<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>>;
    /// `desired` with what it refers to filled in (ids and ARNs of resources
    /// that only exist once their step has run); called before each compare
    /// and before each create or update.
    fn resolve(&self, desired: &Value) -> Value {
        desired.clone()
    }
    /// Whether `live` already is `desired` (default: equal documents).
    fn same(&self, live: &Value, desired: &Value) -> bool {
        live == desired
    }
    /// Whether going from `live` to `desired` needs a new resource.
    fn replaces(&self, _live: &Value, _desired: &Value) -> bool {
        false
    }
    /// The change, field by field (or statement by statement), for the plan.
    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String>;
    /// Whether the change grants something that was not granted before.
    fn broadens(&self, _before: Option<&Value>, _after: Option<&Value>) -> bool {
        false
    }
    /// A create of `key` may have happened without its reply: the next read
    /// looks for it by name (and takes it only if authwiz made it).
    fn search_for(&self, _key: &Key) {}
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Create,
    Update,
    Replace,
    Delete,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Replace => "replace",
            Action::Delete => "delete",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub key: Key,
    pub label: String,
    pub action: Action,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub detail: Vec<String>,
    pub broadens: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// A journal of an unfinished run was reconciled into this plan.
    pub resumed: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn broadens(&self) -> bool {
        self.steps.iter().any(|s| s.broadens)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Done,
    Undone,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalStep {
    pub key: Key,
    pub action: Action,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub status: Status,
    /// What a create returned (the physical id of what this run made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Value>,
}

/// What a run is doing, written before its first call and after every step.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    pub steps: Vec<JournalStep>,
}

impl Journal {
    /// Reads the journal at `rel`; `None` when there is none or it is in
    /// another layout (see `push::storage::read_journal` for the older one).
    pub fn read(store: &Store, rel: &str) -> Result<Option<Journal>, StoreError> {
        let Some(doc) = store.read::<Value>(rel)? else {
            return Ok(None);
        };
        if doc.value.get("steps").is_none() {
            return Ok(None);
        }
        Ok(store.read::<Journal>(rel)?.map(|d| d.value))
    }
}

/// Where the journal lives and how it is kept: written and removed at once,
/// outside the command's transaction (it must exist before each cloud call).
pub struct JournalFile<'s> {
    pub store: &'s Store,
    pub rel: &'s str,
}

impl JournalFile<'_> {
    fn save(&self, j: &Journal) -> Result<(), StoreError> {
        self.store
            .write_now(&Doc::new(self.rel, j.clone()), Layout::Ordered)
    }

    fn clear(&self) -> Result<(), StoreError> {
        self.store.remove_file_now(self.rel)
    }
}

/// Why an apply stopped, and what state it left.
#[derive(Debug)]
pub struct Failed {
    pub step: String,
    pub error: CloudError,
    /// Every completed step was undone (the journal is gone).
    pub restored: bool,
    /// Steps that are applied and stay so (undo failed, or was not needed).
    pub left: Vec<String>,
}

/// The engine over a set of providers.
pub struct Engine<'p> {
    providers: BTreeMap<&'static str, &'p dyn Provider>,
}

impl<'p> Engine<'p> {
    pub fn new(providers: &[&'p dyn Provider]) -> Self {
        Engine {
            providers: providers.iter().map(|p| (p.kind(), *p)).collect(),
        }
    }

    fn provider(&self, key: &Key) -> Result<&'p dyn Provider, CloudError> {
        self.providers
            .get(key.kind.as_str())
            .copied()
            .ok_or_else(|| CloudError::Failed {
                action: "plan",
                message: format!("no provider for resource type {}", key.kind),
            })
    }

    /// Reads every target (and what an unfinished run left) and returns the
    /// steps that make the cloud match. Read-only.
    pub async fn plan(
        &self,
        targets: &[Target],
        journal: Option<&Journal>,
    ) -> Result<Plan, CloudError> {
        let mut all: Vec<Target> = targets.to_vec();
        let wanted: HashSet<&Key> = targets.iter().map(|t| &t.key).collect();
        // What an unfinished run touched and nobody wants now goes back to how
        // it was before that run (created things go away).
        let mut leftovers = Vec::new();
        for s in journal.map(|j| j.steps.as_slice()).unwrap_or_default() {
            if !wanted.contains(&s.key) && !leftovers.iter().any(|t: &Target| t.key == s.key) {
                leftovers.push(Target {
                    key: s.key.clone(),
                    desired: s.before.clone(),
                    deps: Vec::new(),
                    label: s.key.to_string(),
                });
            }
        }
        all.extend(leftovers);
        let mut present = Vec::new();
        let mut absent = Vec::new();
        for (t, live) in self.read_all(&all).await? {
            let p = self.provider(&t.key)?;
            let desired = t.desired.as_ref().map(|d| p.resolve(d));
            let action = match (&live, &desired) {
                (None, None) => continue,
                (None, Some(_)) => Action::Create,
                (Some(l), Some(d)) if p.same(l, d) => continue,
                (Some(l), Some(d)) if p.replaces(l, d) => Action::Replace,
                (Some(_), Some(_)) => Action::Update,
                (Some(_), None) => Action::Delete,
            };
            let step = Step {
                key: t.key.clone(),
                label: t.label.clone(),
                action,
                detail: p.describe(live.as_ref(), desired.as_ref()),
                broadens: p.broadens(live.as_ref(), desired.as_ref()),
                before: live,
                after: desired,
            };
            if action == Action::Delete {
                absent.push(step);
            } else {
                present.push(step);
            }
        }
        // Deletes after everything else, dependents first.
        absent.reverse();
        present.extend(absent);
        Ok(Plan {
            steps: present,
            resumed: journal.is_some_and(|j| !j.steps.is_empty()),
        })
    }

    /// Every target as it is live, in dependency order. Reads run together, a
    /// dependency level at a time: a resource is found through what it depends
    /// on (a client through its user pool).
    pub async fn read_all<'t>(
        &self,
        all: &'t [Target],
    ) -> Result<Vec<(&'t Target, Option<Value>)>, CloudError> {
        let order = topo_order(all)?;
        let mut out = Vec::with_capacity(order.len());
        for level in levels(all, &order) {
            let read = futures::future::join_all(level.iter().map(|&i| async move {
                let t = &all[i];
                self.provider(&t.key)?.read(&t.key).await
            }))
            .await;
            for (i, live) in level.into_iter().zip(read) {
                out.push((&all[i], live?));
            }
        }
        Ok(out)
    }

    /// `desired` with the references it holds filled in.
    pub fn resolve(&self, key: &Key, desired: &Value) -> Result<Value, CloudError> {
        Ok(self.provider(key)?.resolve(desired))
    }

    /// Whether `live` already is `desired` (resolved) for the provider of `key`.
    pub fn holds(&self, key: &Key, live: &Value, desired: &Value) -> Result<bool, CloudError> {
        Ok(self.provider(key)?.same(live, desired))
    }

    /// Applies the plan step by step, the journal written before the first call
    /// and after every step; removes the journal when done (or fully undone).
    pub async fn apply(&self, plan: &Plan, journal: &JournalFile<'_>) -> Result<(), Failed> {
        let mut j = Journal {
            version: 1,
            steps: plan
                .steps
                .iter()
                .map(|s| JournalStep {
                    key: s.key.clone(),
                    action: s.action,
                    before: s.before.clone(),
                    after: s.after.clone(),
                    status: Status::Pending,
                    created: None,
                })
                .collect(),
        };
        let local = |e: StoreError, step: String| Failed {
            step,
            error: CloudError::Failed {
                action: "journal",
                message: e.to_string(),
            },
            restored: false,
            left: Vec::new(),
        };
        journal
            .save(&j)
            .map_err(|e| local(e, "writing the push journal".into()))?;
        for (i, step) in plan.steps.iter().enumerate() {
            match self.run(step).await {
                Ok(created) => j.steps[i].created = created,
                Err(error) => {
                    let failed = format!("{} {}", step.action.label(), step.label);
                    return Err(self.rollback(plan, &mut j, i, failed, error, journal).await);
                }
            }
            j.steps[i].status = Status::Done;
            if let Err(e) = journal.save(&j) {
                let failed = format!("recording {}", step.label);
                let error = CloudError::Failed {
                    action: "journal",
                    message: e.to_string(),
                };
                return Err(self.rollback(plan, &mut j, i, failed, error, journal).await);
            }
        }
        // Every step is applied and stays so, whatever happens to the journal.
        journal.clear().map_err(|e| Failed {
            left: plan
                .steps
                .iter()
                .map(|s| format!("{}: {}", s.label, s.action.label()))
                .collect(),
            ..local(e, "removing the push journal".into())
        })
    }

    /// Applies one step; returns what a create made.
    async fn run(&self, step: &Step) -> Result<Option<Value>, CloudError> {
        let p = self.provider(&step.key)?;
        let after = step.after.as_ref().map(|a| p.resolve(a));
        match (step.action, &step.before, &after) {
            (Action::Create, _, Some(after)) => p.create(&step.key, after).await.map(Some),
            (Action::Update, Some(before), Some(after)) => {
                p.update(&step.key, before, after).await.map(|_| None)
            }
            (Action::Replace, Some(before), Some(after)) => {
                p.delete(&step.key, before).await?;
                p.create(&step.key, after).await.map(Some)
            }
            (Action::Delete, Some(before), _) => p.delete(&step.key, before).await.map(|_| None),
            _ => Ok(None),
        }
    }

    /// Brings a resource back to `before`, from whatever state it is in now
    /// (as this run knows it: [`Provider::read_own`]). A resource that holds
    /// users is never deleted by an undo.
    async fn restore(&self, key: &Key, before: Option<&Value>) -> Result<(), CloudError> {
        let p = self.provider(key)?;
        let live = p.read_own(key).await?;
        match (live.as_ref(), before) {
            (None, None) => Ok(()),
            (Some(l), None) => match l.get("users").and_then(Value::as_i64) {
                Some(users) if users > 0 => Err(CloudError::Failed {
                    action: "undo",
                    message: format!("{key} was not deleted: it holds {users} users"),
                }),
                _ => p.delete(key, l).await,
            },
            (None, Some(b)) => p.create(key, b).await.map(|_| ()),
            (Some(l), Some(b)) if p.same(l, b) => Ok(()),
            (Some(l), Some(b)) if p.replaces(l, b) => {
                p.delete(key, l).await?;
                p.create(key, b).await.map(|_| ())
            }
            (Some(l), Some(b)) => p.update(key, l, b).await,
        }
    }

    /// Undoes steps `0..=failed_at` in reverse; the journal keeps what could not be undone.
    async fn rollback(
        &self,
        plan: &Plan,
        j: &mut Journal,
        failed_at: usize,
        step: String,
        error: CloudError,
        journal: &JournalFile<'_>,
    ) -> Failed {
        let mut left = Vec::new();
        // A create whose reply never came may have made the resource: it is
        // looked up by name, so that the undo finds and removes it too.
        let s = &plan.steps[failed_at];
        if error.outcome_unknown()
            && matches!(s.action, Action::Create | Action::Replace)
            && let Ok(p) = self.provider(&s.key)
        {
            p.search_for(&s.key);
            let _ = p.read(&s.key).await;
        }
        for i in (0..=failed_at).rev() {
            let s = &plan.steps[i];
            match self.restore(&s.key, s.before.as_ref()).await {
                Ok(()) => j.steps[i].status = Status::Undone,
                Err(e) => left.push(format!("{} ({e})", s.label)),
            }
            let _ = journal.save(j);
        }
        let restored = left.is_empty() && journal.clear().is_ok();
        Failed {
            step,
            error,
            restored,
            left,
        }
    }
}

/// `order` cut into levels: each target after every level holding one of its
/// dependencies.
fn levels(targets: &[Target], order: &[usize]) -> Vec<Vec<usize>> {
    let mut depth: BTreeMap<&Key, usize> = BTreeMap::new();
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for &i in order {
        let t = &targets[i];
        let d = t
            .deps
            .iter()
            .filter_map(|k| depth.get(k))
            .map(|d| d + 1)
            .max()
            .unwrap_or(0);
        depth.insert(&t.key, d);
        if levels.len() <= d {
            levels.resize(d + 1, Vec::new());
        }
        levels[d].push(i);
    }
    levels
}

/// Target indexes with every dependency before its dependents (input order kept
/// where the graph allows); a cycle is an error.
fn topo_order(targets: &[Target]) -> Result<Vec<usize>, CloudError> {
    let index: BTreeMap<&Key, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.key, i))
        .collect();
    let mut done = vec![false; targets.len()];
    let mut order = Vec::with_capacity(targets.len());
    while order.len() < targets.len() {
        let ready = (0..targets.len()).find(|&i| {
            !done[i]
                && targets[i]
                    .deps
                    .iter()
                    .all(|d| index.get(d).is_none_or(|&j| done[j]))
        });
        match ready {
            Some(i) => {
                done[i] = true;
                order.push(i);
            }
            None => {
                return Err(CloudError::Failed {
                    action: "plan",
                    message: "the resources depend on each other in a cycle".into(),
                });
            }
        }
    }
    Ok(order)
}
