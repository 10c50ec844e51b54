//! Env init for imported auth (`env add`, `env checkout`): which ids the env's
//! imported resource gets, their re-validation against the cloud, and what to
//! record. Nothing is written here; the command saves after every check passed.

use crate::cloud::cognito_identity::CognitoIdentity;
use crate::cloud::cognito_idp::CognitoIdp;
use crate::cloud::iam::Iam;
use crate::notice::{Notice, Notices};
use crate::project::{Project, StoreError};
use crate::prompt::{Asker, Choice, PromptError, Question};

use super::env::headless_ids;
use super::error::AuthError;
use super::ids::GivenIds;
use super::import::{Discovery, Request, resolve, summary_lines};
use super::model::{AuthSelections, CATEGORY, Imported, ImportedEnvParams, ImportedParameters};
use super::remove::unlink;
use super::state::{env_record, parameters_path, resource_dir};

/// Why the env is being initialised.
pub enum Purpose<'a> {
    /// `env add`: ids may be copied from the env that was checked out.
    Add {
        source: Option<&'a str>,
    },
    Checkout,
}

/// Reads an environment variable.
pub type VarLookup<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Ids given without a terminal: `--categories` JSON, or Amplify Hosting's
/// `AMPLIFY_*` variables (the command passes them only where they apply).
#[derive(Default)]
pub struct HeadlessIds<'a> {
    pub categories: Option<&'a str>,
    pub variables: Option<&'a VarLookup<'a>>,
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
    pub fn save(&self, project: &Project) -> Result<(), StoreError> {
        for imported in &self.imported {
            project.store.write(
                &imported.parameters_doc(&project.store),
                crate::project::Layout::Ordered,
            )?;
        }
        for name in &self.unlinked {
            project.store.remove_dir(resource_dir(name))?;
        }
        Ok(())
    }
}

/// The imported auth resources of the project (backend-config.json).
pub fn imported_auth(project: &Project) -> Vec<String> {
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

/// Env init of every imported auth resource of the project for `env`.
#[allow(clippy::too_many_arguments)]
pub async fn init_env<P: CognitoIdp, I: CognitoIdentity, R: Iam>(
    disc: &Discovery<'_, P, I, R>,
    asker: &mut Asker<'_>,
    notices: &mut dyn Notices,
    project: &Project,
    env: &str,
    region: &str,
    purpose: &Purpose<'_>,
    headless: &HeadlessIds<'_>,
) -> Result<Decided, AuthError> {
    let mut decided = Decided::default();
    for res in imported_auth(project) {
        let params: ImportedParameters = project
            .store
            .read(parameters_path(&res))?
            .map(|d| d.value)
            .ok_or_else(|| AuthError::MissingParameters {
                path: parameters_path(&res),
                res: res.clone(),
            })?;
        let step = EnvAuth {
            disc,
            project,
            env,
            res: &res,
            selections: params.auth_selections,
            region: region.to_string(),
        };
        step.run(asker, notices, &params, purpose, headless, &mut decided)
            .await?;
    }
    Ok(decided)
}

struct EnvAuth<'a, 'd, P, I, R> {
    disc: &'a Discovery<'d, P, I, R>,
    project: &'a Project,
    env: &'a str,
    res: &'a str,
    selections: AuthSelections,
    region: String,
}

impl<P: CognitoIdp, I: CognitoIdentity, R: Iam> EnvAuth<'_, '_, P, I, R> {
    fn request(&self) -> Request {
        Request {
            resource_name: self.res.to_string(),
            region: self.region.clone(),
            env: self.env.to_string(),
            fixed: Some(self.selections),
        }
    }

    /// Resolves the resource for this env from `ids` (validation only when they
    /// are complete, the walkthrough otherwise), with a fresh set of answers.
    async fn resolve(
        &self,
        asker: &mut Asker<'_>,
        notices: &mut dyn Notices,
        ids: &GivenIds,
    ) -> Result<Imported, AuthError> {
        let can_ask = asker.can_ask();
        let mut answers = Asker::new(asker.prompter(), !can_ask);
        for (q, v) in ids.answers() {
            answers.give(q, Some(v));
        }
        resolve(self.disc, &mut answers, notices, &self.request()).await
    }

    /// The walkthrough for this env (type fixed, name kept, no banner).
    async fn walkthrough(
        &self,
        asker: &mut Asker<'_>,
        notices: &mut dyn Notices,
    ) -> Result<Imported, AuthError> {
        let imported = self.resolve(asker, notices, &GivenIds::default()).await?;
        for line in summary_lines(&imported, self.env) {
            notices.notice(Notice::Info(line));
        }
        Ok(imported)
    }

    async fn run(
        &self,
        asker: &mut Asker<'_>,
        notices: &mut dyn Notices,
        params: &ImportedParameters,
        purpose: &Purpose<'_>,
        headless: &HeadlessIds<'_>,
        decided: &mut Decided,
    ) -> Result<(), AuthError> {
        let (env, res) = (self.env, self.res);
        let (from_env, stored) = match purpose {
            Purpose::Add {
                source: Some(source),
            } => (*source, env_record(self.project, source, res)?),
            Purpose::Add { source: None } => (env, None),
            Purpose::Checkout => (env, env_record(self.project, env, res)?),
        };
        let recorded = stored
            .as_ref()
            .map(GivenIds::from_env)
            .filter(|ids| ids.complete(self.selections));
        // On checkout the variables stand in only for an env with no ids of its
        // own (a shell set up for one env never rewrites another env's records).
        let variables = match purpose {
            Purpose::Checkout if recorded.is_some() => None,
            _ => headless.variables,
        };
        let given = self.given_ids(notices, headless, variables)?;
        // Where the resource was imported from: the recorded pool's region, else
        // parameters.json's (shared by every env).
        let imported_region = recorded
            .as_ref()
            .and_then(|ids| ids.user_pool.as_ref())
            .map(|p| p.region().to_string())
            .or_else(|| params.region.clone());
        let ids = if let Some(ids) = given {
            Some(ids)
        } else if let Some(old) = imported_region.filter(|r| *r != self.region) {
            let changed = AuthError::RegionChanged {
                res: res.into(),
                env: env.into(),
                old: old.clone(),
                new: self.region.clone(),
            };
            if !asker.can_ask() {
                return Err(changed);
            }
            notices.notice(Notice::Warn(format!(
                "The previously imported '{res}' auth resource was imported from '{old}' region and the new environment's region is: '{}', import a new resource to finish the creation of the new environment.",
                self.region
            )));
            None
        } else {
            self.recorded_ids(asker, notices, purpose, from_env, recorded)?
        };
        let Some(ids) = ids else {
            let imported = self
                .walkthrough(asker, notices)
                .await
                .map_err(|e| self.failed(e))?;
            decided.imported.push(imported);
            return Ok(());
        };
        match self.resolve(asker, notices, &ids).await {
            Ok(imported) => decided.imported.push(imported),
            Err(AuthError::UserPoolNotFound { id, .. }) => {
                self.pool_gone(asker, notices, stored.as_ref(), &id, decided)
                    .await?
            }
            Err(e) => return Err(self.failed(e)),
        }
        Ok(())
    }

    /// The ids given headless (`--categories`, else the AMPLIFY_* variables),
    /// said when used.
    fn given_ids(
        &self,
        notices: &mut dyn Notices,
        headless: &HeadlessIds<'_>,
        variables: Option<&VarLookup<'_>>,
    ) -> Result<Option<GivenIds>, AuthError> {
        let (env, res) = (self.env, self.res);
        let none = |_: &str| None;
        let given = headless_ids(
            headless.categories,
            |name| match variables {
                Some(var) => var(name),
                None => none(name),
            },
            self.selections,
        )?;
        if given.is_some() {
            let source = if headless.categories.is_some() {
                "--categories"
            } else {
                "the AMPLIFY_* variables"
            };
            notices.notice(Notice::Info(format!(
                "Using the ids from {source} for '{res}' in environment '{env}'."
            )));
        }
        Ok(given)
    }

    /// The ids the env records (or the source env's, for `env add`): reused
    /// on checkout, offered for reuse on add; none, when a walkthrough must
    /// choose (in a terminal).
    fn recorded_ids(
        &self,
        asker: &mut Asker<'_>,
        notices: &mut dyn Notices,
        purpose: &Purpose<'_>,
        from_env: &str,
        recorded: Option<GivenIds>,
    ) -> Result<Option<GivenIds>, AuthError> {
        let (env, res) = (self.env, self.res);
        Ok(match recorded {
            Some(ids) if matches!(purpose, Purpose::Add { .. }) => {
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
                // --yes reuses the recorded ids.
                asker
                    .confirm(&q, true)
                    .map_err(|e| self.failed(e.into()))?
                    .then_some(ids)
            }
            Some(ids) => Some(ids),
            None => {
                notices.notice(Notice::Info(format!("Imported resource: '{res}' found, parameters are required for environment creation.")));
                if !asker.can_ask() {
                    return Err(AuthError::NoEnvIds {
                        env: env.into(),
                        res: res.into(),
                    });
                }
                None
            }
        })
    }

    /// The user pool is gone: Amplify's two warnings; the env init goes on. In a
    /// terminal, offer to unlink now or import another pool for this env.
    async fn pool_gone(
        &self,
        asker: &mut Asker<'_>,
        notices: &mut dyn Notices,
        stored: Option<&ImportedEnvParams>,
        id: &str,
        decided: &mut Decided,
    ) -> Result<(), AuthError> {
        let (env, res) = (self.env, self.res);
        let name = stored
            .and_then(|p| p.user_pool_name.clone())
            .unwrap_or_default();
        notices.notice(Notice::Warn(format!(
            "The previously configured Cognito User Pool: '{name}' ({id}) cannot be found."
        )));
        notices.notice(Notice::Warn(format!(
            "Unlink userPool: {name} using 'authwiz remove auth'"
        )));
        // Unlinking is offered only when nothing depends on the resource (as `remove auth`).
        let can_unlink = super::remove::check(self.project, res).is_ok();
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
        // --yes leaves it (the default), as the Amplify CLI does.
        let q = Question::new("pool-gone", "What do you want to do?", "--yes (leave it)");
        let picked = asker.select(&q, &choices, choices.len() - 1)?;
        match choices[picked].value.as_str() {
            "unlink" => decided.unlinked.push(res.to_string()),
            "import" => {
                let imported = self
                    .walkthrough(asker, notices)
                    .await
                    .map_err(|e| self.failed(e))?;
                decided.imported.push(imported);
            }
            _ => {}
        }
        Ok(())
    }

    fn failed(&self, e: AuthError) -> AuthError {
        let (env, res) = (self.env.to_string(), self.res.to_string());
        match e {
            // No terminal: the import's own flags do not exist here; say what does.
            AuthError::Prompt(PromptError::Missing { message, .. }) => AuthError::EnvNeedsIds {
                env,
                res,
                question: message,
            },
            AuthError::Prompt(p) => AuthError::Prompt(p),
            // Network, credentials or permissions: the ids are not the problem, so
            // unlinking is not the fix; the error says what is.
            AuthError::Cloud(c) if !c.is_not_found() => AuthError::Cloud(c),
            AuthError::IdentityPoolNotFound { id, region, .. } => AuthError::EnvInitFailed {
                env,
                res,
                inner: Box::new(AuthError::PreviousIdentityPoolGone { id, region }),
            },
            AuthError::ClientNotInPool {
                kind,
                id,
                pool,
                clients,
            } => AuthError::EnvInitFailed {
                env,
                res,
                inner: Box::new(AuthError::PreviousClientGone {
                    kind: if kind == "web" { "Web" } else { "Native" },
                    id,
                    pool,
                    clients,
                }),
            },
            other => AuthError::EnvInitFailed {
                env,
                res,
                inner: Box::new(other),
            },
        }
    }
}
