//! Lambda triggers of a managed auth resource: what the walkthrough, flags or
//! a headless request select ([`Selection`]: modules per trigger, the values
//! they ask for, existing functions to attach), checked in one place, and the
//! function resources Amplify keeps for them ([`files`]). Pure.

pub mod catalog;
pub mod env;
pub mod files;
pub mod package;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use catalog::{CUSTOM, Module, Scope, Trigger};

use crate::auth::ids;

/// A resource's triggers as selected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// The modules each trigger's function runs (cli-inputs.json `triggers`).
    #[serde(default)]
    pub modules: BTreeMap<Trigger, Vec<String>>,
    /// The modules' values, by environment variable (`GROUP`, `DOMAINDENYLIST`).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// Existing Lambda functions attached as they are, by ARN.
    #[serde(default)]
    pub functions: BTreeMap<Trigger, String>,
}

/// Amplify's category of function resources.
pub const FUNCTION: &str = "function";

/// The values that are secrets: kept in the deployment secrets, never in the project.
pub const SECRET_PARAMS: &[&str] = &["RECAPTCHASECRET"];

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty() && self.functions.is_empty()
    }

    /// Whether `trigger` runs `module`.
    pub fn runs(&self, trigger: Trigger, module: &str) -> bool {
        self.modules
            .get(&trigger)
            .is_some_and(|m| m.iter().any(|x| x == module))
    }

    /// The params the selected modules use, each once.
    pub fn used_params(&self) -> Vec<&'static catalog::Param> {
        let mut out: Vec<&catalog::Param> = Vec::new();
        for m in self
            .modules
            .values()
            .flatten()
            .filter_map(|m| catalog::module(m))
        {
            for p in m.params {
                if !out.iter().any(|o| o.key == p.key) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Every problem, each naming the flag or key that fixes it.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (t, modules) in &self.modules {
            if modules.is_empty() {
                out.push(format!(
                    "{} has no module: pick at least one, or leave the trigger out",
                    t.label()
                ));
            }
            for m in modules {
                if !catalog::offered(*t, m) {
                    let offered: Vec<&str> = t.modules().map(|m| m.name).chain([CUSTOM]).collect();
                    out.push(format!(
                        "'{m}' is not a module of the {} trigger: use one of {}",
                        t.label(),
                        offered.join(", ")
                    ));
                }
            }
            if self.functions.contains_key(t) {
                out.push(format!(
                    "{} has both modules and an existing function (--trigger-function): choose one",
                    t.label()
                ));
            }
        }
        for (t, arn) in &self.functions {
            if let Err(e) = check_function_arn(arn) {
                out.push(format!("--trigger-function {}={arn}: {e}", t.word()));
            }
        }
        for p in self.used_params() {
            let value = self.params.get(p.key).map(String::as_str).unwrap_or("");
            if let Err(e) = check_param(p.key, value) {
                out.push(format!("--{} ({}): {e}", p.id, p.key));
            }
        }
        out
    }
}

/// `arn:aws:lambda:<region>:<account>:function:<name>`.
pub fn check_function_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.split(':').collect();
    let ok = parts.len() >= 7
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "lambda"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5] == "function"
        && !parts[6].is_empty();
    if ok {
        Ok(())
    } else {
        Err("not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)".into())
    }
}

/// The rule of one module value.
pub fn check_param(key: &str, value: &str) -> Result<(), String> {
    let v = value.trim();
    match key {
        "GROUP" => crate::auth::model::GroupName::parse(v).map(|_| ()),
        "DOMAINDENYLIST" | "DOMAINALLOWLIST" => {
            let domains: Vec<&str> = v
                .split(',')
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .collect();
            if domains.is_empty() {
                return Err("give at least one domain, e.g. 'example.com, example.org'".into());
            }
            match domains.iter().find(|d| !is_domain(d)) {
                Some(bad) => Err(format!("'{bad}' is not a domain name")),
                None => Ok(()),
            }
        }
        "REDIRECTURL" => {
            if (v.starts_with("https://") || v.starts_with("http://")) && v.len() > 8 {
                Ok(())
            } else {
                Err("give a URL starting with https:// (or http://localhost)".into())
            }
        }
        "EMAILSUBJECT" | "EMAILMESSAGE" | "RECAPTCHASECRET" if v.is_empty() => {
            Err("give a value".into())
        }
        "OLDUSERPOOLID" => ids::UserPoolId::parse(v).map(|_| ()),
        "OLDCLIENTID" => ids::ClientId::parse(v).map(|_| ()),
        "CLAIMSTOADD" if !v.is_empty() => match serde_json::from_str::<serde_json::Value>(v) {
            Ok(serde_json::Value::Object(o)) if o.values().all(|x| x.is_string()) => Ok(()),
            _ => Err(
                "give a JSON object of claim names and string values, e.g. {\"tier\":\"gold\"}"
                    .into(),
            ),
        },
        _ => Ok(()),
    }
}

fn is_domain(d: &str) -> bool {
    d.contains('.')
        && !d.starts_with('.')
        && !d.ends_with('.')
        && d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// One trigger of a resource, as an env deploys it.
#[derive(Clone, Debug)]
pub struct TriggerFacts {
    pub trigger: Trigger,
    pub source: TriggerSource,
}

#[derive(Clone, Debug)]
pub enum TriggerSource {
    /// A function of the project (`amplify/backend/function/<name>`).
    Function {
        /// Its resource name (`<auth resource><Trigger>`).
        name: String,
        modules: Vec<String>,
        /// The modules' values for the env.
        params: BTreeMap<String, String>,
        /// Its package's SHA-256 (empty when only its name matters).
        code_sha256: String,
    },
    /// An existing function, attached as it is.
    Attached { arn: String },
}

/// The function resource Amplify names for a trigger of `resource`.
pub fn function_name(resource: &str, trigger: Trigger) -> String {
    format!("{resource}{}", trigger.amplify())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(modules: &[(Trigger, &str)], params: &[(&str, &str)]) -> Selection {
        let mut s = Selection::default();
        for (t, m) in modules {
            s.modules.entry(*t).or_default().push(m.to_string());
        }
        for (k, v) in params {
            s.params.insert(k.to_string(), v.to_string());
        }
        s
    }

    #[test]
    fn a_module_needs_its_values() {
        let s = selection(&[(Trigger::PostConfirmation, "add-to-group")], &[]);
        let p = s.problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("--add-to-group (GROUP)"), "{p:?}");
        let s = selection(
            &[(Trigger::PostConfirmation, "add-to-group")],
            &[("GROUP", "admins")],
        );
        assert!(s.problems().is_empty());
    }

    #[test]
    fn a_module_belongs_to_its_trigger() {
        let s = selection(&[(Trigger::PreSignup, "add-to-group")], &[("GROUP", "a")]);
        assert!(s.problems()[0].contains("not a module of the Pre Sign-up trigger"));
    }

    #[test]
    fn values_are_checked() {
        for (k, bad) in [
            ("DOMAINDENYLIST", ""),
            ("DOMAINDENYLIST", "spam.com, not a domain"),
            ("REDIRECTURL", "example.com"),
            ("OLDUSERPOOLID", "pool"),
            ("CLAIMSTOADD", "[1]"),
        ] {
            assert!(check_param(k, bad).is_err(), "{k}={bad}");
        }
        assert!(check_param("DOMAINDENYLIST", "spam.com, junk.org").is_ok());
        assert!(check_param("CLAIMSTOADD", "").is_ok());
        assert!(check_function_arn("arn:aws:lambda:us-east-1:123456789012:function:f").is_ok());
        assert!(check_function_arn("arn:aws:lambda:us-east-1:1234:function:f").is_err());
    }
}
