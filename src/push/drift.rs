//! Drift: how the cloud differs from what the last push made, field by field,
//! and which settings it holds that the project's files do not set.

use serde::Serialize;
use serde_json::Value;

use super::engine::{Engine, Key, Target};
use super::fields::{field_changes, shown};
use crate::cloud::CloudError;

/// One field changed outside authwiz: what the last push set, what is live.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldDrift {
    pub field: String,
    pub pushed: Value,
    pub live: Value,
}

impl FieldDrift {
    /// `field: pushed → live`, secrets masked.
    pub fn line(&self) -> String {
        format!(
            "{}: {} → {}",
            self.field,
            shown(&self.field, &self.pushed),
            shown(&self.field, &self.live)
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// As the last push left it.
    Same,
    Changed,
    /// Recorded by the last push, no longer in the cloud.
    Gone,
}

/// One resource the last push made, as the cloud holds it now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResourceDrift {
    #[serde(skip)]
    pub key: Key,
    /// Which of the auth resource's parts it is, as override.json names them
    /// (`userPool`, `userPoolClientWeb`...), when it is one.
    #[serde(skip)]
    pub section: Option<&'static str>,
    #[serde(rename = "resource")]
    pub label: String,
    pub state: State,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDrift>,
    /// Settings present that the project's files do not set
    /// (`LambdaConfig.PreSignUp`), kept as they are by every push.
    #[serde(rename = "notManaged", skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<String>,
}

/// Reads every resource the last push made (`pushed`: its targets) and
/// compares it with what that push set. Read-only.
pub async fn read(
    engine: &Engine<'_>,
    pushed: &[Target],
) -> Result<Vec<ResourceDrift>, CloudError> {
    let mut out = Vec::new();
    for (t, live) in engine.read_all(pushed).await? {
        let Some(desired) = &t.desired else {
            continue;
        };
        let desired = engine.resolve(&t.key, desired)?;
        let (state, fields) = match &live {
            None => (State::Gone, Vec::new()),
            Some(l) if engine.holds(&t.key, l, &desired)? => (State::Same, Vec::new()),
            Some(l) => {
                let fields: Vec<FieldDrift> = field_changes(l, &desired)
                    .into_iter()
                    .map(|c| FieldDrift {
                        field: c.field,
                        pushed: c.wanted,
                        live: c.live,
                    })
                    .collect();
                let state = if fields.is_empty() {
                    State::Same
                } else {
                    State::Changed
                };
                (state, fields)
            }
        };
        let unmanaged = live
            .as_ref()
            .map(|l| set_paths(&l["spec"]["others"]))
            .unwrap_or_default();
        out.push(ResourceDrift {
            key: t.key.clone(),
            section: None,
            label: t.label.clone(),
            state,
            fields,
            unmanaged,
        });
    }
    Ok(out)
}

/// Values every new resource has (AWS's defaults): not a setting made elsewhere.
const DEFAULTS: &[(&str, &str)] = &[
    ("AdminCreateUserConfig.UnusedAccountValidityDays", "7"),
    (
        "VerificationMessageTemplate.DefaultEmailOption",
        "\"CONFIRM_WITH_CODE\"",
    ),
    (
        "AdminCreateUserConfig.InviteMessageTemplate.SMSMessage",
        "\"Your username is {username} and temporary password is {####}. \"",
    ),
    (
        "AdminCreateUserConfig.InviteMessageTemplate.EmailMessage",
        "\"Your username is {username} and temporary password is {####}. \"",
    ),
    (
        "AdminCreateUserConfig.InviteMessageTemplate.EmailSubject",
        "\"Your temporary password\"",
    ),
];

/// The dotted paths of the settings `others` holds (`LambdaConfig.PreSignUp`):
/// every leaf that is set, AWS's defaults aside.
fn set_paths(others: &Value) -> Vec<String> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&path, x, out);
                }
            }
            Value::Null | Value::Bool(false) => {}
            Value::String(s) if s.is_empty() => {}
            Value::Array(a) if a.is_empty() => {}
            _ => {
                let text = v.to_string();
                if !DEFAULTS.iter().any(|(p, d)| *p == prefix && *d == text) {
                    out.push(prefix.to_string());
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", others, &mut out);
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_paths_name_each_setting_and_skip_defaults() {
        let others = json!({
            "LambdaConfig": {"PreSignUp": "arn:aws:lambda:us-east-1:1:function:f"},
            "DeviceConfiguration": {"ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": false},
            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": false, "UnusedAccountValidityDays": 7},
            "OpenIdConnectProviderARNs": [],
        });
        assert_eq!(
            set_paths(&others),
            vec![
                "DeviceConfiguration.ChallengeRequiredOnNewDevice",
                "LambdaConfig.PreSignUp"
            ]
        );
    }
}
