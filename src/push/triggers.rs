//! Lambda triggers on the apply engine: a trigger's function (its code by
//! hash, so an edit of `src/` is a code update and nothing else), Cognito's
//! permission to invoke a function (a function authwiz made, or an existing
//! one attached as it is), and the user pool's `LambdaConfig` (the triggers
//! it runs; read whole and written back with everything else as it is).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::cognito::{Managed, USER_POOL, ours};
use super::engine::Key;
use super::registry::Registry;
use super::resource::{Live, Resource};
use crate::cloud::CloudError;
use crate::cloud::deploy::{LambdaConfig, UserPoolApi, VersionedLambda};
use crate::cloud::lambda::{FunctionApi, FunctionSpec};

pub const FUNCTION: &str = "lambda-function";
pub const PERMISSION: &str = "lambda-permission";
pub const POOL_TRIGGERS: &str = "user-pool-triggers";

fn failed(message: String) -> CloudError {
    CloudError::Failed {
        action: "push",
        message,
    }
}

/// Trigger functions; a function's key is its name. `code` holds each
/// function's package (by name), read from its `src/` for this push.
pub struct Functions<'a, D> {
    pub m: &'a Managed<'a, D>,
    pub code: &'a BTreeMap<String, Vec<u8>>,
}

impl<D> Functions<'_, D> {
    /// The package of `spec`, as this push read it.
    fn package(&self, spec: &FunctionSpec) -> Result<&[u8], CloudError> {
        let zip = self.code.get(&spec.name).ok_or_else(|| {
            failed(format!(
                "the code of function {} was not read for this push",
                spec.name
            ))
        })?;
        if crate::auth::triggers::package::code_sha256(zip) != spec.code_sha256 {
            return Err(failed(format!(
                "the code of function {} changed since the plan; run `authwiz push` again",
                spec.name
            )));
        }
        Ok(zip)
    }
}

impl<D: FunctionApi> Resource for Functions<'_, D> {
    type Spec = FunctionSpec;
    const KIND: &'static str = FUNCTION;
    const UNCOMPARED: &'static [&'static str] = &["tags"];

    fn registry(&self) -> &Registry {
        self.m.registry
    }

    async fn read_own(&self, key: &Key) -> Result<Option<Live<FunctionSpec>>, CloudError> {
        // A name is unique; one this run neither read nor made is another's.
        if self.m.registry.id(key).is_none() {
            return Ok(None);
        }
        self.read(key).await
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<FunctionSpec>>, CloudError> {
        let Some(f) = self.m.cloud.read_function(&key.name).await? else {
            return Ok(None);
        };
        // One of this name that authwiz did not make (the Amplify CLI's
        // stack makes the same names) is not taken over.
        ours(key, &f.spec.tags)?;
        self.m.registry.know(key, &f.spec.name, Some(&f.arn));
        Ok(Some(Live::new(f.spec, key.name.clone()).with_arn(f.arn)))
    }

    async fn create(
        &self,
        key: &Key,
        spec: FunctionSpec,
    ) -> Result<Live<FunctionSpec>, CloudError> {
        let zip = self.package(&spec)?;
        let arn = self.m.cloud.create_function(&spec, zip).await?;
        self.m.registry.know(key, &spec.name, Some(&arn));
        Ok(Live::new(spec, key.name.clone()).with_arn(arn))
    }

    async fn update(
        &self,
        _key: &Key,
        live: Live<FunctionSpec>,
        wanted: FunctionSpec,
    ) -> Result<(), CloudError> {
        let was = live.spec;
        let config = |s: &FunctionSpec| {
            (
                s.role.clone(),
                s.runtime.clone(),
                s.handler.clone(),
                s.timeout,
                s.environment.clone(),
            )
        };
        if config(&was) != config(&wanted) {
            self.m.cloud.update_function_configuration(&wanted).await?;
        }
        if was.code_sha256 != wanted.code_sha256 {
            let zip = self.package(&wanted)?;
            self.m.cloud.update_function_code(&wanted.name, zip).await?;
        }
        Ok(())
    }

    async fn delete(&self, _key: &Key, live: Live<FunctionSpec>) -> Result<(), CloudError> {
        self.m.cloud.delete_function(&live.spec.name).await
    }
}

/// Cognito's permission to invoke a function for one pool: a statement of
/// the function's resource policy, under authwiz's statement id. Its key is
/// `<user pool>/<function name or ARN>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionSpec {
    /// The function's name (one authwiz makes) or ARN (one attached).
    pub function: String,
    pub statement: String,
    /// The user pool's ARN.
    pub source: String,
}

pub struct Permissions<'a, D>(pub &'a Managed<'a, D>);

/// `(user pool, function)` of a permission's key.
pub fn permission_parts(key: &Key) -> (&str, &str) {
    key.name.split_once('/').unwrap_or((key.name.as_str(), ""))
}

impl<D: FunctionApi> Resource for Permissions<'_, D> {
    type Spec = PermissionSpec;
    const KIND: &'static str = PERMISSION;

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<PermissionSpec>>, CloudError> {
        let (pool, function) = permission_parts(key);
        let statement = statement_id(pool);
        let source = self
            .0
            .cloud
            .read_invoke_permission(function, &statement)
            .await?;
        Ok(source.map(|source| {
            let spec = PermissionSpec {
                function: function.to_string(),
                statement,
                source,
            };
            Live::new(spec, key.name.clone())
        }))
    }

    async fn create(
        &self,
        key: &Key,
        spec: PermissionSpec,
    ) -> Result<Live<PermissionSpec>, CloudError> {
        self.0
            .cloud
            .add_invoke_permission(&spec.function, &spec.statement, &spec.source)
            .await?;
        Ok(Live::new(spec, key.name.clone()))
    }

    async fn update(
        &self,
        _key: &Key,
        live: Live<PermissionSpec>,
        wanted: PermissionSpec,
    ) -> Result<(), CloudError> {
        // A statement is replaced whole (its pool's ARN changed).
        let cloud = self.0.cloud;
        cloud
            .remove_invoke_permission(&live.spec.function, &live.spec.statement)
            .await?;
        cloud
            .add_invoke_permission(&wanted.function, &wanted.statement, &wanted.source)
            .await
    }

    async fn delete(&self, _key: &Key, live: Live<PermissionSpec>) -> Result<(), CloudError> {
        // Only authwiz's statement goes; an attached function itself stays.
        self.0
            .cloud
            .remove_invoke_permission(&live.spec.function, &live.spec.statement)
            .await
    }
}

/// authwiz's statement id for the triggers of a pool: letters, digits, `-`
/// and `_`, at most 100.
pub fn statement_id(pool: &str) -> String {
    let mut s: String = format!("authwiz-{pool}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.truncate(100);
    s
}

/// The triggers a user pool runs, by AWS's names (`PreSignUp`), each a
/// function's ARN. Its key is the pool's name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerConfig {
    #[serde(default)]
    pub triggers: BTreeMap<String, String>,
}

/// The triggers of `LambdaConfig` that the project's files set, by AWS's names.
const FIELDS: [&str; 10] = [
    "CreateAuthChallenge",
    "CustomMessage",
    "DefineAuthChallenge",
    "PostAuthentication",
    "PostConfirmation",
    "PreAuthentication",
    "PreSignUp",
    "PreTokenGeneration",
    "UserMigration",
    "VerifyAuthChallengeResponse",
];

/// AWS's name of a trigger in `LambdaConfig`.
pub fn lambda_config_field(t: crate::auth::triggers::Trigger) -> &'static str {
    match t.amplify() {
        "PreSignup" => "PreSignUp",
        other => FIELDS.iter().find(|f| **f == other).copied().unwrap_or(""),
    }
}

fn slot<'a>(l: &'a mut LambdaConfig, field: &str) -> Option<&'a mut Option<String>> {
    Some(match field {
        "CreateAuthChallenge" => &mut l.create_auth_challenge,
        "CustomMessage" => &mut l.custom_message,
        "DefineAuthChallenge" => &mut l.define_auth_challenge,
        "PostAuthentication" => &mut l.post_authentication,
        "PostConfirmation" => &mut l.post_confirmation,
        "PreAuthentication" => &mut l.pre_authentication,
        "PreSignUp" => &mut l.pre_sign_up,
        "PreTokenGeneration" => &mut l.pre_token_generation,
        "UserMigration" => &mut l.user_migration,
        "VerifyAuthChallengeResponse" => &mut l.verify_auth_challenge_response,
        _ => return None,
    })
}

fn triggers_of(l: &LambdaConfig) -> BTreeMap<String, String> {
    let mut l = l.clone();
    FIELDS
        .iter()
        .filter_map(|f| {
            let v = slot(&mut l, f)?.clone()?;
            Some((f.to_string(), v))
        })
        .collect()
}

/// `l` running `triggers` (the files' triggers; the others none); the
/// settings beside them (custom senders, their key) stay.
fn set_triggers(l: &mut LambdaConfig, triggers: &BTreeMap<String, String>) {
    for f in FIELDS {
        if let Some(s) = slot(l, f) {
            *s = triggers.get(f).cloned();
        }
    }
    // The versioned form of the token trigger must agree with the plain one.
    l.pre_token_generation_config = l.pre_token_generation.clone().map(|arn| VersionedLambda {
        lambda_arn: arn,
        lambda_version: "V1_0".into(),
    });
}

pub struct PoolTriggers<'a, D>(pub &'a Managed<'a, D>);

impl<D: UserPoolApi> PoolTriggers<'_, D> {
    fn pool_id(&self, key: &Key) -> Option<String> {
        self.0.registry.id(&Key::new(USER_POOL, key.name.clone()))
    }

    async fn set(&self, key: &Key, triggers: &BTreeMap<String, String>) -> Result<(), CloudError> {
        let id = self
            .pool_id(key)
            .ok_or_else(|| failed(format!("the user pool {} does not exist", key.name)))?;
        // Read now, whole: UpdateUserPool resets what it is not sent.
        let Some(mut pool) = self.0.cloud.read_user_pool(&id).await? else {
            return Err(failed(format!("the user pool {} is gone", key.name)));
        };
        set_triggers(&mut pool.spec.others.lambda_config, triggers);
        self.0.cloud.update_user_pool(&id, &pool.spec).await
    }
}

impl<D: UserPoolApi> Resource for PoolTriggers<'_, D> {
    type Spec = TriggerConfig;
    const KIND: &'static str = POOL_TRIGGERS;

    fn registry(&self) -> &Registry {
        self.0.registry
    }

    async fn read(&self, key: &Key) -> Result<Option<Live<TriggerConfig>>, CloudError> {
        let Some(id) = self.pool_id(key) else {
            return Ok(None);
        };
        let Some(pool) = self.0.cloud.read_user_pool(&id).await? else {
            return Ok(None);
        };
        let triggers = triggers_of(&pool.spec.others.lambda_config);
        // No trigger is no configuration.
        Ok((!triggers.is_empty()).then(|| Live::new(TriggerConfig { triggers }, id)))
    }

    async fn create(
        &self,
        key: &Key,
        spec: TriggerConfig,
    ) -> Result<Live<TriggerConfig>, CloudError> {
        self.set(key, &spec.triggers).await?;
        let id = self.pool_id(key).unwrap_or_default();
        Ok(Live::new(spec, id))
    }

    async fn update(
        &self,
        key: &Key,
        _live: Live<TriggerConfig>,
        spec: TriggerConfig,
    ) -> Result<(), CloudError> {
        self.set(key, &spec.triggers).await
    }

    async fn delete(&self, key: &Key, _live: Live<TriggerConfig>) -> Result<(), CloudError> {
        // With its pool gone (deleted before, or by someone), there is nothing to clear.
        let id = self.pool_id(key);
        match id {
            Some(id) if self.0.cloud.read_user_pool(&id).await?.is_some() => {
                self.set(key, &BTreeMap::new()).await
            }
            _ => Ok(()),
        }
    }
}
