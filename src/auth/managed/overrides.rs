//! `amplify/backend/auth/<res>/override.json`: what the walkthrough does not
//! ask, as CloudFormation property paths of the resources Amplify's override.ts
//! names (`userPool`, `userPoolClientWeb`, `userPoolClient`, `identityPool`), so
//! that AWS's documentation and Gen 2's escape hatch translate one to one.
//! Checked here (types, values, Cognito's cross-field rules), before anything
//! is sent.

use crate::vocab::{ADVANCED_SECURITY_MODES, MFA_SMS, MFA_TOTP, MfaMode, PasswordRule};
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::auth::model::CognitoConfig;
use crate::cloud::deploy::{ClientOverrides, IdentityPoolOverrides, PoolOverrides};

pub const FILE: &str = "override.json";

/// The key editors follow to the file's JSON Schema: written first when authwiz
/// creates the file, accepted and kept by [`check`], never a setting.
pub const SCHEMA_KEY: &str = "$schema";

pub const USER_POOL: &str = "userPool";
pub const WEB_CLIENT: &str = "userPoolClientWeb";
pub const NATIVE_CLIENT: &str = "userPoolClient";
pub const IDENTITY_POOL: &str = "identityPool";
pub const RESOURCES: [&str; 4] = [USER_POOL, WEB_CLIENT, NATIVE_CLIENT, IDENTITY_POOL];
const CLIENTS: &[&str] = &[WEB_CLIENT, NATIVE_CLIENT];

/// What a path takes.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Int(i64, i64),
    Bool,
    Text,
    One(&'static [&'static str]),
    Many(&'static [&'static str]),
    /// `[{"Name": verified_email|verified_phone_number|admin_only, "Priority": 1|2}]`
    Recovery,
}

pub struct PathSpec {
    /// The resources that have the path (both app clients share theirs).
    pub resources: &'static [&'static str],
    pub path: &'static str,
    pub ty: Ty,
    /// The Cognito API setting it becomes (docs/overrides.md).
    pub api: &'static str,
}

const FACTORS: &[&str] = &["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"];
const MFAS: &[&str] = &["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"];
const FLOWS: &[&str] = &[
    "ALLOW_USER_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
];
const UNITS: &[&str] = &["seconds", "minutes", "hours", "days"];

const fn p(
    resources: &'static [&'static str],
    path: &'static str,
    ty: Ty,
    api: &'static str,
) -> PathSpec {
    PathSpec {
        resources,
        path,
        ty,
        api,
    }
}

/// Every path authwiz maps onto the API.
pub const PATHS: &[PathSpec] = &[
    p(
        &[USER_POOL],
        "Policies.PasswordPolicy.MinimumLength",
        Ty::Int(6, 99),
        "CreateUserPool/UpdateUserPool Policies.PasswordPolicy.MinimumLength",
    ),
    p(
        &[USER_POOL],
        PasswordRule::Lowercase.path(),
        Ty::Bool,
        PasswordRule::Lowercase.path(),
    ),
    p(
        &[USER_POOL],
        PasswordRule::Uppercase.path(),
        Ty::Bool,
        PasswordRule::Uppercase.path(),
    ),
    p(
        &[USER_POOL],
        PasswordRule::Numbers.path(),
        Ty::Bool,
        PasswordRule::Numbers.path(),
    ),
    p(
        &[USER_POOL],
        PasswordRule::Symbols.path(),
        Ty::Bool,
        PasswordRule::Symbols.path(),
    ),
    p(
        &[USER_POOL],
        "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
        Ty::Int(0, 365),
        "Policies.PasswordPolicy.TemporaryPasswordValidityDays",
    ),
    p(
        &[USER_POOL],
        "Policies.SignInPolicy.AllowedFirstAuthFactors",
        Ty::Many(FACTORS),
        "Policies.SignInPolicy.AllowedFirstAuthFactors",
    ),
    p(
        &[USER_POOL],
        "MfaConfiguration",
        Ty::One(MfaMode::NAMES),
        "MfaConfiguration / SetUserPoolMfaConfig",
    ),
    p(
        &[USER_POOL],
        "EnabledMfas",
        Ty::Many(MFAS),
        "SetUserPoolMfaConfig Sms/SoftwareToken/EmailMfaConfiguration",
    ),
    p(
        &[USER_POOL],
        "EmailAuthenticationMessage",
        Ty::Text,
        "SetUserPoolMfaConfig EmailMfaConfiguration.Message",
    ),
    p(
        &[USER_POOL],
        "EmailAuthenticationSubject",
        Ty::Text,
        "SetUserPoolMfaConfig EmailMfaConfiguration.Subject",
    ),
    p(
        &[USER_POOL],
        "UserPoolAddOns.AdvancedSecurityMode",
        Ty::One(ADVANCED_SECURITY_MODES),
        "UserPoolAddOns.AdvancedSecurityMode",
    ),
    p(
        &[USER_POOL],
        "WebAuthnRelyingPartyID",
        Ty::Text,
        "SetUserPoolMfaConfig WebAuthnConfiguration.RelyingPartyId",
    ),
    p(
        &[USER_POOL],
        "WebAuthnUserVerification",
        Ty::One(&["required", "preferred"]),
        "SetUserPoolMfaConfig WebAuthnConfiguration.UserVerification",
    ),
    p(
        &[USER_POOL],
        "UserPoolTier",
        Ty::One(&["LITE", "ESSENTIALS", "PLUS"]),
        "UserPoolTier",
    ),
    p(
        &[USER_POOL],
        "DeletionProtection",
        Ty::One(&["ACTIVE", "INACTIVE"]),
        "DeletionProtection",
    ),
    p(
        &[USER_POOL],
        "AccountRecoverySetting.RecoveryMechanisms",
        Ty::Recovery,
        "AccountRecoverySetting.RecoveryMechanisms",
    ),
    p(
        &[USER_POOL],
        "EmailConfiguration.EmailSendingAccount",
        Ty::One(&["COGNITO_DEFAULT", "DEVELOPER"]),
        "EmailConfiguration.EmailSendingAccount",
    ),
    p(
        &[USER_POOL],
        "EmailConfiguration.From",
        Ty::Text,
        "EmailConfiguration.From",
    ),
    p(
        &[USER_POOL],
        "EmailConfiguration.SourceArn",
        Ty::Text,
        "EmailConfiguration.SourceArn",
    ),
    p(
        &[USER_POOL],
        "EmailConfiguration.ReplyToEmailAddress",
        Ty::Text,
        "EmailConfiguration.ReplyToEmailAddress",
    ),
    p(
        CLIENTS,
        "ExplicitAuthFlows",
        Ty::Many(FLOWS),
        "CreateUserPoolClient/UpdateUserPoolClient ExplicitAuthFlows",
    ),
    p(
        CLIENTS,
        "AccessTokenValidity",
        Ty::Int(1, 315_360_000),
        "AccessTokenValidity",
    ),
    p(
        CLIENTS,
        "IdTokenValidity",
        Ty::Int(1, 315_360_000),
        "IdTokenValidity",
    ),
    p(
        CLIENTS,
        "RefreshTokenValidity",
        Ty::Int(1, 315_360_000),
        "RefreshTokenValidity",
    ),
    p(
        CLIENTS,
        "TokenValidityUnits.AccessToken",
        Ty::One(UNITS),
        "TokenValidityUnits.AccessToken",
    ),
    p(
        CLIENTS,
        "TokenValidityUnits.IdToken",
        Ty::One(UNITS),
        "TokenValidityUnits.IdToken",
    ),
    p(
        CLIENTS,
        "TokenValidityUnits.RefreshToken",
        Ty::One(UNITS),
        "TokenValidityUnits.RefreshToken",
    ),
    p(
        CLIENTS,
        "AuthSessionValidity",
        Ty::Int(3, 15),
        "AuthSessionValidity",
    ),
    p(
        CLIENTS,
        "EnableTokenRevocation",
        Ty::Bool,
        "EnableTokenRevocation",
    ),
    p(
        CLIENTS,
        "PreventUserExistenceErrors",
        Ty::One(&["ENABLED", "LEGACY"]),
        "PreventUserExistenceErrors",
    ),
    p(
        &[IDENTITY_POOL],
        "AllowClassicFlow",
        Ty::Bool,
        "CreateIdentityPool/UpdateIdentityPool AllowClassicFlow",
    ),
];

/// The checked overrides: by resource, path → value as the file holds them,
/// and parsed once into the typed settings the deployed resources carry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    paths: BTreeMap<String, BTreeMap<String, Value>>,
    pub user_pool: PoolOverrides,
    pub web_client: ClientOverrides,
    pub native_client: ClientOverrides,
    pub identity_pool: IdentityPoolOverrides,
}

impl Overrides {
    /// One resource's paths as the file sets them.
    pub fn of(&self, resource: &str) -> BTreeMap<String, Value> {
        self.paths.get(resource).cloned().unwrap_or_default()
    }

    /// Every path set, as `<resource>.<path>`.
    pub fn names(&self) -> Vec<String> {
        self.paths
            .iter()
            .flat_map(|(r, paths)| paths.keys().map(move |p| format!("{r}.{p}")))
            .collect()
    }

    pub fn get(&self, resource: &str, path: &str) -> Option<&Value> {
        self.paths.get(resource)?.get(path)
    }

    /// The typed settings of an app client (`userPoolClientWeb` or `userPoolClient`).
    pub fn client(&self, resource: &str) -> &ClientOverrides {
        if resource == WEB_CLIENT {
            &self.web_client
        } else {
            &self.native_client
        }
    }

    /// The checked paths, parsed into the typed settings (lists sorted, as a
    /// read returns them). A path the settings do not hold (the password
    /// policy, MFA: fields of the spec itself) is skipped.
    fn parse(mut self) -> Result<Self, String> {
        fn typed<T: serde::de::DeserializeOwned>(
            o: &Overrides,
            resource: &str,
        ) -> Result<T, String> {
            let map = o.paths.get(resource).cloned().unwrap_or_default();
            serde_json::from_value(Value::Object(map.into_iter().collect()))
                .map_err(|e| format!("{resource}: {e}"))
        }
        self.user_pool = typed(&self, USER_POOL)?;
        self.web_client = typed(&self, WEB_CLIENT)?;
        self.native_client = typed(&self, NATIVE_CLIENT)?;
        self.identity_pool = typed(&self, IDENTITY_POOL)?;
        if let Some(f) = &mut self.user_pool.first_auth_factors {
            f.sort();
        }
        for c in [&mut self.web_client, &mut self.native_client] {
            if let Some(f) = &mut c.explicit_auth_flows {
                f.sort();
            }
        }
        Ok(self)
    }

    fn strs(&self, resource: &str, path: &str) -> Vec<String> {
        self.get(resource, path)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn text(&self, resource: &str, path: &str) -> Option<&str> {
        self.get(resource, path).and_then(Value::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.paths.values().all(BTreeMap::is_empty)
    }

    /// First factors other than the password (passwordless sign-in).
    pub fn passwordless(&self) -> Vec<String> {
        self.strs(USER_POOL, "Policies.SignInPolicy.AllowedFirstAuthFactors")
            .into_iter()
            .filter(|f| f != "PASSWORD")
            .collect()
    }

    pub fn enabled_mfas(&self) -> Option<Vec<String>> {
        self.get(USER_POOL, "EnabledMfas")
            .map(|_| self.strs(USER_POOL, "EnabledMfas"))
    }

    /// The MFA mode and methods (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`):
    /// the overrides' `MfaConfiguration` and `EnabledMfas` where set, else the
    /// walkthrough's.
    pub fn mfa(&self, c: &CognitoConfig) -> (MfaMode, Vec<String>) {
        let mode = self
            .text(USER_POOL, "MfaConfiguration")
            .and_then(MfaMode::parse)
            .or(c.mfa_configuration)
            .unwrap_or_default();
        let methods = self.enabled_mfas().unwrap_or_else(|| {
            c.mfa_types
                .iter()
                .flatten()
                .filter_map(|t| match t.as_str() {
                    MFA_SMS => Some("SMS_MFA".to_string()),
                    MFA_TOTP => Some("SOFTWARE_TOKEN_MFA".to_string()),
                    _ => None,
                })
                .collect()
        });
        (mode, methods)
    }

    pub fn web_authn(&self) -> Option<(String, String)> {
        let rp = self.text(USER_POOL, "WebAuthnRelyingPartyID")?;
        let uv = self
            .text(USER_POOL, "WebAuthnUserVerification")
            .unwrap_or("preferred");
        Some((rp.to_string(), uv.to_string()))
    }
}

/// The file's template: its JSON Schema (for editors), then one empty object
/// per resource.
pub fn template() -> Value {
    let mut doc = Map::new();
    doc.insert(
        SCHEMA_KEY.into(),
        Value::String(crate::schemas::OVERRIDE_URL.into()),
    );
    for r in RESOURCES {
        doc.insert(r.to_string(), Value::Object(Map::new()));
    }
    Value::Object(doc)
}

/// Reads and checks the file's JSON; every problem found, each naming its path
/// and the fix.
pub fn check(doc: &Value, c: &CognitoConfig) -> Result<Overrides, Vec<String>> {
    let mut problems = Vec::new();
    let mut out = Overrides::default();
    let Some(top) = doc.as_object() else {
        return Err(vec![format!(
            "The file must be a JSON object with the keys {}.",
            RESOURCES.join(", ")
        )]);
    };
    for (resource, paths) in top {
        // For editors only (the file's JSON Schema): neither a resource nor a setting.
        if resource == SCHEMA_KEY {
            if !paths.is_string() {
                problems.push(format!(
                    "{SCHEMA_KEY} must be a string: the URL of the file's JSON Schema, {}.",
                    crate::schemas::OVERRIDE_URL
                ));
            }
            continue;
        }
        if !RESOURCES.contains(&resource.as_str()) {
            problems.push(format!(
                "'{resource}' is not a resource authwiz overrides; {}.",
                nearest(resource, RESOURCES.iter().copied())
            ));
            continue;
        }
        let Some(paths) = paths.as_object() else {
            problems.push(format!(
                "{resource} must be an object of property paths (e.g. {{\"{}\": ...}}).",
                PATHS
                    .iter()
                    .find(|p| p.resources.contains(&resource.as_str()))
                    .map_or("", |p| p.path)
            ));
            continue;
        };
        for (path, value) in paths {
            let Some(spec) = PATHS
                .iter()
                .find(|p| p.resources.contains(&resource.as_str()) && p.path == path)
            else {
                problems.push(format!(
                    "{resource}.{path} is not a property authwiz can set; {} (docs/overrides.md lists them all).",
                    nearest(
                        path,
                        PATHS
                            .iter()
                            .filter(|p| p.resources.contains(&resource.as_str()))
                            .map(|p| p.path)
                    )
                ));
                continue;
            };
            match check_value(spec.ty, value) {
                Ok(()) => {
                    out.paths
                        .entry(resource.clone())
                        .or_default()
                        .insert(path.clone(), value.clone());
                }
                Err(why) => problems.push(format!("{resource}.{path}: {why}")),
            }
        }
    }
    if problems.is_empty() {
        problems.extend(rules(&out, c));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    out.parse().map_err(|e| vec![e])
}

fn check_value(ty: Ty, v: &Value) -> Result<(), String> {
    let one_of = |allowed: &[&str]| format!("one of {}", allowed.join(", "));
    match ty {
        Ty::Int(lo, hi) => match v.as_i64() {
            Some(n) if (lo..=hi).contains(&n) => Ok(()),
            _ => Err(format!("{v} is not a whole number from {lo} to {hi}.")),
        },
        Ty::Bool => v
            .is_boolean()
            .then_some(())
            .ok_or_else(|| format!("{v} is not true or false.")),
        Ty::Text => match v.as_str() {
            Some(s) if !s.trim().is_empty() => Ok(()),
            _ => Err(format!("{v} is not a non-empty string.")),
        },
        Ty::One(allowed) => match v.as_str() {
            Some(s) if allowed.contains(&s) => Ok(()),
            _ => Err(format!("{v} is not {}.", one_of(allowed))),
        },
        Ty::Many(allowed) => {
            let Some(items) = v.as_array() else {
                return Err(format!("{v} is not a list of {}.", one_of(allowed)));
            };
            for item in items {
                match item.as_str() {
                    Some(s) if allowed.contains(&s) => {}
                    _ => return Err(format!("{item} is not {}.", one_of(allowed))),
                }
            }
            Ok(())
        }
        Ty::Recovery => {
            let names = ["verified_email", "verified_phone_number", "admin_only"];
            let items = v.as_array().filter(|a| !a.is_empty() && a.len() <= 2);
            let Some(items) = items else {
                return Err(format!(
                    "{v} is not a list of one or two {{\"Name\": {}, \"Priority\": 1|2}}.",
                    names.join("|")
                ));
            };
            for item in items {
                let name_ok = item["Name"].as_str().is_some_and(|n| names.contains(&n));
                let priority_ok = matches!(item["Priority"].as_i64(), Some(1 | 2));
                if !name_ok || !priority_ok {
                    return Err(format!(
                        "{item} is not {{\"Name\": {}, \"Priority\": 1|2}}.",
                        names.join("|")
                    ));
                }
            }
            Ok(())
        }
    }
}

/// Cognito's rules across settings, checked before anything is sent.
/// What EMAIL_OTP as an MFA method needs: SES, a recovery that is not the
/// same email, and a feature plan that has it.
fn email_mfa_rules(o: &Overrides, tier: Option<&str>) -> Vec<String> {
    let up = USER_POOL;
    let mut problems = Vec::new();
    let developer = o.text(up, "EmailConfiguration.EmailSendingAccount") == Some("DEVELOPER");
    if !developer
        || o.text(up, "EmailConfiguration.From").is_none()
        || o.text(up, "EmailConfiguration.SourceArn").is_none()
    {
        problems.push("userPool.EnabledMfas: EMAIL_OTP sends codes through Amazon SES: set EmailConfiguration.EmailSendingAccount to DEVELOPER with EmailConfiguration.SourceArn (your SES identity) and EmailConfiguration.From.".to_string());
    }
    let recovery = o
        .get(up, "AccountRecoverySetting.RecoveryMechanisms")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m["Name"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        });
    match recovery {
        Some(names) if !names.iter().any(|n| n == "verified_email") => {}
        _ => problems.push("userPool.EnabledMfas: with EMAIL_OTP, account recovery must not go through the same email: set AccountRecoverySetting.RecoveryMechanisms to [{\"Name\": \"verified_phone_number\", \"Priority\": 1}] or [{\"Name\": \"admin_only\", \"Priority\": 1}].".to_string()),
    }
    if !matches!(tier, Some("ESSENTIALS" | "PLUS")) {
        problems.push("userPool.EnabledMfas: EMAIL_OTP needs the Essentials or Plus feature plan: set UserPoolTier to ESSENTIALS or PLUS.".to_string());
    }
    problems
}

fn rules(o: &Overrides, c: &CognitoConfig) -> Vec<String> {
    let mut problems = Vec::new();
    let up = USER_POOL;
    let mfas = o.enabled_mfas().unwrap_or_default();
    let sign_in: Vec<String> = c
        .username_attributes
        .iter()
        .chain(c.alias_attributes.iter())
        .flatten()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .collect();
    let tier = o.text(up, "UserPoolTier");
    if mfas.iter().any(|m| m == "EMAIL_OTP") {
        problems.extend(email_mfa_rules(o, tier));
    }
    let passwordless = o.passwordless();
    let factors = o.strs(up, "Policies.SignInPolicy.AllowedFirstAuthFactors");
    if !factors.is_empty() && !factors.iter().any(|f| f == "PASSWORD") {
        problems.push("userPool.Policies.SignInPolicy.AllowedFirstAuthFactors must include PASSWORD (Cognito requires it).".to_string());
    }
    let web_authn_set = o.get(up, "WebAuthnRelyingPartyID").is_some()
        || o.get(up, "WebAuthnUserVerification").is_some();
    if (!passwordless.is_empty() || web_authn_set) && !matches!(tier, Some("ESSENTIALS" | "PLUS")) {
        problems.push("userPool: passwordless sign-in (AllowedFirstAuthFactors other than PASSWORD) and WebAuthn need the Essentials or Plus feature plan: set UserPoolTier to ESSENTIALS or PLUS.".to_string());
    }
    if (passwordless.iter().any(|f| f == "WEB_AUTHN") || web_authn_set)
        && o.get(up, "WebAuthnRelyingPartyID").is_none()
    {
        problems.push("userPool.WebAuthnRelyingPartyID is required for WebAuthn (passkeys): set it to your app's domain (e.g. \"example.com\"; \"localhost\" for local development).".to_string());
    }
    if passwordless.iter().any(|f| f == "EMAIL_OTP") && !sign_in.iter().any(|a| a == "email") {
        problems.push("userPool.Policies.SignInPolicy.AllowedFirstAuthFactors: EMAIL_OTP needs email as a sign-in attribute, which this resource does not have (`add auth` with sign-in by email; it cannot change after).".to_string());
    }
    if passwordless.iter().any(|f| f == "SMS_OTP") && !sign_in.iter().any(|a| a == "phone_number") {
        problems.push("userPool.Policies.SignInPolicy.AllowedFirstAuthFactors: SMS_OTP needs phone_number as a sign-in attribute, which this resource does not have.".to_string());
    }
    if !passwordless.is_empty() {
        let flows = o.strs(WEB_CLIENT, "ExplicitAuthFlows");
        if !flows.iter().any(|f| f == "ALLOW_USER_AUTH") {
            problems.push("userPoolClientWeb.ExplicitAuthFlows must include ALLOW_USER_AUTH for choice-based (passwordless) sign-in, e.g. [\"ALLOW_USER_AUTH\", \"ALLOW_USER_SRP_AUTH\", \"ALLOW_REFRESH_TOKEN_AUTH\"].".to_string());
        }
    }
    if matches!(
        o.text(up, "UserPoolAddOns.AdvancedSecurityMode"),
        Some("AUDIT" | "ENFORCED")
    ) && tier != Some("PLUS")
    {
        problems.push("userPool.UserPoolAddOns.AdvancedSecurityMode: threat protection needs the Plus feature plan: set UserPoolTier to PLUS.".to_string());
    }
    for client in [WEB_CLIENT, NATIVE_CLIENT] {
        let flows = o.strs(client, "ExplicitAuthFlows");
        if o.get(client, "ExplicitAuthFlows").is_some()
            && !flows.iter().any(|f| f == "ALLOW_REFRESH_TOKEN_AUTH")
        {
            problems.push(format!("{client}.ExplicitAuthFlows must include ALLOW_REFRESH_TOKEN_AUTH (Cognito requires it with the ALLOW_ flows)."));
        }
    }
    problems
}

/// "did you mean" for a misspelled key: the closest names, or all of them.
fn nearest<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> String {
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| (distance(&word.to_lowercase(), &n.to_lowercase()), n))
        .collect();
    scored.sort();
    let best: Vec<&str> = scored
        .iter()
        .filter(|(d, _)| *d <= scored.first().map_or(0, |f| f.0) + 2)
        .take(3)
        .map(|(_, n)| *n)
        .collect();
    format!("the nearest valid ones: {}", best.join(", "))
}

/// Edit distance (Levenshtein).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(username: &[&str]) -> CognitoConfig {
        CognitoConfig {
            username_attributes: Some(username.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }
    }

    fn problems(doc: Value, username: &[&str]) -> Vec<String> {
        check(&doc, &config(username)).err().unwrap_or_default()
    }

    #[test]
    fn an_unknown_path_names_the_nearest_valid_ones() {
        let p = problems(
            json!({"userPool": {"Policies.PasswordPolicy.MinimumLenght": 9}}),
            &[],
        );
        assert_eq!(p.len(), 1);
        assert!(
            p[0].contains("userPool.Policies.PasswordPolicy.MinimumLenght is not a property")
                && p[0].contains("Policies.PasswordPolicy.MinimumLength"),
            "{p:?}"
        );
        let p = problems(json!({"userpool": {}}), &[]);
        assert!(p[0].contains("the nearest valid ones: userPool"), "{p:?}");
    }

    #[test]
    fn a_wrong_value_names_the_allowed_ones() {
        let p = problems(
            json!({"userPool": {"UserPoolTier": "GOLD", "Policies.PasswordPolicy.MinimumLength": 200},
                   "userPoolClientWeb": {"ExplicitAuthFlows": ["ALLOW_MAGIC"]}}),
            &[],
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p.iter()
                .any(|x| x.contains("\"GOLD\" is not one of LITE, ESSENTIALS, PLUS"))
        );
        assert!(
            p.iter()
                .any(|x| x.contains("200 is not a whole number from 6 to 99"))
        );
        assert!(
            p.iter()
                .any(|x| x.contains("\"ALLOW_MAGIC\" is not one of ALLOW_USER_AUTH"))
        );
    }

    #[test]
    fn email_mfa_needs_ses_recovery_and_a_plan() {
        let p = problems(
            json!({"userPool": {"EnabledMfas": ["EMAIL_OTP"]}}),
            &["email"],
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].contains("EmailSendingAccount to DEVELOPER"));
        assert!(p[1].contains("AccountRecoverySetting.RecoveryMechanisms"));
        assert!(p[2].contains("ESSENTIALS or PLUS"));
        let ok = json!({"userPool": {
            "EnabledMfas": ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"],
            "MfaConfiguration": "OPTIONAL",
            "UserPoolTier": "ESSENTIALS",
            "EmailConfiguration.EmailSendingAccount": "DEVELOPER",
            "EmailConfiguration.From": "no-reply@example.com",
            "EmailConfiguration.SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "AccountRecoverySetting.RecoveryMechanisms": [{"Name": "verified_phone_number", "Priority": 1}]
        }});
        assert!(check(&ok, &config(&["email"])).is_ok());
    }

    #[test]
    fn passwordless_needs_a_plan_a_relying_party_user_auth_and_the_sign_in_attribute() {
        let p = problems(
            json!({"userPool": {"Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN", "EMAIL_OTP", "SMS_OTP"]}}),
            &["email"],
        );
        assert_eq!(p.len(), 4, "{p:?}");
        assert!(p[0].contains("Essentials or Plus"));
        assert!(p[1].contains("WebAuthnRelyingPartyID is required"));
        assert!(p[2].contains("SMS_OTP needs phone_number"));
        assert!(p[3].contains("ALLOW_USER_AUTH"));
        let p = problems(
            json!({"userPool": {"Policies.SignInPolicy.AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP"], "UserPoolTier": "ESSENTIALS"},
                   "userPoolClientWeb": {"ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}}),
            &[],
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("EMAIL_OTP needs email as a sign-in attribute"));
        assert!(
            problems(json!({"userPool": {"Policies.SignInPolicy.AllowedFirstAuthFactors": ["EMAIL_OTP"]}}), &["email"])
                .iter()
                .any(|x| x.contains("must include PASSWORD"))
        );
    }

    #[test]
    fn threat_protection_needs_plus_and_flows_need_refresh() {
        let p = problems(
            json!({"userPool": {"UserPoolAddOns.AdvancedSecurityMode": "ENFORCED", "UserPoolTier": "ESSENTIALS"},
                   "userPoolClient": {"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]}}),
            &[],
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("Plus feature plan"));
        assert!(
            p[1].contains("userPoolClient.ExplicitAuthFlows must include ALLOW_REFRESH_TOKEN_AUTH")
        );
    }

    #[test]
    fn the_template_has_every_resource_and_checks_clean() {
        assert!(check(&template(), &config(&[])).unwrap().is_empty());
    }

    #[test]
    fn the_schema_key_comes_first_and_is_kept_but_never_a_setting() {
        let doc = template();
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys[0], SCHEMA_KEY);
        assert_eq!(doc[SCHEMA_KEY], crate::schemas::OVERRIDE_URL);
        let o = check(
            &json!({"$schema": "https://example.com/any.json", "userPool": {"UserPoolTier": "PLUS"}}),
            &config(&[]),
        )
        .unwrap();
        assert_eq!(o.names(), vec!["userPool.UserPoolTier".to_string()]);
        assert!(o.get(SCHEMA_KEY, "").is_none() && o.of(SCHEMA_KEY).is_empty());
        let p = problems(json!({"$schema": 5}), &[]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("$schema must be a string"), "{p:?}");
        assert!(!p[0].contains("not a resource"), "{p:?}");
    }
}
