//! One resource type, typed, on the engine: a [`Resource`] reads, creates,
//! updates and deletes its own spec type and declares which fields only a
//! create sets; [`Typed`] is the one adapter to the engine's [`Provider`]
//! (the JSON the journal holds, references, compare, the plan's lines).

use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::engine::{Key, Provider};
use super::fields::{changes, same_spec, sorted_list};
use super::registry::Registry;
use crate::cloud::CloudError;

/// A resource as it is in the cloud: its spec and the ids the cloud gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct Live<S> {
    pub spec: S,
    /// The physical id (a role's or a group's name, a pool's generated id).
    pub id: String,
    pub arn: Option<String>,
    /// How many users a user pool holds (what a delete would lose).
    pub users: Option<i64>,
}

impl<S> Live<S> {
    pub fn new(spec: S, id: impl Into<String>) -> Self {
        Live {
            spec,
            id: id.into(),
            arn: None,
            users: None,
        }
    }

    pub fn with_arn(mut self, arn: impl Into<String>) -> Self {
        self.arn = Some(arn.into());
        self
    }
}

impl<S: Serialize> Live<S> {
    /// As the journal and the pushed state hold it: `{"spec", "id", "arn"?, "users"?}`.
    pub fn to_value(&self) -> Value {
        let mut v = json!({"spec": self.spec, "id": self.id});
        if let Some(a) = &self.arn {
            v["arn"] = json!(a);
        }
        if let Some(u) = self.users {
            v["users"] = json!(u);
        }
        v
    }
}

impl<S: DeserializeOwned> Live<S> {
    /// A missing or empty id is an error, never an empty id sent to AWS.
    pub fn from_value(v: &Value) -> Result<Self, CloudError> {
        let id = v["id"]
            .as_str()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| unreadable("a resource read from the cloud has no id".into()))?;
        Ok(Live {
            spec: spec_of(v)?,
            id: id.to_string(),
            arn: v["arn"].as_str().map(str::to_string),
            users: v["users"].as_i64(),
        })
    }
}

fn unreadable(message: String) -> CloudError {
    CloudError::Failed {
        action: "push",
        message,
    }
}

/// The spec of `{"spec": ...}`.
pub fn spec_of<T: DeserializeOwned>(v: &Value) -> Result<T, CloudError> {
    serde_json::from_value(v.get("spec").cloned().unwrap_or(Value::Null))
        .map_err(|e| unreadable(format!("unreadable resource state: {e}")))
}

/// One resource type authwiz deploys. Futures are awaited on one thread (the
/// engine's), so they need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Resource {
    type Spec: Serialize + DeserializeOwned;
    const KIND: &'static str;
    /// The spec's fields (as serialized) that only a create sets: a change to
    /// one needs a new resource, which push refuses or does as a replacement.
    const CREATE_ONLY: &'static [&'static str] = &[];
    /// Fields that are set at create and not compared after (another tool's
    /// to change), nor shown in the plan's changes.
    const UNCOMPARED: &'static [&'static str] = &[];
    /// A list field kept sorted, as a read returns it, once references are filled.
    const SORTED: Option<&'static str> = None;

    fn registry(&self) -> &Registry;
    /// The resource as it is now, `None` when it does not exist.
    async fn read(&self, key: &Key) -> Result<Option<Live<Self::Spec>>, CloudError>;
    /// The resource as this run knows it, for an undo (see [`Provider::read_own`]).
    async fn read_own(&self, key: &Key) -> Result<Option<Live<Self::Spec>>, CloudError> {
        self.read(key).await
    }
    async fn create(&self, key: &Key, spec: Self::Spec) -> Result<Live<Self::Spec>, CloudError>;
    /// Sends the whole state: what the files want over what is live.
    async fn update(
        &self,
        key: &Key,
        live: Live<Self::Spec>,
        wanted: Self::Spec,
    ) -> Result<(), CloudError>;
    async fn delete(&self, key: &Key, live: Live<Self::Spec>) -> Result<(), CloudError>;
    /// Whether the change grants something that was not granted before.
    fn broadens(&self, _before: Option<&Self::Spec>, _after: Option<&Self::Spec>) -> bool {
        false
    }
}

/// A [`Resource`] as the engine's [`Provider`].
pub struct Typed<R>(pub R);

impl<R: Resource> Typed<R> {
    fn wanted(&self, desired: &Value) -> Result<R::Spec, CloudError> {
        spec_of(&self.0.registry().complete(desired)?)
    }

    /// `v` without the fields that do not compare.
    fn compared(v: &Value) -> Value {
        let mut v = v.clone();
        if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
            for f in R::UNCOMPARED {
                spec.remove(*f);
            }
        }
        v
    }
}

fn to_values<S: Serialize>(live: Option<Live<S>>) -> Option<Value> {
    live.as_ref().map(Live::to_value)
}

impl<R: Resource> Provider for Typed<R> {
    fn kind(&self) -> &'static str {
        R::KIND
    }

    fn read<'a>(&'a self, key: &'a Key) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        Box::pin(async move { Ok(to_values(self.0.read(key).await?)) })
    }

    fn read_own<'a>(
        &'a self,
        key: &'a Key,
    ) -> LocalBoxFuture<'a, Result<Option<Value>, CloudError>> {
        Box::pin(async move { Ok(to_values(self.0.read_own(key).await?)) })
    }

    fn create<'a>(
        &'a self,
        key: &'a Key,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<Value, CloudError>> {
        Box::pin(async move {
            let spec = self.wanted(desired)?;
            Ok(self.0.create(key, spec).await?.to_value())
        })
    }

    fn update<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
        desired: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        Box::pin(async move {
            let wanted = self.wanted(desired)?;
            self.0.update(key, Live::from_value(live)?, wanted).await
        })
    }

    fn delete<'a>(
        &'a self,
        key: &'a Key,
        live: &'a Value,
    ) -> LocalBoxFuture<'a, Result<(), CloudError>> {
        Box::pin(async move { self.0.delete(key, Live::from_value(live)?).await })
    }

    fn resolve(&self, desired: &Value) -> Value {
        let v = self.0.registry().resolve(desired);
        match R::SORTED {
            Some(list) => sorted_list(v, list),
            None => v,
        }
    }

    fn same(&self, live: &Value, desired: &Value) -> bool {
        same_spec(&Self::compared(live), &Self::compared(desired))
    }

    fn replaces(&self, live: &Value, desired: &Value) -> bool {
        let (l, d) = (&live["spec"], &desired["spec"]);
        R::CREATE_ONLY.iter().any(|k| l.get(*k) != d.get(*k))
    }

    fn describe(&self, before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
        let (before, after) = (before.map(Self::compared), after.map(Self::compared));
        changes(before.as_ref(), after.as_ref())
    }

    fn search_for(&self, key: &Key) {
        self.0.registry().search_for(key);
    }

    fn broadens(&self, before: Option<&Value>, after: Option<&Value>) -> bool {
        // What cannot be read as the spec is taken to broaden: the plan asks.
        let parse = |v: Option<&Value>| v.map(spec_of::<R::Spec>).transpose();
        match (parse(before), parse(after)) {
            (Ok(b), Ok(a)) => self.0.broadens(b.as_ref(), a.as_ref()),
            _ => true,
        }
    }
}
