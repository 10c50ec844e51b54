//! What a push deploys for an auth resource's Lambda triggers: per function
//! an execution role with only what its modules need (its logs; a module's
//! actions on this pool's ARN, or on the pool it migrates users from), the
//! function, and Cognito's permission to invoke it for this pool; per
//! attached function only the permission; then the pool's triggers.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::cognito::ROLE;
use super::engine::Key;
use super::engine::Target;
use super::registry::arn_of;
use super::storage::ROLE_POLICY;
use super::triggers::{
    FUNCTION, PERMISSION, POOL_TRIGGERS, PermissionSpec, TriggerConfig, lambda_config_field,
    statement_id,
};
use crate::auth::triggers::catalog::{self, Scope};
use crate::auth::triggers::files::{RUNTIME, TIMEOUT, lambda_trust};
use crate::auth::triggers::{Trigger, TriggerFacts, TriggerSource};
use crate::cloud::deploy::RoleSpec;
use crate::cloud::lambda::FunctionSpec;

/// The logs a function writes.
fn logs_policy(region: &str, function: &str) -> Value {
    let group = format!("arn:aws:logs:{region}:*:log-group:/aws/lambda/{function}");
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [group.clone(), format!("{group}:log-stream:*")]
        }]
    })
}

/// The pool a migration reads from, by ARN (its account is the caller's: `*`).
fn old_pool_arn(params: &BTreeMap<String, String>) -> String {
    let id = params.get("OLDUSERPOOLID").cloned().unwrap_or_default();
    let region = id.split_once('_').map(|(r, _)| r).unwrap_or_default();
    format!("arn:aws:cognito-idp:{region}:*:userpool/{id}")
}

/// What the triggers' resources need from the deployment.
pub(super) struct Inputs<'a> {
    pub env: &'a str,
    pub region: &'a str,
    pub triggers: &'a [TriggerFacts],
    /// The owner and Amplify tags of what it makes.
    pub tags: &'a BTreeMap<String, String>,
}

/// The targets being built.
struct Build<'a> {
    i: &'a Inputs<'a>,
    targets: Vec<Target>,
}

impl Build<'_> {
    fn add(&mut self, key: &Key, spec: Value, deps: Vec<Key>, label: String) {
        self.targets.push(Target {
            key: key.clone(),
            desired: Some(json!({ "spec": spec })),
            deps,
            label,
        });
    }
}

/// The triggers' resources, after the pool `(pool, pool_name)`.
pub(super) fn targets(i: &Inputs, (pool, pool_name): (&Key, &str)) -> Vec<Target> {
    let mut b = Build {
        i,
        targets: Vec::new(),
    };
    if i.triggers.is_empty() {
        return b.targets;
    }
    let b = &mut b;
    let mut config = BTreeMap::new();
    let mut deps = vec![pool.clone()];
    for t in i.triggers {
        let field = lambda_config_field(t.trigger).to_string();
        let function = match &t.source {
            TriggerSource::Attached { arn } => {
                config.insert(field, arn.clone());
                arn.clone()
            }
            TriggerSource::Function {
                name,
                modules,
                params,
                code_sha256,
            } => {
                let (key, function) = own_function(
                    b,
                    (pool, t.trigger),
                    (name.as_str(), modules, params),
                    code_sha256,
                );
                config.insert(field, arn_of(&key));
                deps.push(key);
                function
            }
        };
        let permission = Key::new(PERMISSION, format!("{pool_name}/{function}"));
        let spec = PermissionSpec {
            function: function.clone(),
            statement: statement_id(pool_name),
            source: arn_of(pool),
        };
        let mut needs = vec![pool.clone()];
        needs.extend(
            deps.iter()
                .filter(|k| k.kind == FUNCTION && k.name == function)
                .cloned(),
        );
        b.add(
            &permission,
            json!(spec),
            needs,
            format!("permission of user pool {pool_name} to invoke {function}"),
        );
        deps.push(permission);
    }
    let key = Key::new(POOL_TRIGGERS, pool_name.to_string());
    b.add(
        &key,
        json!(TriggerConfig { triggers: config }),
        deps,
        format!("Lambda triggers of user pool {pool_name}"),
    );
    std::mem::take(&mut b.targets)
}

/// A function of the project: its role, the role's policies and the
/// function. Returns its key and its name in the cloud.
fn own_function(
    b: &mut Build,
    (pool, trigger): (&Key, Trigger),
    (name, modules, params): (&str, &[String], &BTreeMap<String, String>),
    code_sha256: &str,
) -> (Key, String) {
    let i = b.i;
    let cloud_name = format!("{name}-{}", i.env);
    let role = Key::new(ROLE, cloud_name.clone());
    let role_spec = RoleSpec {
        name: cloud_name.clone(),
        trust: lambda_trust(),
        tags: i.tags.clone(),
    };
    b.add(
        &role,
        json!(role_spec),
        vec![],
        format!(
            "IAM role {cloud_name} (runs the {} trigger)",
            trigger.label()
        ),
    );
    let mut needs = vec![role.clone()];
    let logs = Key::new(ROLE_POLICY, format!("{cloud_name}/lambda-execution-policy"));
    b.targets.push(Target {
        key: logs.clone(),
        desired: Some(logs_policy(i.region, &cloud_name)),
        deps: vec![role.clone()],
        label: format!("policy lambda-execution-policy of IAM role {cloud_name}"),
    });
    needs.push(logs);
    for p in modules
        .iter()
        .filter_map(|m| catalog::module(m))
        .filter_map(|m| m.permission)
    {
        let resource = match p.on {
            Scope::ThisPool => arn_of(pool),
            Scope::OldPool => old_pool_arn(params),
        };
        let key = Key::new(ROLE_POLICY, format!("{cloud_name}/{}", p.policy));
        let mut deps = vec![role.clone()];
        if p.on == Scope::ThisPool {
            deps.push(pool.clone());
        }
        b.targets.push(Target {
            key: key.clone(),
            desired: Some(json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": p.actions, "Resource": resource}]
            })),
            deps,
            label: format!("policy {} of IAM role {cloud_name}", p.policy),
        });
        needs.push(key);
    }
    let mut environment: BTreeMap<String, String> = params.clone();
    environment.insert("ENV".into(), i.env.to_string());
    environment.insert("REGION".into(), i.region.to_string());
    environment.insert("MODULES".into(), modules.join(","));
    if modules.iter().any(|m| m == "verification-link") {
        environment.insert("RESOURCENAME".into(), name.to_string());
    }
    let spec = FunctionSpec {
        name: cloud_name.clone(),
        role: arn_of(&role),
        runtime: RUNTIME.into(),
        handler: "index.handler".into(),
        timeout: TIMEOUT,
        environment,
        code_sha256: code_sha256.to_string(),
        tags: i.tags.clone(),
    };
    let key = Key::new(FUNCTION, cloud_name.clone());
    b.add(
        &key,
        json!(spec),
        needs,
        format!("function {cloud_name} ({} trigger)", trigger.label()),
    );
    (key, cloud_name)
}
