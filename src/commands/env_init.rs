//! Env init for imported auth (used by `env add` and `env checkout`): which ids the
//! env's imported resource gets, their re-validation against the cloud, and what
//! to record. Nothing is written here; the caller saves after every check passed.

use serde_json::{Map, Value};

use crate::auth::AuthSelections;
use crate::auth::env::{headless_ids, recorded_ids, where_to_supply};
use crate::auth::ids::GivenIds;
use crate::auth::remove::{resource_dir, unlink};
use crate::auth::state::{CATEGORY, Imported};
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::project::Project;
use crate::prompt::{Asker, Choice, Prompter, Question};

use super::Context;
use super::import::{Mode, Request, resolve, save_parameters, summary};

/// Why the env is being initialised.
pub enum Purpose<'a> {
    /// `env add`: ids may be copied from the env that was checked out.
    Add {
        source: Option<&'a str>,
        categories: Option<&'a str>,
    },
    Checkout,
}

/// What env init decided, applied to the project when the command saves.
#[derive(Default)]
pub struct Decided {
    imported: Vec<Imported>,
    unlinked: Vec<String>,
}

impl Decided {
    /// Records the decisions in memory (meta outputs, env parameters).
    pub fn apply(&self, project: &mut Project, env: &str) {
        for imported in &self.imported {
            let pushed_at = project
                .meta
                .value
                .resource(CATEGORY, &imported.resource_name)
                .and_then(|r| r.last_push_time_stamp.clone());
            imported.apply(project, env);
            if let Some(r) = project
                .meta
                .value
                .categories
                .get_mut(CATEGORY)
                .and_then(|c| c.get_mut(&imported.resource_name))
            {
                r.last_push_time_stamp = pushed_at;
            }
        }
        for name in &self.unlinked {
            unlink(project, env, name);
        }
    }

    /// Writes the resource folders (parameters.json; unlinked folders removed).
    pub fn save(&self, project: &Project) -> Result<()> {
        for imported in &self.imported {
            save_parameters(project, imported)?;
        }
        for name in &self.unlinked {
            project.store.remove_dir(resource_dir(name))?;
        }
        Ok(())
    }
}

fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// The imported auth resources of the project (backend-config.json).
fn imported_auth(project: &Project) -> Vec<String> {
    project
        .backend_config
        .value
        .categories
        .get(CATEGORY)
        .map(|c| {
            c.iter()
                .filter(|(_, r)| r.is_imported())
                .map(|(n, _)| n.clone())
                .collect()
        })
        .unwrap_or_default()
}

pub fn imported_auth_env_init(
    ctx: &Context,
    project: &Project,
    env: &str,
    purpose: &Purpose,
    prompter: &mut dyn Prompter,
) -> Result<Decided> {
    let mut decided = Decided::default();
    let resources = imported_auth(project);
    if resources.is_empty() {
        return Ok(decided);
    }
    let region = project.env_region(env).map(str::to_string).ok_or_else(|| {
        Error::refused(
            format!("Environment '{env}' has no region in team-provider-info.json."),
            format!("Set {env}.awscloudformation.Region in amplify/team-provider-info.json."),
        )
    })?;
    let aws = ctx.connect(project, env)?;
    let mut asker = Asker::new(prompter, ctx.yes);
    for res in resources {
        let params: Map<String, Value> = project
            .store
            .read(format!("{}/parameters.json", resource_dir(&res)))?
            .map(|d| d.value)
            .ok_or_else(|| {
                Error::refused(
                    format!("{}/parameters.json is missing for the imported auth resource '{res}'.", resource_dir(&res)),
                    "Restore it from version control, or unlink the resource with `authwiz remove auth` and import again.",
                )
            })?;
        let selections = params
            .get("authSelections")
            .and_then(Value::as_str)
            .and_then(AuthSelections::parse)
            .unwrap_or(AuthSelections::UserPoolOnly);
        let step = EnvAuth {
            ctx,
            aws: &aws,
            project,
            env,
            res: &res,
            selections,
            region: region.clone(),
        };
        step.run(&mut asker, &params, purpose, &mut decided)?;
    }
    Ok(decided)
}

struct EnvAuth<'a> {
    ctx: &'a Context,
    aws: &'a Aws,
    project: &'a Project,
    env: &'a str,
    res: &'a str,
    selections: AuthSelections,
    region: String,
}

impl EnvAuth<'_> {
    fn request(&self, ids: GivenIds, mode: Mode) -> Request {
        Request {
            resource_name: self.res.to_string(),
            ids,
            mode,
            selections: Some(self.selections),
            region: self.region.clone(),
            env: self.env.to_string(),
        }
    }

    /// The walkthrough for this env (type fixed, name kept, no banner).
    fn walkthrough(&self, asker: &mut Asker) -> Result<Imported> {
        let imported = resolve(
            &self.ctx.ui,
            self.aws,
            asker,
            &self.request(GivenIds::default(), Mode::Interactive),
        )?;
        summary(&self.ctx.ui, &imported, self.env);
        Ok(imported)
    }

    fn run(
        &self,
        asker: &mut Asker,
        params: &Map<String, Value>,
        purpose: &Purpose,
        decided: &mut Decided,
    ) -> Result<()> {
        let (env, res, ui) = (self.env, self.res, &self.ctx.ui);
        let (from_env, stored) = match purpose {
            Purpose::Add {
                source: Some(source),
                ..
            } => (*source, self.project.env_params(source, CATEGORY, res)),
            Purpose::Add { source: None, .. } => (env, None),
            Purpose::Checkout => (env, self.project.env_params(env, CATEGORY, res)),
        };
        let recorded = recorded_ids(stored, self.selections);
        // Headless ids: --categories always; the AMPLIFY_* variables with --yes on
        // env add, and on checkout only for an env with no ids of its own (so a
        // shell set up for one env never rewrites another env's records).
        let use_variables = match purpose {
            Purpose::Add { .. } => self.ctx.yes,
            Purpose::Checkout => recorded.is_none(),
        };
        let categories = match purpose {
            Purpose::Add { categories, .. } => *categories,
            Purpose::Checkout => None,
        };
        let var = |name: &str| if use_variables { env_var(name) } else { None };
        let given = headless_ids(categories, var, self.selections)?;
        if given.is_some() {
            let source = if categories.is_some() {
                "--categories"
            } else {
                "the AMPLIFY_* variables"
            };
            ui.line(format!(
                "Using the ids from {source} for '{res}' in environment '{env}'."
            ));
        }
        // Where the resource was imported from: the recorded pool's region, else
        // parameters.json's (shared by every env).
        let imported_region = recorded
            .as_ref()
            .and_then(|ids| ids.user_pool.as_ref())
            .map(|p| p.region().to_string())
            .or_else(|| {
                params
                    .get("region")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
        let ids = if let Some(ids) = given {
            Some(ids)
        } else if let Some(old) = imported_region.filter(|r| *r != self.region) {
            let msg = format!(
                "The previously imported '{res}' auth resource was imported from '{old}' region and the new environment's region is: '{}', import a new resource to finish the creation of the new environment.",
                self.region
            );
            if self.ctx.yes {
                return Err(Error::refused(
                    msg,
                    format!(
                        "Give ids of resources in {} for '{env}'. {}",
                        self.region,
                        where_to_supply()
                    ),
                ));
            }
            ui.warn(msg);
            None
        } else {
            match recorded {
                Some(ids) if matches!(purpose, Purpose::Add { .. }) && !self.ctx.yes => {
                    let pool = ids
                        .user_pool
                        .as_ref()
                        .map(|p| p.to_string())
                        .unwrap_or_default();
                    let q = Question::new(
                        "reuse",
                        format!("The resource: '{res}' (Cognito User Pool: '{pool}') already imported to '{from_env}' environment, do you want to import it to the new environment?"),
                        "--yes (reuse) or --categories / AMPLIFY_* variables (other ids)",
                    )
                    .help("If you choose No, then an import walkthrough will run to import a different resource into the new environment.");
                    asker
                        .confirm(&q, true)
                        .map_err(|e| self.failed(e.into()))?
                        .then_some(ids)
                }
                Some(ids) => Some(ids),
                None => {
                    ui.line(format!("Imported resource: '{res}' found, parameters are required for environment creation."));
                    if self.ctx.yes {
                        return Err(Error::refused(
                            format!(
                                "Environment '{env}' has no ids for the imported auth resource '{res}' (team-provider-info.json → {env}.categories.auth.{res})."
                            ),
                            where_to_supply(),
                        ));
                    }
                    None
                }
            }
        };
        let Some(ids) = ids else {
            decided
                .imported
                .push(self.walkthrough(asker).map_err(|e| self.failed(e))?);
            return Ok(());
        };
        match resolve(ui, self.aws, asker, &self.request(ids.clone(), Mode::Yes)) {
            Ok(imported) => decided.imported.push(imported),
            Err(Error::UserPoolNotFound { id, .. }) => self.pool_gone(asker, &id, decided)?,
            Err(e) => return Err(self.failed(e)),
        }
        Ok(())
    }

    /// The user pool is gone: Amplify's two warnings; the env init goes on. In a
    /// terminal, offer to unlink now or import another pool for this env.
    fn pool_gone(&self, asker: &mut Asker, id: &str, decided: &mut Decided) -> Result<()> {
        let (env, res, ui) = (self.env, self.res, &self.ctx.ui);
        let name = self
            .project
            .env_params(env, CATEGORY, res)
            .and_then(|p| p.get("userPoolName"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        ui.warn(format!(
            "The previously configured Cognito User Pool: '{name}' ({id}) cannot be found."
        ));
        ui.warn(format!(
            "Unlink userPool: {name} using 'authwiz remove auth'"
        ));
        if self.ctx.yes {
            return Ok(());
        }
        // Unlinking is offered only when nothing depends on the resource (as `remove auth`).
        let can_unlink = crate::auth::remove::check(self.project, res).is_ok();
        let mut choices = vec![
            Choice::new(
                format!("Import a different User Pool for environment '{env}'"),
                "import",
            ),
            Choice::new("Leave it for now", "leave"),
        ];
        if can_unlink {
            choices.insert(
                0,
                Choice::new(format!("Unlink '{res}' from the project now"), "unlink"),
            );
        }
        let q = Question::new("pool-gone", "What do you want to do?", "--yes (leave it)");
        let picked = asker.select(&q, &choices, choices.len() - 1)?;
        match choices[picked].value.as_str() {
            "unlink" => decided.unlinked.push(res.to_string()),
            "import" => decided
                .imported
                .push(self.walkthrough(asker).map_err(|e| self.failed(e))?),
            _ => {}
        }
        Ok(())
    }

    fn failed(&self, e: Error) -> Error {
        let (env, res) = (self.env, self.res);
        match e {
            // No terminal: the import's own flags do not exist here; say what does.
            Error::Prompt(crate::prompt::PromptError::Missing { message, .. }) => Error::refused(
                format!(
                    "Environment '{env}' needs ids for the imported auth resource '{res}' (no terminal to ask \"{message}\")."
                ),
                format!(
                    "Pass --yes to reuse the recorded ids, or give them: {}",
                    where_to_supply()
                ),
            ),
            Error::Prompt(p) => Error::Prompt(p),
            other => Error::refused(
                format!(
                    "There was an error importing the previously configured auth configuration to environment '{env}':\n{other}"
                ),
                format!(
                    "Nothing was changed. Either unlink the resource (`authwiz remove auth {res}`, then `authwiz import auth`), or give working ids for '{env}' (the AMPLIFY_USERPOOL_ID, AMPLIFY_WEBCLIENT_ID, AMPLIFY_NATIVECLIENT_ID, AMPLIFY_IDENTITYPOOL_ID variables, or --categories with env add)."
                ),
            ),
        }
    }
}
