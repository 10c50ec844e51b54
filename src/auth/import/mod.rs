//! Importing existing Cognito resources: discovery (cached reads), the rules,
//! the walkthrough as a step machine, and Amplify's headless request.

pub mod discovery;
pub mod flow;
pub mod headless;
pub mod rules;

pub use discovery::Discovery;
pub use flow::{Request, label, resolve};

use crate::auth::error::AuthError;
use crate::auth::ids::GivenIds;
use crate::auth::model::{CATEGORY, ImportedEnvParams};
use crate::project::Project;

/// What to do when the project already has auth: `Ok(Some(name))` when the
/// imported resource `name` already links exactly `ids` (nothing to do), an
/// error when it links others or auth is managed, `Ok(None)` without auth.
pub fn existing_auth(
    project: &Project,
    env: &str,
    ids: &GivenIds,
) -> Result<Option<String>, AuthError> {
    let Some(auth) = project
        .meta
        .value
        .categories
        .get(CATEGORY)
        .filter(|c| !c.is_empty())
    else {
        return Ok(None);
    };
    let Some((name, _)) = auth.iter().find(|(_, r)| r.is_imported()) else {
        return Err(AuthError::AlreadyManaged);
    };
    // Only ids given up front can be the same; a walkthrough means other ones.
    let recorded = project
        .env_params(env, CATEGORY, name)
        .and_then(|p| ImportedEnvParams::from_map(p).ok())
        .map(|p| GivenIds::from_env(&p));
    if !ids.is_empty() && recorded.as_ref() == Some(ids) {
        return Ok(Some(name.clone()));
    }
    Err(AuthError::AlreadyImported {
        name: name.clone(),
        env: env.to_string(),
    })
}

/// Amplify's resource name: the project name (runs of non-word characters as
/// `_`), lower-cased, plus 8 hex characters unless the import is headless.
pub fn resource_name(project_name: &str, suffix: Option<&str>) -> String {
    let mut base = String::new();
    for c in project_name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            base.push(c);
        } else if !base.ends_with('_') {
            base.push('_');
        }
    }
    match suffix {
        Some(s) => format!("{base}{}", &s[..s.len().min(8)]),
        None => base,
    }
}

/// What an import will link, as lines (shown before confirming).
pub fn summary_lines(i: &crate::auth::model::Imported, env: &str) -> Vec<String> {
    let mut lines = vec![
        String::new(),
        format!(
            "Auth resource '{}' will link, for environment '{env}' ({}):",
            i.resource_name, i.region
        ),
        format!("  User Pool:      {}", label(&i.pool.name, &i.pool.id)),
        format!("  Web client:     {}", label(&i.web.name, &i.web.id)),
    ];
    let secret = if i.native.secret.is_some() {
        " (has app client secret)"
    } else {
        ""
    };
    lines.push(format!(
        "  Native client:  {}{secret}",
        label(&i.native.name, &i.native.id)
    ));
    if let Some(linked) = &i.identity {
        lines.push(format!(
            "  Identity Pool:  {}",
            label(&linked.pool.name, &linked.pool.id)
        ));
        lines.push(format!("  Auth role:      {}", linked.auth_role.arn));
        lines.push(match &linked.unauth_role {
            Some(r) => format!("  Unauth role:    {}", r.arn),
            None => {
                "  Unauth role:    none (the identity pool allows no unauthenticated identities)"
                    .into()
            }
        });
    }
    lines.push(String::new());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_follow_amplify() {
        assert_eq!(resource_name("peerproj", None), "peerproj");
        let n = resource_name("MyProj", Some("0123abcdef"));
        assert_eq!(n, "myproj0123abcd");
        assert_eq!(resource_name("a b--c", None), "a_b_c");
    }
}
