//! The Gen 2 backend's TypeScript (`amplify/auth/resource.ts`,
//! `amplify/backend.ts`, and the folder's package.json and tsconfig.json).
//! Imported auth references the existing resources (`referenceAuth`, or
//! `backend.addOutput` where referenceAuth cannot say it); managed auth is
//! expressed with `defineAuth`, and what defineAuth cannot express goes through
//! `backend.auth.resources.cfnResources`. A setting with no Gen 2 form is
//! listed, never dropped silently. Pure.

use crate::vocab::{PasswordRule, STANDARD_ATTRIBUTES};
use serde_json::{Map, Value, json};

use super::{EnvIds, Export, Source};
use crate::auth::managed::load::Group;
use crate::auth::managed::overrides::{self, Overrides};
use crate::auth::model::CognitoConfig;

fn lit(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn s(text: &str) -> String {
    lit(&json!(text))
}

/// A TypeScript object literal from a JSON object, indented.
fn object(v: &Value, indent: usize) -> String {
    match v {
        Value::Object(o) if !o.is_empty() => {
            let pad = " ".repeat(indent + 2);
            let items: Vec<String> = o
                .iter()
                .map(|(k, x)| {
                    let key = if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        && !k.starts_with(|c: char| c.is_ascii_digit())
                    {
                        k.clone()
                    } else {
                        s(k)
                    };
                    format!("{pad}{key}: {}", object(x, indent + 2))
                })
                .collect();
            format!("{{\n{},\n{}}}", items.join(",\n"), " ".repeat(indent))
        }
        other => lit(other),
    }
}

/// Common files of a Gen 2 backend folder (as `npm create amplify` writes them).
fn scaffold(files: &mut Vec<(String, String)>) {
    files.push((
        "amplify/package.json".into(),
        "{\n  \"type\": \"module\"\n}\n".into(),
    ));
    files.push((
        "amplify/tsconfig.json".into(),
        serde_json::to_string_pretty(&json!({
            "compilerOptions": {
                "target": "es2022",
                "module": "es2022",
                "moduleResolution": "bundler",
                "resolveJsonModule": true,
                "esModuleInterop": true,
                "forceConsistentCasingInFileNames": true,
                "strict": true,
                "skipLibCheck": true,
                "paths": {"$amplify/*": ["../.amplify/generated/*"]}
            }
        }))
        .unwrap_or_default()
            + "\n",
    ));
}

/// The backend folder's files for `source`.
pub(super) fn files(source: &Source, add_output: bool) -> Export {
    let mut out = Export::default();
    scaffold(&mut out.files);
    match source {
        Source::Imported(ids) => imported(ids, add_output, "imported ", &mut out),
        Source::Referenced(m, ids) => {
            imported(ids, add_output, "", &mut out);
            handover(m.config(), ids, &mut out);
        }
        Source::Managed(m) => managed(m.config(), &m.groups, &m.overrides, &mut out),
    }
    out
}

/// referenceAuth's `groups`: each group's role, by the group's name.
fn groups(groups: &[(String, String)]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let o: Map<String, Value> = groups
        .iter()
        .map(|(g, arn)| (g.clone(), json!(arn)))
        .collect();
    format!("  groups: {},\n", object(&Value::Object(o), 2))
}

/// What a Gen 2 app that references the Gen 1 resources keeps, and what stays
/// with the Gen 1 project.
fn handover(c: &CognitoConfig, ids: &EnvIds, out: &mut Export) {
    let pool = ids.user_pool_id.as_deref().unwrap_or_default();
    out.handover.push(format!(
        "The Gen 2 app uses this env's user pool {pool}, its web client, identity pool and roles as they are: users and their passwords, identity ids, groups and every setting stay."
    ));
    if !ids.groups.is_empty() {
        let names: Vec<&str> = ids.groups.iter().map(|(g, _)| g.as_str()).collect();
        out.handover.push(format!(
            "Groups referenced with their roles: {}.",
            names.join(", ")
        ));
    }
    out.handover.push("The native app client is not referenced (referenceAuth takes one app client): mobile apps keep their Gen 1 configuration.".into());
    if c.hosted_ui.unwrap_or(false) {
        out.handover.push("The hosted UI domain and social providers stay as the pool has them; the Gen 2 app's amplify_outputs.json reads them from the pool.".into());
    }
    out.handover.push("The Gen 1 project still manages these resources: a `push` there changes them, and `remove auth` followed by `push` there deletes the pool and its users. `--detach` makes the Gen 1 resource an imported one with the same ids, so that it can no longer delete the pool.".into());
}

/// Imported auth: `referenceAuth` with an identity pool and both roles (unless
/// `add_output`), else the client configuration through `backend.addOutput`.
fn imported(ids: &EnvIds, add_output: bool, kind: &str, out: &mut Export) {
    let reference = (
        &ids.user_pool_id,
        &ids.web_client_id,
        &ids.identity_pool_id,
        &ids.auth_role_arn,
        &ids.unauth_role_arn,
    );
    match reference {
        (Some(up), Some(web), Some(ip), Some(auth), Some(unauth)) if !add_output => {
            out.files.push((
                "amplify/auth/resource.ts".into(),
                format!(
                    "import {{ referenceAuth }} from '@aws-amplify/backend';\n\n\
                     // The Gen 1 project's {kind}Cognito resources, referenced as they are.\n\
                     export const auth = referenceAuth({{\n  userPoolId: {},\n  identityPoolId: {},\n  userPoolClientId: {},\n  authRoleArn: {},\n  unauthRoleArn: {},\n{}}});\n",
                    s(up),
                    s(ip),
                    s(web),
                    s(auth),
                    s(unauth),
                    groups(&ids.groups)
                ),
            ));
            out.files.push((
                "amplify/backend.ts".into(),
                "import { defineBackend } from '@aws-amplify/backend';\nimport { auth } from './auth/resource';\n\ndefineBackend({\n  auth,\n});\n".into(),
            ));
        }
        _ => {
            if !add_output {
                out.not_expressible.push("referenceAuth needs an identity pool with both roles; this env's auth is written as `backend.addOutput` (the client configuration only: Gen 2 cannot grant its roles access to other resources).".into());
            }
            out.files.push((
                "amplify/backend.ts".into(),
                format!(
                    "import {{ defineBackend }} from '@aws-amplify/backend';\n\n\
                     const backend = defineBackend({{}});\n\n\
                     // The Gen 1 project's imported Cognito resources, for the client configuration.\n\
                     backend.addOutput({{\n  auth: {},\n}});\n",
                    object(&ids.outputs_auth, 2)
                ),
            ));
        }
    }
}

/// Gen 1 attribute names → the CDK's standard attribute names.
fn attribute(name: &str) -> Option<&'static str> {
    STANDARD_ATTRIBUTES
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.gen2)
}

/// `Your code is {####}` → `` `Your code is ${createCode()}` ``.
fn code_message(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('`', "\\`")
        .replace("${", "\\${");
    format!(
        "(createCode) => `{}`",
        escaped.replace("{####}", "${createCode()}")
    )
}

fn list(v: &Option<Vec<String>>) -> Vec<String> {
    v.clone().unwrap_or_default()
}

fn managed(c: &CognitoConfig, groups: &[Group], o: &Overrides, out: &mut Export) {
    let mut login = login_with(c, out);
    login.extend(external_providers(c, out));
    let multifactor = multifactor(c, o);
    let attributes = user_attributes(c, out);
    let mut props = vec![format!(
        "loginWith: {{\n    {},\n  }}",
        login.join(",\n    ")
    )];
    if !attributes.is_empty() {
        props.push(format!(
            "userAttributes: {{\n    {},\n  }}",
            attributes.join(",\n    ")
        ));
    }
    if let Some(m) = multifactor {
        props.push(format!("multifactor: {m}"));
    }
    if !groups.is_empty() {
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        props.push(format!("groups: {}", lit(&json!(names))));
    }
    let uses_secret = !out.secrets.is_empty();
    let resource = format!(
        "import {{ defineAuth{} }} from '@aws-amplify/backend';\n\n\
         // The Gen 1 auth resource '{}', as Gen 2 expresses it; backend.ts sets what\n\
         // defineAuth cannot.\n\
         export const auth = defineAuth({{\n  {},\n}});\n",
        if uses_secret { ", secret" } else { "" },
        c.resource_name.clone().unwrap_or_default(),
        props.join(",\n  ")
    );
    out.files
        .push(("amplify/auth/resource.ts".into(), resource));

    cfn_overrides(c, o, groups, out);
}

/// defineAuth's `loginWith` entries for the sign-in attributes.
fn login_with(c: &CognitoConfig, out: &mut Export) -> Vec<String> {
    let mut login = Vec::new();
    let username: Vec<String> = list(&c.username_attributes)
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let email = username.iter().any(|a| a == "email");
    let phone = username.iter().any(|a| a == "phone_number");
    if email || !phone {
        let subject = c.email_verification_subject.clone().unwrap_or_default();
        let body = c.email_verification_message.clone().unwrap_or_default();
        if subject.is_empty() && body.is_empty() {
            login.push("email: true".to_string());
        } else {
            login.push(format!(
                "email: {{\n      verificationEmailStyle: 'CODE',\n      verificationEmailSubject: {},\n      verificationEmailBody: {},\n    }}",
                s(&subject),
                code_message(&body)
            ));
        }
    }
    if phone {
        login.push("phone: true".to_string());
    }
    if username.is_empty() {
        out.not_expressible.push("Sign-in with a user name: Gen 2 signs users in with an email address or a phone number. The generated backend signs in with email; users of the Gen 1 pool keep their user names there.".into());
    }
    if !list(&c.alias_attributes).is_empty() {
        out.not_expressible.push(format!(
            "Alias attributes ({}): Gen 2 has no aliases; they are left out.",
            list(&c.alias_attributes).join(", ")
        ));
    }
    login
}

/// The hosted UI as defineAuth's `externalProviders` (None without one).
fn external_providers(c: &CognitoConfig, out: &mut Export) -> Option<String> {
    if !c.hosted_ui.unwrap_or(false) {
        return None;
    }
    let meta: Value = c
        .o_auth_metadata
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null);
    let strs = |k: &str| -> Vec<String> {
        meta[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    let mut ext = Vec::new();
    let providers: Vec<Value> = c
        .hosted_ui_provider_meta
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default();
    ext.extend(providers.iter().filter_map(|p| social_provider(p, out)));
    let scopes: Vec<String> = strs("AllowedOAuthScopes")
        .iter()
        .map(|x| match x.as_str() {
            "aws.cognito.signin.user.admin" => "COGNITO_ADMIN".to_string(),
            other => other.to_uppercase(),
        })
        .collect();
    if !scopes.is_empty() {
        ext.push(format!("scopes: {}", lit(&json!(scopes))));
    }
    ext.push(format!(
        "callbackUrls: {}",
        lit(&json!(strs("CallbackURLs")))
    ));
    ext.push(format!("logoutUrls: {}", lit(&json!(strs("LogoutURLs")))));
    let providers = format!(
        "externalProviders: {{\n      {},\n    }}",
        ext.join(",\n      ")
    );
    if let Some(prefix) = &c.hosted_ui_domain_name {
        out.not_expressible.push(format!("The hosted UI domain prefix '{prefix}': Gen 2 chooses the domain of the user pool it makes; set it in the Cognito console after the first deploy if users must keep it."));
    }
    if strs("AllowedOAuthFlows").iter().any(|f| f == "implicit") {
        out.not_expressible
            .push("The implicit OAuth grant: Gen 2 uses the code grant.".into());
    }
    Some(providers)
}

/// One social provider of the hosted UI as defineAuth's external provider
/// (its id and secret as Gen 2 secrets); `None` for a provider Gen 2 lacks.
fn social_provider(p: &Value, out: &mut Export) -> Option<String> {
    let name = p["ProviderName"].as_str().unwrap_or_default();
    let (key, prefix, fields): (&str, &str, &[(&str, &str)]) = match name {
        "Google" => (
            "google",
            "GOOGLE",
            &[("clientId", "CLIENT_ID"), ("clientSecret", "CLIENT_SECRET")],
        ),
        "Facebook" => (
            "facebook",
            "FACEBOOK",
            &[("clientId", "CLIENT_ID"), ("clientSecret", "CLIENT_SECRET")],
        ),
        "LoginWithAmazon" => (
            "loginWithAmazon",
            "LOGINWITHAMAZON",
            &[("clientId", "CLIENT_ID"), ("clientSecret", "CLIENT_SECRET")],
        ),
        "SignInWithApple" => (
            "signInWithApple",
            "SIWA",
            &[
                ("clientId", "CLIENT_ID"),
                ("keyId", "KEY_ID"),
                ("privateKey", "PRIVATE_KEY"),
                ("teamId", "TEAM_ID"),
            ],
        ),
        _ => return None,
    };
    let mut lines: Vec<String> = fields
        .iter()
        .map(|(f, secret)| {
            let name = format!("{prefix}_{secret}");
            out.secrets.push(name.clone());
            format!("{f}: secret({})", s(&name))
        })
        .collect();
    let scopes: Vec<&str> = p["authorize_scopes"]
        .as_str()
        .unwrap_or_default()
        .split([' ', ','])
        .filter(|x| !x.is_empty())
        .collect();
    if !scopes.is_empty() {
        lines.push(format!("scopes: {}", lit(&json!(scopes))));
    }
    let mapping: Map<String, Value> = p["AttributeMapping"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((attribute(k)?.to_string(), v.clone())))
        .collect();
    if !mapping.is_empty() {
        lines.push(format!(
            "attributeMapping: {}",
            object(&Value::Object(mapping), 8)
        ));
    }
    Some(format!(
        "{key}: {{\n        {},\n      }}",
        lines.join(",\n        ")
    ))
}

/// defineAuth's `multifactor` (None with MFA off).
fn multifactor(c: &CognitoConfig, o: &Overrides) -> Option<String> {
    let (mfa_mode, enabled) = o.mfa(c);
    if mfa_mode.is_off() {
        None
    } else {
        let mode = if mfa_mode == crate::vocab::MfaMode::On {
            "REQUIRED"
        } else {
            "OPTIONAL"
        };
        let mut parts = vec![format!("mode: {}", s(mode))];
        if enabled.iter().any(|m| m == "SMS_MFA") {
            match &c.sms_authentication_message {
                Some(m) => parts.push(format!(
                    "sms: {{\n      smsMessage: {},\n    }}",
                    code_message(m)
                )),
                None => parts.push("sms: true".into()),
            }
        }
        if enabled.iter().any(|m| m == "SOFTWARE_TOKEN_MFA") {
            parts.push("totp: true".into());
        }
        if enabled.iter().any(|m| m == "EMAIL_OTP") {
            parts.push("email: true".into());
        }
        Some(format!("{{\n    {},\n  }}", parts.join(",\n    ")))
    }
}

/// The required attributes as defineAuth's `userAttributes`.
fn user_attributes(c: &CognitoConfig, out: &mut Export) -> Vec<String> {
    let mut attributes = Vec::new();
    for a in list(&c.required_attributes) {
        match attribute(&a) {
            Some(name) => attributes.push(format!(
                "{name}: {{\n      required: true,\n      mutable: true,\n    }}"
            )),
            None => out.not_expressible.push(format!(
                "The required attribute '{a}': not a Gen 2 standard attribute."
            )),
        }
    }
    attributes
}

/// The user pool's CloudFormation properties: the password policy, then the
/// overrides file's paths one to one (MFA is defineAuth's).
fn pool_overrides(c: &CognitoConfig, o: &Overrides) -> Vec<(String, Value)> {
    let mut pool = Vec::new();
    let chars = list(&c.password_policy_characters);
    let min = c
        .password_policy_min_length
        .as_ref()
        .and_then(crate::auth::model::Number::value)
        .unwrap_or(8);
    pool.push((
        "Policies.PasswordPolicy.MinimumLength".to_string(),
        json!(min),
    ));
    for (name, path) in PasswordRule::ALL.map(|r| (r.amplify(), r.path())) {
        pool.push((path.to_string(), json!(chars.iter().any(|c| c == name))));
    }
    for (path, v) in o.of(overrides::USER_POOL) {
        if path == "MfaConfiguration" || path == "EnabledMfas" {
            continue;
        }
        pool.retain(|(p, _)| p != &path);
        pool.push((path, v));
    }
    pool
}

/// The groups' precedence (defineAuth numbers them in the order listed).
fn precedence(groups: &[Group]) -> String {
    groups
        .iter()
        .filter_map(|g| {
            Some(format!(
                "backend.auth.resources.groups[{}].cfnUserGroup.addPropertyOverride(\"Precedence\", {});\n",
                s(&g.name),
                g.precedence?
            ))
        })
        .collect()
}

/// What defineAuth cannot say, on the CloudFormation resources (backend.ts).
fn cfn_overrides(c: &CognitoConfig, o: &Overrides, groups: &[Group], out: &mut Export) {
    let pool = pool_overrides(c, o);
    let mut client = vec![
        (
            "RefreshTokenValidity".to_string(),
            json!(
                c.userpool_client_refresh_token_validity
                    .as_ref()
                    .and_then(crate::auth::model::Number::value)
                    .unwrap_or(30)
            ),
        ),
        ("TokenValidityUnits.RefreshToken".to_string(), json!("days")),
    ];
    for (path, v) in o.of(overrides::WEB_CLIENT) {
        client.retain(|(p, _)| p != &path);
        client.push((path, v));
    }
    if !o.of(overrides::NATIVE_CLIENT).is_empty() || c.userpool_client_generate_secret == Some(true)
    {
        out.not_expressible.push("The native app client (its secret and userPoolClient overrides): Gen 2 makes one app client, configured like the Gen 1 web client.".into());
    }
    let mut identity = Vec::new();
    let with_identity_pool = c
        .auth_selections
        .as_ref()
        .is_some_and(|s| s.as_str() == "identityPoolAndUserPool");
    if with_identity_pool {
        identity.push((
            "AllowUnauthenticatedIdentities".to_string(),
            json!(c.allow_unauthenticated_identities.unwrap_or(false)),
        ));
        for (path, v) in o.of(overrides::IDENTITY_POOL) {
            identity.push((path, v));
        }
        if !list(&c.auth_providers).is_empty() {
            out.not_expressible.push(format!(
                "Identity pool federation ({}): Gen 2 federates through the user pool's external providers; add them there.",
                list(&c.auth_providers).join(", ")
            ));
        }
    } else {
        out.not_expressible.push("A user pool without an identity pool: Gen 2 always makes an identity pool (guest access stays off).".into());
        identity.push(("AllowUnauthenticatedIdentities".to_string(), json!(false)));
    }
    let lines = |var: &str, items: &[(String, Value)]| -> String {
        items
            .iter()
            .map(|(p, v)| format!("{var}.addPropertyOverride({}, {});\n", s(p), lit(v)))
            .collect()
    };
    let backend = format!(
        "import {{ defineBackend }} from '@aws-amplify/backend';\nimport {{ auth }} from './auth/resource';\n\n\
         const backend = defineBackend({{\n  auth,\n}});\n\n\
         // The Gen 1 settings defineAuth does not express (and override.json), as\n\
         // CloudFormation property overrides.\n\
         const {{ cfnUserPool, cfnUserPoolClient, cfnIdentityPool }} = backend.auth.resources.cfnResources;\n\
         {}{}{}{}",
        lines("cfnUserPool", &pool),
        lines("cfnUserPoolClient", &client),
        lines("cfnIdentityPool", &identity),
        precedence(groups)
    );
    out.files.push(("amplify/backend.ts".into(), backend));
    out.secrets.sort();
    out.secrets.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_become_template_literals_and_objects_typescript() {
        assert_eq!(
            code_message("Your code is {####}. `x` ${y}"),
            "(createCode) => `Your code is ${createCode()}. \\`x\\` \\${y}`"
        );
        assert_eq!(
            object(&json!({"a-b": {"c": 1}, "d": "e"}), 0),
            "{\n  \"a-b\": {\n    c: 1,\n  },\n  d: \"e\",\n}"
        );
    }
}
