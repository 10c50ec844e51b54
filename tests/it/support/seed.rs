//! Seeding the emulator through the real AWS SDK.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cognitoidentity::types::CognitoIdentityProvider;
use aws_sdk_cognitoidentityprovider::config::Credentials;
use aws_sdk_cognitoidentityprovider::types::{
    PasswordPolicyType, UserPoolPolicyType, UsernameAttributeType, VerifiedAttributeType,
};

use super::emulator::Emulator;

pub struct Seeder {
    pub rt: tokio::runtime::Runtime,
    pub config: SdkConfig,
    pub region: String,
}

#[allow(dead_code)] // every id is here for the tests that need it
#[derive(Clone, Debug, Default)]
pub struct Corp {
    pub user_pool_id: String,
    pub web_client_id: String,
    pub native_client_id: String,
    pub native_secret: String,
    pub identity_pool_id: String,
    pub auth_role_arn: String,
    pub unauth_role_arn: String,
}

pub fn trust_policy(identity_pool_id: &str, amr: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool_id},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
            }
        }]
    })
    .to_string()
}

impl Seeder {
    pub fn new(emu: &Emulator, region: &str) -> Seeder {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let config = rt.block_on(
            aws_config::defaults(BehaviorVersion::latest())
                .region(Region::new(region.to_string()))
                .endpoint_url(emu.url())
                .credentials_provider(Credentials::new(
                    emu.access_key(),
                    "testing",
                    None,
                    None,
                    "test",
                ))
                .load(),
        );
        Seeder {
            rt,
            config,
            region: region.into(),
        }
    }

    pub fn idp(&self) -> aws_sdk_cognitoidentityprovider::Client {
        aws_sdk_cognitoidentityprovider::Client::new(&self.config)
    }

    pub fn identity(&self) -> aws_sdk_cognitoidentity::Client {
        aws_sdk_cognitoidentity::Client::new(&self.config)
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config)
    }

    /// A user pool with email sign-in and a password policy like the fixtures'.
    pub fn user_pool(&self, name: &str) -> String {
        let out = self
            .rt
            .block_on(
                self.idp()
                    .create_user_pool()
                    .pool_name(name)
                    .username_attributes(UsernameAttributeType::Email)
                    .auto_verified_attributes(VerifiedAttributeType::Email)
                    .policies(
                        UserPoolPolicyType::builder()
                            .password_policy(
                                PasswordPolicyType::builder()
                                    .minimum_length(10)
                                    .require_lowercase(true)
                                    .require_uppercase(true)
                                    .require_numbers(true)
                                    .require_symbols(false)
                                    .build(),
                            )
                            .build(),
                    )
                    .send(),
            )
            .unwrap();
        out.user_pool().unwrap().id().unwrap().to_string()
    }

    /// Returns (client id, secret).
    pub fn client(&self, pool: &str, name: &str, secret: bool) -> (String, Option<String>) {
        let out = self
            .rt
            .block_on(
                self.idp()
                    .create_user_pool_client()
                    .user_pool_id(pool)
                    .client_name(name)
                    .generate_secret(secret)
                    .send(),
            )
            .unwrap();
        let c = out.user_pool_client().unwrap();
        (
            c.client_id().unwrap().to_string(),
            c.client_secret().map(str::to_string),
        )
    }

    /// A client with OAuth settings (hosted UI flows, providers, URLs).
    pub fn oauth_client(
        &self,
        pool: &str,
        name: &str,
        secret: bool,
        providers: &[&str],
        callbacks: &[&str],
        logouts: &[&str],
    ) -> String {
        use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
        let mut req = self
            .idp()
            .create_user_pool_client()
            .user_pool_id(pool)
            .client_name(name)
            .generate_secret(secret)
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email");
        for p in providers {
            req = req.supported_identity_providers(*p);
        }
        for c in callbacks {
            req = req.callback_urls(*c);
        }
        for l in logouts {
            req = req.logout_urls(*l);
        }
        let out = self.rt.block_on(req.send()).unwrap();
        out.user_pool_client()
            .unwrap()
            .client_id()
            .unwrap()
            .to_string()
    }

    /// A confirmed user with a permanent password.
    pub fn user(&self, pool: &str, email: &str, password: &str) {
        use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
        let idp = self.idp();
        self.rt.block_on(async {
            idp.admin_create_user()
                .user_pool_id(pool)
                .username(email)
                .message_action(MessageActionType::Suppress)
                .user_attributes(
                    AttributeType::builder()
                        .name("email")
                        .value(email)
                        .build()
                        .unwrap(),
                )
                .user_attributes(
                    AttributeType::builder()
                        .name("email_verified")
                        .value("true")
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
            idp.admin_set_user_password()
                .user_pool_id(pool)
                .username(email)
                .password(password)
                .permanent(true)
                .send()
                .await
                .unwrap();
        });
    }

    /// A role's inline policy, decoded; `None` when the role has no such policy.
    /// A role's trust policy, decoded.
    pub fn trust_policy(&self, role: &str) -> serde_json::Value {
        let out = self
            .rt
            .block_on(self.iam().get_role().role_name(role).send())
            .unwrap();
        let doc = out
            .role()
            .unwrap()
            .assume_role_policy_document()
            .unwrap_or_default();
        authwiz::cloud::iam::decode_policy(doc)
    }

    pub fn role_policy(&self, role: &str, policy: &str) -> Option<serde_json::Value> {
        let out = self
            .rt
            .block_on(
                self.iam()
                    .get_role_policy()
                    .role_name(role)
                    .policy_name(policy)
                    .send(),
            )
            .ok()?;
        let decoded = percent_encoding::percent_decode_str(out.policy_document())
            .decode_utf8_lossy()
            .to_string();
        Some(serde_json::from_str(&decoded).unwrap())
    }

    /// DescribeUserPool, for tests that read back what a push set.
    pub fn describe_pool(
        &self,
        pool: &str,
    ) -> aws_sdk_cognitoidentityprovider::types::UserPoolType {
        let out = self
            .rt
            .block_on(self.idp().describe_user_pool().user_pool_id(pool).send())
            .unwrap();
        out.user_pool().unwrap().clone()
    }

    /// The identity pool as DescribeIdentityPool answers it; `None` when that fails
    /// (it is gone).
    pub fn describe_identity_pool(
        &self,
        id: &str,
    ) -> Option<
        aws_sdk_cognitoidentity::operation::describe_identity_pool::DescribeIdentityPoolOutput,
    > {
        self.rt
            .block_on(
                self.identity()
                    .describe_identity_pool()
                    .identity_pool_id(id)
                    .send(),
            )
            .ok()
    }

    pub fn domain(&self, pool: &str, prefix: &str) {
        self.rt
            .block_on(
                self.idp()
                    .create_user_pool_domain()
                    .user_pool_id(pool)
                    .domain(prefix)
                    .send(),
            )
            .unwrap();
    }

    pub fn delete_user_pool(&self, pool: &str) {
        self.rt
            .block_on(self.idp().delete_user_pool().user_pool_id(pool).send())
            .unwrap();
    }

    pub fn delete_client(&self, pool: &str, client: &str) {
        self.rt
            .block_on(
                self.idp()
                    .delete_user_pool_client()
                    .user_pool_id(pool)
                    .client_id(client)
                    .send(),
            )
            .unwrap();
    }

    pub fn identity_pool(
        &self,
        name: &str,
        pool: &str,
        clients: &[&str],
        allow_unauth: bool,
    ) -> String {
        let provider = format!("cognito-idp.{}.amazonaws.com/{pool}", self.region);
        let mut req = self
            .identity()
            .create_identity_pool()
            .identity_pool_name(name)
            .allow_unauthenticated_identities(allow_unauth);
        for c in clients {
            req = req.cognito_identity_providers(
                CognitoIdentityProvider::builder()
                    .provider_name(&provider)
                    .client_id(*c)
                    .build(),
            );
        }
        self.rt
            .block_on(req.send())
            .unwrap()
            .identity_pool_id()
            .to_string()
    }

    pub fn role(&self, name: &str, path: &str, trust: &str) -> String {
        let out = self
            .rt
            .block_on(
                self.iam()
                    .create_role()
                    .role_name(name)
                    .path(path)
                    .assume_role_policy_document(trust)
                    .send(),
            )
            .unwrap();
        out.role().unwrap().arn().to_string()
    }

    pub fn set_roles(&self, identity_pool: &str, auth: Option<&str>, unauth: Option<&str>) {
        let mut req = self
            .identity()
            .set_identity_pool_roles()
            .identity_pool_id(identity_pool);
        if let Some(a) = auth {
            req = req.roles("authenticated", a);
        }
        if let Some(u) = unauth {
            req = req.roles("unauthenticated", u);
        }
        self.rt.block_on(req.send()).unwrap();
    }

    /// The fixtures' setup: `corp-users` with a web and a native client, identity
    /// pool `corp_identity` with both roles.
    pub fn corp(&self) -> Corp {
        self.corp_named("corp")
    }

    /// The same setup under another name prefix (a second set of resources).
    pub fn corp_named(&self, prefix: &str) -> Corp {
        let pool = self.user_pool(&format!("{prefix}-users"));
        let (web, _) = self.client(&pool, &format!("{prefix}-web"), false);
        let (native, secret) = self.client(&pool, &format!("{prefix}-native"), true);
        let ip = self.identity_pool(&format!("{prefix}_identity"), &pool, &[&web, &native], true);
        let auth = self.role(
            &format!("{prefix}-auth-role"),
            "/",
            &trust_policy(&ip, "authenticated"),
        );
        let unauth = self.role(
            &format!("{prefix}-unauth-role"),
            "/",
            &trust_policy(&ip, "unauthenticated"),
        );
        self.set_roles(&ip, Some(&auth), Some(&unauth));
        Corp {
            user_pool_id: pool,
            web_client_id: web,
            native_client_id: native,
            native_secret: secret.unwrap_or_default(),
            identity_pool_id: ip,
            auth_role_arn: auth,
            unauth_role_arn: unauth,
        }
    }
}
