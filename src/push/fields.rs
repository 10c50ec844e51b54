//! How two states of a resource compare, field by field, and how the plan
//! names a change: override paths are fields of their own, secrets are
//! masked, a trust policy is summed up, a reference is named in words.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::registry::readable;

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
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<String> {
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

/// What to send of a map the cloud also fills: the wanted entries over the
/// live ones. An override path the file no longer names, or a tag another
/// tool set, is left as it is.
pub fn kept<V: Clone>(
    live: &BTreeMap<String, V>,
    wanted: &BTreeMap<String, V>,
) -> BTreeMap<String, V> {
    let mut all = live.clone();
    all.extend(wanted.iter().map(|(k, v)| (k.clone(), v.clone())));
    all
}

/// `v` with the spec's list `key` sorted.
pub fn sorted_list(mut v: Value, key: &str) -> Value {
    if let Some(list) = v["spec"].get_mut(key).and_then(Value::as_array_mut) {
        list.sort_by_key(|x| x.to_string());
    }
    v
}

pub fn same_spec(live: &Value, desired: &Value) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::engine::Key;
    use crate::push::registry::id_of;

    #[test]
    fn the_plan_names_new_resources_in_words() {
        let ip = Key::new("identity-pool", "x__dev");
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
