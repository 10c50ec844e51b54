//! `authwiz export gen2 [--out DIR] [--force] [--add-output]`: the current env's
//! auth as a Gen 2 backend, written in one transaction; no AWS call.

use serde_json::Value;

use super::Context;
use crate::auth::CATEGORY;
use crate::auth::managed::overrides::{self, Overrides};
use crate::auth::model::{CliInputs, ImportedEnvParams};
use crate::auth::state::resource_dir;
use crate::cli::ExportGen2Args;
use crate::error::{Error, Result};
use crate::export::{Source, export};
use crate::outputs;

pub fn run(ctx: &Context, args: ExportGen2Args) -> Result<()> {
    let (project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let root = project.store.root().to_path_buf();
    let out = if args.out.is_absolute() {
        args.out.clone()
    } else {
        root.join(&args.out)
    };
    let Ok(rel_out) = out.strip_prefix(&root) else {
        return Err(Error::refused(
            format!(
                "{} is outside the project; authwiz writes the Gen 2 backend inside it, in one transaction.",
                out.display()
            ),
            "Pass --out with a folder inside the project (e.g. --out gen2), then move the folder where you want it.",
        ));
    };
    let rel_out = rel_out.to_path_buf();
    // `..` could lead back into amplify/ or out of the project.
    if rel_out
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(Error::refused(
            format!("--out {} goes through '..' or '.'.", args.out.display()),
            "Pass --out with a plain folder inside the project (e.g. --out gen2).",
        ));
    }
    if rel_out.as_os_str().is_empty() || rel_out.starts_with("amplify") {
        return Err(Error::refused(
            "The Gen 2 backend would go into the Gen 1 project's amplify/ folder.",
            "Pass --out with a folder of its own (the default is gen2).",
        ));
    }
    let auth = project.meta.value.categories.get(CATEGORY);
    let Some((res, resource)) = auth.and_then(|c| c.iter().find(|(_, r)| r.is_cognito())) else {
        return Err(Error::refused(
            "The project has no auth resource to export.",
            "Add one with `authwiz add auth` or `authwiz import auth`.",
        ));
    };
    let dir = resource_dir(res);
    let (config, groups, checked);
    let source = if resource.is_imported() {
        let ids: ImportedEnvParams = project
            .env_params(&env, CATEGORY, res)
            .and_then(|p| serde_json::to_value(p).ok())
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        // The client configuration as the env has it (for addOutput).
        let files = outputs::render(&project)?;
        let outputs_auth = files
            .iter()
            .find(|f| f.path.as_os_str() == "amplify_outputs.json")
            .and_then(|f| serde_json::from_slice::<Value>(&f.bytes).ok())
            .map(|v| v["auth"].clone())
            .unwrap_or(Value::Null);
        if ids.user_pool_id.is_none() {
            return Err(Error::refused(
                format!("Environment '{env}' has no ids for the imported auth resource '{res}'."),
                "Import them for this env (`authwiz env checkout` or `authwiz import auth`), then export.",
            ));
        }
        if (args.add_output || ids.identity_pool_id.is_none() || ids.unauth_role_arn.is_none())
            && outputs_auth.is_null()
        {
            return Err(Error::refused(
                format!(
                    "The auth resource '{res}' has no client configuration for env '{env}' yet."
                ),
                "Run `authwiz push`, then export.",
            ));
        }
        Source::Imported {
            user_pool_id: ids.user_pool_id,
            web_client_id: ids.web_client_id,
            identity_pool_id: ids.identity_pool_id,
            auth_role_arn: ids.auth_role_arn,
            unauth_role_arn: ids.unauth_role_arn,
            outputs_auth,
        }
    } else {
        let Some(inputs) = project
            .store
            .read::<CliInputs>(&format!("{dir}/cli-inputs.json"))?
        else {
            return Err(Error::refused(
                format!("{dir}/cli-inputs.json is missing for the managed auth resource '{res}'."),
                "Restore it from version control, then export.",
            ));
        };
        config = inputs.value.cognito_config;
        groups = project
            .store
            .read::<Vec<Value>>(&format!(
                "{}/user-pool-group-precedence.json",
                resource_dir("userPoolGroups")
            ))?
            .map(|d| {
                d.value
                    .iter()
                    .filter_map(|g| g["groupName"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        checked = match project
            .store
            .read::<Value>(&format!("{dir}/{}", overrides::FILE))?
        {
            Some(doc) => overrides::check(&doc.value, &config).map_err(|problems| {
                Error::refused(
                    format!(
                        "{dir}/{} cannot be exported:\n  - {}",
                        overrides::FILE,
                        problems.join("\n  - ")
                    ),
                    "Correct it (`authwiz override auth --check`), then export.",
                )
            })?,
            None => Overrides::default(),
        };
        Source::Managed {
            config: &config,
            groups,
            overrides: &checked,
        }
    };
    let exported = export(&source, args.add_output);
    let mut conflicts = Vec::new();
    for (rel, text) in &exported.files {
        let path = rel_out.join(rel);
        if let Some(existing) = project.store.read_text(&path)?
            && existing != *text
            && !args.force
        {
            conflicts.push(path.display().to_string());
        }
    }
    if !conflicts.is_empty() {
        return Err(Error::refused(
            format!(
                "These files exist and differ from the export: {}. Nothing was written.",
                conflicts.join(", ")
            ),
            "Pass --force to replace them, or --out with another folder.",
        ));
    }
    for (rel, text) in &exported.files {
        project
            .store
            .write_bytes(rel_out.join(rel), text.as_bytes())?;
    }
    project.commit("export gen2")?;
    ctx.ui.success(format!(
        "Exported auth resource '{res}' of env '{env}' as a Gen 2 backend in {}:",
        rel_out.display()
    ));
    for (rel, _) in &exported.files {
        ctx.ui.line(format!("  {}", rel_out.join(rel).display()));
    }
    if !exported.not_expressible.is_empty() {
        ctx.ui.warn("Not expressed in Gen 2 (left out):");
        for n in &exported.not_expressible {
            ctx.ui.line(format!("  - {n}"));
        }
    }
    ctx.ui.blank();
    ctx.ui.line("Next:");
    ctx.ui.line(format!(
        "  cd {} && npm add --save-dev @aws-amplify/backend@latest aws-cdk-lib constructs typescript",
        rel_out.display()
    ));
    for secret in &exported.secrets {
        ctx.ui
            .line(format!("  npx ampx sandbox secret set {secret}"));
    }
    ctx.ui.line("  npx ampx sandbox");
    Ok(())
}
