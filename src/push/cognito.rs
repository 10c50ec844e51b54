//! Amplify-managed auth on the apply engine: one provider per resource type
//! (user pool, app client, hosted UI domain, social provider, group, identity
//! pool, IAM role), and the [`Registry`] of physical ids they share.
//!
//! A resource's key is its name (a child's is `<user pool>/<name>`); its value
//! is `{"spec": ...}` as wanted and `{"spec", "id", "arn", "users"}` as read.
//! What a resource needs from another that may not exist yet (a client's user
//! pool id, a role's ARN) is written in the spec as a reference,
//! `@{<kind>/<name>:id}` or `...:arn`, filled from the registry before each
//! compare (at plan) and again when the step runs.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::engine::{Action, Engine, Journal, Key, Provider, Status};
use super::storage::RolePolicies;
use crate::cloud::CloudError;
use crate::cloud::deploy::{
    ClientSpec, Deploy, GroupSpec, IdentityPoolSpec, LivePool, PoolRoles, PoolSpec, ProviderSpec,
    RoleSpec,
};
use crate::cloud::iam::Iam;

pub const USER_POOL: &str = "user-pool";
pub const CLIENT: &str = "user-pool-client";
pub const DOMAIN: &str = "user-pool-domain";
pub const SOCIAL: &str = "identity-provider";
pub const GROUP: &str = "user-pool-group";
pub const IDENTITY_POOL: &str = "identity-pool";
pub const POOL_ROLES: &str = "identity-pool-roles";
pub const ROLE: &str = "iam-role";

#[derive(Clone, Debug, Default)]
struct Found {
    id: String,
    arn: Option<String>,
    /// A client's secret, from the call that read or made it (kept in memory
    /// only, never in the journal).
    secret: Option<String>,
}

/// The physical ids and ARNs known so far, by key: from the last push's
/// record, from an unfinished push's journal, and from every read and create.
#[derive(Default)]
pub struct Registry {
    found: RefCell<BTreeMap<String, Found>>,
    /// Keys an unfinished push may have created without recording the id:
    /// looked for by name before anything is created again.
    search: RefCell<BTreeSet<String>>,
}

fn slot(key: &Key) -> String {
    format!("{}/{}", key.kind, key.name)
}

/// A reference to another resource's id (or ARN), filled in when known.
pub fn id_of(key: &Key) -> String {
    format!("@{{{}:id}}", slot(key))
}

pub fn arn_of(key: &Key) -> String {
    format!("@{{{}:arn}}", slot(key))
}

impl Registry {
    pub fn know(&self, key: &Key, id: &str, arn: Option<&str>) {
        if id.is_empty() {
            return;
        }
        self.found.borrow_mut().insert(
            slot(key),
            Found {
                id: id.to_string(),
                arn: arn.map(str::to_string),
                secret: None,
            },
        );
    }

    /// What an unfinished push made: the ids it recorded, and the creates it
    /// may have made without recording (looked for by name before anything is
    /// created again).
    pub fn resume(&self, journal: Option<&Journal>) {
        for s in journal.map(|j| j.steps.as_slice()).unwrap_or_default() {
            if let Some(created) = &s.created {
                if let Some(id) = created["id"].as_str() {
                    self.know(&s.key, id, created["arn"].as_str());
                }
            } else if matches!(s.action, Action::Create | Action::Replace)
                && s.status == Status::Pending
            {
                self.search_for(&s.key);
            }
        }
    }

    /// A recorded id that is gone from the cloud.
    pub fn forget(&self, key: &Key) {
        self.found.borrow_mut().remove(&slot(key));
    }

    pub fn know_secret(&self, key: &Key, secret: Option<String>) {
        if let Some(f) = self.found.borrow_mut().get_mut(&slot(key)) {
            f.secret = secret;
        }
    }

    pub fn secret(&self, key: &Key) -> Option<String> {
        self.found
            .borrow()
            .get(&slot(key))
            .and_then(|f| f.secret.clone())
    }

    pub fn search_for(&self, key: &Key) {
        self.search.borrow_mut().insert(slot(key));
    }

    fn searching(&self, key: &Key) -> bool {
        self.search.borrow().contains(&slot(key))
    }

    /// Whether `id` is the physical id of a `kind` this run knows.
    fn knows_id(&self, kind: &str, id: &str) -> bool {
        let prefix = format!("{kind}/");
        self.found
            .borrow()
            .iter()
            .any(|(slot, f)| slot.starts_with(&prefix) && f.id == id)
    }

    pub fn id(&self, key: &Key) -> Option<String> {
        self.found.borrow().get(&slot(key)).map(|f| f.id.clone())
    }

    pub fn arn(&self, key: &Key) -> Option<String> {
        self.found
            .borrow()
            .get(&slot(key))
            .and_then(|f| f.arn.clone())
    }

    /// `text` with every reference it holds filled in; `None` while one is unknown.
    pub fn fill(&self, text: &str) -> Option<String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("@{") {
            out.push_str(&rest[..start]);
            // A name may itself hold a reference (a group role's holds its
            // pool's id): the reference ends at the matching brace.
            let mut depth = 0;
            let mut end = None;
            for (i, ch) in rest[start + 1..].char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(start + 1 + i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let end = end?;
            let inner = &rest[start + 2..end];
            let (target, attr) = inner.rsplit_once(':')?;
            let found = self.found.borrow();
            let f = found.get(target)?;
            match attr {
                "id" => out.push_str(&f.id),
                "arn" => out.push_str(f.arn.as_deref()?),
                _ => return None,
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// Every string of `v` with its references filled in where known.
    pub fn resolve(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.fill(s).unwrap_or_else(|| s.clone())),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.resolve(x)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), self.resolve(x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// What a create or update sends: every reference must be known by then.
    fn complete<T: DeserializeOwned>(&self, v: &Value) -> Result<T, CloudError> {
        let v = self.resolve(v);
        if v.to_string().contains("@{") {
            // Named, not printed: the value may hold a provider's secret.
            return Err(CloudError::Failed {
                action: "push",
                message: format!(
                    "a resource this one needs was not created first ({})",
                    readable(&v.to_string())
                        .split('<')
                        .filter_map(|p| p.split_once('>').map(|(r, _)| format!("<{r}>")))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        spec_of(&v)
    }
}

/// The physical id of a resource as read (a missing one is an error, never
/// an empty id sent to AWS).
fn live_id(live: &Value) -> Result<&str, CloudError> {
    live["id"]
        .as_str()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| CloudError::Failed {
            action: "push",
            message: "a resource read from the cloud has no id".into(),
        })
}

fn spec_of<T: DeserializeOwned>(v: &Value) -> Result<T, CloudError> {
    serde_json::from_value(v.get("spec").cloned().unwrap_or(Value::Null)).map_err(|e| {
        CloudError::Failed {
            action: "push",
            message: format!("unreadable resource state: {e}"),
        }
    })
}

fn value<T: Serialize>(spec: &T, id: &str, arn: Option<&str>) -> Value {
    let mut v = json!({"spec": spec, "id": id});
    if let Some(a) = arn {
        v["arn"] = json!(a);
    }
    v
}

/// The resources' shared view of the cloud and of what is known.
pub struct Managed<'a, D> {
    pub cloud: &'a D,
    pub registry: &'a Registry,
}

/// The tag authwiz puts on what it makes (`auth/<resource>`).
pub const OWNER_TAG: &str = "authwiz:resource";

/// A pool found by name is taken over only if authwiz made it: one the Amplify
/// CLI deploys (same names) stays its own.
fn ours(key: &Key, tags: &BTreeMap<String, String>) -> Result<(), CloudError> {
    if tags.contains_key(OWNER_TAG) {
        return Ok(());
    }
    Err(CloudError::Failed {
        action: "push",
        message: format!(
            "{key} exists but authwiz did not make it (it has no {OWNER_TAG} tag; the Amplify CLI deploys pools under the same names). authwiz does not take it over: push this env with the Amplify CLI, or remove the auth resource and add it again under new names."
        ),
    })
}

/// `<user pool>/<child>` → (user pool key, child name).
fn parent(key: &Key) -> (Key, String) {
    let (pool, child) = key.name.split_once('/').unwrap_or((&key.name, ""));
    (Key::new(USER_POOL, pool), child.to_string())
}

/// A spec flattened to its fields: override paths are fields of their own;
/// what the files do not set (tags, the name, `others`) is not one.
fn fields(v: Option<&Value>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for (k, x) in v
        .and_then(|v| v.get("spec"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        match (k.as_str(), x.as_object()) {
            ("overrides", Some(o)) => out.extend(o.iter().map(|(p, y)| (p.clone(), y.clone()))),
            // Settings the files do not set are sent back as they are.
            ("tags" | "name" | "others", _) => {}
            _ => {
                out.insert(k.clone(), x.clone());
            }
        }
    }
    out
}

/// One field that differs between what is live and what is wanted.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub live: Value,
    pub wanted: Value,
}

/// The fields in which `live` is not `wanted` (only the override paths
/// `wanted` sets are compared).
pub fn field_changes(live: &Value, wanted: &Value) -> Vec<FieldChange> {
    let (b, a) = (
        fields(Some(&comparable(live, wanted))),
        fields(Some(wanted)),
    );
    let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (old, new) = (
                b.get(k).cloned().unwrap_or(Value::Null),
                a.get(k).cloned().unwrap_or(Value::Null),
            );
            (old != new).then(|| FieldChange {
                field: k.clone(),
                live: old,
                wanted: new,
            })
        })
        .collect()
}

/// An update's lines when the last push's spec is known: a field the files
/// did not change but the cloud did is drift, named as such.
pub fn update_lines(live: &Value, wanted: &Value, pushed: &Value) -> Vec<String> {
    let pushed = fields(Some(pushed));
    field_changes(live, wanted)
        .iter()
        .map(|c| {
            let (from, to) = (shown(&c.field, &c.live), shown(&c.field, &c.wanted));
            if pushed.get(&c.field).unwrap_or(&Value::Null) == &c.wanted {
                format!(
                    "changed outside authwiz: {}: {to} → {from}; set back to {to}",
                    c.field
                )
            } else {
                format!("{}: {from} → {to}", c.field)
            }
        })
        .collect()
}

/// Field-by-field differences between two specs, secrets masked; a create
/// lists what it sets, a delete what it loses.
fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
    match (before, after) {
        (None, Some(_)) => fields(after)
            .iter()
            .filter(|(_, v)| {
                !(matches!(v, Value::Null | Value::Bool(false))
                    || v.as_array().is_some_and(Vec::is_empty)
                    || v.as_object().is_some_and(|o| o.is_empty()))
            })
            .map(|(k, v)| format!("{k}: {}", shown(k, v)))
            .collect(),
        (Some(b), None) => b
            .get("users")
            .and_then(Value::as_i64)
            .map(|users| format!("users in the pool: {users}"))
            .into_iter()
            .collect(),
        (Some(b), Some(a)) => field_changes(b, a)
            .iter()
            .map(|c| {
                format!(
                    "{}: {} → {}",
                    c.field,
                    shown(&c.field, &c.live),
                    shown(&c.field, &c.wanted)
                )
            })
            .collect(),
        (None, None) => Vec::new(),
    }
}

/// A value as the plan shows it: secrets masked, a trust policy summed up,
/// references to what does not exist yet named in words.
pub fn shown(key: &str, v: &Value) -> String {
    let mut v = v.clone();
    if key == "details"
        && let Some(o) = v.as_object_mut()
    {
        for (k, x) in o.iter_mut() {
            if k.contains("secret") || k == "private_key" {
                *x = json!("********");
            }
        }
    }
    let text = if key == "trust" {
        trust_summary(&v)
    } else {
        v.to_string()
    };
    readable(&text)
}

/// `Federated cognito-identity.amazonaws.com (amr authenticated, aud X)`.
fn trust_summary(trust: &Value) -> String {
    let statements = trust["Statement"].as_array().cloned().unwrap_or_default();
    statements
        .iter()
        .map(|s| {
            let principal = s["Principal"]
                .as_object()
                .and_then(|o| o.iter().next())
                .map(|(k, v)| format!("{k} {}", v.as_str().map_or(v.to_string(), str::to_string)))
                .unwrap_or_default();
            let mut conditions = Vec::new();
            for (_, c) in s["Condition"].as_object().into_iter().flatten() {
                for (k, v) in c.as_object().into_iter().flatten() {
                    let k = k.rsplit(':').next().unwrap_or(k);
                    let v = v.as_str().map_or(v.to_string(), str::to_string);
                    conditions.push(format!("{k} {v}"));
                }
            }
            if conditions.is_empty() {
                principal
            } else {
                format!("{principal} ({})", conditions.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `@{identity-pool/N:id}` → `<id of identity-pool N>`.
fn readable(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        out.push_str(&rest[..start]);
        let mut depth = 0;
        let mut end = rest.len() - 1;
        for (i, ch) in rest[start + 1..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + 1 + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &rest[start + 2..end];
        let (target, attr) = inner.rsplit_once(':').unwrap_or((inner, "id"));
        let (kind, name) = target.split_once('/').unwrap_or((target, ""));
        out.push_str(&format!("<{attr} of the new {kind} {}>", readable(name)));
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// What to send of a map the cloud also fills: the wanted entries over the
/// live ones. An override path the file no longer names, or a tag another
/// tool set, is left as it is.
fn kept<V: Clone>(live: &BTreeMap<String, V>, wanted: &BTreeMap<String, V>) -> BTreeMap<String, V> {
    let mut all = live.clone();
    all.extend(wanted.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// `v` with the spec's list `key` sorted.
fn sorted_list(mut v: Value, key: &str) -> Value {
    if let Some(list) = v["spec"].get_mut(key).and_then(Value::as_array_mut) {
        list.sort_by_key(|x| x.to_string());
    }
    v
}

fn same_spec(live: &Value, desired: &Value) -> bool {
    comparable(live, desired).get("spec") == desired.get("spec")
}

/// `live` with only the override paths `desired` sets: a path the overrides
/// file does not name is left as it is, not compared.
fn comparable(live: &Value, desired: &Value) -> Value {
    let mut live = live.clone();
    let wanted = desired["spec"]["overrides"].as_object();
    if let Some(spec) = live.get_mut("spec").and_then(Value::as_object_mut) {
        let kept: Map<String, Value> = spec
            .get("overrides")
            .and_then(Value::as_object)
            .map(|o| {
                o.iter()
                    .filter(|(k, _)| wanted.is_some_and(|w| w.contains_key(*k)))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        if kept.is_empty() {
            spec.remove("overrides");
        } else {
            spec.insert("overrides".into(), Value::Object(kept));
        }
        // What the files do not set is not theirs to compare.
        if desired["spec"].get("others").is_none() {
            spec.remove("others");
        }
        // AWS adds details and mappings of its own to a social provider
        // (authorize_url, token_url, username ← sub...), and another tool may
        // tag a resource (a cost center): only those set compare.
        for field in ["details", "attributeMapping", "tags"] {
            let set = desired["spec"][field].as_object();
            if let (Some(set), Some(Value::Object(o))) = (set, spec.get_mut(field)) {
                o.retain(|k, _| set.contains_key(k));
            }
        }
    }
    live
}

macro_rules! boxed {
    ($body:expr) => {
        Box::pin(async move { $body })
    };
}

pub struct UserPools<'a, D>(pub &'a Managed<'a, D>);

/// A user pool as read: its spec, ids and how many users it holds.
fn pool_value(pool: &LivePool) -> Value {
    let mut v = value(&pool.spec, &pool.id, Some(&pool.arn));
    v["users"] = json!(pool.users);
    v
}

impl<D: Deploy> Provider for UserPools<'_, D> {
    fn kind(&self) -> &'static str {
        USER_POOL
    }

    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let Some(id) = m.registry.id(key) else {
                return Ok(None);
            };
            Ok(m.cloud.read_user_pool(&id).await?.as_ref().map(pool_value))
        })
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let known = m.registry.id(key);
            let mut pool = match &known {
                Some(id) => m.cloud.read_user_pool(id).await?,
                None => None,
            };
            // No recorded id, or one that is gone (an undo makes things again
            // under new ids): the pool is looked for by name, and taken only if
            // authwiz made it.
            if pool.is_none()
                && (known.is_some() || m.registry.searching(key))
                && let Some(id) = m.cloud.find_user_pool(&key.name).await?
            {
                pool = m.cloud.read_user_pool(&id).await?;
                if let Some(p) = &pool {
                    ours(key, &p.spec.tags)?;
                }
            }
            let Some(pool) = pool else {
                // Gone: what refers to it waits for the pool this push makes.
                m.registry.forget(key);
                return Ok(None);
            };
            m.registry.know(key, &pool.id, Some(&pool.arn));
            Ok(Some(pool_value(&pool)))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        boxed!({
            let m = self.0;
            let spec: PoolSpec = m.registry.complete(desired)?;
            let (id, arn) = m.cloud.create_user_pool(&spec).await?;
            // Known before the next call, so that a failure below undoes it.
            m.registry.know(key, &id, Some(&arn));
            // A new pool has MFA off; only anything else needs the call.
            if spec.needs_mfa_call() {
                m.cloud.set_mfa(&id, &spec).await?;
            }
            Ok(value(&spec, &id, Some(&arn)))
        })
    }

    fn update<'a>(
        &'a self,
        _key: &'a Key,
        live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!({
            let m = self.0;
            let mut spec: PoolSpec = m.registry.complete(desired)?;
            let was: PoolSpec = spec_of(live)?;
            // UpdateUserPool resets what it is not sent: settings the overrides
            // file no longer names stay as they are.
            spec.overrides = kept(&was.overrides, &spec.overrides);
            spec.others = was.others.clone();
            spec.tags = kept(&was.tags, &spec.tags);
            let id = live_id(live)?;
            // The MFA mode changes with its configuration (SetUserPoolMfaConfig,
            // after); UpdateUserPool keeps the one the pool has until then.
            let first = PoolSpec {
                mfa: was.mfa,
                ..spec.clone()
            };
            m.cloud.update_user_pool(id, &first).await?;
            if was.mfa_settings() != spec.mfa_settings() {
                m.cloud.set_mfa(id, &spec).await?;
            }
            Ok(())
        })
    }

    fn delete<'a>(
        &'a self,
        _key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!(self.0.cloud.delete_user_pool(live_id(live)?).await)
    }

    fn resolve(&self, desired: &Value) -> Value {
        self.0.registry.resolve(desired)
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        same_spec(live, desired)
    }

    fn replaces(&self, live: &Value, desired: &Value) -> bool {
        // What UpdateUserPool cannot change (`update auth` refuses these).
        let (l, d) = (&live["spec"], &desired["spec"]);
        [
            "usernameAttributes",
            "aliasAttributes",
            "requiredAttributes",
            "caseSensitive",
        ]
        .iter()
        .any(|k| l.get(*k) != d.get(*k))
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        changes(before, after)
    }
}

pub struct Clients<'a, D>(pub &'a Managed<'a, D>);

impl<D: Deploy> Provider for Clients<'_, D> {
    fn kind(&self) -> &'static str {
        CLIENT
    }

    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let (pool_key, _) = parent(key);
            let (Some(pool), Some(id)) = (m.registry.id(&pool_key), m.registry.id(key)) else {
                return Ok(None);
            };
            let client = m.cloud.read_client(&pool, &id).await?;
            Ok(client.map(|c| value(&c.spec, &c.id, None)))
        })
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let (pool_key, name) = parent(key);
            let Some(pool) = m.registry.id(&pool_key) else {
                return Ok(None);
            };
            let mut found = None;
            if let Some(id) = m.registry.id(key) {
                found = m.cloud.read_client(&pool, &id).await?;
            }
            // A client is one of its pool's: by name when its id is not (or no
            // longer) known.
            if found.is_none()
                && let Some(id) = m.cloud.find_client(&pool, &name).await?
            {
                found = m.cloud.read_client(&pool, &id).await?;
            }
            let Some(client) = found else {
                return Ok(None);
            };
            m.registry.know(key, &client.id, None);
            m.registry.know_secret(key, client.secret);
            Ok(Some(value(&client.spec, &client.id, None)))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        boxed!({
            let m = self.0;
            let spec: ClientSpec = m.registry.complete(desired)?;
            let pool = pool_id(m, key)?;
            let client = m.cloud.create_client(&pool, &spec).await?;
            m.registry.know(key, &client.id, None);
            m.registry.know_secret(key, client.secret);
            Ok(value(&spec, &client.id, None))
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!({
            let m = self.0;
            let mut spec: ClientSpec = m.registry.complete(desired)?;
            let was: ClientSpec = spec_of(live)?;
            // UpdateUserPoolClient resets what it is not sent (as UpdateUserPool).
            spec.overrides = kept(&was.overrides, &spec.overrides);
            spec.others = was.others;
            let pool = pool_id(m, key)?;
            let id = live_id(live)?;
            m.cloud.update_client(&pool, id, &spec).await
        })
    }

    fn delete<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!({
            let m = self.0;
            let pool = pool_id(m, key)?;
            m.cloud.delete_client(&pool, live_id(live)?).await
        })
    }

    fn resolve(&self, desired: &Value) -> Value {
        self.0.registry.resolve(desired)
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        same_spec(live, desired)
    }

    fn replaces(&self, live: &Value, desired: &Value) -> bool {
        // A client secret is chosen when the client is made.
        live["spec"]["generateSecret"] != desired["spec"]["generateSecret"]
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        changes(before, after)
    }
}

fn pool_id<D>(m: &Managed<'_, D>, key: &Key) -> Result<String, CloudError> {
    let (pool_key, _) = parent(key);
    m.registry.id(&pool_key).ok_or_else(|| CloudError::Failed {
        action: "push",
        message: format!("the user pool of {key} does not exist"),
    })
}

pub struct Domains<'a, D>(pub &'a Managed<'a, D>);

impl<D: Deploy> Provider for Domains<'_, D> {
    fn kind(&self) -> &'static str {
        DOMAIN
    }

    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        // A prefix is global: only one that answers to a pool of this run is its own.
        boxed!({
            let live = self.read(key).await?;
            Ok(live.filter(|l| {
                l["spec"]["userPool"]
                    .as_str()
                    .is_some_and(|p| self.0.registry.knows_id(USER_POOL, p))
            }))
        })
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let pool = self.0.cloud.read_domain(&key.name).await?;
            Ok(pool.map(|p| json!({"spec": {"domain": key.name, "userPool": p}, "id": key.name})))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        boxed!({
            let m = self.0;
            let v = m.registry.resolve(desired);
            let pool = domain_pool(&v)?;
            m.cloud.create_domain(&pool, &key.name).await?;
            Ok(json!({"spec": v["spec"], "id": key.name}))
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        // Only the pool can differ, which `replaces` makes a replacement (and
        // push refuses): an update in place never happens.
        let _ = (live, desired);
        boxed!(Err(CloudError::Failed {
            action: "push",
            message: format!("{key} cannot be updated in place"),
        }))
    }

    fn delete<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!({
            let pool = domain_pool(live)?;
            self.0.cloud.delete_domain(&pool, &key.name).await
        })
    }

    fn resolve(&self, desired: &Value) -> Value {
        self.0.registry.resolve(desired)
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        same_spec(live, desired)
    }

    fn replaces(&self, _live: &Value, _desired: &Value) -> bool {
        true
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        changes(before, after)
    }
}

fn domain_pool(v: &Value) -> Result<String, CloudError> {
    v["spec"]["userPool"]
        .as_str()
        .filter(|p| !p.contains("@{"))
        .map(str::to_string)
        .ok_or_else(|| CloudError::Failed {
            action: "push",
            message: "the hosted UI domain's user pool does not exist".into(),
        })
}

/// A provider for what lives inside a user pool under its own name (social
/// identity providers, groups): found through the pool's id, no id of its own.
macro_rules! pool_child {
    ($(#[$doc:meta])* $name:ident, $kind:expr, $spec:ty, $read:ident, $create:ident, $update:ident, $delete:ident) => {
        $(#[$doc])*
        pub struct $name<'a, D>(pub &'a Managed<'a, D>);

        impl<D: Deploy> Provider for $name<'_, D> {
            fn kind(&self) -> &'static str {
                $kind
            }

            fn read<'a>(
                &'a self,
                key: &'a Key,
            ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
                boxed!({
                    let m = self.0;
                    let (pool_key, name) = parent(key);
                    let Some(pool) = m.registry.id(&pool_key) else {
                        return Ok(None);
                    };
                    let spec = m.cloud.$read(&pool, &name).await?;
                    Ok(spec.map(|s| value(&s, &name, None)))
                })
            }

            fn create<'a>(
                &'a self,
                key: &'a Key,
                desired: &'a Value,
            ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
                boxed!({
                    let m = self.0;
                    let spec: $spec = m.registry.complete(desired)?;
                    m.cloud.$create(&pool_id(m, key)?, &spec).await?;
                    Ok(value(&spec, &spec.name, None))
                })
            }

            fn update<'a>(
                &'a self,
                key: &'a Key,
                live: &'a Value,
                desired: &'a Value,
            ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
                boxed!({
                    let m = self.0;
                    let mut spec: $spec = m.registry.complete(desired)?;
                    // UpdateGroup / UpdateIdentityProvider reset what they are not sent.
                    spec.others = spec_of::<$spec>(live)?.others;
                    m.cloud.$update(&pool_id(m, key)?, &spec).await
                })
            }

            fn delete<'a>(
                &'a self,
                key: &'a Key,
                _live: &'a Value,
            ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
                boxed!({
                    let m = self.0;
                    let (_, name) = parent(key);
                    m.cloud.$delete(&pool_id(m, key)?, &name).await
                })
            }

            fn resolve(&self, desired: &Value) -> Value {
                self.0.registry.resolve(desired)
            }

            fn same(&self, live: &Value, desired: &Value) -> bool {
                same_spec(live, desired)
            }

            fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
                changes(before, after)
            }
        }
    };
}

pool_child!(
    /// Social identity providers of a user pool (Google, Facebook, ...).
    Socials,
    SOCIAL,
    ProviderSpec,
    read_provider,
    create_provider,
    update_provider,
    delete_provider
);
pool_child!(
    /// User pool groups.
    Groups,
    GROUP,
    GroupSpec,
    read_group,
    create_group,
    update_group,
    delete_group
);

pub struct IdentityPools<'a, D>(pub &'a Managed<'a, D>);

impl<D: Deploy> Provider for IdentityPools<'_, D> {
    fn kind(&self) -> &'static str {
        IDENTITY_POOL
    }

    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let Some(id) = m.registry.id(key) else {
                return Ok(None);
            };
            let spec = m.cloud.read_identity_pool(&id).await?;
            Ok(spec.map(|s| value(&s, &id, None)))
        })
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let known = m.registry.id(key);
            let mut found = match &known {
                Some(id) => m
                    .cloud
                    .read_identity_pool(id)
                    .await?
                    .map(|s| (id.clone(), s)),
                None => None,
            };
            if found.is_none()
                && (known.is_some() || m.registry.searching(key))
                && let Some(id) = m.cloud.find_identity_pool(&key.name).await?
            {
                found = m.cloud.read_identity_pool(&id).await?.map(|s| (id, s));
                if let Some((_, spec)) = &found {
                    ours(key, &spec.tags)?;
                }
            }
            let Some((id, spec)) = found else {
                m.registry.forget(key);
                return Ok(None);
            };
            m.registry.know(key, &id, None);
            Ok(Some(value(&spec, &id, None)))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        boxed!({
            let m = self.0;
            let spec: IdentityPoolSpec = m.registry.complete(desired)?;
            let id = m.cloud.create_identity_pool(&spec).await?;
            m.registry.know(key, &id, None);
            Ok(value(&spec, &id, None))
        })
    }

    fn update<'a>(
        &'a self,
        _key: &'a Key,
        live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!({
            let m = self.0;
            let mut spec: IdentityPoolSpec = m.registry.complete(desired)?;
            // UpdateIdentityPool resets what it is not sent.
            let was: IdentityPoolSpec = spec_of(live)?;
            spec.others = was.others;
            spec.tags = kept(&was.tags, &spec.tags);
            m.cloud.update_identity_pool(live_id(live)?, &spec).await
        })
    }

    fn delete<'a>(
        &'a self,
        _key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!(self.0.cloud.delete_identity_pool(live_id(live)?).await)
    }

    fn resolve(&self, desired: &Value) -> Value {
        // Sorted once the ids are known, as a read returns them.
        sorted_list(self.0.registry.resolve(desired), "cognitoProviders")
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        same_spec(live, desired)
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        changes(before, after)
    }

    fn broadens(&self, before: Option<&Value>, after: Option<&Value>) -> bool {
        // Guests let in, or the classic flow (any signed-in user may ask for
        // any role the pool's users can assume, group roles included).
        let on = |v: Option<&Value>, f: &dyn Fn(&Value) -> bool| v.is_some_and(f);
        let guests = |v: &Value| v["spec"]["allowUnauthenticated"] == json!(true);
        let classic = |v: &Value| v["spec"]["overrides"]["AllowClassicFlow"] == json!(true);
        (on(after, &guests) && !on(before, &guests))
            || (on(after, &classic) && !on(before, &classic))
    }
}

/// An identity pool's role attachment; its key is the identity pool's name.
pub struct PoolRoleAttachments<'a, D>(pub &'a Managed<'a, D>);

fn identity_pool_id<D>(m: &Managed<'_, D>, key: &Key) -> Result<String, CloudError> {
    m.registry
        .id(&Key::new(IDENTITY_POOL, key.name.clone()))
        .ok_or_else(|| CloudError::Failed {
            action: "push",
            message: format!("the identity pool {} does not exist", key.name),
        })
}

impl<D: Deploy> Provider for PoolRoleAttachments<'_, D> {
    fn kind(&self) -> &'static str {
        POOL_ROLES
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let Ok(id) = identity_pool_id(m, key) else {
                return Ok(None);
            };
            let roles = m.cloud.read_pool_roles(&id).await?;
            // No role attached is no attachment.
            Ok(roles
                .filter(|r| r != &PoolRoles::default())
                .map(|r| value(&r, &id, None)))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        boxed!({
            let m = self.0;
            let roles: PoolRoles = m.registry.complete(desired)?;
            let id = identity_pool_id(m, key)?;
            m.cloud.set_pool_roles(&id, &roles).await?;
            Ok(value(&roles, &id, None))
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a Key,
        _live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!(self.create(key, desired).await.map(|_| ()))
    }

    fn delete<'a>(
        &'a self,
        _key: &'a Key,
        _live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        // An attachment goes only with its identity pool, whose deletion (the
        // next step) takes it along: no call of its own.
        boxed!(Ok(()))
    }

    fn resolve(&self, desired: &Value) -> Value {
        sorted_list(self.0.registry.resolve(desired), "tokenRoleMappings")
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        same_spec(live, desired)
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        changes(before, after)
    }
}

/// IAM roles: their trust (inline policies are `iam-role-policy` resources).
/// A role's name may refer to its user pool's id (group roles).
pub struct Roles<'a, D>(pub &'a Managed<'a, D>);

impl<D: Deploy> Provider for Roles<'_, D> {
    fn kind(&self) -> &'static str {
        ROLE
    }

    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        // A role's name is unique, but one this run neither read nor made is
        // another's (a teammate's push that made it first).
        boxed!({
            if self.0.registry.id(key).is_none() {
                return Ok(None);
            }
            self.read(key).await
        })
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        boxed!({
            let m = self.0;
            let Some(name) = m.registry.fill(&key.name) else {
                return Ok(None);
            };
            let Some((arn, spec)) = m.cloud.read_role(&name).await? else {
                return Ok(None);
            };
            m.registry.know(key, &name, Some(&arn));
            Ok(Some(value(&spec, &name, Some(&arn))))
        })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        boxed!({
            let m = self.0;
            let spec: RoleSpec = m.registry.complete(desired)?;
            let arn = m.cloud.create_role(&spec).await?;
            m.registry.know(key, &spec.name, Some(&arn));
            Ok(value(&spec, &spec.name, Some(&arn)))
        })
    }

    fn update<'a>(
        &'a self,
        _key: &'a Key,
        _live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!({
            let m = self.0;
            let spec: RoleSpec = m.registry.complete(desired)?;
            m.cloud.update_trust(&spec).await
        })
    }

    fn delete<'a>(
        &'a self,
        _key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        boxed!(self.0.cloud.delete_role(live_id(live)?).await)
    }

    fn resolve(&self, desired: &Value) -> Value {
        self.0.registry.resolve(desired)
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        // Tags are set when the role is made; the trust is what matters.
        live["spec"]["name"] == desired["spec"]["name"]
            && live["spec"]["trust"] == desired["spec"]["trust"]
    }

    fn broadens(&self, before: Option<&Value>, after: Option<&Value>) -> bool {
        // A role that exists and comes to trust someone new (the env's roles
        // the Amplify CLI made, now trusting this identity pool).
        before.is_some_and(|b| after.is_some_and(|a| b["spec"]["trust"] != a["spec"]["trust"]))
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        changes(before, after)
            .into_iter()
            .filter(|l| !l.starts_with("tags:"))
            .collect()
    }
}

/// Every provider managed auth needs, over one cloud.
pub fn providers<'a, D: Deploy, I: Iam>(
    m: &'a Managed<'a, D>,
    iam: &'a I,
) -> Vec<Box<dyn Provider + 'a>> {
    vec![
        Box::new(UserPools(m)),
        Box::new(Clients(m)),
        Box::new(Domains(m)),
        Box::new(Socials(m)),
        Box::new(Groups(m)),
        Box::new(IdentityPools(m)),
        Box::new(PoolRoleAttachments(m)),
        Box::new(Roles(m)),
        Box::new(RolePolicies(iam)),
    ]
}

pub fn engine_over<'a>(list: &'a [Box<dyn Provider + 'a>]) -> Engine<'a> {
    let refs: Vec<&dyn Provider> = list.iter().map(|b| b.as_ref()).collect();
    Engine::new(&refs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_filled_once_known() {
        let r = Registry::default();
        let pool = Key::new(USER_POOL, "p-dev");
        let text = format!("cognito-idp.us-east-1.amazonaws.com/{}", id_of(&pool));
        assert_eq!(r.fill(&text), None);
        r.know(&pool, "us-east-1_abc", Some("arn:x"));
        assert_eq!(
            r.fill(&text).as_deref(),
            Some("cognito-idp.us-east-1.amazonaws.com/us-east-1_abc")
        );
        assert_eq!(r.fill(&arn_of(&pool)).as_deref(), Some("arn:x"));
        let v = r.resolve(&json!({"spec": {"a": [text, "plain"]}}));
        assert_eq!(
            v["spec"]["a"][0],
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
        );
        assert_eq!(v["spec"]["a"][1], "plain");
        // A reference to a resource whose name holds a reference.
        let role = Key::new(ROLE, format!("{}-adminsGroupRole", id_of(&pool)));
        assert_eq!(r.fill(&arn_of(&role)), None);
        r.know(&role, "us-east-1_abc-adminsGroupRole", Some("arn:role"));
        assert_eq!(r.fill(&arn_of(&role)).as_deref(), Some("arn:role"));
        assert_eq!(
            r.fill(&role.name).as_deref(),
            Some("us-east-1_abc-adminsGroupRole")
        );
    }

    #[test]
    fn the_plan_names_new_resources_in_words() {
        let ip = Key::new(IDENTITY_POOL, "x__dev");
        let trust = json!({"Statement": [{
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": id_of(&ip)},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}
            }
        }]});
        let lines = changes(
            None,
            Some(&json!({"spec": {"name": "r", "trust": trust, "tags": {"a": "b"}}})),
        );
        assert_eq!(
            lines,
            [
                "trust: Federated cognito-identity.amazonaws.com (aud <id of the new identity-pool x__dev>, amr authenticated)"
            ]
        );
    }

    #[test]
    fn secrets_are_masked_in_the_plan() {
        let before = json!({"spec": {"details": {"client_id": "a", "client_secret": "s1"}}});
        let after = json!({"spec": {"details": {"client_id": "a", "client_secret": "s2"}}});
        let lines = changes(Some(&before), Some(&after));
        assert_eq!(lines.len(), 1);
        assert!(
            !lines[0].contains("s1") && !lines[0].contains("s2"),
            "{lines:?}"
        );
    }
}
