//! A push of Amplify-managed auth, as an operation (no printing, no prompts):
//! what the resource's files ask for (and what the last push made, for what is
//! gone) as the engine's resources, the ids the last push recorded, the plan
//! with what it refuses (replacements, what a CloudFormation stack holds) and
//! what it names (drift, what is gone), and the outputs recorded after.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::cognito::{DOMAIN, IDENTITY_POOL, Managed, OWNER_TAG, ROLE, USER_POOL};
use super::drift::{self, ResourceDrift};
use super::engine::{Action, Engine, Journal, Key, Plan, Target};
use super::fields::update_lines;
use super::managed_auth::{Deployment, EnvFacts, deployment, env_role_names};
use super::plan::{Operation, ResourceChange};
use super::providers::{engine_over, providers};
use super::registry::Registry;
use crate::auth::managed::load::ManagedAuth;
use crate::auth::managed::overrides;
use crate::auth::state::resource_dir;
use crate::auth::{AuthError, CATEGORY, triggers};
use crate::cloud::Aws;
use crate::error::{Error, Result};
use crate::project::{Project, secrets};
use crate::vocab::{COGNITO, COGNITO_GROUPS};

/// Journal of a managed-auth push in progress (beside storage's).
pub const JOURNAL: &str = "amplify/.config/local-authwiz-push-auth.json";
const GROUPS: &str = "userPoolGroups";

/// What a push does for managed auth.
pub struct AuthPush {
    pub plan: Plan,
    pub registry: Registry,
    /// The trigger functions' packages, by name in the cloud.
    pub code: BTreeMap<String, Vec<u8>>,
    /// User pools replaced by new ones (the old ones kept, retired).
    pub replaced: Vec<Replaced>,
    /// Resources created or updated, with what they deploy.
    deployed: Vec<(String, Deployment)>,
    /// The env's roles, when this push is the one that makes them.
    new_env_roles: Option<(String, String)>,
    /// User pools this push deletes that hold users: (name, users).
    pub pools_with_users: Vec<(String, i64)>,
    /// Everything the last push recorded that is gone and that this push makes
    /// again: (key, label, recorded id).
    gone: Vec<(Key, String, String)>,
    /// What this push leaves as it is, and why.
    kept: Vec<String>,
}

fn service(project: &Project, name: &str) -> Option<String> {
    let local = project.meta.value.resource(CATEGORY, name);
    let pushed = project
        .current_meta
        .as_ref()
        .and_then(|m| m.value.resource(CATEGORY, name));
    local.or(pushed).and_then(|r| r.service.clone())
}

/// The managed Cognito resources this push deploys, with their operation: the
/// changed ones (a change of the groups counts for its Cognito resource), or
/// all of them when an unfinished push is completed.
pub fn wanted(
    project: &Project,
    changes: &[ResourceChange],
    resuming: bool,
) -> Vec<(String, Operation)> {
    let managed: Vec<&ResourceChange> = changes
        .iter()
        .filter(|c| c.category == CATEGORY && !c.imported)
        .collect();
    let groups_changed = managed.iter().any(|c| {
        service(project, &c.name).as_deref() == Some(COGNITO_GROUPS)
            && c.operation != Operation::NoChange
    });
    // A changed trigger function counts for its auth resource.
    let triggers_changed: Vec<String> = changes
        .iter()
        .filter(|c| c.operation != Operation::NoChange)
        .filter_map(|c| trigger_of(project, c))
        .collect();
    managed
        .iter()
        .filter(|c| service(project, &c.name).as_deref() == Some(COGNITO))
        .filter(|c| {
            c.operation != Operation::NoChange
                || groups_changed
                || resuming
                || triggers_changed.contains(&c.name)
        })
        .map(|c| (c.name.clone(), c.operation))
        .collect()
}

/// Whether a row is a managed user pool (not its groups) that a push made.
pub fn pushed_pool(project: &Project, c: &ResourceChange) -> bool {
    c.category == CATEGORY
        && !c.imported
        && c.operation != Operation::Create
        && service(project, &c.name).as_deref() == Some(COGNITO)
}

/// Whether a change is one authwiz deploys (imported auth, storage, managed
/// auth and its trigger functions).
pub fn deploys(project: &Project, c: &ResourceChange) -> bool {
    let auth = c.category == CATEGORY
        && matches!(
            service(project, &c.name).as_deref(),
            Some(s) if s == COGNITO || s == COGNITO_GROUPS
        );
    auth || trigger_of(project, c).is_some()
}

/// The auth resource whose trigger the function of `c` is (its
/// function-parameters.json, in the project or as last pushed, says
/// `trigger: true` under an auth parent).
pub fn trigger_of(project: &Project, c: &ResourceChange) -> Option<String> {
    if c.category != triggers::files::FUNCTION {
        return None;
    }
    [crate::project::BACKEND_DIR, project.pushed_dir.as_str()]
        .iter()
        .find_map(|dir| {
            let rel = format!("{dir}/function/{}/function-parameters.json", c.name);
            let doc = project.store.read::<Value>(&rel).ok().flatten()?;
            let v = doc.value;
            (v["trigger"] == true && v["parentStack"] == CATEGORY)
                .then(|| v["parentResource"].as_str().map(str::to_string))
                .flatten()
        })
}

/// The env's roles: those recorded for it (Amplify's root stack, or an earlier
/// push), else the names authwiz gives them; `true` when not recorded.
/// The env's roles as it records them (Amplify's root stack, or an earlier push).
fn recorded_env_roles(project: &Project, env: &str) -> Option<(String, String)> {
    let record = project
        .tpi
        .value
        .get(env)
        .map(|r| &r.awscloudformation.extra);
    let get = |k: &str| {
        record
            .and_then(|r| r.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    get("AuthRoleName").zip(get("UnauthRoleName"))
}

/// The env's roles: those recorded, else the names authwiz gives them.
fn env_roles(project: &Project, env: &str, region: &str, shared_id: &str) -> (String, String) {
    recorded_env_roles(project, env).unwrap_or_else(|| {
        env_role_names(&project.config.value.project_name, env, region, shared_id)
    })
}

fn facts(
    home: Option<&Path>,
    project: &Project,
    (env, region): (&str, &str),
    (res, m): (&str, &ManagedAuth),
    with_secrets: bool,
) -> Result<EnvFacts> {
    let config = &m.inputs;
    let shared_id = config
        .cognito_config
        .shared_id
        .as_deref()
        .unwrap_or_default();
    let (auth_role, unauth_role) = env_roles(project, env, region, shared_id);
    let social_creds = if with_secrets {
        match home {
            Some(home) => secrets::read(home, project, env, res)?,
            None => None,
        }
    } else {
        None
    };
    Ok(EnvFacts {
        project: project.config.value.project_name.clone(),
        env: env.to_string(),
        region: region.to_string(),
        resource: res.to_string(),
        auth_role,
        unauth_role,
        social_creds,
        env_params: project
            .env_params(env, CATEGORY, res)
            .map(|p| p.clone().into_iter().collect())
            .unwrap_or_default(),
        groups: m
            .groups
            .iter()
            .map(|g| (g.name.clone(), g.precedence))
            .collect(),
        strict: with_secrets,
        overrides: m.overrides.clone(),
        triggers: Vec::new(),
    })
}

/// The deployment of `m` (under the backend folder `dir`) for the env, with
/// its triggers' packages when `strict`.
fn deploy(
    home: Option<&Path>,
    project: &Project,
    (env, region, dir): (&str, &str, &str),
    (res, m): (&str, &ManagedAuth),
    strict: bool,
) -> Result<Deployment> {
    let mut f = facts(home, project, (env, region), (res, m), strict)?;
    let modules = m.config().triggers.clone().unwrap_or_default();
    let t = triggers::env::for_env(project, home, dir, (env, res), (&modules, strict)).map_err(
        |e| {
            Error::refused(
                format!("The Lambda triggers of auth resource '{res}' cannot be deployed: {e}"),
                "Nothing was changed in the cloud.",
            )
        },
    )?;
    f.triggers = t.facts;
    let mut d = deployment(m.config(), &f).map_err(|e| refused(res, e))?;
    d.code = t.code;
    Ok(d)
}

/// Ids the last push recorded for the resource (its meta output). A pool
/// with no recorded id is looked for by name before one is created: a push
/// whose record was lost must not make a second one. Returns what is recorded
/// as (key, id).
fn seed(registry: &Registry, project: &Project, res: &str, d: &Deployment) -> Vec<(Key, String)> {
    let k = &d.keys;
    registry.search_for(&k.user_pool);
    if let Some(ip) = &k.identity_pool {
        registry.search_for(ip);
    }
    let Some(output) = project
        .current_meta
        .as_ref()
        .and_then(|m| m.value.resource(CATEGORY, res))
        .and_then(|r| r.output.as_ref())
    else {
        return Vec::new();
    };
    let get = |k: &str| output.get(k).and_then(Value::as_str);
    let mut recorded = Vec::new();
    for (key, field, arn) in [
        (Some(&k.user_pool), "UserPoolId", get("UserPoolArn")),
        (Some(&k.web_client), "AppClientIDWeb", None),
        (Some(&k.native_client), "AppClientID", None),
        (k.identity_pool.as_ref(), "IdentityPoolId", None),
    ] {
        if let (Some(key), Some(id)) = (key, get(field)) {
            registry.know(key, id, arn);
            recorded.push((key.clone(), id.to_string()));
        }
    }
    recorded
}

/// What the last push made of the resource (from #current-cloud-backend).
fn pushed(project: &Project, (env, region): (&str, &str), res: &str) -> Result<Option<Deployment>> {
    let Some(m) = ManagedAuth::load_pushed(&project.store, &project.pushed_dir, res)
        .map_err(AuthError::from)?
    else {
        return Ok(None);
    };
    let dir = project.pushed_dir.clone();
    Ok(Some(deploy(
        None,
        project,
        (env, region, &dir),
        (res, &m),
        false,
    )?))
}

/// What the project's files ask of the resource (backend/).
fn local(
    home: Option<&Path>,
    project: &Project,
    (env, region): (&str, &str),
    res: &str,
) -> Result<Deployment> {
    let backend = crate::project::BACKEND_DIR;
    let Some(m) = ManagedAuth::load(&project.store, backend, res).map_err(AuthError::from)? else {
        return Err(Error::refused(
            format!(
                "{}/cli-inputs.json is missing for the managed auth resource '{res}'.",
                resource_dir(res)
            ),
            "Restore it from version control, or remove the resource with `authwiz remove auth`.",
        ));
    };
    deploy(home, project, (env, region, backend), (res, &m), true)
}

/// Each resource the last push made for the managed auth resource `res`, as
/// the cloud holds it now (empty when it was never pushed). Read-only.
pub fn drift(aws: &Aws, project: &Project, env: &str, res: &str) -> Result<Vec<ResourceDrift>> {
    let region = aws.region().to_string();
    let Some(d) = pushed(project, (env, &region), res)? else {
        return Ok(Vec::new());
    };
    let registry = Registry::default();
    seed(&registry, project, res, &d);
    let mut drift = with_engine(aws, (&registry, &d.code), |engine| {
        aws.block_on(drift::read(engine, &d.targets))
    })?;
    let k = &d.keys;
    for r in &mut drift {
        r.section = [
            (Some(&k.user_pool), overrides::USER_POOL),
            (Some(&k.web_client), overrides::WEB_CLIENT),
            (Some(&k.native_client), overrides::NATIVE_CLIENT),
            (k.identity_pool.as_ref(), overrides::IDENTITY_POOL),
        ]
        .into_iter()
        .find_map(|(key, section)| (key == Some(&r.key)).then_some(section));
    }
    Ok(drift)
}

pub fn plan(
    home: Option<&Path>,
    aws: &Aws,
    project: &Project,
    (env, wanted): (&str, &[(String, Operation)]),
    journal: Option<&Journal>,
    replace_pool: bool,
) -> Result<Option<AuthPush>> {
    let mode = Scope {
        env_roles_go: false,
        replace_pool,
    };
    plan_scoped(home, aws, project, (env, wanted), journal, mode)
}

/// What a plan may do besides what the files ask.
#[derive(Clone, Copy, Default)]
struct Scope {
    /// The env's own roles go too (the env is removed).
    env_roles_go: bool,
    /// A user pool whose create-only settings changed is replaced, the old
    /// one kept (`push --replace-user-pool`).
    replace_pool: bool,
}

/// A user pool this push replaces: the old one stays, retired.
#[derive(Clone, Debug)]
pub struct Replaced {
    pub key: Key,
    pub old_id: String,
    pub users: i64,
}

/// The deletion of everything the env's last push made for its managed auth,
/// its roles too where authwiz made them (`project` loaded with the env's
/// snapshot: [`Project::load_snapshot`]).
pub fn plan_env_removal(
    home: Option<&Path>,
    aws: &Aws,
    project: &Project,
    env: &str,
) -> Result<Option<AuthPush>> {
    let wanted: Vec<(String, Operation)> = project
        .current_meta
        .as_ref()
        .and_then(|m| m.value.categories.get(CATEGORY))
        .into_iter()
        .flatten()
        .filter(|(_, r)| r.is_managed_cognito())
        .map(|(name, _)| (name.clone(), Operation::Delete))
        .collect();
    let mode = Scope {
        env_roles_go: true,
        replace_pool: false,
    };
    plan_scoped(home, aws, project, (env, &wanted), None, mode)
}

/// One resource's targets: what the files want, and what the last push made
/// that nobody wants now (to delete), except the env's own roles (the Amplify
/// CLI keeps them with the env) unless the env itself goes.
fn resource_targets(
    local: Option<&Deployment>,
    pushed: Option<&Deployment>,
    env_roles_go: bool,
) -> Vec<Target> {
    let mut targets: Vec<Target> = local
        .iter()
        .flat_map(|d| d.targets.iter().cloned())
        .collect();
    let wanted: BTreeSet<Key> = targets.iter().map(|t| t.key.clone()).collect();
    if let Some(p) = pushed {
        let env_roles: BTreeSet<&Key> = [&p.keys.auth_role, &p.keys.unauth_role]
            .into_iter()
            .flatten()
            .collect();
        for t in &p.targets {
            if !wanted.contains(&t.key) && (env_roles_go || !env_roles.contains(&t.key)) {
                targets.push(Target {
                    desired: None,
                    ..t.clone()
                });
            }
        }
    }
    targets
}

fn plan_scoped(
    home: Option<&Path>,
    aws: &Aws,
    project: &Project,
    (env, wanted): (&str, &[(String, Operation)]),
    journal: Option<&Journal>,
    mode: Scope,
) -> Result<Option<AuthPush>> {
    let env_roles_go = mode.env_roles_go;
    if wanted.is_empty() && journal.is_none() {
        return Ok(None);
    }
    refuse_stacks(project, wanted)?;
    let region = aws.region().to_string();
    let registry = Registry::default();
    let mut targets: Vec<Target> = Vec::new();
    let mut deployed = Vec::new();
    let mut recorded: Vec<(Key, String)> = Vec::new();
    let mut pushed_specs: BTreeMap<Key, Value> = BTreeMap::new();
    for (res, op) in wanted {
        let pushed = pushed(project, (env, &region), res)?;
        let local = if *op == Operation::Delete {
            None
        } else {
            Some(local(home, project, (env, &region), res)?)
        };
        if let Some(d) = pushed.as_ref().or(local.as_ref()) {
            recorded.extend(seed(&registry, project, res, d));
        }
        targets.extend(resource_targets(
            local.as_ref(),
            pushed.as_ref(),
            env_roles_go,
        ));
        if let Some(p) = &pushed {
            pushed_specs.extend(
                p.targets
                    .iter()
                    .filter_map(|t| Some((t.key.clone(), t.desired.clone()?))),
            );
        }
        if let Some(d) = local {
            deployed.push((res.clone(), d));
        }
    }
    registry.resume(journal);
    let unrecorded = recorded_env_roles(project, env).is_none();
    let new_env_roles = deployed
        .iter()
        .find_map(|(_, d)| d.keys.auth_role.as_ref().zip(d.keys.unauth_role.as_ref()))
        .filter(|_| unrecorded)
        .map(|(a, u)| (a.name.clone(), u.name.clone()));
    let code: BTreeMap<String, Vec<u8>> =
        deployed.iter().flat_map(|(_, d)| d.code.clone()).collect();
    let planned = || {
        with_engine(
            aws,
            (&registry, &code),
            |engine| -> Result<(Plan, Vec<String>)> {
                let mut plan = aws.block_on(engine.plan(&targets, journal))?;
                let kept = only_own(&mut plan)?;
                mark_drift(engine, &mut plan, &pushed_specs)?;
                Ok((plan, kept))
            },
        )
    };
    let (mut plan, mut kept) = planned()?;
    let mut replaced = Vec::new();
    if mode.replace_pool {
        replaced = retire(&registry, &plan)?;
        (plan, kept) = planned()?;
    }
    refuse_replacements(&plan, mode.replace_pool)?;
    let pools_with_users = with_users(&plan);
    let gone = gone(&plan, &recorded, &replaced);
    Ok(Some(AuthPush {
        plan,
        registry,
        code,
        replaced,
        deployed,
        new_env_roles,
        pools_with_users,
        gone,
        kept,
    }))
}

/// The managed-auth engine over `aws`, with the ids `registry` knows, for `f`.
pub fn with_engine<T>(
    aws: &Aws,
    (registry, code): (&Registry, &BTreeMap<String, Vec<u8>>),
    f: impl FnOnce(&Engine<'_>) -> T,
) -> T {
    let cloud = aws.deploy();
    let iam = aws.iam();
    let m = Managed {
        cloud: &cloud,
        registry,
    };
    let list = providers(&m, &iam, code);
    f(&engine_over(&list))
}

/// The file of the project's retired user pools (beside team-provider-info.json):
/// `{ "<env>": [ {...} ] }`.
pub const RETIRED: &str = "authwiz-retired-user-pools.json";

/// Stages the record of a retired pool (replaced by `new`) beside the
/// resource's cli-inputs.json, in the push's transaction.
pub fn record_retired(
    project: &Project,
    env: &str,
    (pool, old, new): (&str, &str, &str),
    (stamp, backup): (&str, &str),
) -> Result<()> {
    let rel = format!("amplify/{RETIRED}");
    let mut all: BTreeMap<String, Vec<Value>> = project
        .store
        .read(&rel)?
        .map(|d: crate::project::Doc<BTreeMap<String, Vec<Value>>>| d.value)
        .unwrap_or_default();
    all.entry(env.to_string()).or_default().push(json!({
        "userPoolId": old,
        "userPoolName": pool,
        "replacedBy": new,
        "retired": stamp,
        "backup": backup
    }));
    project.store.write(
        &crate::project::Doc::new(rel, all),
        crate::project::Layout::Ordered,
    )?;
    Ok(())
}

/// The pools `plan` would replace, made anew beside the old ones, which stay
/// as they are: this push neither reads them again nor finds them by name.
fn retire(registry: &Registry, plan: &Plan) -> Result<Vec<Replaced>> {
    let replaced = pools_replaced(plan);
    if replaced.is_empty() {
        return Err(Error::refused(
            "No user pool needs replacing: nothing that only a new pool can change has changed. Nothing was pushed.",
            "Run `authwiz push` without --replace-user-pool.",
        ));
    }
    for r in &replaced {
        registry.forget(&r.key);
        registry.forget_children(&r.key.name);
        registry.stop_searching(&r.key);
    }
    Ok(replaced)
}

/// What was recorded and is gone, and this plan makes again (a pool being
/// replaced aside): (key, label, recorded id). A user pool is made again
/// only when the user says so.
fn gone(
    plan: &Plan,
    recorded: &[(Key, String)],
    replaced: &[Replaced],
) -> Vec<(Key, String, String)> {
    plan.steps
        .iter()
        .filter(|s| s.action == Action::Create)
        .filter(|s| !replaced.iter().any(|r| r.key == s.key))
        .filter_map(|s| {
            let (_, id) = recorded.iter().find(|(k, _)| *k == s.key)?;
            Some((s.key.clone(), s.label.clone(), id.clone()))
        })
        .collect()
}

/// User pools the plan would have to replace (a create-only setting changed).
fn pools_replaced(plan: &Plan) -> Vec<Replaced> {
    plan.steps
        .iter()
        .filter(|s| s.key.kind == USER_POOL && s.action == Action::Replace)
        .filter_map(|s| {
            let before = s.before.as_ref()?;
            Some(Replaced {
                key: s.key.clone(),
                old_id: before.get("id")?.as_str()?.to_string(),
                users: before.get("users").and_then(Value::as_i64).unwrap_or(0),
            })
        })
        .collect()
}

/// User pools the plan deletes that hold users: (name, users).
fn with_users(plan: &Plan) -> Vec<(String, i64)> {
    plan.steps
        .iter()
        .filter(|s| s.key.kind == USER_POOL && matches!(s.action, Action::Delete | Action::Replace))
        .filter_map(|s| {
            let users = s.before.as_ref()?.get("users")?.as_i64()?;
            (users > 0).then(|| (s.key.name.clone(), users))
        })
        .collect()
}

impl AuthPush {
    /// User pools this push deletes (or replaces) that hold users: (name, id).
    pub fn pools_to_back_up(&self) -> Vec<(String, String)> {
        let replaced = self
            .replaced
            .iter()
            .map(|r| (r.key.name.clone(), r.old_id.clone()));
        self.plan
            .steps
            .iter()
            .filter(|s| {
                s.key.kind == USER_POOL && matches!(s.action, Action::Delete | Action::Replace)
            })
            .filter_map(|s| {
                let before = s.before.as_ref()?;
                let holds = before.get("users")?.as_i64()? > 0;
                let id = before.get("id")?.as_str()?;
                holds.then(|| (s.key.name.clone(), id.to_string()))
            })
            .chain(replaced)
            .collect()
    }

    /// Whether the deployment of the pool `key` has a User Migration trigger
    /// (the users then move on sign-in instead of being restored).
    pub fn migrates_users(&self, key: &Key) -> bool {
        self.deployed.iter().any(|(_, d)| {
            d.keys.user_pool == *key
                && d.targets.iter().any(|t| {
                    t.key.kind == super::triggers::POOL_TRIGGERS
                        && t.desired
                            .as_ref()
                            .is_some_and(|v| v["spec"]["triggers"].get("UserMigration").is_some())
                })
        })
    }

    /// User pools the last push recorded that are gone from the cloud and that
    /// this push would make again: (name, recorded id).
    pub fn gone_pools(&self) -> Vec<(String, String)> {
        self.gone
            .iter()
            .filter(|(k, ..)| k.kind == USER_POOL)
            .map(|(k, _, id)| (k.name.clone(), id.clone()))
            .collect()
    }
}

/// Refuses a plan that would touch what a CloudFormation stack holds, and
/// drops the deletion of roles authwiz did not make; returns what stays.
fn only_own(plan: &mut Plan) -> Result<Vec<String>> {
    // The env's roles are the root stack's; Amplify's own auth stack sets their
    // trust from outside that stack too, and so does authwiz.
    if let Some((label, stack)) = plan
        .steps
        .iter()
        .filter(|s| s.key.kind != ROLE)
        .find_map(|s| {
            let tags = s.before.as_ref()?.get("spec")?.get("tags")?;
            Some((&s.label, tags.get(STACK_TAG)?.as_str()?))
        })
    {
        return Err(stack_refusal(label, stack));
    }
    let mut kept = Vec::new();
    plan.steps.retain(|s| {
        let own = s
            .before
            .as_ref()
            .is_none_or(|b| b["spec"]["tags"].get(OWNER_TAG).is_some());
        if s.key.kind == ROLE && s.action == Action::Delete && !own {
            kept.push(format!("{} stays: authwiz did not make it", s.label));
            return false;
        }
        true
    });
    Ok(kept)
}

/// The tag AWS puts on what a CloudFormation stack made.
const STACK_TAG: &str = "aws:cloudformation:stack-name";

/// The Amplify CLI's stack that deployed the resource, as its last push
/// recorded it (`providerMetadata` in amplify-meta.json).
fn amplify_stack(project: &Project, res: &str) -> Option<String> {
    let meta = &project.current_meta.as_ref()?.value;
    let logical = meta
        .resource(CATEGORY, res)?
        .extra
        .get("providerMetadata")?
        .get("logicalId")?
        .as_str()?
        .to_string();
    let root = meta
        .providers
        .as_ref()
        .and_then(|p| p.get("awscloudformation"))
        .and_then(|c| c.get("StackName"))
        .and_then(Value::as_str);
    Some(match root {
        Some(root) => format!("{root} (its nested stack {logical})"),
        None => logical,
    })
}

/// A resource the Amplify CLI's stack deployed is refused before any call.
fn refuse_stacks(project: &Project, wanted: &[(String, Operation)]) -> Result<()> {
    for (res, _) in wanted {
        if let Some(stack) = amplify_stack(project, res) {
            return Err(stack_refusal(&format!("auth resource '{res}'"), &stack));
        }
    }
    Ok(())
}

/// What a CloudFormation stack holds is the stack's to change: authwiz
/// changes or deletes nothing in it.
fn stack_refusal(what: &str, stack: &str) -> Error {
    Error::refused(
        format!(
            "The {what} belongs to the CloudFormation stack {stack}, which the Amplify CLI deploys; authwiz does not change or delete what a stack holds. Nothing was pushed."
        ),
        "Push this project with the Amplify CLI (`amplify push`), or import the user pool into another project (`authwiz import auth`) and let authwiz push that one.",
    )
}

/// An update's fields that the files did not change but the cloud did are
/// named as drift that the push sets back.
fn mark_drift(engine: &Engine<'_>, plan: &mut Plan, pushed: &BTreeMap<Key, Value>) -> Result<()> {
    for step in plan.steps.iter_mut().filter(|s| s.action == Action::Update) {
        let (Some(live), Some(wanted), Some(before)) =
            (&step.before, &step.after, pushed.get(&step.key))
        else {
            continue;
        };
        let before = engine.resolve(&step.key, before)?;
        step.detail = update_lines(live, wanted, &before);
    }
    Ok(())
}

/// Nothing is replaced: a user pool's users would not move to a new one, a
/// client's id is in every app, and a hosted UI domain that answers to another
/// pool is not this push's to take. A renamed pool is a replacement too.
fn refuse_replacements(plan: &Plan, replacing: bool) -> Result<()> {
    let fix = "Run `authwiz push --replace-user-pool` to make a new pool with these settings and move the users into it (the old pool is kept), or put cli-inputs.json back as it was (`git checkout amplify/backend/auth`).";
    // A replaced pool's hosted UI domain moves to the new pool with it.
    if let Some(step) = plan
        .steps
        .iter()
        .find(|s| s.action == Action::Replace && !(replacing && s.key.kind == DOMAIN))
    {
        let what = match step.key.kind.as_str() {
            DOMAIN => format!(
                "The hosted UI domain prefix {} belongs to another user pool; authwiz does not take it away from it",
                step.key.name
            ),
            _ => format!(
                "The {} cannot change in place, and authwiz does not replace it (its users or its id would be lost): {}",
                step.label,
                step.detail.join("; ")
            ),
        };
        let fix = if step.key.kind == DOMAIN {
            "Choose another hostedUIDomainName (`authwiz update auth`), or free the prefix in the other pool."
        } else {
            fix
        };
        return Err(Error::refused(format!("{what}. Nothing was pushed."), fix));
    }
    for step in plan
        .steps
        .iter()
        .filter(|s| s.key.kind == USER_POOL && s.action == Action::Delete)
    {
        let protected = step
            .before
            .as_ref()
            .and_then(|b| b["spec"]["overrides"]["DeletionProtection"].as_str())
            == Some("ACTIVE");
        if protected {
            return Err(Error::refused(
                format!(
                    "{} has deletion protection on; authwiz does not turn it off. Nothing was pushed.",
                    step.label
                ),
                "Turn it off where it was turned on (DeletionProtection INACTIVE in override.json, then `authwiz push`, before removing the resource; or in the Cognito console), then push again.",
            ));
        }
    }
    // A new name is a new resource: the old one (its users, or every identity
    // id and what is stored per identity) would be deleted.
    for (kind, lost) in [
        (
            USER_POOL,
            "a user pool cannot be renamed, and its users would be lost",
        ),
        (
            IDENTITY_POOL,
            "authwiz does not replace an identity pool: every identity id, and what is stored per identity, would be lost",
        ),
    ] {
        let made = plan
            .steps
            .iter()
            .find(|s| s.key.kind == kind && s.action == Action::Create);
        let gone = plan
            .steps
            .iter()
            .find(|s| s.key.kind == kind && s.action == Action::Delete);
        if let (Some(made), Some(gone)) = (made, gone) {
            return Err(Error::refused(
                format!(
                    "This push would delete {} and make {}: {lost}. Nothing was pushed.",
                    gone.label, made.label
                ),
                fix,
            ));
        }
    }
    Ok(())
}

fn refused(res: &str, e: impl std::fmt::Display) -> Error {
    Error::refused(
        format!("The managed auth resource '{res}' cannot be deployed: {e}"),
        "Fix the resource (`authwiz update auth`, or its cli-inputs.json), then run `authwiz push` again.",
    )
}

/// The plan, resource by resource, after what is gone from the cloud.
pub fn describe(p: &AuthPush) -> Vec<String> {
    let plan = &p.plan;
    let mut lines: Vec<String> = p
        .gone
        .iter()
        .map(|(key, label, id)| {
            let lost = match key.kind.as_str() {
                USER_POOL => "its users are gone with it",
                IDENTITY_POOL => "the identity ids it gave are gone with it (signed-in users get new ones, and what was stored per identity id is not theirs any more)",
                _ => "apps get the new id from the regenerated client files",
            };
            format!("Gone from the cloud: {label} ({id}), recorded by the last push; {lost}.")
        })
        .collect();
    for step in &plan.steps {
        lines.push(format!("{}: {}", step.label, step.action.label()));
        lines.extend(step.detail.iter().map(|d| format!("  {d}")));
    }
    lines.extend(p.kept.iter().cloned());
    lines
}

/// Amplify's outputs of each deployed resource (and of its groups), from the
/// ids and ARNs the push found or made; the env's roles when this push made them.
pub fn outputs(
    p: &AuthPush,
    project: &mut Project,
    env: &str,
    region: &str,
) -> Vec<((String, String), Map<String, Value>)> {
    let r = &p.registry;
    let mut all = Vec::new();
    for (res, d) in &p.deployed {
        let k = &d.keys;
        let mut o = Map::new();
        if let Some(ip) = &k.identity_pool {
            o.insert("IdentityPoolId".into(), json!(r.id(ip)));
            o.insert("IdentityPoolName".into(), json!(ip.name));
        }
        o.insert("UserPoolId".into(), json!(r.id(&k.user_pool)));
        o.insert("UserPoolArn".into(), json!(r.arn(&k.user_pool)));
        o.insert("UserPoolName".into(), json!(d.user_pool_name));
        o.insert("AppClientIDWeb".into(), json!(r.id(&k.web_client)));
        o.insert("AppClientID".into(), json!(r.id(&k.native_client)));
        // The native client's secret (the mobile configuration needs it), from
        // the call that read or made the client.
        if let Some(secret) = r.secret(&k.native_client) {
            o.insert("AppClientSecret".into(), json!(secret));
        }
        if let Some(sms) = &k.sms_role {
            o.insert("CreatedSNSRole".into(), json!(r.arn(sms)));
        }
        if let Some(domain) = &d.hosted_ui_domain {
            o.insert("HostedUIDomain".into(), json!(domain));
        }
        if let Some(oauth) = &d.oauth_metadata {
            o.insert("OAuthMetadata".into(), json!(oauth));
        }
        o.retain(|_, v| !v.is_null());
        all.push(((CATEGORY.to_string(), res.clone()), o));
        if !k.group_roles.is_empty() {
            let groups: Map<String, Value> = k
                .group_roles
                .iter()
                .filter_map(|(g, key)| Some((format!("{g}GroupRole"), json!(r.arn(key)?))))
                .collect();
            all.push(((CATEGORY.to_string(), GROUPS.to_string()), groups));
        }
        if let (Some((auth, unauth)), Some(ak), Some(uk)) =
            (&p.new_env_roles, &k.auth_role, &k.unauth_role)
        {
            let record = [
                ("AuthRoleName", json!(auth)),
                ("AuthRoleArn", json!(r.arn(ak))),
                ("UnauthRoleName", json!(unauth)),
                ("UnauthRoleArn", json!(r.arn(uk))),
            ];
            if let Some(tpi) = project.tpi.value.get_mut(env) {
                for (key, v) in &record {
                    tpi.awscloudformation
                        .extra
                        .insert(key.to_string(), v.clone());
                }
                tpi.awscloudformation
                    .region
                    .get_or_insert_with(|| region.to_string());
            }
            if let Some(Value::Object(cfn)) = project
                .meta
                .value
                .providers
                .as_mut()
                .and_then(|p| p.get_mut("awscloudformation"))
            {
                for (key, v) in record {
                    cfn.insert(key.to_string(), v);
                }
            }
        }
    }
    all
}
