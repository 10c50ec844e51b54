//! `pull auth`: the live values of fields changed outside authwiz, taken into
//! the project's files (cli-inputs.json, or override.json where that file sets
//! the field) so that a console change is kept instead of set back.

use crate::vocab::PasswordRule;
use serde_json::{Map, Value, json};

use super::drift::{FieldDrift, ResourceDrift, State};
use crate::auth::managed::overrides::{IDENTITY_POOL, NATIVE_CLIENT, USER_POOL, WEB_CLIENT};
use crate::auth::model::{CognitoConfig, Number};

/// What a pull took into the files and what it could not.
#[derive(Debug, Default, PartialEq)]
pub struct Pulled {
    /// `<resource>: field: pushed → live`, each now in the files.
    pub taken: Vec<String>,
    /// What the files cannot say, with why; a push sets these back.
    pub left: Vec<String>,
    /// override.json was changed.
    pub overrides_changed: bool,
}

/// Takes the live value of every drifted field the files can hold into
/// `config` and `overrides` (override.json's document, `{}` when there is none).
pub fn take(drift: &[ResourceDrift], config: &mut CognitoConfig, overrides: &mut Value) -> Pulled {
    let mut out = Pulled::default();
    // The clients share cli-inputs' refresh token: it moves there only when
    // both changed alike, else into the changed client's override.
    let refresh: Vec<(&str, &Value)> = drift
        .iter()
        .filter_map(|r| {
            let f = r.fields.iter().find(|f| f.field == "refreshTokenDays")?;
            Some((r.section?, &f.live))
        })
        .collect();
    let shared_refresh = refresh.len() == 2 && refresh[0].1 == refresh[1].1;
    for r in drift {
        if r.state == State::Gone {
            out.left.push(format!(
                "{}: gone from the cloud (`authwiz push` makes it again)",
                r.label
            ));
            continue;
        }
        for f in &r.fields {
            let took = match r.section {
                Some(section) => take_field(section, f, config, overrides, shared_refresh),
                None => Err("authwiz makes it from the auth resource's settings"),
            };
            match took {
                Ok(in_overrides) => {
                    out.overrides_changed |= in_overrides;
                    out.taken.push(format!("{}: {}", r.label, f.line()));
                }
                Err(why) => out.left.push(format!("{}: {}: {why}", r.label, f.line())),
            }
        }
    }
    out
}

/// Takes one field; `Ok(true)` when it went into override.json.
fn take_field(
    section: &str,
    f: &FieldDrift,
    config: &mut CognitoConfig,
    overrides: &mut Value,
    shared_refresh: bool,
) -> Result<bool, &'static str> {
    let overridden = |path: &str, overrides: &Value| overrides[section].get(path).is_some();
    let set_override = |path: &str, overrides: &mut Value| {
        if !overrides[section].is_object() {
            overrides[section] = Value::Object(Map::new());
        }
        overrides[section][path] = f.live.clone();
    };
    // An override path is a field of its own, set only by override.json.
    if f.field.contains('.') || f.field.starts_with(char::is_uppercase) {
        set_override(&f.field, overrides);
        return Ok(true);
    }
    let text = || f.live.as_str().map(str::to_string);
    match (section, f.field.as_str()) {
        (USER_POOL, "minLength") => {
            let path = "Policies.PasswordPolicy.MinimumLength";
            if overridden(path, overrides) {
                set_override(path, overrides);
                return Ok(true);
            }
            let n = f.live.as_i64().ok_or("not a number")?;
            config.password_policy_min_length = Some(match config.password_policy_min_length {
                Some(Number::Text(_)) => Number::Text(n.to_string()),
                _ => Number::Int(n),
            });
        }
        (USER_POOL, field) if PasswordRule::ALL.iter().any(|r| r.field() == field) => {
            let Some(rule) = PasswordRule::ALL.into_iter().find(|r| r.field() == field) else {
                return Err("not a password rule");
            };
            let (word, path) = (rule.amplify(), rule.path());
            if overridden(path, overrides) {
                set_override(path, overrides);
                return Ok(true);
            }
            let on = f.live.as_bool().ok_or("not true or false")?;
            let chars = config
                .password_policy_characters
                .get_or_insert_with(Vec::new);
            chars.retain(|c| c != word);
            if on {
                chars.push(word.to_string());
                // Amplify's order: as the walkthrough lists the rules.
                chars.sort_by_key(|c| PasswordRule::ALL.iter().position(|r| r.amplify() == c));
            }
        }
        (USER_POOL, "smsVerificationMessage") => config.sms_verification_message = text(),
        (USER_POOL, "emailVerificationSubject") => config.email_verification_subject = text(),
        (USER_POOL, "emailVerificationMessage") => config.email_verification_message = text(),
        (USER_POOL, "smsAuthenticationMessage") => config.sms_authentication_message = text(),
        (WEB_CLIENT | NATIVE_CLIENT, "refreshTokenDays") => {
            let path = "RefreshTokenValidity";
            if overridden(path, overrides) || !shared_refresh {
                set_override(path, overrides);
                return Ok(true);
            }
            let n = f.live.as_i64().ok_or("not a number")?;
            config.userpool_client_refresh_token_validity = Some(Number::Int(n));
        }
        (IDENTITY_POOL, "allowUnauthenticated") => {
            config.allow_unauthenticated_identities = f.live.as_bool();
        }
        _ => return Err("the files cannot hold it; change it with `authwiz update auth`"),
    }
    Ok(false)
}

/// override.json's document, `{}` when there is none.
pub fn overrides_doc(doc: Option<Value>) -> Value {
    // A new file names its schema first, as `override auth` writes it.
    doc.filter(Value::is_object).unwrap_or_else(
        || json!({crate::auth::managed::overrides::SCHEMA_KEY: crate::schemas::OVERRIDE_URL}),
    )
}
