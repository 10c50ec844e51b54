//! The fake cloud's side of [`Deploy`]: managed user pools, clients, domains,
//! social providers, groups, identity pools and roles, with the refusals AWS
//! makes (a role name taken, a pool with a domain, a role with policies) and
//! the duplicates it allows (two user pools or identity pools of one name).

use crate::vocab::MfaMode;
use std::collections::BTreeMap;

use super::{FakeCloud, not_found};
use crate::cloud::CloudError;
use crate::cloud::cognito_idp::{AppClient, PasswordPolicy, UserPool};
use crate::cloud::deploy::{
    AdminCreateUserConfig, ClientApi, ClientSpec, DomainApi, GroupApi, GroupSpec, IdentityPoolApi,
    IdentityPoolSpec, LiveClient, LivePool, MessageTemplate, PoolOverrides, PoolRoles, PoolSpec,
    ProviderSpec, RoleApi, RoleSpec, SocialApi, UserPoolApi,
};
use crate::cloud::iam::Role;
use crate::cloud::lambda::code_sha256;
use crate::cloud::lambda::{FunctionApi, FunctionSpec, LiveFunction};

#[derive(Clone, Debug, Default)]
pub(super) struct ManagedPool {
    arn: String,
    spec: PoolSpec,
    users: i64,
    clients: BTreeMap<String, ClientSpec>,
    providers: BTreeMap<String, ProviderSpec>,
    groups: BTreeMap<String, GroupSpec>,
}

#[derive(Default)]
pub(super) struct Managed {
    pools: BTreeMap<String, ManagedPool>,
    domains: BTreeMap<String, String>,
    identity_pools: BTreeMap<String, IdentityPoolSpec>,
    pool_roles: BTreeMap<String, PoolRoles>,
    role_tags: BTreeMap<String, BTreeMap<String, String>>,
    /// Functions by name: (ARN, spec).
    functions: BTreeMap<String, (String, FunctionSpec)>,
    /// Invoke permissions: (function name, statement id) → source ARN.
    permissions: BTreeMap<(String, String), String>,
}

fn failed(action: &'static str, message: impl Into<String>) -> CloudError {
    CloudError::Failed {
        action,
        message: message.into(),
    }
}

/// What AWS gives every pool it makes that the request did not set (read
/// back, and sent back by an update as the pool has it).
fn with_aws_defaults(mut spec: PoolSpec) -> PoolSpec {
    const INVITE: &str = "Your username is {username} and temporary password is {####}. ";
    let o = &mut spec.others;
    o.admin_create_user_config
        .get_or_insert_with(|| AdminCreateUserConfig {
            allow_admin_create_user_only: false,
            unused_account_validity_days: Some(7),
            invite_message_template: Some(MessageTemplate {
                sms_message: Some(INVITE.into()),
                email_message: Some(INVITE.into()),
                email_subject: Some("Your temporary password".into()),
            }),
        });
    o.verification_message_template
        .default_email_option
        .get_or_insert_with(|| "CONFIRM_WITH_CODE".into());
    spec.overrides
        .deletion_protection
        .get_or_insert_with(|| "INACTIVE".into());
    spec
}

/// A client's settings AWS fills in when the request leaves them out.
fn with_client_defaults(mut spec: ClientSpec) -> ClientSpec {
    spec.overrides.auth_session_validity.get_or_insert(3);
    spec.overrides.enable_token_revocation.get_or_insert(true);
    spec
}

/// A pool seeded as another tool made it, as `Deploy` reads it.
fn seeded_pool(p: &UserPool) -> LivePool {
    LivePool {
        id: p.id.clone(),
        arn: format!(
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/{}",
            p.id
        ),
        spec: with_aws_defaults(PoolSpec {
            name: p.name.clone(),
            min_length: p.password.min_length,
            require_lowercase: p.password.lowercase,
            require_uppercase: p.password.uppercase,
            require_numbers: p.password.numbers,
            require_symbols: p.password.symbols,
            mfa: p.mfa,
            username_attributes: p.username_attributes.clone(),
            alias_attributes: p.alias_attributes.clone(),
            auto_verified_attributes: p.auto_verified_attributes.clone(),
            required_attributes: p.required_attributes.clone(),
            sms_role_arn: p.sns_caller_arn.clone(),
            ..Default::default()
        }),
        users: 0,
    }
}

/// A pool `Deploy` made, as the import side describes it.
pub(super) fn described_pool(id: &str, spec: &PoolSpec, domain: Option<String>) -> UserPool {
    UserPool {
        id: id.to_string(),
        name: spec.name.clone(),
        username_attributes: spec.username_attributes.clone(),
        alias_attributes: spec.alias_attributes.clone(),
        auto_verified_attributes: spec.auto_verified_attributes.clone(),
        mfa: spec.mfa,
        required_attributes: spec.required_attributes.clone(),
        mutable_attributes: Vec::new(),
        password: PasswordPolicy {
            min_length: spec.min_length,
            lowercase: spec.require_lowercase,
            uppercase: spec.require_uppercase,
            numbers: spec.require_numbers,
            symbols: spec.require_symbols,
        },
        domain,
        custom_domain: None,
        custom_auth: false,
        sns_caller_arn: spec.sms_role_arn.clone(),
    }
}

/// A client `Deploy` made, as the import side describes it.
pub(super) fn described_client(id: &str, spec: &ClientSpec) -> AppClient {
    AppClient {
        id: id.to_string(),
        name: spec.name.clone(),
        secret: spec.generate_secret.then(|| format!("secret-{id}")),
        identity_providers: spec.identity_providers.clone(),
        callback_urls: spec.callback_urls.clone(),
        logout_urls: spec.logout_urls.clone(),
        oauth_flows: spec.oauth_flows.clone(),
        oauth_scopes: spec.oauth_scopes.clone(),
        oauth_flows_user_pool_client: !spec.oauth_flows.is_empty(),
        write_attributes: spec.write_attributes.clone(),
    }
}

impl Managed {
    /// (id, name) of every pool `Deploy` made.
    pub(super) fn pool_names(&self) -> Vec<(String, String)> {
        self.pools
            .iter()
            .map(|(id, p)| (id.clone(), p.spec.name.clone()))
            .collect()
    }

    pub(super) fn described(&self, id: &str) -> Option<UserPool> {
        let p = self.pools.get(id)?;
        let domain = self
            .domains
            .iter()
            .find(|(_, pool)| pool.as_str() == id)
            .map(|(d, _)| d.clone());
        Some(described_pool(id, &p.spec, domain))
    }

    pub(super) fn clients_of(&self, id: &str) -> Option<Vec<AppClient>> {
        let p = self.pools.get(id)?;
        Some(
            p.clients
                .iter()
                .map(|(cid, c)| described_client(cid, c))
                .collect(),
        )
    }
}

/// What tests look at.
impl FakeCloud {
    /// The ids of the user pools of that name: those `Deploy` made, then the
    /// seeded ones (one namespace, as on AWS).
    pub fn user_pools_named(&self, name: &str) -> Vec<String> {
        self.with(|s| {
            let made = s.managed.pools.iter().filter(|(_, p)| p.spec.name == name);
            let seeded = s.pools.iter().filter(|(_, (p, _))| p.name == name);
            made.map(|(id, _)| id.clone())
                .chain(seeded.map(|(id, _)| id.clone()))
                .collect()
        })
    }

    pub fn identity_pools_named(&self, name: &str) -> Vec<String> {
        self.with(|s| {
            s.managed
                .identity_pools
                .iter()
                .filter(|(_, p)| p.name == name)
                .map(|(id, _)| id.clone())
                .collect()
        })
    }

    pub fn managed_pool(&self, id: &str) -> Option<PoolSpec> {
        self.with(|s| s.managed.pools.get(id).map(|p| p.spec.clone()))
    }

    pub fn pool_clients(&self, id: &str) -> Vec<ClientSpec> {
        self.with(|s| {
            s.managed
                .pools
                .get(id)
                .map(|p| p.clients.values().cloned().collect())
                .unwrap_or_default()
        })
    }

    pub fn pool_groups(&self, id: &str) -> Vec<GroupSpec> {
        self.with(|s| {
            s.managed
                .pools
                .get(id)
                .map(|p| p.groups.values().cloned().collect())
                .unwrap_or_default()
        })
    }

    pub fn managed_identity_pool(&self, id: &str) -> Option<IdentityPoolSpec> {
        self.with(|s| s.managed.identity_pools.get(id).cloned())
    }

    pub fn managed_pool_roles(&self, id: &str) -> Option<PoolRoles> {
        self.with(|s| s.managed.pool_roles.get(id).cloned())
    }

    pub fn role(&self, name: &str) -> Option<Role> {
        self.with(|s| s.roles.get(name).cloned())
    }

    /// Every resource `Deploy` made that still exists (pools, clients, domains,
    /// identity pools), for "nothing left behind" checks; roles are separate.
    pub fn managed_count(&self) -> usize {
        self.with(|s| {
            s.managed.pools.len()
                + s.managed
                    .pools
                    .values()
                    .map(|p| p.clients.len() + p.groups.len() + p.providers.len())
                    .sum::<usize>()
                + s.managed.domains.len()
                + s.managed.identity_pools.len()
                + s.managed.functions.len()
                + s.managed.permissions.len()
        })
    }

    /// The functions `Deploy` made: name → (ARN, spec).
    pub fn functions(&self) -> BTreeMap<String, (String, FunctionSpec)> {
        self.with(|s| s.managed.functions.clone())
    }

    /// The invoke permissions: (function, statement) → source ARN.
    pub fn invoke_permissions(&self) -> BTreeMap<(String, String), String> {
        self.with(|s| s.managed.permissions.clone())
    }

    /// A managed pool's Lambda triggers, by id.
    pub fn pool_lambda_config(&self, id: &str) -> Option<crate::cloud::deploy::LambdaConfig> {
        self.with(|s| {
            s.managed
                .pools
                .get(id)
                .map(|p| p.spec.others.lambda_config.clone())
        })
    }

    /// Gives a managed pool users (AWS's EstimatedNumberOfUsers).
    pub fn set_users(&self, pool: &str, users: i64) {
        self.with(|s| {
            if let Some(p) = s.managed.pools.get_mut(pool) {
                p.users = users;
            }
        })
    }

    fn pool_mut<T>(
        &self,
        action: &'static str,
        pool: &str,
        f: impl FnOnce(&mut ManagedPool) -> Result<T, CloudError>,
    ) -> Result<T, CloudError> {
        self.with(|s| match s.managed.pools.get_mut(pool) {
            Some(p) => f(p),
            None => Err(not_found(action, format!("User pool {pool}"))),
        })
    }
}

impl UserPoolApi for FakeCloud {
    async fn find_user_pool(&self, name: &str) -> Result<Option<String>, CloudError> {
        self.call("cognito-idp:ListUserPools")?;
        Ok(self.user_pools_named(name).into_iter().next())
    }

    async fn read_user_pool(&self, id: &str) -> Result<Option<LivePool>, CloudError> {
        self.call("cognito-idp:DescribeUserPool")?;
        self.call("cognito-idp:GetUserPoolMfaConfig")?;
        Ok(self.with(|s| {
            let made = s.managed.pools.get(id).map(|p| LivePool {
                id: id.to_string(),
                arn: p.arn.clone(),
                spec: with_aws_defaults(p.spec.clone()),
                users: p.users,
            });
            // A seeded pool (made by another tool: no authwiz tag) reads too.
            made.or_else(|| s.pools.get(id).map(|(p, _)| seeded_pool(p)))
        }))
    }

    async fn create_user_pool(&self, spec: &PoolSpec) -> Result<(String, String), CloudError> {
        self.call("cognito-idp:CreateUserPool")?;
        let id = format!("us-east-1_{}", self.id(9));
        let arn = format!("arn:aws:cognito-idp:us-east-1:123456789012:userpool/{id}");
        let mut spec = spec.clone();
        // MFA is set apart (SetUserPoolMfaConfig), as on AWS.
        spec.mfa = MfaMode::Off;
        spec.sms_mfa = false;
        spec.totp_mfa = false;
        spec.email_mfa = false;
        spec.overrides.mfa = Default::default();
        self.with(|s| {
            s.managed.pools.insert(
                id.clone(),
                ManagedPool {
                    arn: arn.clone(),
                    spec,
                    ..Default::default()
                },
            )
        });
        Ok((id, arn))
    }

    async fn update_user_pool(&self, id: &str, spec: &PoolSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:UpdateUserPool";
        self.call(ACTION)?;
        self.pool_mut(ACTION, id, |p| {
            // As AWS: MFA cannot be on before a method is configured.
            let methods = p.spec.sms_mfa || p.spec.totp_mfa || p.spec.email_mfa;
            if !spec.mfa.is_off() && !methods {
                return Err(failed(
                    ACTION,
                    "InvalidParameterException: an MFA method must be configured before MFA is turned on",
                ));
            }
            let old = p.spec.clone();
            p.spec = PoolSpec {
                // What UpdateUserPool cannot change stays.
                name: old.name,
                username_attributes: old.username_attributes,
                alias_attributes: old.alias_attributes,
                required_attributes: old.required_attributes,
                case_sensitive: old.case_sensitive,
                // The MFA configuration is SetUserPoolMfaConfig's.
                sms_mfa: old.sms_mfa,
                email_mfa: old.email_mfa,
                overrides: PoolOverrides {
                    mfa: old.overrides.mfa,
                    ..spec.overrides.clone()
                },
                totp_mfa: old.totp_mfa,
                ..spec.clone()
            };
            Ok(())
        })
    }

    async fn set_mfa(&self, id: &str, spec: &PoolSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:SetUserPoolMfaConfig";
        self.call(ACTION)?;
        self.pool_mut(ACTION, id, |p| {
            if spec.sms_mfa && p.spec.sms_role_arn.is_none() {
                return Err(failed(ACTION, "SMS MFA needs an SMS configuration"));
            }
            p.spec.mfa = spec.mfa;
            p.spec.sms_mfa = spec.sms_mfa;
            p.spec.totp_mfa = spec.totp_mfa;
            p.spec.email_mfa = spec.email_mfa;
            p.spec.sms_authentication_message = spec.sms_authentication_message.clone();
            p.spec.overrides.mfa = spec.overrides.mfa.clone();
            Ok(())
        })
    }

    async fn delete_user_pool(&self, id: &str) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:DeleteUserPool";
        self.call(ACTION)?;
        self.with(|s| {
            if s.managed.domains.values().any(|p| p == id) {
                return Err(failed(
                    ACTION,
                    "InvalidParameterException: the user pool has a domain",
                ));
            }
            s.managed.pools.remove(id);
            Ok(())
        })
    }
}

impl ClientApi for FakeCloud {
    async fn find_client(&self, pool: &str, name: &str) -> Result<Option<String>, CloudError> {
        self.call("cognito-idp:ListUserPoolClients")?;
        Ok(self.with(|s| {
            s.managed.pools.get(pool).and_then(|p| {
                p.clients
                    .iter()
                    .find(|(_, c)| c.name == name)
                    .map(|(id, _)| id.clone())
            })
        }))
    }

    async fn read_client(&self, pool: &str, id: &str) -> Result<Option<LiveClient>, CloudError> {
        self.call("cognito-idp:DescribeUserPoolClient")?;
        Ok(self.with(|s| {
            s.managed
                .pools
                .get(pool)
                .and_then(|p| p.clients.get(id).cloned())
                .map(|spec| LiveClient {
                    id: id.to_string(),
                    secret: spec.generate_secret.then(|| format!("secret-{id}")),
                    spec: with_client_defaults(spec),
                })
        }))
    }

    async fn create_client(&self, pool: &str, spec: &ClientSpec) -> Result<LiveClient, CloudError> {
        const ACTION: &str = "cognito-idp:CreateUserPoolClient";
        self.call(ACTION)?;
        let id = self.id(26);
        self.pool_mut(ACTION, pool, |p| {
            p.clients.insert(id.clone(), spec.clone());
            Ok(())
        })?;
        Ok(LiveClient {
            secret: spec.generate_secret.then(|| format!("secret-{id}")),
            id,
            spec: spec.clone(),
        })
    }

    async fn update_client(
        &self,
        pool: &str,
        id: &str,
        spec: &ClientSpec,
    ) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:UpdateUserPoolClient";
        self.call(ACTION)?;
        self.pool_mut(ACTION, pool, |p| match p.clients.get_mut(id) {
            Some(c) => {
                // The secret is chosen at creation only.
                *c = ClientSpec {
                    generate_secret: c.generate_secret,
                    ..spec.clone()
                };
                Ok(())
            }
            None => Err(not_found(ACTION, format!("App client {id}"))),
        })
    }

    async fn delete_client(&self, pool: &str, id: &str) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:DeleteUserPoolClient";
        self.call(ACTION)?;
        self.with(|s| {
            if let Some(p) = s.managed.pools.get_mut(pool) {
                p.clients.remove(id);
            }
        });
        Ok(())
    }
}

impl DomainApi for FakeCloud {
    async fn read_domain(&self, domain: &str) -> Result<Option<String>, CloudError> {
        self.call("cognito-idp:DescribeUserPoolDomain")?;
        Ok(self.with(|s| s.managed.domains.get(domain).cloned()))
    }

    async fn create_domain(&self, pool: &str, domain: &str) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:CreateUserPoolDomain";
        self.call(ACTION)?;
        self.with(|s| {
            if s.managed.domains.contains_key(domain) {
                return Err(failed(ACTION, format!("Domain {domain} already exists.")));
            }
            s.managed.domains.insert(domain.into(), pool.into());
            Ok(())
        })
    }

    async fn delete_domain(&self, _pool: &str, domain: &str) -> Result<(), CloudError> {
        self.call("cognito-idp:DeleteUserPoolDomain")?;
        self.with(|s| s.managed.domains.remove(domain));
        Ok(())
    }
}

impl SocialApi for FakeCloud {
    async fn read_provider(
        &self,
        pool: &str,
        name: &str,
    ) -> Result<Option<ProviderSpec>, CloudError> {
        self.call("cognito-idp:DescribeIdentityProvider")?;
        // As AWS: the endpoints it fills in and the user name it always maps.
        Ok(self.with(|s| {
            s.managed
                .pools
                .get(pool)
                .and_then(|p| p.providers.get(name).cloned())
                .map(|mut spec| {
                    for (k, v) in [
                        ("authorize_url", "https://accounts.example/o/oauth2/v2/auth"),
                        ("token_url", "https://oauth2.example/token"),
                        ("attributes_url_add_attributes", "true"),
                    ] {
                        spec.details.entry(k.into()).or_insert_with(|| v.into());
                    }
                    spec.attribute_mapping
                        .entry("username".into())
                        .or_insert_with(|| "sub".into());
                    spec
                })
        }))
    }

    async fn create_provider(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:CreateIdentityProvider";
        self.call(ACTION)?;
        self.pool_mut(ACTION, pool, |p| {
            if p.providers.contains_key(&spec.name) {
                return Err(failed(ACTION, "DuplicateProviderException"));
            }
            p.providers.insert(spec.name.clone(), spec.clone());
            Ok(())
        })
    }

    async fn update_provider(&self, pool: &str, spec: &ProviderSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:UpdateIdentityProvider";
        self.call(ACTION)?;
        self.pool_mut(ACTION, pool, |p| {
            p.providers.insert(spec.name.clone(), spec.clone());
            Ok(())
        })
    }

    async fn delete_provider(&self, pool: &str, name: &str) -> Result<(), CloudError> {
        self.call("cognito-idp:DeleteIdentityProvider")?;
        self.with(|s| {
            if let Some(p) = s.managed.pools.get_mut(pool) {
                p.providers.remove(name);
            }
        });
        Ok(())
    }
}

impl GroupApi for FakeCloud {
    async fn read_group(&self, pool: &str, name: &str) -> Result<Option<GroupSpec>, CloudError> {
        self.call("cognito-idp:GetGroup")?;
        Ok(self.with(|s| {
            s.managed
                .pools
                .get(pool)
                .and_then(|p| p.groups.get(name).cloned())
        }))
    }

    async fn create_group(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:CreateGroup";
        self.call(ACTION)?;
        self.pool_mut(ACTION, pool, |p| {
            if p.groups.contains_key(&spec.name) {
                return Err(failed(ACTION, "GroupExistsException"));
            }
            p.groups.insert(spec.name.clone(), spec.clone());
            Ok(())
        })
    }

    async fn update_group(&self, pool: &str, spec: &GroupSpec) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-idp:UpdateGroup";
        self.call(ACTION)?;
        self.pool_mut(ACTION, pool, |p| {
            p.groups.insert(spec.name.clone(), spec.clone());
            Ok(())
        })
    }

    async fn delete_group(&self, pool: &str, name: &str) -> Result<(), CloudError> {
        self.call("cognito-idp:DeleteGroup")?;
        self.with(|s| {
            if let Some(p) = s.managed.pools.get_mut(pool) {
                p.groups.remove(name);
            }
        });
        Ok(())
    }
}

impl IdentityPoolApi for FakeCloud {
    async fn find_identity_pool(&self, name: &str) -> Result<Option<String>, CloudError> {
        self.call("cognito-identity:ListIdentityPools")?;
        Ok(self.identity_pools_named(name).into_iter().next())
    }

    async fn read_identity_pool(&self, id: &str) -> Result<Option<IdentityPoolSpec>, CloudError> {
        self.call("cognito-identity:DescribeIdentityPool")?;
        Ok(self.with(|s| s.managed.identity_pools.get(id).cloned()))
    }

    async fn create_identity_pool(&self, spec: &IdentityPoolSpec) -> Result<String, CloudError> {
        self.call("cognito-identity:CreateIdentityPool")?;
        let id = format!("us-east-1:{}", self.id(32));
        self.with(|s| s.managed.identity_pools.insert(id.clone(), spec.clone()));
        Ok(id)
    }

    async fn update_identity_pool(
        &self,
        id: &str,
        spec: &IdentityPoolSpec,
    ) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-identity:UpdateIdentityPool";
        self.call(ACTION)?;
        self.with(|s| match s.managed.identity_pools.get_mut(id) {
            Some(p) => {
                *p = spec.clone();
                Ok(())
            }
            None => Err(not_found(ACTION, format!("Identity pool {id}"))),
        })
    }

    async fn delete_identity_pool(&self, id: &str) -> Result<(), CloudError> {
        self.call("cognito-identity:DeleteIdentityPool")?;
        self.with(|s| {
            s.managed.identity_pools.remove(id);
            s.managed.pool_roles.remove(id);
        });
        Ok(())
    }

    async fn read_pool_roles(&self, id: &str) -> Result<Option<PoolRoles>, CloudError> {
        self.call("cognito-identity:GetIdentityPoolRoles")?;
        Ok(self.with(|s| {
            s.managed
                .identity_pools
                .contains_key(id)
                .then(|| s.managed.pool_roles.get(id).cloned().unwrap_or_default())
        }))
    }

    async fn set_pool_roles(&self, id: &str, roles: &PoolRoles) -> Result<(), CloudError> {
        const ACTION: &str = "cognito-identity:SetIdentityPoolRoles";
        self.call(ACTION)?;
        self.with(|s| {
            if !s.managed.identity_pools.contains_key(id) {
                return Err(not_found(ACTION, format!("Identity pool {id}")));
            }
            s.managed.pool_roles.insert(id.into(), roles.clone());
            Ok(())
        })
    }
}

impl RoleApi for FakeCloud {
    async fn read_role(&self, name: &str) -> Result<Option<(String, RoleSpec)>, CloudError> {
        self.call("iam:GetRole")?;
        Ok(self.with(|s| {
            s.roles.get(name).map(|r| {
                (
                    r.arn.clone(),
                    RoleSpec {
                        name: r.name.clone(),
                        trust: r.trust_policy.clone(),
                        tags: s.managed.role_tags.get(name).cloned().unwrap_or_default(),
                    },
                )
            })
        }))
    }

    async fn create_role(&self, spec: &RoleSpec) -> Result<String, CloudError> {
        const ACTION: &str = "iam:CreateRole";
        self.call(ACTION)?;
        let arn = format!("arn:aws:iam::123456789012:role/{}", spec.name);
        self.with(|s| {
            if s.roles.contains_key(&spec.name) {
                return Err(failed(
                    ACTION,
                    format!(
                        "EntityAlreadyExists: Role with name {} already exists.",
                        spec.name
                    ),
                ));
            }
            s.roles.insert(
                spec.name.clone(),
                Role {
                    name: spec.name.clone(),
                    arn: arn.clone(),
                    trust_policy: spec.trust.clone(),
                },
            );
            s.managed
                .role_tags
                .insert(spec.name.clone(), spec.tags.clone());
            Ok(arn)
        })
    }

    async fn update_trust(&self, spec: &RoleSpec) -> Result<(), CloudError> {
        const ACTION: &str = "iam:UpdateAssumeRolePolicy";
        self.call(ACTION)?;
        self.with(|s| match s.roles.get_mut(&spec.name) {
            Some(r) => {
                r.trust_policy = spec.trust.clone();
                Ok(())
            }
            None => Err(not_found(ACTION, format!("IAM role {}", spec.name))),
        })
    }

    async fn delete_role(&self, name: &str) -> Result<(), CloudError> {
        const ACTION: &str = "iam:DeleteRole";
        self.call(ACTION)?;
        self.with(|s| {
            if s.policies.keys().any(|(r, _)| r == name) {
                return Err(failed(
                    ACTION,
                    "DeleteConflict: Cannot delete entity, must delete policies first.",
                ));
            }
            s.roles.remove(name);
            s.managed.role_tags.remove(name);
            Ok(())
        })
    }
}

/// The function's name from a name or an ARN.
fn function_name(f: &str) -> &str {
    f.rsplit(':').next().unwrap_or(f)
}

impl FunctionApi for FakeCloud {
    async fn read_function(&self, name: &str) -> Result<Option<LiveFunction>, CloudError> {
        self.call("lambda:GetFunction")?;
        Ok(self.with(|s| {
            s.managed
                .functions
                .get(function_name(name))
                .map(|(arn, spec)| LiveFunction {
                    arn: arn.clone(),
                    spec: spec.clone(),
                })
        }))
    }

    async fn create_function(&self, spec: &FunctionSpec, zip: &[u8]) -> Result<String, CloudError> {
        const ACTION: &str = "lambda:CreateFunction";
        self.call(ACTION)?;
        let arn = format!(
            "arn:aws:lambda:us-east-1:123456789012:function:{}",
            spec.name
        );
        self.with(|s| {
            if !s.roles.values().any(|r| r.arn == spec.role) {
                return Err(failed(
                    ACTION,
                    "InvalidParameterValueException: The role defined for the function cannot be assumed by Lambda.",
                ));
            }
            if s.managed.functions.contains_key(&spec.name) {
                return Err(failed(
                    ACTION,
                    format!("ResourceConflictException: Function already exist: {}", spec.name),
                ));
            }
            let live = FunctionSpec {
                code_sha256: code_sha256(zip),
                ..spec.clone()
            };
            s.managed
                .functions
                .insert(spec.name.clone(), (arn.clone(), live));
            Ok(arn.clone())
        })
    }

    async fn update_function_code(&self, name: &str, zip: &[u8]) -> Result<(), CloudError> {
        const ACTION: &str = "lambda:UpdateFunctionCode";
        self.call(ACTION)?;
        self.with(|s| match s.managed.functions.get_mut(name) {
            Some((_, spec)) => {
                spec.code_sha256 = code_sha256(zip);
                Ok(())
            }
            None => Err(not_found(ACTION, format!("function {name}"))),
        })
    }

    async fn update_function_configuration(&self, spec: &FunctionSpec) -> Result<(), CloudError> {
        const ACTION: &str = "lambda:UpdateFunctionConfiguration";
        self.call(ACTION)?;
        self.with(|s| match s.managed.functions.get_mut(&spec.name) {
            Some((_, live)) => {
                *live = FunctionSpec {
                    code_sha256: live.code_sha256.clone(),
                    tags: live.tags.clone(),
                    ..spec.clone()
                };
                Ok(())
            }
            None => Err(not_found(ACTION, format!("function {}", spec.name))),
        })
    }

    async fn delete_function(&self, name: &str) -> Result<(), CloudError> {
        self.call("lambda:DeleteFunction")?;
        self.with(|s| {
            s.managed.functions.remove(name);
            s.managed.permissions.retain(|(f, _), _| f != name);
        });
        Ok(())
    }

    async fn read_invoke_permission(
        &self,
        function: &str,
        sid: &str,
    ) -> Result<Option<String>, CloudError> {
        self.call("lambda:GetPolicy")?;
        let key = (function_name(function).to_string(), sid.to_string());
        Ok(self.with(|s| s.managed.permissions.get(&key).cloned()))
    }

    async fn add_invoke_permission(
        &self,
        function: &str,
        sid: &str,
        source: &str,
    ) -> Result<(), CloudError> {
        const ACTION: &str = "lambda:AddPermission";
        self.call(ACTION)?;
        let key = (function_name(function).to_string(), sid.to_string());
        self.with(|s| {
            if s.managed.permissions.contains_key(&key) {
                return Err(failed(
                    ACTION,
                    "ResourceConflictException: The statement id provided already exists.",
                ));
            }
            s.managed.permissions.insert(key, source.to_string());
            Ok(())
        })
    }

    async fn remove_invoke_permission(&self, function: &str, sid: &str) -> Result<(), CloudError> {
        self.call("lambda:RemovePermission")?;
        let key = (function_name(function).to_string(), sid.to_string());
        self.with(|s| s.managed.permissions.remove(&key));
        Ok(())
    }
}
