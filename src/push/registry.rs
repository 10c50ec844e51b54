//! The physical ids and ARNs a push knows, and the references through which a
//! resource names another that may not exist yet.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::engine::{Action, Journal, Key, Status};
use crate::cloud::CloudError;

/// What a reference asks of the resource it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    Id,
    Arn,
}

/// A reference to the id or ARN of a resource that may not exist yet. It is
/// held inside a spec's strings (a trust policy, a role's name embeds one), as
/// `@{<kind>/<name>:id}`, and filled from the [`Registry`] before each compare
/// and again when the step runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub key: Key,
    pub attr: Attr,
}

impl Ref {
    pub fn id(key: &Key) -> Ref {
        Ref {
            key: key.clone(),
            attr: Attr::Id,
        }
    }

    pub fn arn(key: &Key) -> Ref {
        Ref {
            key: key.clone(),
            attr: Attr::Arn,
        }
    }
}

impl std::fmt::Display for Ref {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let attr = match self.attr {
            Attr::Id => "id",
            Attr::Arn => "arn",
        };
        write!(f, "@{{{}:{attr}}}", slot(&self.key))
    }
}

/// A reference to another resource's id, as a spec's string holds it.
pub fn id_of(key: &Key) -> String {
    Ref::id(key).to_string()
}

pub fn arn_of(key: &Key) -> String {
    Ref::arn(key).to_string()
}

/// A piece of a spec's string: text as it is, or a reference.
#[derive(Debug, PartialEq)]
enum Piece<'t> {
    Text(&'t str),
    Ref(Ref),
}

/// The one parser of references: `text` as its literal parts and references.
/// A name may itself hold a reference (a group role's holds its pool's id),
/// so a reference ends at its matching brace; an unclosed one is text.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        let mut depth = 0;
        let end = rest[start + 1..].char_indices().find_map(|(i, ch)| {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            (ch == '}' && depth == 0).then_some(start + 1 + i)
        });
        let parsed = end.and_then(|end| {
            let inner = &rest[start + 2..end];
            let (target, attr) = inner.rsplit_once(':')?;
            let (kind, name) = target.split_once('/')?;
            let attr = match attr {
                "id" => Attr::Id,
                "arn" => Attr::Arn,
                _ => return None,
            };
            Some((
                Ref {
                    key: Key::new(kind, name),
                    attr,
                },
                end,
            ))
        });
        let Some((r, end)) = parsed else {
            break;
        };
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        out.push(Piece::Ref(r));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// `@{identity-pool/N:id}` → `<id of the new identity-pool N>`, for the plan.
pub fn readable(text: &str) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t.to_string(),
            Piece::Ref(r) => {
                let attr = match r.attr {
                    Attr::Id => "id",
                    Attr::Arn => "arn",
                };
                format!(
                    "<{attr} of the new {} {}>",
                    r.key.kind,
                    readable(&r.key.name)
                )
            }
        })
        .collect()
}

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

    /// Forgets what lives inside the user pool `pool` (its clients, groups,
    /// providers: keys `<pool>/<name>`), as when the pool is replaced.
    pub fn forget_children(&self, pool: &str) {
        let inside = format!("/{pool}/");
        self.found
            .borrow_mut()
            .retain(|slot, _| !slot.contains(&inside));
    }

    /// A key not to be looked for by name (a pool being replaced: the one of
    /// its name is the old one).
    pub fn stop_searching(&self, key: &Key) {
        self.search.borrow_mut().remove(&slot(key));
    }

    pub fn searching(&self, key: &Key) -> bool {
        self.search.borrow().contains(&slot(key))
    }

    /// Whether `id` is the physical id of a `kind` this run knows.
    pub fn knows_id(&self, kind: &str, id: &str) -> bool {
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
        let found = self.found.borrow();
        pieces(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => Some(t.to_string()),
                Piece::Ref(r) => {
                    let f = found.get(&slot(&r.key))?;
                    match r.attr {
                        Attr::Id => Some(f.id.clone()),
                        Attr::Arn => f.arn.clone(),
                    }
                }
            })
            .collect()
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
    pub fn complete(&self, v: &Value) -> Result<Value, CloudError> {
        let v = self.resolve(v);
        let text = v.to_string();
        let missing: Vec<String> = pieces(&text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Ref(r) => Some(readable(&r.to_string())),
                Piece::Text(_) => None,
            })
            .collect();
        if missing.is_empty() {
            return Ok(v);
        }
        // Named, not printed: the value may hold a provider's secret.
        Err(CloudError::Failed {
            action: "push",
            message: format!(
                "a resource this one needs was not created first ({})",
                missing.join(", ")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_filled_once_known() {
        let r = Registry::default();
        let pool = Key::new("user-pool", "p-dev");
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
        let role = Key::new("iam-role", format!("{}-adminsGroupRole", id_of(&pool)));
        assert_eq!(r.fill(&arn_of(&role)), None);
        r.know(&role, "us-east-1_abc-adminsGroupRole", Some("arn:role"));
        assert_eq!(r.fill(&arn_of(&role)).as_deref(), Some("arn:role"));
        assert_eq!(
            r.fill(&role.name).as_deref(),
            Some("us-east-1_abc-adminsGroupRole")
        );
    }

    #[test]
    fn a_reference_is_named_in_words_and_an_unclosed_one_is_text() {
        let pool = Key::new("user-pool", "p-dev");
        assert_eq!(
            readable(&format!("x/{}", id_of(&pool))),
            "x/<id of the new user-pool p-dev>"
        );
        assert_eq!(readable("a @{b"), "a @{b");
    }
}
