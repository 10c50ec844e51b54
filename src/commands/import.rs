//! `authwiz import auth`: the import walkthrough as a state machine. Interactive,
//! flags (`--user-pool-id` ...), `--yes` and `--headless` are the same machine fed
//! by different answers.

use serde_json::Value;

use crate::auth::AuthSelections;
use crate::auth::ids::{ClientId, GivenIds, IdentityPoolId, UserPoolId, given};
use crate::auth::import::{
    Discovery, OAuthCheck, PoolClients, RoleRef, compare_oauth, linked_roles,
    no_identity_pool_for_clients_error, oauth_mismatch_error, pool_candidates, pools_for_clients,
    require, social_attribute_problems, split_clients,
};
use crate::auth::state::{CATEGORY, Imported, LinkedIdentityPool};
use crate::auth::trust;
use crate::cli::ImportAuthArgs;
use crate::cloud::cognito_identity::{CognitoIdentity, IdentityPool};
use crate::cloud::cognito_idp::{AppClient, CognitoIdp, UserPool};
use crate::cloud::iam::Iam;
use crate::cloud::{Aws, CloudError};
use crate::error::{Error, Result};
use crate::project::{Doc, Layout, Project};
use crate::prompt::{Asker, Choice, Prompter, Question};
use crate::ui::Ui;

use super::Context;

const FILTER_HELP: &str = "(Type in a partial name or scroll up and down to reveal more choices)";

/// Where the answers come from; decides the messages and the resource name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Asks what flags did not answer.
    Interactive,
    /// `--yes`: every id comes from flags.
    Yes,
    Headless,
}

/// Reads and checks Amplify's ImportAuthRequest (version 1).
pub fn parse_headless(text: &str) -> Result<GivenIds> {
    let fix = "Pipe a JSON object like {\"version\":1,\"userPoolId\":\"...\",\"webClientId\":\"...\",\"nativeClientId\":\"...\",\"identityPoolId\":\"...\"} (identityPoolId optional) into `authwiz import auth --headless`.";
    let v: Value = serde_json::from_str(text.trim()).map_err(|e| {
        Error::refused(
            format!("The headless payload on stdin is not valid JSON: {e}."),
            fix,
        )
    })?;
    let Some(obj) = v.as_object() else {
        return Err(Error::refused(
            "The headless payload must be a JSON object.",
            fix,
        ));
    };
    match obj.get("version") {
        None => {
            return Err(Error::refused(
                "data does not have a top level \"version\" field",
                fix,
            ));
        }
        Some(n) if n.as_u64() == Some(1) => {}
        Some(n) => {
            return Err(Error::refused(
                format!("No schema found for version {n}"),
                fix,
            ));
        }
    }
    let mut problems = Vec::new();
    for key in obj.keys() {
        if ![
            "version",
            "userPoolId",
            "webClientId",
            "nativeClientId",
            "identityPoolId",
        ]
        .contains(&key.as_str())
        {
            problems.push(format!("unknown key \"{key}\""));
        }
    }
    let mut field = |key: &str, required: bool| -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            None if !required => None,
            None => {
                problems.push(format!("missing required key \"{key}\""));
                None
            }
            Some(_) => {
                problems.push(format!("\"{key}\" must be a non-empty string"));
                None
            }
        }
    };
    let (pool, web, native, ip) = (
        field("userPoolId", true),
        field("webClientId", true),
        field("nativeClientId", true),
        field("identityPoolId", false),
    );
    if !problems.is_empty() {
        return Err(Error::refused(
            format!(
                "Data did not validate against the supplied schema: {}.",
                problems.join("; ")
            ),
            fix,
        ));
    }
    Ok(GivenIds {
        user_pool: pool
            .map(|s| given(UserPoolId::parse, &s, "\"userPoolId\" in the headless JSON"))
            .transpose()?,
        web_client: web
            .map(|s| given(ClientId::parse, &s, "\"webClientId\" in the headless JSON"))
            .transpose()?,
        native_client: native
            .map(|s| {
                given(
                    ClientId::parse,
                    &s,
                    "\"nativeClientId\" in the headless JSON",
                )
            })
            .transpose()?,
        identity_pool: ip
            .map(|s| {
                given(
                    IdentityPoolId::parse,
                    &s,
                    "\"identityPoolId\" in the headless JSON",
                )
            })
            .transpose()?,
    })
}

fn from_flags(args: &ImportAuthArgs) -> Result<GivenIds> {
    Ok(GivenIds {
        user_pool: args
            .user_pool_id
            .as_deref()
            .map(|s| given(UserPoolId::parse, s, "--user-pool-id"))
            .transpose()?,
        web_client: args
            .web_client_id
            .as_deref()
            .map(|s| given(ClientId::parse, s, "--web-client-id"))
            .transpose()?,
        native_client: args
            .native_client_id
            .as_deref()
            .map(|s| given(ClientId::parse, s, "--native-client-id"))
            .transpose()?,
        identity_pool: args
            .identity_pool_id
            .as_deref()
            .map(|s| given(IdentityPoolId::parse, s, "--identity-pool-id"))
            .transpose()?,
    })
}

pub fn run(ctx: &Context, args: ImportAuthArgs, prompter: &mut dyn Prompter) -> Result<()> {
    let (mut project, _lock) = ctx.open_locked()?;
    let env = project.current_env()?.to_string();
    let (ids, mode) = if args.headless {
        (
            parse_headless(&super::read_stdin("authwiz import auth --headless")?)?,
            Mode::Headless,
        )
    } else {
        let ids = from_flags(&args)?;
        let mode = if ctx.yes {
            Mode::Yes
        } else {
            Mode::Interactive
        };
        (ids, mode)
    };
    if mode == Mode::Yes {
        let missing: Vec<&str> = [
            (ids.user_pool.is_none(), "--user-pool-id ID"),
            (ids.web_client.is_none(), "--web-client-id ID"),
            (ids.native_client.is_none(), "--native-client-id ID"),
        ]
        .iter()
        .filter(|(m, _)| *m)
        .map(|(_, f)| *f)
        .collect();
        if !missing.is_empty() {
            return Err(Error::refused(
                format!(
                    "`import auth --yes` imports the resources named by flags; missing: {}.",
                    missing.join(", ")
                ),
                "Pass --user-pool-id, --web-client-id and --native-client-id (and --identity-pool-id to import an identity pool), or run without --yes in a terminal to choose from lists.",
            ));
        }
    }
    if let Some(outcome) = existing_auth(&project, &env, &ids, mode)? {
        ctx.ui.line(outcome);
        return Ok(());
    }
    let region = project
        .env_region(&env)
        .map(str::to_string)
        .or_else(|| ctx.aws.region.clone())
        .ok_or(CloudError::NoRegion)?;
    if mode == Mode::Interactive {
        ctx.ui
            .line("Using service: Cognito, provided by: awscloudformation");
    }
    let aws = ctx.connect(&project, &env)?;
    let mut asker = Asker::new(prompter, ctx.yes || mode == Mode::Headless);
    let request = Request {
        resource_name: resource_name(&project.config.value.project_name, mode == Mode::Headless),
        ids,
        mode,
        selections: None,
        region,
        env: env.clone(),
    };
    let imported = resolve(&ctx.ui, &aws, &mut asker, &request)?;
    summary(&ctx.ui, &imported, &env);
    if mode == Mode::Interactive {
        let q = Question::new("confirm", "Link these resources to the project?", "--yes");
        if !asker.confirm(&q, true)? {
            return Err(Error::refused(
                "Import cancelled; nothing was changed.",
                "Run `authwiz import auth` again to choose other resources.",
            ));
        }
    }
    imported.apply(&mut project, &env);
    save_import(&project, &imported)?;
    if mode != Mode::Headless {
        success(&ctx.ui, &imported);
    }
    Ok(())
}

/// One import to resolve against the cloud: for `import auth`, or for an env's
/// imported resource (type fixed, name kept).
pub struct Request {
    pub resource_name: String,
    pub ids: GivenIds,
    pub mode: Mode,
    /// Fixed by an existing resource (env add / checkout); asked otherwise.
    pub selections: Option<AuthSelections>,
    pub region: String,
    pub env: String,
}

/// Runs the walkthrough (or, with every id given, the validation) and returns
/// what to import. Reads only; writes nothing.
pub fn resolve(ui: &Ui, aws: &Aws, asker: &mut Asker, req: &Request) -> Result<Imported> {
    if let Some(pool) = &req.ids.user_pool
        && pool.region() != req.region
    {
        return Err(Error::refused(
            format!(
                "User pool {pool} is in region {}, but environment '{}' uses {}.",
                pool.region(),
                req.env,
                req.region
            ),
            format!(
                "Import a user pool from {}, or add an environment in {} (`authwiz env add NAME --region {}`).",
                req.region,
                pool.region(),
                pool.region()
            ),
        ));
    }
    let (idp, identity, iam) = (aws.cognito_idp(), aws.cognito_identity(), aws.iam());
    let mut wizard = Wizard {
        ui,
        aws,
        disc: Discovery::new(&idp, &identity, &iam),
        mode: req.mode,
        region: req.region.clone(),
        fixed: req.selections,
    };
    wizard.run(asker, &req.ids, req.resource_name.clone())
}

/// What to do when the project already has auth: `Some(message)` for an
/// idempotent success, an error otherwise, `None` to go on.
fn existing_auth(
    project: &Project,
    env: &str,
    ids: &GivenIds,
    mode: Mode,
) -> Result<Option<String>> {
    let Some(auth) = project
        .meta
        .value
        .categories
        .get(CATEGORY)
        .filter(|c| !c.is_empty())
    else {
        return Ok(None);
    };
    let imported = auth.iter().find(|(_, r)| r.is_imported());
    let Some((name, _)) = imported else {
        return Err(Error::refused(
            "Auth has already been added to this project. To update run amplify update auth.",
            "authwiz links existing Cognito resources; to import instead, remove the managed auth resource first (`authwiz remove auth`).",
        ));
    };
    if mode != Mode::Interactive {
        let same = GivenIds::from_params(project.env_params(env, CATEGORY, name)) == *ids;
        if same {
            return Ok(Some(format!(
                "Auth resource '{name}' already imports these resources in environment '{env}'; nothing to change."
            )));
        }
    }
    Err(Error::refused(
        "Auth has already been imported to this project and cannot be modified from the CLI. To modify, run \"authwiz remove auth\" to unlink the imported auth resource. Then run \"authwiz import auth\".",
        format!(
            "Auth resource '{name}' links other resources in environment '{env}'. Unlink it with `authwiz remove auth {name}` (Cognito resources are not deleted), then import again."
        ),
    ))
}

/// Amplify's name: the project name (runs of non-word characters as `_`),
/// lower-cased, plus 8 hex characters except in headless mode.
fn resource_name(project_name: &str, headless: bool) -> String {
    let mut base = String::new();
    for c in project_name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            base.push(c);
        } else if !base.ends_with('_') {
            base.push('_');
        }
    }
    if headless {
        base
    } else {
        let id = uuid::Uuid::new_v4().simple().to_string();
        format!("{base}{}", &id[..8])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Type,
    Pool,
    Clients,
    OAuth,
    IdentityPool,
    Done,
}

struct Wizard<'a, 'c, P, I, R> {
    ui: &'a Ui,
    aws: &'a Aws,
    disc: Discovery<'c, P, I, R>,
    mode: Mode,
    region: String,
    fixed: Option<AuthSelections>,
}

/// What the walkthrough has chosen so far.
#[derive(Default)]
struct Chosen {
    selections: Option<AuthSelections>,
    pool: Option<UserPool>,
    clients: Option<PoolClients>,
    candidates: Vec<IdentityPool>,
    web: Option<AppClient>,
    native: Option<AppClient>,
    both_auto: bool,
    oauth: Option<crate::auth::import::OAuthSettings>,
    native_urls: Option<(Vec<String>, Vec<String>)>,
    identity: Option<LinkedIdentityPool>,
}

impl<P: CognitoIdp, I: CognitoIdentity, R: Iam> Wizard<'_, '_, P, I, R> {
    fn run(
        &mut self,
        asker: &mut Asker,
        ids: &GivenIds,
        resource_name: String,
    ) -> Result<Imported> {
        let mut c = Chosen::default();
        let mut step = Step::Type;
        while step != Step::Done {
            step = match step {
                Step::Type => {
                    c.selections = Some(self.ask_type(asker, ids)?);
                    Step::Pool
                }
                Step::Pool => {
                    self.pick_pool(asker, ids, &mut c)?;
                    Step::Clients
                }
                Step::Clients => {
                    self.pick_clients(asker, ids, &mut c)?;
                    Step::OAuth
                }
                Step::OAuth => {
                    if self.check_oauth(asker, ids, &mut c)? {
                        Step::IdentityPool
                    } else {
                        Step::Clients
                    }
                }
                Step::IdentityPool => {
                    if c.selections == Some(AuthSelections::IdentityPoolAndUserPool) {
                        self.pick_identity_pool(asker, ids, &mut c)?;
                    }
                    Step::Done
                }
                Step::Done => Step::Done,
            };
        }
        let pool = c.pool.expect("the pool step ran");
        let mfa = self.aws.block_on(self.disc.mfa(&pool))?;
        Ok(Imported {
            resource_name,
            selections: c.selections.expect("the type step ran"),
            region: self.region.clone(),
            pool,
            web: c.web.expect("the client step ran"),
            native: c.native.expect("the client step ran"),
            identity: c.identity,
            oauth: c.oauth,
            native_urls: c.native_urls,
            mfa,
        })
    }

    fn ask_type(&mut self, asker: &mut Asker, ids: &GivenIds) -> Result<AuthSelections> {
        if let Some(fixed) = self.fixed {
            return Ok(fixed);
        }
        if ids.identity_pool.is_some() {
            return Ok(AuthSelections::IdentityPoolAndUserPool);
        }
        let all_clients =
            ids.user_pool.is_some() && ids.web_client.is_some() && ids.native_client.is_some();
        if self.mode != Mode::Interactive || all_clients {
            return Ok(AuthSelections::UserPoolOnly);
        }
        let choices = [
            Choice::new(
                "Cognito User Pool and Identity Pool",
                "identityPoolAndUserPool",
            ),
            Choice::new("Cognito User Pool only", "userPoolOnly"),
        ];
        let q = Question::new(
            "auth-type",
            "What type of auth resource do you want to import?",
            "--identity-pool-id ID (User Pool and Identity Pool) or only the user pool flags",
        );
        let i = asker.select(&q, &choices, 0)?;
        Ok(if i == 0 {
            AuthSelections::IdentityPoolAndUserPool
        } else {
            AuthSelections::UserPoolOnly
        })
    }

    /// The pool's clients (and identity pool candidates) if it can be imported.
    fn validate_pool(
        &mut self,
        pool_id: &str,
        selections: AuthSelections,
    ) -> Result<(PoolClients, Vec<IdentityPool>)> {
        let clients = split_clients(self.aws.block_on(self.disc.clients(pool_id))?)?;
        let candidates = if selections == AuthSelections::IdentityPoolAndUserPool {
            let _s = self.ui.spinner("Looking up identity pools...");
            let pools = self.aws.block_on(self.disc.identity_pools())?;
            pool_candidates(&pools, pool_id, &clients)
        } else {
            Vec::new()
        };
        require(selections, &candidates)?;
        Ok((clients, candidates))
    }

    fn pick_pool(&mut self, asker: &mut Asker, ids: &GivenIds, c: &mut Chosen) -> Result<()> {
        let selections = c.selections.expect("type first");
        let pool_id = match &ids.user_pool {
            Some(id) => id.to_string(),
            None => self.choose_pool(asker, selections)?,
        };
        let pool = match self.aws.block_on(self.disc.user_pool(&pool_id)) {
            Err(e) if e.is_not_found() => {
                return Err(Error::UserPoolNotFound {
                    id: pool_id,
                    name: String::new(),
                    fix: format!(
                        "Check the id and the environment's region ({}); `aws cognito-idp list-user-pools --max-results 60` lists the pools.",
                        self.region
                    ),
                });
            }
            other => other?,
        };
        // Given clients that are gone are named before the pool's own rules.
        let all = self.aws.block_on(self.disc.clients(&pool_id))?;
        for (given, kind) in [(&ids.web_client, "Web"), (&ids.native_client, "Native")] {
            if let Some(id) = given
                && !all.iter().any(|c| c.id == id.as_str())
            {
                return Err(Error::refused(
                    format!("The previously configured {kind} app client cannot be found."),
                    format!(
                        "App client {id} is not a client of user pool {pool_id}. Its clients: {}.",
                        names(&all)
                    ),
                ));
            }
        }
        let (clients, candidates) = self.validate_pool(&pool_id, selections)?;
        c.pool = Some(pool);
        c.clients = Some(clients);
        c.candidates = candidates;
        Ok(())
    }

    /// Lists the region's pools and lets the user choose one that qualifies.
    fn choose_pool(&mut self, asker: &mut Asker, selections: AuthSelections) -> Result<String> {
        let listed = {
            let _s = self.ui.spinner("Fetching Cognito User Pools...");
            self.aws.block_on(self.disc.user_pools())
        };
        let mut pools = match listed {
            Ok(p) => p,
            Err(CloudError::AccessDenied { action, message }) => {
                self.ui.warn(format!(
                    "These credentials may not list user pools ({action}: {message}). Grant {action} to pick from a list; you can type the pool id instead."
                ));
                let q = Question::new(
                    "user-pool-id",
                    "Enter the User Pool ID:",
                    "--user-pool-id ID",
                );
                let id = asker.text(&q, None, Some(|s| UserPoolId::parse(s).map(|_| ())))?;
                return Ok(id);
            }
            Err(e) => return Err(e.into()),
        };
        if pools.is_empty() {
            return Err(Error::refused(
                format!(
                    "No Cognito User Pools were found in the configured region: {}.",
                    self.region
                ),
                "Create a user pool in this region, or use an environment in the region of your pool (`authwiz env add NAME --region REGION`).",
            ));
        }
        if pools.len() == 1 {
            let id = pools[0].id.clone();
            if let Err(e) = self.validate_pool(&id, selections) {
                return Err(Error::refused(
                    format!(
                        "Only one Cognito User Pool '{id}' found, but it does not meet the requirements for import:"
                    ),
                    e.to_string(),
                ));
            }
            self.ui.check(format!(
                "Only one Cognito User Pool ({id}) found and it was automatically selected."
            ));
            return Ok(id);
        }
        pools.sort_by_key(|p| label(&p.name, &p.id));
        loop {
            let choices: Vec<Choice> = pools
                .iter()
                .map(|p| Choice::new(label(&p.name, &p.id), p.id.clone()))
                .collect();
            let q = Question::new(
                "user-pool-id",
                "Select the User Pool you want to import:",
                "--user-pool-id ID",
            )
            .help(FILTER_HELP);
            let i = asker.select(&q, &choices, 0)?;
            let id = pools[i].id.clone();
            match self.validate_pool(&id, selections) {
                Ok(_) => return Ok(id),
                Err(e) if self.mode == Mode::Interactive => {
                    self.ui.error(e.to_string());
                    pools.remove(i);
                    if pools.is_empty() {
                        return Err(Error::refused(
                            "None of the region's user pools meets the requirements for import.",
                            "See the messages above for what each pool lacks.",
                        ));
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn pick_clients(&mut self, asker: &mut Asker, ids: &GivenIds, c: &mut Chosen) -> Result<()> {
        let clients = c.clients.clone().expect("pool first");
        loop {
            let (web, web_auto) = match &ids.web_client {
                Some(id) => (given_web(&clients, id)?, false),
                None if clients.web.len() == 1 => {
                    let web = clients.web[0].clone();
                    self.ui.check(format!(
                        "Only one Web app client found: '{}' was automatically selected.",
                        web.name
                    ));
                    (web, true)
                }
                None => {
                    self.ui
                        .line("The User Pool has multiple Web app clients configured.");
                    let mut web = clients.web.clone();
                    web.sort_by_key(|a| label(&a.name, &a.id));
                    let choices: Vec<Choice> = web
                        .iter()
                        .map(|c| Choice::new(label(&c.name, &c.id), c.id.clone()))
                        .collect();
                    let q = Question::new(
                        "web-client-id",
                        "Select a Web client to import:",
                        "--web-client-id ID",
                    )
                    .help(FILTER_HELP);
                    (web[asker.select(&q, &choices, 0)?].clone(), false)
                }
            };
            let (native, native_auto) = match &ids.native_client {
                Some(id) => (
                    clients.native.iter().find(|c| c.id == id.as_str()).cloned().ok_or_else(|| {
                        Error::refused(
                            "The previously configured Native app client cannot be found.",
                            format!("App client {id} is not a client of the user pool. Its clients: {}.", names(&clients.native)),
                        )
                    })?,
                    false,
                ),
                None if clients.native.len() == 1 => {
                    let native = clients.native[0].clone();
                    self.ui.check(format!("Only one Native app client found: '{}' was automatically selected.", native.name));
                    self.ui.warn("It is recommended to use different app client for web and native application.");
                    (native, true)
                }
                None => {
                    self.ui.line("The User Pool has multiple Native app clients configured.");
                    let mut native = clients.native.clone();
                    native.sort_by_key(|a| label(&a.name, &a.id));
                    let choices: Vec<Choice> = native
                        .iter()
                        .map(|c| {
                            let suffix = if c.secret.is_some() { " (has app client secret)" } else { " " };
                            Choice::new(format!("{}{suffix}", label(&c.name, &c.id)), c.id.clone())
                        })
                        .collect();
                    let q = Question::new("native-client-id", "Select a Native client to import:", "--native-client-id ID").help(FILTER_HELP);
                    (native[asker.select(&q, &choices, 0)?].clone(), false)
                }
            };
            let asked = ids.web_client.is_none() || ids.native_client.is_none();
            if web.id == native.id && asked && !(web_auto && native_auto) {
                let q = Question::new(
                    "change-clients",
                    "It is recommended to use different app clients for web and native application, You have chosen the same app client for both. Do you want to change this?",
                    "--web-client-id and --native-client-id",
                );
                if asker.confirm(&q, false)? {
                    continue;
                }
            }
            c.both_auto = web_auto && native_auto;
            c.web = Some(web);
            c.native = Some(native);
            return Ok(());
        }
    }

    /// True to go on; false to choose clients again.
    fn check_oauth(&mut self, asker: &mut Asker, ids: &GivenIds, c: &mut Chosen) -> Result<bool> {
        let (web, native) = (
            c.web.clone().expect("clients first"),
            c.native.clone().expect("clients first"),
        );
        c.native_urls = None;
        match compare_oauth(&web, &native) {
            OAuthCheck::NotConfigured => {
                if self.mode != Mode::Headless {
                    self.ui.check("Federated identity providers are not configured, no OAuth configuration needed.");
                }
                c.oauth = None;
            }
            OAuthCheck::Matching(settings) => c.oauth = Some(settings),
            OAuthCheck::Mismatching {
                settings,
                mismatches,
                urls_only,
            } => {
                if self.mode == Mode::Interactive {
                    self.ui
                        .error("The following OAuth properties are not matching:");
                    for m in &mismatches {
                        self.ui.line(m.title);
                        let n = m.web.len().max(m.native.len());
                        let rows: Vec<Vec<String>> = (0..n)
                            .map(|i| {
                                vec![
                                    m.web.get(i).cloned().unwrap_or_default(),
                                    m.native.get(i).cloned().unwrap_or_default(),
                                ]
                            })
                            .collect();
                        self.ui.table(&[&web.name, &native.name], &rows);
                    }
                }
                // Reselecting only helps when a client step will really ask.
                let clients = c.clients.as_ref().expect("pool first");
                let can_reselect = self.mode == Mode::Interactive
                    && ((ids.web_client.is_none() && clients.web.len() > 1)
                        || (ids.native_client.is_none() && clients.native.len() > 1));
                if urls_only {
                    let keep = if can_reselect {
                        let choices = [
                            Choice::new(
                                "Continue with each client's own callback and logout URLs",
                                "continue",
                            ),
                            Choice::new("Select new app clients", "reselect"),
                        ];
                        let q = Question::new(
                            "oauth-urls",
                            "The web and native clients differ only in their callback and logout URLs. What do you want to do?",
                            "--yes",
                        );
                        asker.select(&q, &choices, 0)? == 0
                    } else {
                        self.ui.warn("The web and native clients differ only in their callback and logout URLs; each keeps its own (web: aws-exports.js, native: mobile configuration).");
                        true
                    };
                    if !keep {
                        self.ui.line("Select new app clients");
                        return Ok(false);
                    }
                    c.native_urls =
                        Some((native.callback_urls.clone(), native.logout_urls.clone()));
                } else if can_reselect {
                    self.ui.line("Select new app clients");
                    return Ok(false);
                } else {
                    return Err(oauth_mismatch_error());
                }
                c.oauth = Some(settings);
            }
        }
        if let Some(o) = &c.oauth {
            if o.flows_user_pool_client && o.logout_urls.is_empty() {
                self.ui.warn(format!(
                    "App client '{}' has OAuth enabled but no sign-out URL. The full OAuth block is written with an empty redirectSignOut; add a sign-out URL to the client (Cognito console → App client → Login pages) so sign-out redirects work.",
                    web.name
                ));
            }
            if o.providers.iter().any(|p| p != "COGNITO") {
                let pool = c.pool.as_ref().expect("pool first");
                for problem in social_attribute_problems(pool, &[&web, &native]) {
                    self.ui.warn(problem);
                }
            }
        }
        Ok(true)
    }

    fn pick_identity_pool(
        &mut self,
        asker: &mut Asker,
        ids: &GivenIds,
        c: &mut Chosen,
    ) -> Result<()> {
        let pool = c.pool.clone().expect("pool first");
        let (web, native) = (
            c.web.clone().expect("clients first"),
            c.native.clone().expect("clients first"),
        );
        let mut narrowed = pools_for_clients(&c.candidates, &pool.id, &web.id, &native.id);
        let chosen = match &ids.identity_pool {
            Some(id) => narrowed.iter().find(|p| p.id == id.as_str()).cloned().ok_or_else(|| {
                let name = self
                    .aws
                    .block_on(self.disc.identity_pools())
                    .ok()
                    .and_then(|all| all.into_iter().find(|p| p.id == id.as_str()).map(|p| p.name));
                let known = name.is_some();
                Error::refused(
                    format!("The previously configured Identity Pool: '{}' ({id}) cannot be found.", name.unwrap_or_default()),
                    if known {
                        format!("Identity pool {id} does not list user pool {} with clients {} and {} as Cognito identity providers; add them, or choose another identity pool.", pool.id, web.id, native.id)
                    } else {
                        format!("No identity pool {id} exists in {}; check the id.", self.region)
                    },
                )
            })?,
            None if narrowed.is_empty() => return Err(no_identity_pool_for_clients_error(&web, &native)),
            None if narrowed.len() == 1 => {
                let only = narrowed.remove(0);
                self.ui.check(format!("Only one Identity Pool resource found: '{}' ({}) was automatically selected.", only.name, only.id));
                only
            }
            None => {
                self.ui.line(" Multiple Identity Pools are configured for the selected Cognito User Pool.");
                narrowed.sort_by_key(|a| label(&a.name, &a.id));
                let choices: Vec<Choice> = narrowed.iter().map(|p| Choice::new(label(&p.name, &p.id), p.id.clone())).collect();
                let q = Question::new("identity-pool-id", "Select the Identity Pool you want to import:", "--identity-pool-id ID").help(FILTER_HELP);
                narrowed[asker.select(&q, &choices, 0)?].clone()
            }
        };
        let roles = self
            .aws
            .block_on(self.disc.identity_pool_roles(&chosen.id))?;
        let (auth_role, unauth_role) = linked_roles(&chosen, &roles)?;
        self.check_trust(&chosen, &auth_role, unauth_role.as_ref());
        c.identity = Some(LinkedIdentityPool {
            pool: chosen,
            auth_role,
            unauth_role,
        });
        Ok(())
    }

    /// Reads both roles' trust policies and warns (with the fix) when they do not
    /// trust this identity pool for the right identities.
    fn check_trust(&mut self, pool: &IdentityPool, auth: &RoleRef, unauth: Option<&RoleRef>) {
        let mut roles = vec![(auth, "authenticated")];
        roles.extend(unauth.map(|u| (u, "unauthenticated")));
        let names: Vec<String> = roles.iter().map(|(r, _)| r.name.clone()).collect();
        let read = self.aws.block_on(self.disc.iam_roles(&names));
        for ((role, amr), got) in roles.iter().zip(read) {
            match got {
                Ok(doc) => {
                    for problem in trust::check(&role.name, &doc.trust_policy, &pool.id, amr) {
                        self.ui.warn(problem);
                    }
                }
                Err(e) => self.ui.warn(format!(
                    "Could not read the trust policy of IAM role '{}' ({e}); it was not checked.",
                    role.name
                )),
            }
        }
    }
}

fn given_web(clients: &PoolClients, id: &ClientId) -> Result<AppClient> {
    if let Some(c) = clients.web.iter().find(|c| c.id == id.as_str()) {
        return Ok(c.clone());
    }
    let fix = match clients.native.iter().find(|c| c.id == id.as_str()) {
        Some(c) => format!(
            "App client '{}' ({id}) has a client secret, so it cannot be the web client. Web clients: {}.",
            c.name,
            names(&clients.web)
        ),
        None => format!(
            "App client {id} is not a client of the user pool. Web clients (no secret): {}.",
            names(&clients.web)
        ),
    };
    Err(Error::refused(
        "The previously configured Web app client cannot be found.",
        fix,
    ))
}

fn label(name: &str, id: &str) -> String {
    format!("{name} ({id})")
}

fn names(clients: &[AppClient]) -> String {
    clients
        .iter()
        .map(|c| label(&c.name, &c.id))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn summary(ui: &Ui, i: &Imported, env: &str) {
    ui.blank();
    ui.line(format!(
        "Auth resource '{}' will link, for environment '{env}' ({}):",
        i.resource_name, i.region
    ));
    ui.line(format!(
        "  User Pool:      {}",
        label(&i.pool.name, &i.pool.id)
    ));
    ui.line(format!(
        "  Web client:     {}",
        label(&i.web.name, &i.web.id)
    ));
    let secret = if i.native.secret.is_some() {
        " (has app client secret)"
    } else {
        ""
    };
    ui.line(format!(
        "  Native client:  {}{secret}",
        label(&i.native.name, &i.native.id)
    ));
    if let Some(linked) = &i.identity {
        ui.line(format!(
            "  Identity Pool:  {}",
            label(&linked.pool.name, &linked.pool.id)
        ));
        ui.line(format!("  Auth role:      {}", linked.auth_role.arn));
        match &linked.unauth_role {
            Some(r) => ui.line(format!("  Unauth role:    {}", r.arn)),
            None => ui.line(
                "  Unauth role:    none (the identity pool allows no unauthenticated identities)",
            ),
        }
    }
    ui.blank();
}

/// `amplify/backend/auth/<res>/parameters.json`
pub fn save_parameters(project: &Project, imported: &Imported) -> Result<()> {
    let path = format!(
        "{}/parameters.json",
        crate::auth::remove::resource_dir(&imported.resource_name)
    );
    Ok(project
        .store
        .write(&Doc::new(path, imported.parameters()), Layout::Ordered)?)
}

fn save_import(project: &Project, imported: &Imported) -> Result<()> {
    save_parameters(project, imported)?;
    project.save_meta()?;
    project.save_backend_config()?;
    project.save_tpi()
}

fn success(ui: &Ui, i: &Imported) {
    ui.blank();
    match &i.identity {
        None => ui.success(format!(
            "Cognito User Pool '{}' was successfully imported.",
            i.pool.name
        )),
        Some(l) => ui.success(format!(
            "Cognito User Pool '{}' and Identity Pool '{}' was successfully imported.",
            i.pool.name, l.pool.name
        )),
    }
    ui.blank();
    ui.line("Next steps:");
    ui.blank();
    ui.line("- This resource will be available for GraphQL APIs ('amplify add api')");
    ui.line(
        "- Use Amplify libraries to add sign up, sign in, and sign out capabilities to your client",
    );
    ui.line("  application.");
    ui.line("  - iOS: https://docs.amplify.aws/lib/auth/getting-started/q/platform/ios");
    ui.line("  - Android: https://docs.amplify.aws/lib/auth/getting-started/q/platform/android");
    ui.line("  - JavaScript: https://docs.amplify.aws/lib/auth/getting-started/q/platform/js");
    ui.line("- Run `authwiz push` to record the import and generate the client configuration.");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_follow_amplify() {
        assert_eq!(resource_name("peerproj", true), "peerproj");
        let n = resource_name("MyProj", false);
        assert!(n.starts_with("myproj") && n.len() == 14, "{n}");
        assert_eq!(resource_name("a b--c", true), "a_b_c");
    }

    #[test]
    fn headless_payload_validation() {
        let ok = parse_headless(r#"{"version":1,"userPoolId":"us-east-1_abc","webClientId":"w1","nativeClientId":"n1"}"#).unwrap();
        assert_eq!(ok.identity_pool, None);
        let err = |s: &str| parse_headless(s).unwrap_err().to_string();
        assert!(
            err(r#"{"userPoolId":"x"}"#)
                .starts_with("data does not have a top level \"version\" field")
        );
        assert!(err(r#"{"version":2}"#).starts_with("No schema found for version 2"));
        assert!(
            err(r#"{"version":1,"userPoolId":"us-east-1_abc"}"#).contains(
                "missing required key \"webClientId\"; missing required key \"nativeClientId\""
            )
        );
        assert!(
            err(r#"{"version":1,"userPoolId":"bad","webClientId":"w","nativeClientId":"n"}"#)
                .contains("'bad' is not a valid user pool id")
        );
        assert!(err("not json").starts_with("The headless payload on stdin is not valid JSON"));
        assert!(err(r#"{"version":1,"userPoolId":"us-east-1_a","webClientId":"w","nativeClientId":"n","extra":1}"#).contains("unknown key \"extra\""));
    }
}
